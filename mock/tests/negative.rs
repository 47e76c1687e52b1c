//! Requests the mock must refuse, each answered in the vendor's own error
//! envelope with a message that names the problem, and parsed by the
//! generated `parse_response` into `ResponseError::Service` with that code.

mod common;

use std::time::{Duration, SystemTime};

use cloudsnap::aliyun::ecs::{DescribeSnapshotsRequest, DescribeSnapshotsTag};
use cloudsnap::auth::{ApiKey, HuaweiIamToken};
use cloudsnap::auth::{BearerSigner, HuaweiTokenSigner, Signer, SigningContext};
use cloudsnap::huawei::cbr::ShowBackupRequest;
use cloudsnap::huawei::css::CreateSnapshotRequest;
use cloudsnap::runtime::{AuthScheme, Operation};
use cloudsnap::zilliz::cloud::ListBackupsRequest;
use cloudsnap_mock::{MockServer, TestCredentials};

use common::{driver, edit_query, send, send_signed, start, Sent};

const ECS: &str = "aliyun-ecs.yaml";
const ES: &str = "aliyun-elasticsearch.yaml";
const CBR: &str = "huawei-cbr.yaml";
const CSS: &str = "huawei-css.yaml";
const ZILLIZ: &str = "zilliz-cloud.yaml";

fn now() -> SigningContext {
    SigningContext::now()
}

fn signer(scheme: AuthScheme) -> Box<dyn Signer> {
    TestCredentials::default().signer(scheme)
}

fn ecs_request() -> http::Request<Vec<u8>> {
    DescribeSnapshotsRequest::new()
        .with_region_id("cn-hangzhou")
        .with_page_size(10)
        .build_request()
        .expect("builds")
}

fn cbr_request() -> http::Request<Vec<u8>> {
    ShowBackupRequest::new(
        "4229d7a45436489f8c3dc2b1d35d4987",
        "6df2b54c-dd62-4059-a07c-1b8f24f2725d",
    )
    .build_request()
    .expect("builds")
}

fn zilliz_request() -> http::Request<Vec<u8>> {
    ListBackupsRequest::new().build_request().expect("builds")
}

/// Status, the parsed service error, and the message, checked together:
/// the generated parser must see the same code the envelope carries.
fn expect_error(server: &MockServer, operation: &str, got: &Sent, status: u16, code: &str) -> String {
    let driver = driver(&server.service_name(), operation).expect("known operation");
    let failure = driver
        .parse(&got.response())
        .expect_err(&format!("{operation} must fail: {}", got.text()));
    assert_eq!((got.status, failure.status), (status, status), "{}", got.text());
    assert_eq!(failure.raw_code, code, "{}", got.text());
    let message = failure.message.unwrap_or_default();
    assert!(!message.is_empty(), "the envelope has a message: {}", got.text());
    message
}

#[tokio::test]
async fn wrong_secret_or_token_is_rejected_in_each_vendor_envelope() {
    let wrong = TestCredentials {
        access_key_secret: "not-the-secret".into(),
        iam_token: "not-the-token".into(),
        api_key: "not-the-key".into(),
        basic_password: "not-the-password".into(),
        ..TestCredentials::default()
    };
    let cases: [(&str, &str, AuthScheme, u16, &str); 7] = [
        (
            ECS,
            "DescribeSnapshots",
            AuthScheme::AliyunRpcV1,
            403,
            "SignatureDoesNotMatch",
        ),
        (
            ECS,
            "DescribeSnapshots",
            AuthScheme::AliyunV3,
            403,
            "SignatureDoesNotMatch",
        ),
        (CBR, "ShowBackup", AuthScheme::HuaweiAksk, 401, "APIGW.0301"),
        (CBR, "ShowBackup", AuthScheme::HuaweiToken, 401, "APIGW.0301"),
        (ZILLIZ, "ListBackups", AuthScheme::Bearer, 401, "80001"),
        (ES, "GetSnapshots", AuthScheme::Basic, 401, "security_exception"),
        (CSS, "CreateSnapshot", AuthScheme::HuaweiAksk, 401, "APIGW.0301"),
    ];
    for (spec, operation, scheme, status, code) in cases {
        let server = start(spec).await;
        let request = match operation {
            "DescribeSnapshots" => ecs_request(),
            "ShowBackup" => cbr_request(),
            "ListBackups" => zilliz_request(),
            "GetSnapshots" => cloudsnap::aliyun::elasticsearch::GetSnapshotsRequest::new("aliyun_auto_snapshot")
                .build_request()
                .expect("builds"),
            _ => CreateSnapshotRequest::new("p1", "c1", "snapshot_001")
                .build_request()
                .expect("builds"),
        };
        // Right credentials first: the same request is accepted.
        let ok = send_signed(&server, request.clone(), &*signer(scheme), &now()).await;
        assert!((200..300).contains(&ok.status), "{spec} {scheme:?}: {}", ok.text());
        let got = send_signed(&server, request, &*wrong.signer(scheme), &now()).await;
        expect_error(&server, operation, &got, status, code);
        let log = server.requests();
        assert!(log[0].accepted() && !log[1].accepted());
        server.shutdown().await;
    }
}

