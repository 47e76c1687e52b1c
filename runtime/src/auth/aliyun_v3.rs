//! Alibaba Cloud V3 signature, `ACS3-HMAC-SHA256`.
//!
//! Algorithm, as published by Alibaba Cloud in "Request syntax and signature
//! method V3" (`https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature`):
//!
//! 1. Common headers: `x-acs-action`, `x-acs-version`, `x-acs-date`
//!    (ISO 8601 UTC, `yyyy-MM-ddTHH:mm:ssZ`), `x-acs-signature-nonce`,
//!    `x-acs-content-sha256` (lower-case hex SHA-256 of the body), `host`,
//!    and `x-acs-security-token` for STS credentials.
//! 2. `CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n
//!    CanonicalHeaders \n SignedHeaders \n HashedRequestPayload`, where the
//!    URI path and the query are RFC 3986-encoded (query sorted by name),
//!    CanonicalHeaders is `lowercase-name:trimmed-value\n` for `host`,
//!    `content-type` (when present) and every `x-acs-*` header, sorted by
//!    name, and SignedHeaders is those names joined with `;`.
//! 3. `StringToSign = "ACS3-HMAC-SHA256\n" + hex(SHA256(CanonicalRequest))`.
//! 4. `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,
//!    SignedHeaders=<SignedHeaders>,Signature=<hex(HMAC-SHA256(secret,
//!    StringToSign))>` (no spaces after the commas).
//!
//! # Action and version
//!
//! The API name and version travel in the `x-acs-action` and `x-acs-version`
//! headers. [`AliyunV3Signer`] takes them from the `Action` and `Version`
//! query parameters when present: it moves them into those headers and
//! removes them from the query (so a client built for RPC-style URIs can use
//! V3 unchanged). Otherwise the request must already carry both headers, or
//! signing fails with [`SignError::MissingParameter`].
//!
//! The signer also rewrites the request's path and query to their canonical
//! encoding, so the server sees exactly what was signed. A `+` in the query
//! is a literal plus sign: encode spaces as `%20`. Query parameters with an
//! empty value are signed as `name=`.
//!
//! Test vectors: the documentation's example request (POST
//! `ecs.cn-shanghai.aliyuncs.com`, `RunInstances`, `2014-05-26`, query
//! `ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai`,
//! empty body, AccessKey `YourAccessKeyId`/`YourAccessKeySecret`) and two
//! signatures Alibaba Cloud publishes for it:
//! - `06563a9e…`, in the `Authorization` example of the V3 page above; it
//!   is reproduced with the date `2023-10-26T10:22:32Z` and nonce
//!   `3156853299f313e23d1673dc12e1703d` of the page's worked signing example
//!   (hashed canonical request `7ea06492…`);
//! - `e521358f…`, in the header table of the ROA-style copy of the page
//!   (`https://help.aliyun.com/zh/model-studio/user-guide/roa-style-request-body-signature-mechanism`),
//!   with that table's date `2023-10-26T09:01:01Z` and nonce
//!   `d410180a5abf7fe235dd9b74aca91fc0`.

use http::header::{CONTENT_TYPE, HOST};

use super::canonical::{self, Prepared};
use super::{AliyunCredentials, SignError, Signer, SigningContext};

/// The algorithm name, first line of the string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

const X_ACS_ACTION: &str = "x-acs-action";
const X_ACS_VERSION: &str = "x-acs-version";
const X_ACS_DATE: &str = "x-acs-date";
const X_ACS_NONCE: &str = "x-acs-signature-nonce";
const X_ACS_CONTENT_SHA256: &str = "x-acs-content-sha256";
const X_ACS_SECURITY_TOKEN: &str = "x-acs-security-token";

