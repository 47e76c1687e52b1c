//! Authentication: which scheme a request uses, whether the service accepts
//! it, the token schemes (IAM token, bearer, Basic), and the checks the
//! signature schemes share (signing time, security token). The signatures
//! themselves are verified in [`crate::signatures`].

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use cloudsnap_runtime::auth::{aliyun_v3, huawei};
use cloudsnap_runtime::AuthScheme;

use crate::credentials::{scheme_name, TestCredentials};
use crate::envelope::{Kind, Problem};
use crate::incoming::Incoming;
use crate::service::Service;
use crate::signatures::{huawei_aksk, rpc_v1, v3};

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
pub(crate) fn authorization(inc: &Incoming) -> Option<(&str, &str)> {
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

/// Report the missing parts of a signature; true if any are missing.
pub(crate) fn incomplete(what: &str, missing: &[&str], out: &mut Vec<Problem>) -> bool {
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
pub(crate) fn check_time(name: &str, raw: &str, basic: bool, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
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
pub(crate) fn check_security_token(name: &str, given: Option<&str>, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
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
}