#[tokio::test]
async fn signature_mismatch_explains_what_the_server_signed() {
    let server = start(ECS).await;
    let mut request = common::absolute(&server, ecs_request());
    signer(AuthScheme::AliyunRpcV1)
        .sign(&mut request, &now())
        .expect("signs");
    // Tamper after signing: the signature covers the query.
    let tampered = edit_query(request, |q| {
        for (k, v) in q.iter_mut() {
            if k == "PageSize" {
                *v = "20".into();
            }
        }
    });
    let got = send(tampered).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 403, "SignatureDoesNotMatch");
    assert!(
        message.contains("server string to sign is: GET&%2F&AccessKeyId%3Dcloudsnap-test-ak"),
        "{message}"
    );
    assert!(message.contains("PageSize%3D20"), "{message}");

    let server = start(CBR).await;
    let mut request = common::absolute(&server, cbr_request());
    signer(AuthScheme::HuaweiAksk)
        .sign(&mut request, &now())
        .expect("signs");
    request
        .headers_mut()
        .insert("host", "example.com".parse().expect("header"));
    let got = send(request).await;
    let message = expect_error(&server, "ShowBackup", &got, 401, "APIGW.0301");
    assert!(message.contains("verify aksk signature fail"), "{message}");
    assert!(
        message.contains("host:example.com"),
        "the server signs the Host it received: {message}"
    );
}

#[tokio::test]
async fn unknown_access_key_is_named() {
    let server = start(ECS).await;
    let other = TestCredentials {
        access_key_id: "LTAI-someone-else".into(),
        ..TestCredentials::default()
    };
    let got = send_signed(&server, ecs_request(), &*other.signer(AuthScheme::AliyunRpcV1), &now()).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 404, "InvalidAccessKeyId.NotFound");
    assert!(message.contains("LTAI-someone-else"), "{message}");
}

#[tokio::test]
async fn missing_required_parameters() {
    let server = start(ECS).await;
    let request = edit_query(ecs_request(), |q| q.retain(|(k, _)| k != "RegionId"));
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunV3), &now()).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 400, "MissingParameter");
    assert_eq!(message, "query parameter `RegionId` is required");

    let server = start(CSS).await;
    let mut request = CreateSnapshotRequest::new("p1", "c1", "snapshot_001")
        .build_request()
        .expect("builds");
    *request.body_mut() = br#"{"description":"nightly"}"#.to_vec();
    let got = send_signed(&server, request, &*signer(AuthScheme::HuaweiAksk), &now()).await;
    let message = expect_error(&server, "CreateSnapshot", &got, 400, "MissingParameter");
    assert_eq!(message, "body member `name` is required");
}

#[tokio::test]
async fn constraint_violations_are_each_reported() {
    let server = start(ECS).await;
    let request = edit_query(ecs_request(), |q| {
        q.retain(|(k, _)| k != "PageSize");
        q.push(("PageSize".into(), "500".into()));
        q.push(("SnapshotIds".into(), format!("[{}]", vec!["\"s-1\""; 101].join(","))));
    });
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunRpcV1), &now()).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 400, "InvalidParameter");
    assert!(message.starts_with("2 problems:"), "{message}");
    assert!(
        message.contains("query parameter `PageSize` is 500; the document allows 1 to 100"),
        "{message}"
    );
    assert!(
        message.contains("query parameter `SnapshotIds` has 101 items; the document allows at most 100"),
        "{message}"
    );

    let server = start(CSS).await;
    let mut request = CreateSnapshotRequest::new("p1", "c1", "snapshot_001")
        .build_request()
        .expect("builds");
    *request.body_mut() = br#"{"name":"Bad Name","description":"<b>","indices":7}"#.to_vec();
    let got = send_signed(&server, request, &*signer(AuthScheme::HuaweiToken), &now()).await;
    let message = expect_error(&server, "CreateSnapshot", &got, 400, "InvalidParameter");
    assert!(
        message.contains("body member `name`: `Bad Name` does not match the documented pattern"),
        "{message}"
    );
    assert!(
        message.contains("body member `description`: `<b>` does not match"),
        "{message}"
    );
    assert!(
        message.contains("body member `indices`: expected a string, found an integer"),
        "{message}"
    );
}

