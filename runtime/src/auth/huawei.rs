//! Huawei Cloud AK/SK signature, `SDK-HMAC-SHA256`.
//!
//! Algorithm, as published by Huawei Cloud in its "API Request Signing
//! Guide" (`https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html`
//! and the following pages, "Constructing a Standard Request", "Creating a
//! To-Be-Signed String", "Calculating the Signature"):
//!
//! 1. `X-Sdk-Date` header, `YYYYMMDDTHHMMSSZ` (UTC).
//! 2. `CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n
//!    CanonicalHeaders \n SignedHeaders \n hex(SHA256(body))`. The URI path
//!    is RFC 3986-encoded segment by segment and, for signing only, always
//!    ends in `/` (the request itself need not). The query is RFC
//!    3986-encoded and sorted by name. CanonicalHeaders is
//!    `lowercase-name:trimmed-value\n` sorted by name; SignedHeaders the
//!    names joined with `;`.
//! 3. `StringToSign = "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" +
//!    hex(SHA256(CanonicalRequest))`.
//! 4. `Signature = hex(HMAC-SHA256(SK, StringToSign))`, sent as
//!    `Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<...>,
//!    Signature=<...>` (comma *and space* separated).
//!
//! [`HuaweiAkSkSigner`] signs every header present on the request when it
//! is signed (except `Authorization`), after adding `X-Sdk-Date`, `Host`
//! (derived from the URI when absent) and, for a temporary AK/SK,
//! `X-Security-Token`. Headers must not be changed after signing. The
//! signer rewrites the path and query to their canonical encoding (without
//! the signing-only trailing `/`). A `+` in the query is a literal plus
//! sign: encode spaces as `%20`. Query parameters with an empty value are
//! signed as `name=`.
//!
//! Test vector: the guide's VPC example (`GET
//! /v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0`,
//! `content-type:application/json`, `host:service.region.example.com`,
//! `x-sdk-date:20191115T033655Z`, empty body, SK
//! `MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc`), whose canonical URI is
//! `/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/` (trailing slash added),
//! hashed canonical request
//! `b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a` and
//! signature `7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe`.

use super::canonical::{self, Prepared};
use super::{HuaweiAkSkCredentials, SignError, Signer, SigningContext};

/// The algorithm name.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

const X_SDK_DATE: &str = "x-sdk-date";
const X_SECURITY_TOKEN: &str = "x-security-token";

/// The canonical URI for signing: each path segment RFC 3986-encoded, and a
/// `/` appended when the path does not end in one.
pub fn canonical_uri(path: &str) -> Result<String, SignError> {
    let mut uri = canonical::canonical_path(path)?;
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Ok(uri)
}

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

/// `"SDK-HMAC-SHA256\n" + sdk_date + "\n" + hex(SHA256(canonical_request))`.
pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        canonical::sha256_hex(canonical_request.as_bytes())
    )
}

/// `hex(HMAC-SHA256(secret_key, string_to_sign))`.
pub fn signature(secret_key: &str, string_to_sign: &str) -> Result<String, SignError> {
    canonical::hmac_sha256_hex(secret_key.as_bytes(), string_to_sign.as_bytes())
}

/// Signs Huawei Cloud requests with an AK/SK pair (`SDK-HMAC-SHA256`).
#[derive(Debug, Clone)]
pub struct HuaweiAkSkSigner {
    credentials: HuaweiAkSkCredentials,
}

impl HuaweiAkSkSigner {
    /// A signer using these credentials.
    pub fn new(credentials: HuaweiAkSkCredentials) -> Self {
        HuaweiAkSkSigner { credentials }
    }

    /// The credentials in use.
    pub fn credentials(&self) -> &HuaweiAkSkCredentials {
        &self.credentials
    }

