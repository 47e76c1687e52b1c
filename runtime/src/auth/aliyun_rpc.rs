//! Alibaba Cloud RPC-style signature, version 1.0 (HMAC-SHA1).
//!
//! Algorithm, as published by Alibaba Cloud in its API documentation
//! ("Request signatures" for RPC-style APIs, e.g. the ECS API reference,
//! `https://www.alibabacloud.com/help/doc-detail/28139.htm`, and the SDK
//! "V2 signature" page):
//!
//! 1. Add the common parameters `AccessKeyId`, `SignatureMethod=HMAC-SHA1`,
//!    `SignatureVersion=1.0`, `SignatureNonce`, `Timestamp`
//!    (`YYYY-MM-DDThh:mm:ssZ`, UTC) and, for STS credentials,
//!    `SecurityToken`.
//! 2. Canonicalized query string: every parameter except `Signature`, name
//!    and value RFC 3986-encoded (unreserved `A-Z a-z 0-9 - _ . ~` kept,
//!    everything else `%XY`, so space is `%20`, `*` is `%2A`), sorted by
//!    name, joined as `name=value` with `&`.
//! 3. `StringToSign = METHOD + "&" + percentEncode("/") + "&" +
//!    percentEncode(CanonicalizedQueryString)`.
//! 4. `Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`,
//!    sent as the `Signature` query parameter.
//!
//! The test vector (parameters of a `DescribeRegions` call, secret
//! `testsecret`, signature `OLeaidS1JvxuMvnyHOwuJ+uX5qY=`) is the worked
//! example of the same documentation page.
//!
//! [`AliyunRpcSigner`] rewrites the request's query to the canonicalized
//! query plus `Signature`. When the body is `application/x-www-form-urlencoded`
//! its parameters are signed too (they are "request parameters" for the
//! algorithm) but stay in the body. A `+` in the URI query is a literal plus
//! sign: encode spaces as `%20`.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::canonical::{self, encode};
use super::{AliyunCredentials, SignError, Signer, SigningContext};

/// The common parameters this signer sets; any already on the request are
/// replaced, so signing twice does not duplicate them.
const COMMON_PARAMETERS: [&str; 7] = [
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "SecurityToken",
    "Signature",
];

/// The canonicalized query string of step 2: parameters RFC 3986-encoded,
/// sorted by name, joined with `&`. `params` must not contain `Signature`.
pub fn canonicalized_query_string<N: AsRef<str>, V: AsRef<str>>(params: &[(N, V)]) -> String {
    canonical::canonical_query(params)
}

/// The string to sign of step 3 for decoded `params` and an HTTP `method`
/// (`GET`, `POST`).
pub fn string_to_sign<N: AsRef<str>, V: AsRef<str>>(method: &str, params: &[(N, V)]) -> String {
    format!(
        "{}&{}&{}",
        method,
        encode("/"),
        encode(&canonicalized_query_string(params))
    )
}

/// The base64 `Signature` for decoded `params` (every parameter of the
/// request except `Signature`), the HTTP `method` and the AccessKey secret.
pub fn signature<N: AsRef<str>, V: AsRef<str>>(
    method: &str,
    params: &[(N, V)],
    access_key_secret: &str,
) -> Result<String, SignError> {
    let key = format!("{access_key_secret}&");
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).map_err(|_| SignError::HmacKey)?;
    mac.update(string_to_sign(method, params).as_bytes());
    Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// Signs Alibaba Cloud RPC-style requests with signature version 1.0.
#[derive(Debug, Clone)]
pub struct AliyunRpcSigner {
    credentials: AliyunCredentials,
}

impl AliyunRpcSigner {
    /// A signer using these credentials.
    pub fn new(credentials: AliyunCredentials) -> Self {
        AliyunRpcSigner { credentials }
    }

    /// The credentials in use.
    pub fn credentials(&self) -> &AliyunCredentials {
        &self.credentials
    }
}

impl Signer for AliyunRpcSigner {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<(), SignError> {
        canonical::check_headers(request.headers())?;
        let target = canonical::target(request.uri())?;
        let timestamp = canonical::iso8601(ctx.time())?;

        let mut query = canonical::parse_query(&target.query)?;
        query.retain(|(name, _)| !COMMON_PARAMETERS.contains(&name.as_str()));
        let creds = &self.credentials;
        query.push(("AccessKeyId".into(), creds.access_key_id.clone()));
        query.push(("SignatureMethod".into(), "HMAC-SHA1".into()));
        query.push(("SignatureVersion".into(), "1.0".into()));
        query.push(("SignatureNonce".into(), ctx.nonce().to_owned()));
        query.push(("Timestamp".into(), timestamp));
        if let Some(token) = &creds.security_token {
            query.push(("SecurityToken".into(), token.expose().to_owned()));
        }