#[tokio::test]
async fn types_enums_and_encodings_are_checked() {
    let server = start(ECS).await;
    let request = DescribeSnapshotsRequest::new()
        .with_region_id("cn-hangzhou")
        .with_tag(vec![DescribeSnapshotsTag::new().with_key("env").with_value("prod")])
        .build_request()
        .expect("builds");
    let request = edit_query(request, |q| {
        q.extend(
            [
                ("Status", "bogus"),
                ("Encrypted", "yes"),
                ("PageNumber", "one"),
                ("SnapshotIds", "s-1,s-2"),
                ("Tag.0.Key", "a"),
                ("Tag.1.Colour", "red"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        )
    });
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunRpcV1), &now()).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 400, "InvalidParameter");
    for part in [
        "6 problems",
        "query parameter `Status`: `bogus` is not a value of SnapshotStatusFilter (known: `progressing`",
        "query parameter `Encrypted`: `yes` is not a boolean",
        "query parameter `PageNumber`: `one` is not an integer",
        "query parameter `SnapshotIds`: `s-1,s-2` is not JSON text",
        "`Tag.0.Key`: `0` is not a list item number",
        "`Tag.1.Colour`: `Colour` is not a member of DescribeSnapshotsTag",
    ] {
        assert!(message.contains(part), "missing {part:?} in {message}");
    }
}

#[tokio::test]
async fn unknown_query_parameters_are_refused() {
    let server = start(ECS).await;
    let request = edit_query(ecs_request(), |q| q.push(("Pagesize".into(), "10".into())));
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunRpcV1), &now()).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 400, "InvalidParameter");
    assert!(
        message.contains("unknown query parameter `Pagesize` (did you mean `PageSize`?)"),
        "{message}"
    );

    // Zilliz reports request errors with HTTP 200 and a non-zero code.
    let server = start(ZILLIZ).await;
    let request = edit_query(zilliz_request(), |q| q.push(("foo".into(), "1".into())));
    let got = send_signed(&server, request, &*signer(AuthScheme::Bearer), &now()).await;
    let message = expect_error(&server, "ListBackups", &got, 200, "1100");
    assert_eq!(message, "unknown query parameter `foo`: ListBackups does not take it");
}

#[tokio::test]
async fn wrong_method_and_unknown_path() {
    let with_method = |request: http::Request<Vec<u8>>, method: http::Method| {
        let (mut parts, body) = request.into_parts();
        parts.method = method;
        http::Request::from_parts(parts, body)
    };
    let server = start(ZILLIZ).await;
    let request = with_method(zilliz_request(), http::Method::DELETE);
    let got = send_signed(&server, request, &*signer(AuthScheme::Bearer), &now()).await;
    let message = expect_error(&server, "ListBackups", &got, 405, "405");
    assert_eq!(
        message,
        "DELETE is not allowed on `/v2/backups`; it takes GET (ListBackups)"
    );
    let request = http::Request::get("/v2/nothing").body(Vec::new()).expect("request");
    let got = send_signed(&server, request, &*signer(AuthScheme::Bearer), &now()).await;
    let message = expect_error(&server, "ListBackups", &got, 404, "404");
    assert!(
        message.starts_with("no operation serves GET `/v2/nothing`"),
        "{message}"
    );
    assert_eq!(server.requests()[1].operation, None);

    let server = start(CBR).await;
    let request = with_method(cbr_request(), http::Method::POST);
    let got = send_signed(&server, request, &*signer(AuthScheme::HuaweiAksk), &now()).await;
    expect_error(&server, "ShowBackup", &got, 404, "APIGW.0101");

    let server = start(ECS).await;
    let request = with_method(ecs_request(), http::Method::PUT);
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunV3), &now()).await;
    expect_error(&server, "DescribeSnapshots", &got, 405, "UnsupportedHTTPMethod");
    let request = edit_query(ecs_request(), |q| q[0].1 = "DescribeSnapshot".into());
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunRpcV1), &now()).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 404, "InvalidAction.NotFound");
    assert!(message.contains("(did you mean `DescribeSnapshots`?)"), "{message}");

    let server = start(ES).await;
    let request = http::Request::get("/_snapshot/aliyun_auto_snapshot")
        .body(Vec::new())
        .expect("request");
    let got = send_signed(&server, request, &*signer(AuthScheme::Basic), &now()).await;
    expect_error(&server, "GetSnapshots", &got, 400, "illegal_argument_exception");
}

