//! Shared building blocks for the HMAC signing schemes: RFC 3986
//! percent-encoding, query and path canonicalization, header checks, time
//! formatting and the hash/HMAC primitives.
//!
//! Encoding rule (RFC 3986 section 2.3, used by Alibaba Cloud RPC v1, Alibaba
//! Cloud V3 and Huawei Cloud SDK-HMAC-SHA256 alike): the unreserved
//! characters `A-Z a-z 0-9 - _ . ~` stay as they are, every other byte of the
//! UTF-8 form becomes `%XY` with upper-case hex. So a space is `%20`, `*` is
//! `%2A` and `~` is left alone.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::uri::{PathAndQuery, Uri};
use sha2::Sha256;
use time::OffsetDateTime;

use super::SignError;

/// RFC 3986 percent-encoding of a string (see the module documentation);
/// the same encoding the request builder puts on the wire.
pub(crate) fn encode(s: &str) -> String {
    crate::encode(s)
}

/// [`crate::wire::parse_query`], failing as a signing error.
pub(crate) fn parse_query(query: &str) -> Result<Vec<(String, String)>, SignError> {
    Ok(crate::wire::parse_query(query)?)
}

/// [`crate::wire::parse_form`], failing as a signing error.
pub(crate) fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, SignError> {
    Ok(crate::wire::parse_form(body)?)
}

/// Canonical query string: every name and value RFC 3986-encoded, pairs
/// sorted by encoded name then encoded value (byte order), joined as
/// `name=value` with `&`. An empty value gives `name=`.
///
/// For names made of unreserved characters (all real Alibaba Cloud and
/// Huawei Cloud parameter names, e.g. `Tag.1.Key`) sorting the encoded names
/// is the same as sorting the raw names, which is what the vendors describe.
pub(crate) fn canonical_query<N: AsRef<str>, V: AsRef<str>>(pairs: &[(N, V)]) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .map(|(n, v)| (encode(n.as_ref()), encode(v.as_ref())))
        .collect();
    encoded.sort();
    let mut out = String::new();
    for (i, (n, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(n);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// [`crate::wire::canonical_path`], failing as a signing error.
pub(crate) fn canonical_path(path: &str) -> Result<String, SignError> {
    Ok(crate::wire::canonical_path(path)?)
}

/// The parts of an absolute request URI that the signers need.
pub(crate) struct Target {
    /// The `Host` header value derived from the URI (`host` or `host:port`,
    /// the port only when it is not the scheme's default).
    pub(crate) host: String,
    /// The raw (still encoded) path; `/` when the URI has none.
    pub(crate) path: String,
    /// The raw (still encoded) query, without `?`; empty when absent.
    pub(crate) query: String,
}

/// Splits an absolute URI, rejecting relative ones.
pub(crate) fn target(uri: &Uri) -> Result<Target, SignError> {
    let scheme = uri.scheme_str().ok_or(SignError::RelativeUri)?;
    let host = uri.host().ok_or(SignError::RelativeUri)?;
    if host.is_empty() {
        return Err(SignError::RelativeUri);
    }
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    };
    let host = match uri.port_u16() {
        Some(port) if Some(port) != default_port => format!("{host}:{port}"),
        _ => host.to_owned(),
    };
    let path = match uri.path() {
        "" => "/".to_owned(),
        p => p.to_owned(),
    };
    Ok(Target {
        host,
        path,
        query: uri.query().unwrap_or("").to_owned(),
    })
}

/// Rebuilds `uri` with a new path and query (the query omitted when empty).
pub(crate) fn rebuild_uri(uri: &Uri, path: &str, query: &str) -> Result<Uri, SignError> {
    let pq = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::try_from(pq).map_err(|_| SignError::UriRebuild)?);
    Uri::from_parts(parts).map_err(|_| SignError::UriRebuild)
}

/// True when the bytes contain CR or LF.
fn has_cr_lf(bytes: &[u8]) -> bool {
    bytes.iter().any(|b| *b == b'\r' || *b == b'\n')
}

/// Builds a header value, rejecting CR, LF and other control characters.
/// The error names the header, never the value.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, SignError> {
    let invalid = || SignError::InvalidHeaderValue {
        name: name.to_ascii_lowercase(),
    };
    if has_cr_lf(value.as_bytes()) {
        return Err(invalid());
    }
    HeaderValue::from_str(value).map_err(|_| invalid())
}

/// Same as [`header_value`], marked sensitive so HTTP/2 clients do not put
/// it in their compression tables.
pub(crate) fn sensitive_header_value(name: &str, value: &str) -> Result<HeaderValue, SignError> {
    let mut v = header_value(name, value)?;
    v.set_sensitive(true);
    Ok(v)
}