/// The canonical request of step 2. `headers` are the signed `(name, value)`
/// pairs (names are lower-cased, values trimmed and the pairs sorted here);
/// `canonical_uri` and `canonical_query` must already be encoded.
pub fn canonical_request<N: AsRef<str>, V: AsRef<str>>(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: &[(N, V)],
    hashed_payload: &str,
) -> String {
    canonical::canonical_request(method, canonical_uri, canonical_query, headers, hashed_payload)
}

/// The `SignedHeaders` list for these headers: lower-case names, sorted,
/// joined with `;`.
pub fn signed_headers<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> String {
    canonical::canonical_headers(headers).1
}

/// `"ACS3-HMAC-SHA256\n" + hex(SHA256(canonical_request))`.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", canonical::sha256_hex(canonical_request.as_bytes()))
}

/// `hex(HMAC-SHA256(access_key_secret, string_to_sign))`.
pub fn signature(access_key_secret: &str, string_to_sign: &str) -> Result<String, SignError> {
    canonical::hmac_sha256_hex(access_key_secret.as_bytes(), string_to_sign.as_bytes())
}

/// Signs Alibaba Cloud requests (RPC and ROA style) with `ACS3-HMAC-SHA256`.
#[derive(Debug, Clone)]
pub struct AliyunV3Signer {
    credentials: AliyunCredentials,
}

/// Removes every `name` parameter from `query`, returning the first value.
fn take_param(query: &mut Vec<(String, String)>, name: &str) -> Option<String> {
    let first = query.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    query.retain(|(n, _)| n != name);
    first
}

impl AliyunV3Signer {
    /// A signer using these credentials.
    pub fn new(credentials: AliyunCredentials) -> Self {
        AliyunV3Signer { credentials }
    }

    /// The credentials in use.
    pub fn credentials(&self) -> &AliyunCredentials {
        &self.credentials
    }

    fn prepare(&self, request: &http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<Prepared, SignError> {
        canonical::check_headers(request.headers())?;
        let target = canonical::target(request.uri())?;
        // RPC-style requests carry the API name and version in the query;
        // V3 moves them into headers.
        let mut query = canonical::parse_query(&target.query)?;
        let mut extra_headers = Vec::new();
        for (param, header) in [("Action", X_ACS_ACTION), ("Version", X_ACS_VERSION)] {
            match take_param(&mut query, param) {
                Some(value) => extra_headers.push((header, value)),
                None if !request.headers().contains_key(header) => return Err(SignError::MissingParameter(header)),
                None => {}
            }
        }
        extra_headers.push((X_ACS_NONCE, ctx.nonce().to_owned()));
        extra_headers.push((X_ACS_CONTENT_SHA256, canonical::sha256_hex(request.body())));
        let signing = canonical::HeaderSigning {
            access_key_id: &self.credentials.access_key_id,
            secret: self.credentials.access_key_secret.expose(),
            security_token: self.credentials.security_token.as_ref().map(|t| t.expose()),
            query,
            extra_headers,
        };
        canonical::sign_headers(&SCHEME, request, &target, ctx.time(), signing)
    }
}

/// ACS3-HMAC-SHA256 as data: `x-acs-date` in ISO 8601, `host`,
/// `content-type` and every `x-acs-*` header signed, the path as sent.
const SCHEME: canonical::HeaderScheme = canonical::HeaderScheme {
    date_header: X_ACS_DATE,
    date: canonical::iso8601,
    token_header: X_ACS_SECURITY_TOKEN,
    signs: |name| name == HOST || name == CONTENT_TYPE || name.as_str().starts_with("x-acs-"),
    signed_path: canonical::canonical_path,
    string_to_sign: |_date, canonical_request| string_to_sign(canonical_request),
    authorization: |access, signed_headers, signature| {
        format!("{ALGORITHM} Credential={access},SignedHeaders={signed_headers},Signature={signature}")
    },
};

impl Signer for AliyunV3Signer {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<(), SignError> {
        self.prepare(request, ctx)?.apply(request);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const DOC_QUERY: &str = "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai";
    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn at(secs: u64, nonce: &str) -> SigningContext {
        SigningContext::new(UNIX_EPOCH + Duration::from_secs(secs), nonce)
    }

