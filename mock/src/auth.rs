//! Authentication: which scheme a request uses, whether the service accepts
//! it, and whether the credentials and signature are right.
//!
//! Signatures are recomputed with cloudsnap's public signing functions
//! (`cloudsnap::auth::{aliyun_rpc, aliyun_v3, huawei}`), the mock's test
//! credentials, the time and nonce the request carries, the headers its
//! `SignedHeaders` names (the `Host` header as received), and its body —
//! what the real services do. On a mismatch the message shows the server's
//! string to sign or canonical request, as Alibaba Cloud's own error does.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use cloudsnap::auth::{aliyun_rpc, aliyun_v3, huawei};
use cloudsnap::runtime::AuthScheme;

use crate::credentials::{scheme_name, TestCredentials};
use crate::envelope::{Kind, Problem};
use crate::incoming::{decode, Incoming};
use crate::service::Service;

/// What the authentication checks need besides the request.
pub(crate) struct AuthContext<'a> {
    /// Accepted credentials.
    pub credentials: &'a TestCredentials,
    /// The server's clock.
    pub now: SystemTime,
    /// Largest accepted distance between the signing time and `now`.
    pub max_skew: Duration,
}

/// Check the request's authentication; returns the scheme it uses (if one
/// was recognized) and adds every problem to `out`.
pub(crate) fn check(
    service: &Service,
    inc: &Incoming,
    ctx: &AuthContext<'_>,
    out: &mut Vec<Problem>,
) -> Option<AuthScheme> {
    let found = match detect(inc) {
        Ok(found) => found,
        Err(problem) => {
            out.push(problem);
            return None;
        }
    };
    let accepted = || {
        let names: Vec<String> = service.auth.iter().map(|s| describe(*s)).collect();
        names.join(", ")
    };
    let scheme = match found.as_slice() {
        [] => {
            out.push(Problem::new(
                Kind::Unauthenticated,
                format!(
                    "the request carries no authentication; this service accepts {}",
                    accepted()
                ),
            ));
            return None;
        }
        [one] => *one,
        several => {
            let names: Vec<&str> = several.iter().map(|s| scheme_name(*s)).collect();
            out.push(Problem::new(
                Kind::Unauthenticated,
                format!(
                    "the request carries several authentications ({}); send exactly one",
                    names.join(", ")
                ),
            ));
            return None;
        }
    };
    if !service.auth.contains(&scheme) {
        out.push(Problem::new(
            Kind::Unauthenticated,
            format!(
                "{} authentication is not accepted by this service; it accepts {}",
                scheme_name(scheme),
                accepted()
            ),
        ));
        return Some(scheme);
    }
    let creds = ctx.credentials;
    match scheme {
        AuthScheme::AliyunRpcV1 => rpc_v1(inc, ctx, out),
        AuthScheme::AliyunV3 => v3(inc, ctx, out),
        AuthScheme::HuaweiAksk => huawei_aksk(inc, ctx, out),
        AuthScheme::HuaweiToken => {
            if inc.header("x-auth-token") != Some(creds.iam_token.as_str()) {
                out.push(Problem::new(
                    Kind::InvalidCredential,
                    "Incorrect IAM authentication information: the X-Auth-Token is not the mock's test token",
                ));
            }
        }
        AuthScheme::Bearer => {
            let token = authorization(inc).map(|(_, rest)| rest.trim()).unwrap_or("");
            if token != creds.api_key {
                out.push(Problem::new(
                    Kind::InvalidCredential,
                    "Invalid token: the bearer API key is not the mock's test API key",
                ));
            }
        }
        AuthScheme::Basic => basic(inc, creds, out),
    }
    Some(scheme)
}

/// `(scheme word, rest)` of the `Authorization` header.
fn authorization(inc: &Incoming) -> Option<(&str, &str)> {
    let value = inc.header("authorization")?.trim();
    Some(value.split_once(' ').unwrap_or((value, "")))
}

/// Every scheme the request shows signs of.
fn detect(inc: &Incoming) -> Result<Vec<AuthScheme>, Problem> {
    let mut found = Vec::new();
    if inc.rpc_params().any(|(n, _)| n == "Signature") {
        found.push(AuthScheme::AliyunRpcV1);
    }
    if let Some((word, _)) = authorization(inc) {
        let scheme = if word == aliyun_v3::ALGORITHM {
            AuthScheme::AliyunV3
        } else if word == huawei::ALGORITHM {
            AuthScheme::HuaweiAksk
        } else if word.eq_ignore_ascii_case("bearer") {
            AuthScheme::Bearer
        } else if word.eq_ignore_ascii_case("basic") {
            AuthScheme::Basic
        } else {
            return Err(Problem::new(
                Kind::Unauthenticated,
                format!("the Authorization scheme `{word}` is not one the mock knows"),
            ));
        };
        found.push(scheme);
    }
    if inc.headers.contains_key("x-auth-token") {
        found.push(AuthScheme::HuaweiToken);
    }
    Ok(found)
}