/// Inserts (replacing) a header after checking its value; `sensitive`
/// marks it so HTTP/2 clients keep it out of their compression tables.
pub(crate) fn set_header(
    headers: &mut http::HeaderMap,
    name: &'static str,
    value: &str,
    sensitive: bool,
) -> Result<(), SignError> {
    let v = if sensitive {
        sensitive_header_value(name, value)?
    } else {
        header_value(name, value)?
    };
    headers.insert(HeaderName::from_static(name), v);
    Ok(())
}

/// Rejects a request already carrying a header value with CR or LF (only
/// possible through `HeaderValue`'s unchecked constructors).
pub(crate) fn check_headers(headers: &http::HeaderMap) -> Result<(), SignError> {
    for (name, value) in headers {
        if has_cr_lf(value.as_bytes()) {
            return Err(SignError::InvalidHeaderValue {
                name: name.as_str().to_owned(),
            });
        }
    }
    Ok(())
}

/// All values of one header, each trimmed, joined with `,`; `None` when the
/// header is absent. Values must be UTF-8.
pub(crate) fn joined_header(headers: &http::HeaderMap, name: &HeaderName) -> Result<Option<String>, SignError> {
    let mut out: Option<String> = None;
    for value in headers.get_all(name) {
        let text = std::str::from_utf8(value.as_bytes()).map_err(|_| SignError::InvalidHeaderValue {
            name: name.as_str().to_owned(),
        })?;
        let text = text.trim();
        match out.as_mut() {
            Some(s) => {
                s.push(',');
                s.push_str(text);
            }
            None => out = Some(text.to_owned()),
        }
    }
    Ok(out)
}

/// Canonical headers block and signed-headers list from `(lower-case name,
/// value)` pairs: each line is `name:trimmed value\n`, sorted by name; the
/// signed-headers list is the names joined with `;`.
pub(crate) fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> (String, String) {
    let mut sorted: Vec<(String, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_ref().to_ascii_lowercase(), v.as_ref().trim()))
        .collect();
    sorted.sort();
    let mut block = String::new();
    let mut names = String::new();
    for (i, (n, v)) in sorted.iter().enumerate() {
        block.push_str(n);
        block.push(':');
        block.push_str(v);
        block.push('\n');
        if i > 0 {
            names.push(';');
        }
        names.push_str(n);
    }
    (block, names)
}

/// The canonical request shared by Alibaba Cloud V3 and Huawei Cloud
/// SDK-HMAC-SHA256: `METHOD\nURI\nQUERY\nHEADERS\nSIGNED_HEADERS\nPAYLOAD_HASH`,
/// where HEADERS is the [`canonical_headers`] block (each line ending in
/// `\n`, so an empty line follows it).
pub(crate) fn canonical_request<N: AsRef<str>, V: AsRef<str>>(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: &[(N, V)],
    hashed_payload: &str,
) -> String {
    let (block, names) = canonical_headers(headers);
    format!("{method}\n{canonical_uri}\n{canonical_query}\n{block}\n{names}\n{hashed_payload}")
}

/// The signing time as a UTC date-time, rejecting times before 1970 or after
/// year 9999.
fn utc(time: SystemTime) -> Result<OffsetDateTime, SignError> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SignError::InvalidTime)?
        .as_secs();
    let secs = i64::try_from(secs).map_err(|_| SignError::InvalidTime)?;
    OffsetDateTime::from_unix_timestamp(secs).map_err(|_| SignError::InvalidTime)
}

/// ISO 8601 UTC, second precision: `YYYY-MM-DDThh:mm:ssZ`.
pub(crate) fn iso8601(time: SystemTime) -> Result<String, SignError> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    utc(time)?.format(&format).map_err(|_| SignError::InvalidTime)
}

/// Compact ISO 8601 basic format, UTC: `YYYYMMDDTHHMMSSZ`.
pub(crate) fn iso8601_basic(time: SystemTime) -> Result<String, SignError> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    utc(time)?.format(&format).map_err(|_| SignError::InvalidTime)
}

/// Lower-case hex SHA-256.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    crate::wire::sha256_hex(data)
}

/// Lower-case hex HMAC-SHA256.
pub(crate) fn hmac_sha256_hex(key: &[u8], data: &[u8]) -> Result<String, SignError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| SignError::HmacKey)?;
    mac.update(data);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// The outcome of a header-based signer (Alibaba V3, Huawei AK/SK): the