    fn doc_signer() -> AliyunV3Signer {
        AliyunV3Signer::new(AliyunCredentials::new("YourAccessKeyId", "YourAccessKeySecret"))
    }

    /// Documentation example: 2023-10-26T10:22:32Z = 1698315752.
    #[test]
    fn published_example_through_pure_functions() {
        let headers = [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", EMPTY_SHA256),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
        ];
        let cr = canonical_request("POST", "/", DOC_QUERY, &headers, EMPTY_SHA256);
        assert_eq!(
            cr,
            format!(
                "POST\n/\n{DOC_QUERY}\nhost:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
                 x-acs-content-sha256:{EMPTY_SHA256}\nx-acs-date:2023-10-26T10:22:32Z\n\
                 x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n\
                 host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
                 {EMPTY_SHA256}"
            )
        );
        let sts = string_to_sign(&cr);
        assert_eq!(
            sts,
            "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signature("YourAccessKeySecret", &sts).unwrap(),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn published_example_through_signer_with_headers() {
        let mut req = http::Request::post(format!("https://ecs.cn-shanghai.aliyuncs.com/?{DOC_QUERY}"))
            .header("x-acs-action", "RunInstances")
            .header("x-acs-version", "2014-05-26")
            .body(Vec::new())
            .unwrap();
        doc_signer()
            .sign(&mut req, &at(1_698_315_752, "3156853299f313e23d1673dc12e1703d"))
            .unwrap();
        assert_eq!(
            req.headers()["authorization"],
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;\
             x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert!(req.headers()["authorization"].is_sensitive());
        assert_eq!(req.headers()["host"], "ecs.cn-shanghai.aliyuncs.com");
        assert_eq!(req.headers()["x-acs-date"], "2023-10-26T10:22:32Z");
        assert_eq!(req.headers()["x-acs-content-sha256"], EMPTY_SHA256);
    }

    /// The second published signature: 2023-10-26T09:01:01Z = 1698310861,
    /// with Action/Version given as query parameters.
    #[test]
    fn published_example_through_signer_with_query_action() {
        let mut req = http::Request::post(format!(
            "https://ecs.cn-shanghai.aliyuncs.com/?Action=RunInstances&{DOC_QUERY}&Version=2014-05-26"
        ))
        .body(Vec::new())
        .unwrap();
        let signer = doc_signer();
        let ctx = at(1_698_310_861, "d410180a5abf7fe235dd9b74aca91fc0");
        signer.sign(&mut req, &ctx).unwrap();
        let auth = req.headers()["authorization"].to_str().unwrap().to_owned();
        assert!(auth.ends_with("Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804"));
        assert_eq!(req.uri().query(), Some(DOC_QUERY));
        assert_eq!(req.headers()["x-acs-action"], "RunInstances");
        // Signing again (a retry) gives the same result.
        signer.sign(&mut req, &ctx).unwrap();
        assert_eq!(req.headers()["authorization"], auth.as_str());
    }

    /// Second case, computed independently with Python's hashlib/hmac and
    /// urllib.parse.quote(safe='~') (see the crate's tests/signing.rs for the
    /// derivation notes): POST with JSON body, STS token, encoded path and
    /// query, content-type signed, 2024-03-01T08:09:10Z = 1709280550.
    #[test]
    fn independent_case_post_with_token() {
        let creds = AliyunCredentials::new("LTAI5tExampleAK", "ExampleSecret/+=").with_security_token("CAIS.sts.token");
        let body = br#"{"disk_id":"d-123","retention_days":7}"#.to_vec();
        let req = http::Request::post(
            "https://cs.cn-hangzhou.aliyuncs.com/clusters/c%201*/snapshots\
             ?name=daily%20run&Tag.1.Key=env~x&Action=CreateSnapshot&Version=2015-12-15",
        )
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body)
        .unwrap();
        let p = AliyunV3Signer::new(creds)
            .prepare(&req, &at(1_709_280_550, "8d5c1f0e-2b7a-4c3d-9e6f-0a1b2c3d4e5f"))
            .unwrap();
        let body_hash = "6f31c58412df4a5422afc3237d33c3d0cf895fd5ef01d5858d46b00ef4dfff41";
        assert_eq!(
            p.canonical_request,
            format!(
                "POST\n/clusters/c%201%2A/snapshots\nTag.1.Key=env~x&name=daily%20run\n\
                 content-type:application/json\nhost:cs.cn-hangzhou.aliyuncs.com\n\
                 x-acs-action:CreateSnapshot\nx-acs-content-sha256:{body_hash}\n\
                 x-acs-date:2024-03-01T08:09:10Z\nx-acs-security-token:CAIS.sts.token\n\
                 x-acs-signature-nonce:8d5c1f0e-2b7a-4c3d-9e6f-0a1b2c3d4e5f\n\
                 x-acs-version:2015-12-15\n\n\
                 content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;\
                 x-acs-security-token;x-acs-signature-nonce;x-acs-version\n{body_hash}"
            )
        );
        assert_eq!(
            p.string_to_sign,
            "ACS3-HMAC-SHA256\n6a323c809d58f99be817d925016616cb9c11486ff94ecf63424fba2a9a2a3be6"
        );
        assert_eq!(
            p.headers["authorization"],
            "ACS3-HMAC-SHA256 Credential=LTAI5tExampleAK,SignedHeaders=content-type;host;\
             x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;\
             x-acs-signature-nonce;x-acs-version,\
             Signature=dc1c5a7025cd9dfe57a4433f35e77480c6a8e00c94b448a0abf60fe63d410fcd"
        );
        assert_eq!(
            p.uri.to_string(),
            "https://cs.cn-hangzhou.aliyuncs.com/clusters/c%201%2A/snapshots\
             ?Tag.1.Key=env~x&name=daily%20run"
        );
        assert!(p.headers["x-acs-security-token"].is_sensitive());
        assert_eq!(p.headers["accept"], "application/json");
    }

    #[test]
    fn missing_action_is_an_error() {
        let mut req = http::Request::get("https://ecs.aliyuncs.com/?Version=1")
            .body(Vec::new())
            .unwrap();
        let err = doc_signer().sign(&mut req, &at(1_698_315_752, "n")).unwrap_err();
        assert_eq!(err, SignError::MissingParameter("x-acs-action"));
        assert!(req.headers().is_empty(), "request left unchanged on error");
    }

    #[test]
    fn cr_lf_in_nonce_or_action_rejected() {
        let mut req = http::Request::get("https://ecs.aliyuncs.com/?Action=A&Version=1")
            .body(Vec::new())
            .unwrap();
        assert_eq!(
            doc_signer().sign(&mut req, &at(1, "n\r\nx-evil: 1")).unwrap_err(),
            SignError::InvalidHeaderValue {
                name: "x-acs-signature-nonce".into()
            }
        );
        let mut req = http::Request::get("https://ecs.aliyuncs.com/?Action=A%0D%0AB&Version=1")
            .body(Vec::new())
            .unwrap();
        assert_eq!(
            doc_signer().sign(&mut req, &at(1, "n")).unwrap_err(),
            SignError::InvalidHeaderValue {
                name: "x-acs-action".into()
            }
        );
    }

    #[test]
    fn cr_lf_in_access_key_id_rejected() {
        let signer = AliyunV3Signer::new(AliyunCredentials::new("id\nX: y", "s"));
        let mut req = http::Request::get("https://ecs.aliyuncs.com/?Action=A&Version=1")
            .body(Vec::new())
            .unwrap();
        assert_eq!(
            signer.sign(&mut req, &at(1, "n")).unwrap_err(),
            SignError::InvalidHeaderValue {
                name: "authorization".into()
            }
        );
    }
}
