//! Wire text, decoded and canonicalized: percent-decoding of paths, queries
//! and form bodies, the canonical path the signers sign, and the media type
//! of a body. One statement of each rule, for the signers (which
//! canonicalize what they sign) and the mock server (which decodes what it
//! receives and recomputes signatures over it). Encoding is
//! [`crate::encode`].

use http::header::CONTENT_TYPE;
use http::HeaderMap;
use percent_encoding::percent_decode_str;

/// The media type of a form body (`a=1&b=x+y`).
pub const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";

/// A path, query or form body that is not valid percent-encoded UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the {part} is not valid percent-encoded UTF-8")]
pub struct DecodeError {
    /// Which part: `"path"`, `"query"` or `"form body"`.
    pub part: &'static str,
}

/// Percent-decodes `s` as UTF-8 (a `+` stays a `+`); `None` when the bytes
/// are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    percent_decode_str(s).decode_utf8().ok().map(|c| c.into_owned())
}

/// The `name=value` segments of a raw query or form body, in order; empty
/// segments (`a=1&&b=2`) are skipped.
pub fn segments(raw: &str) -> impl Iterator<Item = &str> {
    raw.split('&').filter(|s| !s.is_empty())
}

/// One segment decoded into `(name, value)`; a segment without `=` has an
/// empty value. In a form body (`plus_is_space`) a `+` is a space (WHATWG
/// URL standard, form-urlencoded parsing); in a query it is a literal plus
/// (RFC 3986). `None` when either half is not UTF-8.
pub fn decode_pair(segment: &str, plus_is_space: bool) -> Option<(String, String)> {
    let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
    if plus_is_space {
        Some((
            percent_decode(&name.replace('+', " "))?,
            percent_decode(&value.replace('+', " "))?,
        ))
    } else {
        Some((percent_decode(name)?, percent_decode(value)?))
    }
}

fn pairs(raw: &str, plus_is_space: bool, part: &'static str) -> Result<Vec<(String, String)>, DecodeError> {
    segments(raw)
        .map(|s| decode_pair(s, plus_is_space).ok_or(DecodeError { part }))
        .collect()
}

/// A raw URI query (`a=1&b=%20x`) as decoded `(name, value)` pairs, in
/// order (see [`decode_pair`]: `+` is a literal plus).
pub fn parse_query(query: &str) -> Result<Vec<(String, String)>, DecodeError> {
    pairs(query, false, "query")
}

/// An `application/x-www-form-urlencoded` body as decoded pairs (`+` is a
/// space).
pub fn parse_form(body: &[u8]) -> Result<Vec<(String, String)>, DecodeError> {
    let text = std::str::from_utf8(body).map_err(|_| DecodeError { part: "form body" })?;
    pairs(text, true, "form body")
}

/// Canonical path: each `/`-separated segment percent-decoded and then
/// RFC 3986-encoded again (so `%2F` inside a segment stays `%2F`, `*`
/// becomes `%2A`). An empty path becomes `/`.
pub fn canonical_path(path: &str) -> Result<String, DecodeError> {
    if path.is_empty() {
        return Ok("/".to_owned());
    }
    let mut out = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let decoded = percent_decode(segment).ok_or(DecodeError { part: "path" })?;
        out.push_str(&crate::encode(&decoded));
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    Ok(out)
}

/// Lower-case hex SHA-256 of a body: the content hash both header
/// signatures carry (`x-acs-content-sha256`, and Huawei's payload hash).
pub fn sha256_hex(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(body))
}

/// The media type of `Content-Type`, without parameters (`; charset=...`).
pub fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim())
}

/// Whether the body is a form ([`FORM_URLENCODED`], any case).
pub fn is_form(headers: &HeaderMap) -> bool {
    media_type(headers).is_some_and(|m| m.eq_ignore_ascii_case(FORM_URLENCODED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_decode_plus_by_part() {
        assert_eq!(
            parse_query("a=x%20y+z&&b").unwrap(),
            vec![("a".into(), "x y+z".into()), ("b".into(), String::new())]
        );
        assert_eq!(
            parse_form(b"c=1+2&d=%41").unwrap(),
            vec![("c".into(), "1 2".into()), ("d".into(), "A".into())]
        );
        assert_eq!(parse_query("a=%FF").unwrap_err(), DecodeError { part: "query" });
        assert_eq!(parse_form(&[0xff]).unwrap_err(), DecodeError { part: "form body" });
        assert_eq!(decode_pair("%FF=1", false), None);
    }

    #[test]
    fn canonical_path_reencodes_segments() {
        assert_eq!(canonical_path("/a%20b/c*d").unwrap(), "/a%20b/c%2Ad");
        assert_eq!(canonical_path("").unwrap(), "/");
        assert_eq!(canonical_path("/x/").unwrap(), "/x/");
        assert_eq!(canonical_path("/%FF").unwrap_err(), DecodeError { part: "path" });
    }

    #[test]
    fn content_hash_of_the_empty_body() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn form_detection_ignores_parameters_and_case() {
        let mut h = HeaderMap::new();
        assert!(!is_form(&h));
        h.insert(
            CONTENT_TYPE,
            "Application/X-WWW-Form-Urlencoded; charset=utf-8".parse().unwrap(),
        );
        assert!(is_form(&h));
        assert_eq!(media_type(&h), Some("Application/X-WWW-Form-Urlencoded"));
        h.insert(CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(!is_form(&h));
    }
}