/// request's new headers and URI, plus the intermediate strings the unit
/// tests check against the vendors' published examples.
pub(crate) struct Prepared {
    // Read by the unit tests only; never exposed, as the canonical request
    // holds the security token.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) canonical_request: String,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) string_to_sign: String,
    pub(crate) headers: HeaderMap,
    pub(crate) uri: Uri,
}

impl Prepared {
    /// Put the signed headers and URI on the request.
    pub(crate) fn apply(self, request: &mut http::Request<Vec<u8>>) {
        *request.headers_mut() = self.headers;
        *request.uri_mut() = self.uri;
    }
}

/// A header-signing scheme of the HMAC-SHA256 family (Alibaba Cloud V3,
/// Huawei Cloud AK/SK), described as data; [`sign_headers`] is the one
/// engine that runs it.
pub(crate) struct HeaderScheme {
    /// Header that carries the signing time.
    pub(crate) date_header: &'static str,
    /// Its format.
    pub(crate) date: fn(SystemTime) -> Result<String, SignError>,
    /// Header that carries an STS security token, when there is one.
    pub(crate) token_header: &'static str,
    /// Which headers are signed (lower-case names).
    pub(crate) signs: fn(&HeaderName) -> bool,
    /// The URI path as signed, from the path as sent.
    pub(crate) signed_path: fn(&str) -> Result<String, SignError>,
    /// The string to sign, from the signing date and the canonical request.
    pub(crate) string_to_sign: fn(&str, &str) -> String,
    /// The `Authorization` value, from the access key id, the
    /// `SignedHeaders` list and the signature.
    pub(crate) authorization: fn(&str, &str, &str) -> String,
}

/// What one signature covers besides the request itself.
pub(crate) struct HeaderSigning<'a> {
    /// Access key id (public).
    pub(crate) access_key_id: &'a str,
    /// Secret key: the HMAC key.
    pub(crate) secret: &'a str,
    /// STS security token, if the credentials are temporary.
    pub(crate) security_token: Option<&'a str>,
    /// Query parameters to sign and send (already moved out where the
    /// scheme carries them in headers).
    pub(crate) query: Vec<(String, String)>,
    /// Headers the scheme adds before signing (name, value).
    pub(crate) extra_headers: Vec<(&'static str, String)>,
}