/// A scheme's name and how it is sent, for messages.
fn describe(scheme: AuthScheme) -> String {
    let how = match scheme {
        AuthScheme::AliyunRpcV1 => "`Signature` query parameter",
        AuthScheme::AliyunV3 => "`Authorization: ACS3-HMAC-SHA256 ...`",
        AuthScheme::HuaweiAksk => "`Authorization: SDK-HMAC-SHA256 ...`",
        AuthScheme::HuaweiToken => "`X-Auth-Token` header",
        AuthScheme::Bearer => "`Authorization: Bearer <API key>`",
        AuthScheme::Basic => "`Authorization: Basic ...`",
    };
    format!("{} ({how})", scheme_name(scheme))
}

fn incomplete(what: &str, missing: &[&str], out: &mut Vec<Problem>) -> bool {
    if missing.is_empty() {
        return false;
    }
    out.push(Problem::new(
        Kind::Unauthenticated,
        format!("the {what} is incomplete: missing {}", missing.join(", ")),
    ));
    true
}

/// Parse `YYYY-MM-DDThh:mm:ssZ` (`basic == false`) or `YYYYMMDDThhmmssZ`.
fn parse_time(raw: &str, basic: bool) -> Option<SystemTime> {
    let parsed = if basic {
        let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
        time::PrimitiveDateTime::parse(raw, &format)
    } else {
        let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        time::PrimitiveDateTime::parse(raw, &format)
    };
    parsed.ok().map(|t| SystemTime::from(t.assume_utc()))
}

/// Check a signing time: well-formed, and within the allowed skew.
fn check_time(name: &str, raw: &str, basic: bool, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    let format = if basic {
        "YYYYMMDDThhmmssZ"
    } else {
        "YYYY-MM-DDThh:mm:ssZ"
    };
    let Some(t) = parse_time(raw, basic) else {
        out.push(Problem::new(
            Kind::Unauthenticated,
            format!("{name} `{raw}` is not a UTC time in the {format} format"),
        ));
        return;
    };
    let skew = match ctx.now.duration_since(t) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    if skew > ctx.max_skew {
        out.push(Problem::new(
            Kind::StaleTimestamp,
            format!(
                "{name} `{raw}` is {} s away from the server's clock; at most {} s are allowed",
                skew.as_secs(),
                ctx.max_skew.as_secs()
            ),
        ));
    }
}

/// A security token is accepted only when the mock has one configured.
fn check_security_token(name: &str, given: Option<&str>, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    match (given, ctx.credentials.security_token.as_deref()) {
        (Some(g), Some(want)) if g != want => out.push(Problem::new(
            Kind::InvalidCredential,
            format!("{name} is not the mock's test security token"),
        )),
        (Some(_), None) => out.push(Problem::new(
            Kind::InvalidCredential,
            format!("{name} is given, but the mock has no security token configured"),
        )),
        (None, Some(_)) => out.push(Problem::new(Kind::Unauthenticated, format!("{name} is missing"))),
        _ => {}
    }
}

fn rpc_v1(inc: &Incoming, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    let params: Vec<(String, String)> = inc.rpc_params().cloned().collect();
    let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let required = [
        "AccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ];
    let missing: Vec<&str> = required.into_iter().filter(|n| get(n).is_none()).collect();
    if incomplete("RPC signature", &missing, out) {
        return;
    }
    let creds = ctx.credentials;
    for (name, want) in [("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0")] {
        if let Some(got) = get(name).filter(|g| *g != want) {
            out.push(Problem::new(
                Kind::Unauthenticated,
                format!("{name} `{got}` is not supported; use `{want}`"),
            ));
        }
    }
    check_time("Timestamp", get("Timestamp").unwrap_or_default(), false, ctx, out);
    check_security_token("SecurityToken", get("SecurityToken"), ctx, out);
    if get("AccessKeyId") != Some(creds.access_key_id.as_str()) {
        out.push(Problem::new(
            Kind::InvalidCredential,
            format!(
                "Specified access key is not found: AccessKeyId `{}` is not the mock's test AccessKey ID",
                get("AccessKeyId").unwrap_or_default()
            ),
        ));
        return;
    }
    let signed: Vec<&(String, String)> = params.iter().filter(|(n, _)| n != "Signature").collect();
    let signed: Vec<(&str, &str)> = signed.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let method = inc.method.as_str();
    match aliyun_rpc::signature(method, &signed, &creds.access_key_secret) {
        Ok(expected) if get("Signature") == Some(expected.as_str()) => {}
        Ok(_) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!(
                "Specified signature is not matched with our calculation. server string to sign is: {}",
                aliyun_rpc::string_to_sign(method, &signed)
            ),
        )),
        Err(e) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("cannot compute the signature: {e}"),
        )),
    }
}