    fn prepare(&self, request: &http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<Prepared, SignError> {
        canonical::check_headers(request.headers())?;
        let target = canonical::target(request.uri())?;
        let query = canonical::parse_query(&target.query)?;
        let signing = canonical::HeaderSigning {
            access_key_id: &self.credentials.access_key,
            secret: self.credentials.secret_key.expose(),
            security_token: self.credentials.security_token.as_ref().map(|t| t.expose()),
            query,
            extra_headers: Vec::new(),
        };
        canonical::sign_headers(&SCHEME, request, &target, ctx.time(), signing)
    }
}

/// AK/SK as data: `X-Sdk-Date` in basic ISO 8601, every header signed, the
/// signed path with a trailing slash.
const SCHEME: canonical::HeaderScheme = canonical::HeaderScheme {
    date_header: X_SDK_DATE,
    date: canonical::iso8601_basic,
    token_header: X_SECURITY_TOKEN,
    signs: |_| true,
    signed_path: canonical_uri,
    string_to_sign,
    authorization: |access, signed_headers, signature| {
        format!("{ALGORITHM} Access={access}, SignedHeaders={signed_headers}, Signature={signature}")
    },
};

impl Signer for HuaweiAkSkSigner {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<(), SignError> {
        self.prepare(request, ctx)?.apply(request);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const DOC_SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    const DOC_SIG: &str = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe";
    const DOC_HASHED_CR: &str = "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a";

    fn at(secs: u64) -> SigningContext {
        SigningContext::new(UNIX_EPOCH + Duration::from_secs(secs), "unused")
    }

    #[test]
    fn trailing_slash_rule() {
        assert_eq!(
            canonical_uri("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs").unwrap(),
            "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/"
        );
        assert_eq!(canonical_uri("/v1/x/vpcs/").unwrap(), "/v1/x/vpcs/");
        assert_eq!(canonical_uri("").unwrap(), "/");
        assert_eq!(canonical_uri("/").unwrap(), "/");
    }

    #[test]
    fn published_vector_through_pure_functions() {
        let cr = canonical_request(
            "GET",
            "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
            "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
            &[
                ("content-type", "application/json"),
                ("host", "service.region.example.com"),
                ("x-sdk-date", "20191115T033655Z"),
            ],
            EMPTY_SHA256,
        );
        let sts = string_to_sign("20191115T033655Z", &cr);
        assert_eq!(sts, format!("SDK-HMAC-SHA256\n20191115T033655Z\n{DOC_HASHED_CR}"));
        assert_eq!(signature(DOC_SK, &sts).unwrap(), DOC_SIG);
    }

    /// 2019-11-15T03:36:55Z = 1573789015. The request path has no trailing
    /// slash, as in the guide; the canonical URI gets one.
    #[test]
    fn published_vector_through_signer() {
        for path in ["vpcs", "vpcs/"] {
            let mut req = http::Request::get(format!(
                "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/{path}\
                 ?marker=13551d6b-755d-4757-b956-536f674975c0&limit=2"
            ))
            .header("Content-Type", "application/json")
            .body(Vec::new())
            .unwrap();
            let signer = HuaweiAkSkSigner::new(HuaweiAkSkCredentials::new("AKEXAMPLE", DOC_SK));
            let p = signer.prepare(&req, &at(1_573_789_015)).unwrap();
            assert_eq!(
                p.string_to_sign,
                format!("SDK-HMAC-SHA256\n20191115T033655Z\n{DOC_HASHED_CR}")
            );
            signer.sign(&mut req, &at(1_573_789_015)).unwrap();
            assert_eq!(
                req.headers()["authorization"],
                format!(
                    "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=content-type;host;x-sdk-date, \
                     Signature={DOC_SIG}"
                )
                .as_str()
            );
            assert_eq!(req.headers()["x-sdk-date"], "20191115T033655Z");
            assert_eq!(req.headers()["host"], "service.region.example.com");
            assert_eq!(req.uri().path(), format!("/v1/77b6a44cba5143ab91d13ab9a8ff44fd/{path}"));
            assert_eq!(
                req.uri().query(),
                Some("limit=2&marker=13551d6b-755d-4757-b956-536f674975c0")
            );
        }
    }