/// Sign `request` by `scheme`: set the date, token and extra headers and
/// `Host`, build the canonical request over the signed headers, sign it
/// with HMAC-SHA256 and set `Authorization`.
pub(crate) fn sign_headers(
    scheme: &HeaderScheme,
    request: &http::Request<Vec<u8>>,
    target: &Target,
    time: SystemTime,
    signing: HeaderSigning<'_>,
) -> Result<Prepared, SignError> {
    let date = (scheme.date)(time)?;
    let mut headers = request.headers().clone();
    headers.remove(http::header::AUTHORIZATION);
    for (name, value) in &signing.extra_headers {
        set_header(&mut headers, name, value, false)?;
    }
    set_header(&mut headers, scheme.date_header, &date, false)?;
    match signing.security_token {
        Some(token) => set_header(&mut headers, scheme.token_header, token, true)?,
        None => {
            headers.remove(scheme.token_header);
        }
    }
    if !headers.contains_key(http::header::HOST) {
        set_header(&mut headers, "host", &target.host, false)?;
    }

    let mut signed: Vec<(String, String)> = Vec::new();
    // `HeaderMap::keys` yields each name once.
    for name in headers.keys().filter(|n| (scheme.signs)(n)) {
        if let Some(value) = joined_header(&headers, name)? {
            signed.push((name.as_str().to_owned(), value));
        }
    }

    let sent_path = canonical_path(&target.path)?;
    let signed_path = (scheme.signed_path)(&target.path)?;
    let query = canonical_query(&signing.query);
    let payload_hash = sha256_hex(request.body());
    let canonical_request = canonical_request(request.method().as_str(), &signed_path, &query, &signed, &payload_hash);
    let string_to_sign = (scheme.string_to_sign)(&date, &canonical_request);
    let signature = hmac_sha256_hex(signing.secret.as_bytes(), string_to_sign.as_bytes())?;
    let authorization = (scheme.authorization)(signing.access_key_id, &canonical_headers(&signed).1, &signature);
    headers.insert(
        http::header::AUTHORIZATION,
        sensitive_header_value("authorization", &authorization)?,
    );
    let uri = rebuild_uri(request.uri(), &sent_path, &query)?;
    Ok(Prepared {
        canonical_request,
        string_to_sign,
        headers,
        uri,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn encode_follows_rfc3986() {
        assert_eq!(encode("a b*c~d-e_f.g"), "a%20b%2Ac~d-e_f.g");
        assert_eq!(encode("/:+=&"), "%2F%3A%2B%3D%26");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn query_round_trip_and_sort() {
        let pairs = parse_query("b=2&a=x%20y&&c&a=%2B+").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("b".into(), "2".into()),
                ("a".into(), "x y".into()),
                ("c".into(), "".into()),
                ("a".into(), "++".into()),
            ]
        );
        assert_eq!(canonical_query(&pairs), "a=%2B%2B&a=x%20y&b=2&c=");
    }

    #[test]
    fn form_plus_is_space() {
        let pairs = parse_form(b"a=x+y&b=%2B").unwrap();
        assert_eq!(pairs, vec![("a".into(), "x y".into()), ("b".into(), "+".into())]);
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert_eq!(
            parse_query("a=%FF").unwrap_err(),
            SignError::InvalidEncoding { part: "query" }
        );
        assert!(canonical_path("/%FF/").is_err());
        assert!(parse_form(&[0xff]).is_err());
    }

    #[test]
    fn path_canonicalization() {
        assert_eq!(canonical_path("").unwrap(), "/");
        assert_eq!(canonical_path("/").unwrap(), "/");
        assert_eq!(canonical_path("/a b/c%2Fd/~x*").unwrap(), "/a%20b/c%2Fd/~x%2A");
        assert_eq!(canonical_path("/v1/x/").unwrap(), "/v1/x/");
    }

    #[test]
    fn host_and_ports() {
        let t = target(&"https://h.example.com:443/p?q=1".parse().unwrap()).unwrap();
        assert_eq!(
            (t.host.as_str(), t.path.as_str(), t.query.as_str()),
            ("h.example.com", "/p", "q=1")
        );
        let t = target(&"http://h:8080".parse().unwrap()).unwrap();
        assert_eq!(
            (t.host.as_str(), t.path.as_str(), t.query.as_str()),
            ("h:8080", "/", "")
        );
        assert_eq!(
            target(&"/relative?x=1".parse().unwrap()).err(),
            Some(SignError::RelativeUri)
        );
    }

    #[test]
    fn header_values_reject_cr_lf() {
        for bad in ["a\rb", "a\nb", "a\r\nX-Injected: 1", "nul\0"] {
            assert_eq!(
                header_value("X-Test", bad).unwrap_err(),
                SignError::InvalidHeaderValue { name: "x-test".into() }
            );
        }
        assert!(header_value("x", "fine value\twith tab").is_ok());
    }

    #[test]
    fn existing_headers_are_scanned_for_cr_lf() {
        // A HeaderValue holding CR/LF can only be built through the unchecked
        // (unsafe, debug-panicking) constructor, so the scan itself is tested
        // on raw bytes and on a clean map.
        assert!(has_cr_lf(b"evil\r\nvalue"));
        assert!(has_cr_lf(b"a\n"));
        assert!(!has_cr_lf(b"plain value"));
        let mut headers = http::HeaderMap::new();
        headers.insert("x-ok", HeaderValue::from_static("fine"));
        assert!(check_headers(&headers).is_ok());
    }

    #[test]
    fn time_formats() {
        // 2016-02-23T12:46:24Z, the Alibaba Cloud RPC documentation example.
        let t = UNIX_EPOCH + Duration::from_secs(1_456_231_584);
        assert_eq!(iso8601(t).unwrap(), "2016-02-23T12:46:24Z");
        assert_eq!(iso8601_basic(t).unwrap(), "20160223T124624Z");
        let before = UNIX_EPOCH.checked_sub(Duration::from_secs(1)).unwrap();
        assert_eq!(iso8601(before).unwrap_err(), SignError::InvalidTime);
        if let Some(far) = UNIX_EPOCH.checked_add(Duration::from_secs(400_000_000_000)) {
            assert_eq!(iso8601_basic(far).unwrap_err(), SignError::InvalidTime);
        }
    }

    #[test]
    fn canonical_header_block() {
        let (block, names) = canonical_headers(&[("X-B", " 2 "), ("host", "h"), ("x-a", "1")]);
        assert_eq!(block, "host:h\nx-a:1\nx-b:2\n");
        assert_eq!(names, "host;x-a;x-b");
    }

    #[test]
    fn hashes() {
        // FIPS 180-2 / RFC 4231 style known answers.
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // RFC 4231 test case 2 (key "Jefe").
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?").unwrap(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