        let mut signed = query.clone();
        if crate::wire::is_form(request.headers()) {
            signed.extend(canonical::parse_form(request.body())?);
        }
        let sig = signature(request.method().as_str(), &signed, creds.access_key_secret.expose())?;

        let new_query = format!("{}&Signature={}", canonicalized_query_string(&query), encode(&sig));
        let uri = canonical::rebuild_uri(request.uri(), &target.path, &new_query)?;
        *request.uri_mut() = uri;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    /// Worked example from Alibaba Cloud's RPC signature documentation.
    const DOC_PARAMS: [(&str, &str); 8] = [
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ];

    #[test]
    fn published_vector() {
        assert_eq!(
            string_to_sign("GET", &DOC_PARAMS),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
             %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z\
             %26Version%3D2014-05-26"
        );
        assert_eq!(
            signature("GET", &DOC_PARAMS, "testsecret").unwrap(),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn order_of_input_does_not_matter() {
        let mut reversed = DOC_PARAMS;
        reversed.reverse();
        assert_eq!(
            signature("GET", &reversed, "testsecret").unwrap(),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn special_characters_encoding() {
        assert_eq!(
            canonicalized_query_string(&[("b", "a b*c~"), ("a", "x/y")]),
            "a=x%2Fy&b=a%20b%2Ac~"
        );
    }

    #[test]
    fn signer_reproduces_published_vector() {
        let signer = AliyunRpcSigner::new(AliyunCredentials::new("testid", "testsecret"));
        let mut req =
            http::Request::get("https://ecs.aliyuncs.com/?Version=2014-05-26&Action=DescribeRegions&Format=XML")
                .body(Vec::new())
                .unwrap();
        let ctx = SigningContext::new(
            UNIX_EPOCH + Duration::from_secs(1_456_231_584),
            "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        );
        signer.sign(&mut req, &ctx).unwrap();
        assert_eq!(
            req.uri().to_string(),
            "https://ecs.aliyuncs.com/?AccessKeyId=testid&Action=DescribeRegions&Format=XML\
             &SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             &SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26\
             &Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
        );
        // Signing again (a retry) replaces the common parameters.
        signer.sign(&mut req, &ctx).unwrap();
        assert_eq!(req.uri().query().unwrap().matches("Signature=").count(), 1);
        assert!(req
            .uri()
            .query()
            .unwrap()
            .ends_with("Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"));
    }

    #[test]
    fn security_token_is_a_signed_parameter() {
        let creds = AliyunCredentials::new("testid", "testsecret").with_security_token("sts/tok");
        let signer = AliyunRpcSigner::new(creds);
        let mut req = http::Request::get("https://ecs.aliyuncs.com/?Action=DescribeRegions")
            .body(Vec::new())
            .unwrap();
        let ctx = SigningContext::new(UNIX_EPOCH + Duration::from_secs(1_456_231_584), "n");
        signer.sign(&mut req, &ctx).unwrap();
        let query = req.uri().query().unwrap();
        assert!(query.contains("SecurityToken=sts%2Ftok"));
        let params = canonical::parse_query(query).unwrap();
        let (signed, sig): (Vec<_>, Vec<_>) = params.into_iter().partition(|(n, _)| n != "Signature");
        assert_eq!(sig[0].1, signature("GET", &signed, "testsecret").unwrap());
    }

    #[test]
    fn form_body_parameters_are_signed() {
        let signer = AliyunRpcSigner::new(AliyunCredentials::new("testid", "testsecret"));
        let mut req = http::Request::post("https://ecs.aliyuncs.com/?Action=CreateSnapshot")
            .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
            .body(b"DiskId=d-1&Description=nightly+run".to_vec())
            .unwrap();
        let ctx = SigningContext::new(UNIX_EPOCH + Duration::from_secs(1_456_231_584), "n");
        signer.sign(&mut req, &ctx).unwrap();
        let mut params = canonical::parse_query(req.uri().query().unwrap()).unwrap();
        let sig = params.pop().unwrap();
        assert_eq!(sig.0, "Signature");
        assert!(!params.iter().any(|(n, _)| n == "DiskId"));
        params.push(("DiskId".into(), "d-1".into()));
        params.push(("Description".into(), "nightly run".into()));
        assert_eq!(sig.1, signature("POST", &params, "testsecret").unwrap());
    }

    #[test]
    fn relative_uri_rejected() {
        let signer = AliyunRpcSigner::new(AliyunCredentials::new("id", "s"));
        let mut req = http::Request::get("/?Action=X").body(Vec::new()).unwrap();
        let before = req.uri().clone();
        assert_eq!(
            signer.sign(&mut req, &SigningContext::now()).unwrap_err(),
            SignError::RelativeUri
        );
        assert_eq!(req.uri(), &before);
    }
}