#[tokio::test]
async fn stale_timestamps_are_refused() {
    let hour = Duration::from_secs(3600);
    let past = SigningContext::new(SystemTime::now() - hour, "n-1");
    let future = SigningContext::new(SystemTime::now() + hour, "n-2");

    let server = start(ECS).await;
    let got = send_signed(&server, ecs_request(), &*signer(AuthScheme::AliyunRpcV1), &past).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 400, "InvalidTimeStamp.Expired");
    assert!(message.starts_with("Timestamp `"), "{message}");
    assert!(
        message.ends_with("from the server's clock; at most 900 s are allowed"),
        "{message}"
    );
    let got = send_signed(&server, ecs_request(), &*signer(AuthScheme::AliyunV3), &future).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 400, "InvalidTimeStamp.Expired");
    assert!(message.starts_with("x-acs-date `"), "{message}");

    let server = start(CBR).await;
    let got = send_signed(&server, cbr_request(), &*signer(AuthScheme::HuaweiAksk), &future).await;
    let message = expect_error(&server, "ShowBackup", &got, 401, "APIGW.0301");
    assert!(message.starts_with("X-Sdk-Date `"), "{message}");
}

#[tokio::test]
async fn unsupported_or_missing_authentication() {
    let bearer = BearerSigner::new(ApiKey::new(cloudsnap_mock::API_KEY));
    let server = start(ECS).await;
    let got = send_signed(&server, ecs_request(), &bearer, &now()).await;
    let message = expect_error(&server, "DescribeSnapshots", &got, 403, "IncompleteSignature");
    assert!(
        message.starts_with("bearer authentication is not accepted by this service; it accepts aliyun_rpc_v1"),
        "{message}"
    );

    let server = start(ES).await;
    let token = HuaweiTokenSigner::new(HuaweiIamToken::new(cloudsnap_mock::IAM_TOKEN));
    let request = cloudsnap::aliyun::elasticsearch::GetSnapshotsRequest::new("repo")
        .build_request()
        .expect("builds");
    let got = send_signed(&server, request, &token, &now()).await;
    expect_error(&server, "GetSnapshots", &got, 401, "security_exception");
    assert!(got.headers.contains_key("www-authenticate"));

    let server = start(ZILLIZ).await;
    let got = send(common::absolute(&server, zilliz_request())).await;
    let message = expect_error(&server, "ListBackups", &got, 401, "80001");
    assert!(
        message.starts_with("the request carries no authentication; this service accepts bearer"),
        "{message}"
    );
    assert_eq!(server.requests()[0].auth_scheme, None);
}

#[tokio::test]
async fn rpc_parameters_may_come_in_a_form_body() {
    let server = start(ECS).await;
    let built = ecs_request();
    let query = built.uri().query().expect("query").to_owned();
    let form = |uri: &str, body: &str| {
        http::Request::post(uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.as_bytes().to_vec())
            .expect("request")
    };
    // Signature v1: every parameter in the body, all of them signed.
    let request = form("/", &query);
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunRpcV1), &now()).await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(
        DescribeSnapshotsRequest::parse_response(&got.response())
            .map(|o| o.total_count)
            .ok(),
        Some(Some(1))
    );
    // V3: Action and Version go to headers, the body is covered by its hash.
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.starts_with("Action=") && !p.starts_with("Version="))
        .collect();
    let request = form("/?Action=DescribeSnapshots&Version=2014-05-26", &rest.join("&"));
    let got = send_signed(&server, request, &*signer(AuthScheme::AliyunV3), &now()).await;
    assert_eq!(got.status, 200, "{}", got.text());
    let log = server.requests();
    for (record, scheme) in log.iter().zip(["aliyun_rpc_v1", "aliyun_v3"]) {
        assert!(record.accepted(), "{:?}", record.problems);
        assert_eq!(record.operation.as_deref(), Some("DescribeSnapshots"));
        assert_eq!(record.auth_scheme.as_deref(), Some(scheme));
    }
}
