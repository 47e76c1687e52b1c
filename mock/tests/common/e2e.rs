//! Helpers of the end-to-end tests (`tests/e2e*.rs`): the generated service
//! clients pointed at a mock server, built with the constructor of each
//! authentication scheme, and readers for the requests the mock recorded.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use cloudsnap::auth::{ApiKey, BasicCredentials, HuaweiIamToken};
use cloudsnap::client::{ClientConfig, RetryPolicy};
use cloudsnap::runtime::AuthScheme;
use cloudsnap::{aliyun, huawei, zilliz};
use cloudsnap_mock::{scheme_name, MockServer, RecordedRequest, TestCredentials};
use sha2::Digest as _;

/// The validated model of a shipped spec (its examples and error tables).
pub fn model(name: &str) -> cloudsnap_codegen::model::Model {
    let loaded = cloudsnap_codegen::load::load_file(&super::spec(name)).expect("spec loads");
    cloudsnap_codegen::model::build(&loaded).expect("spec validates")
}

/// Retries with waits of at most a few milliseconds, so retry tests stay fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

/// `config` sent to `server`, with [`fast_retry`].
pub fn at(server: &MockServer, config: ClientConfig) -> ClientConfig {
    config.endpoint(server.url()).retry(fast_retry())
}

fn unsupported(service: &str, scheme: AuthScheme) -> ! {
    panic!("{service} has no constructor for {scheme:?}")
}

/// An ECS client using the constructor of `scheme`.
pub fn ecs_with(config: ClientConfig, scheme: AuthScheme, creds: &TestCredentials) -> aliyun::ecs::Client {
    use aliyun::ecs::Client;
    match scheme {
        AuthScheme::AliyunRpcV1 => Client::with_aliyun_rpc(config, creds.aliyun()),
        AuthScheme::AliyunV3 => Client::with_aliyun_v3(config, creds.aliyun()),
        other => unsupported("ECS", other),
    }
    .expect("the ECS client builds")
}

/// An Elasticsearch client using the constructor of `scheme`.
pub fn es_with(config: ClientConfig, scheme: AuthScheme, creds: &TestCredentials) -> aliyun::elasticsearch::Client {
    use aliyun::elasticsearch::Client;
    match scheme {
        AuthScheme::Basic => Client::with_basic_auth(
            config,
            BasicCredentials::new(creds.basic_user.clone(), creds.basic_password.clone()),
        ),
        other => unsupported("Elasticsearch", other),
    }
    .expect("the Elasticsearch client builds")
}

/// A CBR client using the constructor of `scheme`.
pub fn cbr_with(config: ClientConfig, scheme: AuthScheme, creds: &TestCredentials) -> huawei::cbr::Client {
    use huawei::cbr::Client;
    match scheme {
        AuthScheme::HuaweiAksk => Client::with_huawei_aksk(config, creds.huawei_aksk()),
        AuthScheme::HuaweiToken => Client::with_huawei_token(config, HuaweiIamToken::new(creds.iam_token.clone())),
        other => unsupported("CBR", other),
    }
    .expect("the CBR client builds")
}

/// A CSS client using the constructor of `scheme`.
pub fn css_with(config: ClientConfig, scheme: AuthScheme, creds: &TestCredentials) -> huawei::css::Client {
    use huawei::css::Client;
    match scheme {
        AuthScheme::HuaweiAksk => Client::with_huawei_aksk(config, creds.huawei_aksk()),
        AuthScheme::HuaweiToken => Client::with_huawei_token(config, HuaweiIamToken::new(creds.iam_token.clone())),
        other => unsupported("CSS", other),
    }
    .expect("the CSS client builds")
}

/// A Zilliz Cloud client using the constructor of `scheme`.
pub fn zilliz_with(config: ClientConfig, scheme: AuthScheme, creds: &TestCredentials) -> zilliz::cloud::Client {
    use zilliz::cloud::Client;
    match scheme {
        AuthScheme::Bearer => Client::with_api_key(config, ApiKey::new(creds.api_key.clone())),
        other => unsupported("Zilliz Cloud", other),
    }
    .expect("the Zilliz Cloud client builds")
}

/// An ECS client on `server` with the test credentials.
pub fn ecs(server: &MockServer, scheme: AuthScheme) -> aliyun::ecs::Client {
    ecs_with(at(server, aliyun::ecs::Client::config()), scheme, server.credentials())
}

/// An Elasticsearch client on `server` with the test credentials.
pub fn es(server: &MockServer) -> aliyun::elasticsearch::Client {
    let config = at(server, aliyun::elasticsearch::Client::config());
    es_with(config, AuthScheme::Basic, server.credentials())
}

/// A CBR client on `server` with the test credentials.
pub fn cbr(server: &MockServer, scheme: AuthScheme) -> huawei::cbr::Client {
    cbr_with(at(server, huawei::cbr::Client::config()), scheme, server.credentials())
}

/// A CSS client on `server` with the test credentials.
pub fn css(server: &MockServer, scheme: AuthScheme) -> huawei::css::Client {
    css_with(at(server, huawei::css::Client::config()), scheme, server.credentials())
}

/// A Zilliz Cloud client on `server` with the test credentials.
pub fn zilliz(server: &MockServer) -> zilliz::cloud::Client {
    let config = at(server, zilliz::cloud::Client::config());
    zilliz_with(config, AuthScheme::Bearer, server.credentials())
}

/// The first value of a header (names are recorded in lower case).
pub fn header<'a>(r: &'a RecordedRequest, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The decoded value of a query parameter.
pub fn query<'a>(r: &'a RecordedRequest, name: &str) -> Option<&'a str> {
    r.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The query parameters the Alibaba RPC signature adds; [`assert_signed`]