/// `key=value` items of an `Authorization` header after its scheme word,
/// separated by commas (Alibaba V3) or commas and spaces (Huawei).
fn auth_items(rest: &str) -> Vec<(&str, &str)> {
    rest.split(',')
        .filter_map(|item| item.trim().split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// The signed `(name, value)` pairs, each value the received values trimmed
/// and joined with `,`; `None` (after a problem) when one is absent.
fn signed_headers(inc: &Incoming, names: &[&str], out: &mut Vec<Problem>) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for name in names {
        let values: Vec<&str> = inc
            .headers
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::trim)
            .collect();
        if values.is_empty() {
            out.push(Problem::new(
                Kind::Unauthenticated,
                format!("signed header `{name}` is not in the request"),
            ));
            return None;
        }
        pairs.push((name.to_ascii_lowercase(), values.join(",")));
    }
    Some(pairs)
}

/// RFC 3986 canonical path: each segment decoded, then encoded again.
fn canonical_path(raw: &str) -> Option<String> {
    if raw.is_empty() {
        return Some("/".to_owned());
    }
    let segments: Option<Vec<String>> = raw
        .split('/')
        .map(|s| decode(s).map(|d| cloudsnap::runtime::encode(&d)))
        .collect();
    let mut path = segments?.join("/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    Some(path)
}

/// The canonical query of both HMAC-SHA256 schemes (the same RFC 3986
/// rule cloudsnap publishes as `aliyun_rpc::canonicalized_query_string`).
fn canonical_query(inc: &Incoming) -> String {
    aliyun_rpc::canonicalized_query_string(&inc.query)
}

fn v3(inc: &Incoming, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    let rest = authorization(inc).map(|(_, r)| r).unwrap_or_default();
    let items = auth_items(rest);
    let item = |k: &str| items.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let mut missing: Vec<&str> = ["Credential", "SignedHeaders", "Signature"]
        .into_iter()
        .filter(|k| item(k).is_none())
        .collect();
    for header in ["x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"] {
        if inc.header(header).is_none() {
            missing.push(header);
        }
    }
    if incomplete("ACS3-HMAC-SHA256 signature", &missing, out) {
        return;
    }
    check_time(
        "x-acs-date",
        inc.header("x-acs-date").unwrap_or_default(),
        false,
        ctx,
        out,
    );
    check_security_token("x-acs-security-token", inc.header("x-acs-security-token"), ctx, out);
    let creds = ctx.credentials;
    if item("Credential") != Some(creds.access_key_id.as_str()) {
        out.push(Problem::new(
            Kind::InvalidCredential,
            format!(
                "Specified access key is not found: Credential `{}` is not the mock's test AccessKey ID",
                item("Credential").unwrap_or_default()
            ),
        ));
        return;
    }
    let body_hash = hex::encode(Sha256::digest(&inc.body));
    let content_hash = inc.header("x-acs-content-sha256").unwrap_or_default();
    if content_hash != body_hash {
        out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("x-acs-content-sha256 `{content_hash}` is not the SHA-256 of the body (`{body_hash}`)"),
        ));
    }
    let names: Vec<&str> = item("SignedHeaders").unwrap_or_default().split(';').collect();
    let mut unsigned: Vec<String> = inc
        .headers
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("x-acs-") && !names.contains(k))
        .map(str::to_owned)
        .collect();
    if !names.contains(&"host") {
        unsigned.insert(0, "host".to_owned());
    }
    if !unsigned.is_empty() {
        out.push(Problem::new(
            Kind::Unauthenticated,
            format!(
                "SignedHeaders must include host and every x-acs-* header; not signed: {}",
                unsigned.join(", ")
            ),
        ));
        return;
    }
    let Some(headers) = signed_headers(inc, &names, out) else {
        return;
    };
    let Some(path) = canonical_path(&inc.path) else {
        out.push(Problem::new(
            Kind::InvalidParameter,
            "the path is not valid percent-encoded UTF-8",
        ));
        return;
    };
    let method = inc.method.as_str();
    let request = aliyun_v3::canonical_request(method, &path, &canonical_query(inc), &headers, content_hash);
    let to_sign = aliyun_v3::string_to_sign(&request);
    compare_hex(
        aliyun_v3::signature(&creds.access_key_secret, &to_sign),
        item("Signature"),
        &request,
        "Specified signature is not matched with our calculation.",
        out,
    );
}