    /// Second case, computed independently with Python's hashlib/hmac and
    /// urllib.parse.quote(safe='~'): POST with a JSON body, temporary AK/SK
    /// (security token), an extra signed header, an encoded query;
    /// 2024-03-01T08:09:10Z = 1709280550.
    #[test]
    fn independent_case_post_with_json_body() {
        let creds = HuaweiAkSkCredentials::new("HPUAEXAMPLEAK0000000", "ExampleSecretKey0123456789abcdefghijklmn")
            .with_security_token("gQpjbi1ub3J0aC00.example");
        let body = br#"{"checkpoint":{"vault_id":"3b5816b5-f29c-4172-9d9a-76c719a659ce","parameters":{"description":"nightly"}}}"#;
        let req = http::Request::post(
            "https://cbr.cn-north-4.myhuaweicloud.com/v3/0a1b2c3d4e5f/checkpoints?name=a%20b*&dry_run=true",
        )
        .header("content-type", "application/json;charset=UTF-8")
        .header("X-Project-Id", "0a1b2c3d4e5f")
        .body(body.to_vec())
        .unwrap();
        let p = HuaweiAkSkSigner::new(creds).prepare(&req, &at(1_709_280_550)).unwrap();
        let body_hash = "755cc09145359a8126bffd07cc92462820017f18e40cbfd0ada1b399b1759a14";
        assert_eq!(
            p.canonical_request,
            format!(
                "POST\n/v3/0a1b2c3d4e5f/checkpoints/\ndry_run=true&name=a%20b%2A\n\
                 content-type:application/json;charset=UTF-8\nhost:cbr.cn-north-4.myhuaweicloud.com\n\
                 x-project-id:0a1b2c3d4e5f\nx-sdk-date:20240301T080910Z\n\
                 x-security-token:gQpjbi1ub3J0aC00.example\n\n\
                 content-type;host;x-project-id;x-sdk-date;x-security-token\n{body_hash}"
            )
        );
        assert_eq!(
            p.string_to_sign,
            "SDK-HMAC-SHA256\n20240301T080910Z\n\
             6bb240bfa0100974fc21a5e6c3ba3838125ec6f6d757d4d116ca9e82e72e5d68"
        );
        assert_eq!(
            p.headers["authorization"],
            "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000000, \
             SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, \
             Signature=7aa1c4824081c1058e067119b52e0ee6c58cd5920535d23e7db3bcbea11764bf"
        );
        assert_eq!(p.headers["x-security-token"], "gQpjbi1ub3J0aC00.example");
        assert!(p.headers["x-security-token"].is_sensitive());
        assert_eq!(
            p.uri.to_string(),
            "https://cbr.cn-north-4.myhuaweicloud.com/v3/0a1b2c3d4e5f/checkpoints\
             ?dry_run=true&name=a%20b%2A"
        );
    }

    #[test]
    fn resigning_replaces_previous_values() {
        let signer = HuaweiAkSkSigner::new(HuaweiAkSkCredentials::new("AK", "SK"));
        let mut req = http::Request::get("https://h.example.com/v1/x")
            .body(Vec::new())
            .unwrap();
        signer.sign(&mut req, &at(1_573_789_015)).unwrap();
        signer.sign(&mut req, &at(1_709_280_550)).unwrap();
        assert_eq!(req.headers().get_all("authorization").iter().count(), 1);
        assert_eq!(req.headers()["x-sdk-date"], "20240301T080910Z");
        let auth = req.headers()["authorization"].to_str().unwrap();
        assert!(auth.contains("SignedHeaders=host;x-sdk-date,"), "{auth}");
    }

    #[test]
    fn cr_lf_in_access_key_or_token_rejected() {
        let signer = HuaweiAkSkSigner::new(HuaweiAkSkCredentials::new("AK\r\nX-Evil: 1", "SK"));
        let mut req = http::Request::get("https://h.example.com/").body(Vec::new()).unwrap();
        assert_eq!(
            signer.sign(&mut req, &at(1)).unwrap_err(),
            SignError::InvalidHeaderValue {
                name: "authorization".into()
            }
        );
        assert!(req.headers().is_empty());
        let signer = HuaweiAkSkSigner::new(HuaweiAkSkCredentials::new("AK", "SK").with_security_token("SeCrEt\nVaLuE"));
        let err = signer.sign(&mut req, &at(1)).unwrap_err();
        assert_eq!(
            err,
            SignError::InvalidHeaderValue {
                name: "x-security-token".into()
            }
        );
        assert!(!err.to_string().contains("SeCrEt") && !format!("{err:?}").contains("SeCrEt"));
    }
}