/// checks them, [`business_query`] leaves them out.
pub const RPC_SIGNING_PARAMS: [&str; 6] = [
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Signature",
];

/// The decoded query without the signing parameters, by name (each name
/// must appear once).
pub fn business_query(r: &RecordedRequest) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, value) in &r.query {
        if RPC_SIGNING_PARAMS.contains(&name.as_str()) {
            continue;
        }
        let previous = out.insert(name.clone(), value.clone());
        assert!(previous.is_none(), "`{name}` appears twice in {}", r.uri);
    }
    out
}

/// What makes each signature of `scheme` unique: the nonce, or the signing
/// date where there is no nonce; `None` for schemes that sign nothing.
pub fn freshness(r: &RecordedRequest, scheme: AuthScheme) -> Option<String> {
    let value = match scheme {
        AuthScheme::AliyunRpcV1 => query(r, "SignatureNonce"),
        AuthScheme::AliyunV3 => header(r, "x-acs-signature-nonce"),
        AuthScheme::HuaweiAksk => header(r, "x-sdk-date"),
        AuthScheme::HuaweiToken | AuthScheme::Bearer | AuthScheme::Basic => None,
    };
    value.map(str::to_owned)
}

fn has_shape(value: &str, shape: &str) -> bool {
    // `9` stands for a digit; everything else must match exactly.
    value.len() == shape.len()
        && value
            .bytes()
            .zip(shape.bytes())
            .all(|(v, s)| if s == b'9' { v.is_ascii_digit() } else { v == s })
}

/// The request carries the credentials of `scheme` as that scheme puts them
/// on the wire (the mock has already verified the signature itself).
pub fn assert_signed(r: &RecordedRequest, scheme: AuthScheme) {
    let creds = TestCredentials::default();
    let origin = format!("{} {} with {scheme:?}", r.method, r.uri);
    assert_eq!(r.auth_scheme.as_deref(), Some(scheme_name(scheme)), "{origin}");
    let authorization = header(r, "authorization");
    let rpc_params = RPC_SIGNING_PARAMS.iter().filter(|p| query(r, p).is_some()).count();
    if scheme != AuthScheme::AliyunRpcV1 {
        assert_eq!(rpc_params, 0, "{origin}: RPC signing parameters in another scheme");
    }
    match scheme {
        AuthScheme::AliyunRpcV1 => {
            assert_eq!(authorization, None, "{origin}");
            assert_eq!(query(r, "AccessKeyId"), Some(creds.access_key_id.as_str()), "{origin}");
            assert_eq!(query(r, "SignatureMethod"), Some("HMAC-SHA1"), "{origin}");
            assert_eq!(query(r, "SignatureVersion"), Some("1.0"), "{origin}");
            let timestamp = query(r, "Timestamp").unwrap_or_default();
            assert!(
                has_shape(timestamp, "9999-99-99T99:99:99Z"),
                "{origin}: Timestamp {timestamp}"
            );
            for name in ["SignatureNonce", "Signature"] {
                assert!(query(r, name).is_some_and(|v| !v.is_empty()), "{origin}: no {name}");
            }
        }
        AuthScheme::AliyunV3 => {
            let value = authorization.unwrap_or_default();
            let prefix = format!("ACS3-HMAC-SHA256 Credential={},SignedHeaders=", creds.access_key_id);
            assert!(value.starts_with(&prefix), "{origin}: {value}");
            assert!(value.contains(",Signature="), "{origin}: {value}");
            let date = header(r, "x-acs-date").unwrap_or_default();
            assert!(has_shape(date, "9999-99-99T99:99:99Z"), "{origin}: x-acs-date {date}");
            assert!(
                header(r, "x-acs-signature-nonce").is_some_and(|v| !v.is_empty()),
                "{origin}"
            );
            let digest = hex::encode(sha2::Sha256::digest(&r.body));
            assert_eq!(header(r, "x-acs-content-sha256"), Some(digest.as_str()), "{origin}");
        }
        AuthScheme::HuaweiAksk => {
            let value = authorization.unwrap_or_default();
            let prefix = format!("SDK-HMAC-SHA256 Access={}, SignedHeaders=", creds.access_key_id);
            assert!(value.starts_with(&prefix), "{origin}: {value}");
            assert!(
                value.contains("x-sdk-date"),
                "{origin}: the date is not signed: {value}"
            );
            let date = header(r, "x-sdk-date").unwrap_or_default();
            assert!(has_shape(date, "99999999T999999Z"), "{origin}: x-sdk-date {date}");
        }
        AuthScheme::HuaweiToken => {
            assert_eq!(authorization, None, "{origin}");
            assert_eq!(header(r, "x-auth-token"), Some(creds.iam_token.as_str()), "{origin}");
        }
        AuthScheme::Bearer => {
            assert_eq!(
                authorization,
                Some(format!("Bearer {}", creds.api_key).as_str()),
                "{origin}"
            );
        }
        AuthScheme::Basic => {
            let pair = format!("{}:{}", creds.basic_user, creds.basic_password);
            let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair));
            assert_eq!(authorization, Some(expected.as_str()), "{origin}");
        }
    }
}

/// The `User-Agent` a client sends by default: `cloudsnap/<version> (<vendor>/<id>)`.
pub fn assert_default_user_agent(r: &RecordedRequest, service: &str) {
    let agent = header(r, "user-agent").unwrap_or_default();
    let (vendor, id) = service.split_once('.').expect("service names are vendor.id");
    assert!(
        agent.starts_with("cloudsnap/") && agent.ends_with(&format!(" ({vendor}/{id})")),
        "user agent {agent:?}"
    );
}

/// The path split at `/` and percent-decoded, one entry per segment.
pub fn decoded_segments(r: &RecordedRequest) -> Vec<String> {
    r.path
        .split('/')
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect()
}