fn huawei_aksk(inc: &Incoming, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    let rest = authorization(inc).map(|(_, r)| r).unwrap_or_default();
    let items = auth_items(rest);
    let item = |k: &str| items.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let mut missing: Vec<&str> = ["Access", "SignedHeaders", "Signature"]
        .into_iter()
        .filter(|k| item(k).is_none())
        .collect();
    if inc.header("x-sdk-date").is_none() {
        missing.push("X-Sdk-Date");
    }
    if incomplete("SDK-HMAC-SHA256 signature", &missing, out) {
        return;
    }
    let date = inc.header("x-sdk-date").unwrap_or_default();
    check_time("X-Sdk-Date", date, true, ctx, out);
    check_security_token("X-Security-Token", inc.header("x-security-token"), ctx, out);
    let creds = ctx.credentials;
    if item("Access") != Some(creds.access_key_id.as_str()) {
        out.push(Problem::new(
            Kind::InvalidCredential,
            format!(
                "Incorrect IAM authentication information: Access `{}` is not the mock's test access key",
                item("Access").unwrap_or_default()
            ),
        ));
        return;
    }
    let names: Vec<&str> = item("SignedHeaders").unwrap_or_default().split(';').collect();
    let unsigned: Vec<&str> = ["host", "x-sdk-date"]
        .into_iter()
        .filter(|n| !names.contains(n))
        .collect();
    if !unsigned.is_empty() {
        out.push(Problem::new(
            Kind::Unauthenticated,
            format!(
                "SignedHeaders must include host and x-sdk-date; not signed: {}",
                unsigned.join(", ")
            ),
        ));
        return;
    }
    let Some(headers) = signed_headers(inc, &names, out) else {
        return;
    };
    let Ok(uri) = huawei::canonical_uri(&inc.path) else {
        out.push(Problem::new(
            Kind::InvalidParameter,
            "the path is not valid percent-encoded UTF-8",
        ));
        return;
    };
    let payload = hex::encode(Sha256::digest(&inc.body));
    let method = inc.method.as_str();
    let request = huawei::canonical_request(method, &uri, &canonical_query(inc), &headers, &payload);
    let to_sign = huawei::string_to_sign(date, &request);
    compare_hex(
        huawei::signature(&creds.access_key_secret, &to_sign),
        item("Signature"),
        &request,
        "Incorrect IAM authentication information: verify aksk signature fail.",
        out,
    );
}

fn compare_hex(
    expected: Result<String, cloudsnap::auth::SignError>,
    given: Option<&str>,
    canonical_request: &str,
    lead: &str,
    out: &mut Vec<Problem>,
) {
    match expected {
        Ok(e) if given.is_some_and(|g| g.eq_ignore_ascii_case(&e)) => {}
        Ok(_) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("{lead} The server's canonical request is {canonical_request:?}"),
        )),
        Err(e) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("cannot compute the signature: {e}"),
        )),
    }
}

fn basic(inc: &Incoming, creds: &TestCredentials, out: &mut Vec<Problem>) {
    let encoded = authorization(inc).map(|(_, r)| r.trim()).unwrap_or_default();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some((user, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        out.push(Problem::new(
            Kind::Unauthenticated,
            "the Basic credentials are not base64 of `user:password`",
        ));
        return;
    };
    if user != creds.basic_user || password != creds.basic_password {
        out.push(Problem::new(
            Kind::InvalidCredential,
            format!("unable to authenticate user [{user}] for REST request [{}]", inc.uri),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_time_formats() {
        let a = parse_time("2024-03-01T08:09:10Z", false).unwrap();
        let b = parse_time("20240301T080910Z", true).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            1_709_280_550
        );
        assert!(parse_time("2024-03-01 08:09:10", false).is_none());
    }

    #[test]
    fn canonical_path_reencodes_segments() {
        assert_eq!(canonical_path("/a%20b/c*d").as_deref(), Some("/a%20b/c%2Ad"));
        assert_eq!(canonical_path("").as_deref(), Some("/"));
        assert_eq!(canonical_path("/x/").as_deref(), Some("/x/"));
    }
}
