//! Header-token schemes: Huawei Cloud IAM token (`X-Auth-Token`), bearer
//! API key (`Authorization: Bearer <key>`, as used by Zilliz Cloud) and
//! HTTP Basic (`Authorization: Basic base64(user:password)`, RFC 7617, as
//! used by Elasticsearch).
//!
//! Sources: Huawei Cloud API reference, "Authentication" (token
//! authentication puts the IAM token in the `X-Auth-Token` request header);
//! RFC 6750 section 2.1 (bearer token syntax); RFC 7617 section 2 (Basic:
//! user-id and password joined by `:`, UTF-8, base64; a user-id containing
//! `:` is invalid).
//!
//! Every signer marks the header it adds as sensitive and rejects values
//! containing CR or LF with [`SignError`].

use base64::Engine as _;
use http::header::{HeaderName, AUTHORIZATION};

use super::canonical;
use super::{ApiKey, BasicCredentials, HuaweiIamToken, SignError, Signer, SigningContext};

/// Puts the credential-bearing header on the request, after the common checks.
fn put(request: &mut http::Request<Vec<u8>>, name: HeaderName, value: &str) -> Result<(), SignError> {
    canonical::check_headers(request.headers())?;
    canonical::target(request.uri())?;
    let value = canonical::sensitive_header_value(name.as_str(), value)?;
    request.headers_mut().insert(name, value);
    Ok(())
}

/// Sends a Huawei Cloud IAM token as `X-Auth-Token`.
#[derive(Debug, Clone)]
pub struct HuaweiTokenSigner {
    token: HuaweiIamToken,
}

impl HuaweiTokenSigner {
    /// A signer sending this token.
    pub fn new(token: HuaweiIamToken) -> Self {
        HuaweiTokenSigner { token }
    }
}

impl Signer for HuaweiTokenSigner {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, _ctx: &SigningContext) -> Result<(), SignError> {
        put(
            request,
            HeaderName::from_static("x-auth-token"),
            self.token.token.expose(),
        )
    }
}

/// Sends an API key as `Authorization: Bearer <key>`.
#[derive(Debug, Clone)]
pub struct BearerSigner {
    key: ApiKey,
}

impl BearerSigner {
    /// A signer sending this key.
    pub fn new(key: ApiKey) -> Self {
        BearerSigner { key }
    }
}

impl Signer for BearerSigner {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, _ctx: &SigningContext) -> Result<(), SignError> {
        let value = format!("Bearer {}", self.key.key.expose());
        put(request, AUTHORIZATION, &value)
    }
}

/// Sends `Authorization: Basic base64(user:password)`.
///
/// A user name containing `:` (invalid per RFC 7617), or a user name or
/// password containing CR or LF, is rejected with
/// [`SignError::InvalidCredential`].
#[derive(Debug, Clone)]
pub struct BasicSigner {
    credentials: BasicCredentials,
}

impl BasicSigner {
    /// A signer sending these credentials.
    pub fn new(credentials: BasicCredentials) -> Self {
        BasicSigner { credentials }
    }
}

impl Signer for BasicSigner {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, _ctx: &SigningContext) -> Result<(), SignError> {
        let user = &self.credentials.username;
        let password = self.credentials.password.expose();
        if user.contains(':') {
            return Err(SignError::InvalidCredential("the Basic user name contains ':'"));
        }
        if [user.as_str(), password].iter().any(|s| s.contains(['\r', '\n'])) {
            return Err(SignError::InvalidCredential(
                "the Basic user name or password contains CR or LF",
            ));
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        put(request, AUTHORIZATION, &format!("Basic {encoded}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> http::Request<Vec<u8>> {
        http::Request::get("https://api.example.com/v1/x")
            .body(Vec::new())
            .unwrap()
    }

    #[test]
    fn huawei_token_header() {
        let mut req = request();
        HuaweiTokenSigner::new(HuaweiIamToken::new("MIIEXAMPLE"))
            .sign(&mut req, &SigningContext::now())
            .unwrap();
        assert_eq!(req.headers()["x-auth-token"], "MIIEXAMPLE");
        assert!(req.headers()["x-auth-token"].is_sensitive());
    }

    #[test]
    fn bearer_header() {
        let mut req = request();
        BearerSigner::new(ApiKey::new("k-123"))
            .sign(&mut req, &SigningContext::now())
            .unwrap();
        assert_eq!(req.headers()["authorization"], "Bearer k-123");
    }

    /// RFC 7617 section 2 example: "Aladdin" / "open sesame".
    #[test]
    fn basic_header_rfc7617_example() {
        let mut req = request();
        BasicSigner::new(BasicCredentials::new("Aladdin", "open sesame"))
            .sign(&mut req, &SigningContext::now())
            .unwrap();
        assert_eq!(req.headers()["authorization"], "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn cr_lf_rejected_everywhere() {
        let ctx = SigningContext::now();
        let mut req = request();
        let err = HuaweiTokenSigner::new(HuaweiIamToken::new("a\r\nb"))
            .sign(&mut req, &ctx)
            .unwrap_err();
        assert_eq!(
            err,
            SignError::InvalidHeaderValue {
                name: "x-auth-token".into()
            }
        );
        let err = BearerSigner::new(ApiKey::new("k\n")).sign(&mut req, &ctx).unwrap_err();
        assert_eq!(
            err,
            SignError::InvalidHeaderValue {
                name: "authorization".into()
            }
        );
        for (u, p) in [("u\r", "p"), ("u", "p\nq")] {
            assert!(matches!(
                BasicSigner::new(BasicCredentials::new(u, p)).sign(&mut req, &ctx),
                Err(SignError::InvalidCredential(_))
            ));
        }
        assert!(matches!(
            BasicSigner::new(BasicCredentials::new("a:b", "p")).sign(&mut req, &ctx),
            Err(SignError::InvalidCredential(_))
        ));
        assert!(req.headers().is_empty());
    }
}
