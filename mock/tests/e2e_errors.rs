//! End to end over TCP: typed errors from the generated clients. Wrong
//! credentials come back as each vendor's service error; every documented
//! error code parses into its known variant, undocumented ones into
//! `Unknown` with everything the server said; a proxy's HTML page is an
//! unexpected status; a success body that does not fit names its JSON path.

mod common;

use std::fmt;

use cloudsnap::client::{Error, RetryPolicy};
use cloudsnap::runtime::{AuthScheme, ErrorCode, ResponseError, ServiceError};
use cloudsnap::{aliyun, huawei, zilliz};
use cloudsnap_mock::{MockResponse, MockServer, TestCredentials};
use serde_json::json;

use aliyun::ecs::{DescribeSnapshotsErrorCode, DescribeSnapshotsRequest};
use common::e2e;
use common::start;

fn ecs_request() -> DescribeSnapshotsRequest {
    DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou")
}

fn show_backup() -> huawei::cbr::ShowBackupRequest {
    huawei::cbr::ShowBackupRequest::new(
        "4229d7a45436489f8c3dc2b1d35d4987",
        "6df2b54c-dd62-4059-a07c-1b8f24f2725d",
    )
}

fn create_snapshot() -> huawei::css::CreateSnapshotRequest {
    huawei::css::CreateSnapshotRequest::new(
        "6204a5bd270343b5885144cf9c8c158d",
        "ea244205-d641-45d9-9dcb-ab2236bcd07e",
        "snapshot_001",
    )
}

fn get_snapshots() -> aliyun::elasticsearch::GetSnapshotsRequest {
    aliyun::elasticsearch::GetSnapshotsRequest::new("aliyun_auto_snapshot")
}

/// The service error a call ended with, and the attempts it took.
fn service_error<O: fmt::Debug, C: ErrorCode>(origin: &str, result: Result<O, Error<C>>) -> (ServiceError<C>, u32) {
    match result {
        Err(Error::Response {
            attempts,
            source: ResponseError::Service(e),
        }) => (e, attempts),
        other => panic!("{origin}: expected a service error, got {other:?}"),
    }
}

/// The mock's request id for the `n`-th request it received (1-based).
fn mock_request_id(n: usize) -> String {
    format!("cloudsnap-mock-{n:06}")
}

/// Every request so far was refused by the mock with `status`, once each.
fn all_refused(server: &MockServer, statuses: &[u16]) {
    let log = server.requests();
    let got: Vec<(u16, bool)> = log.iter().map(|r| (r.status, r.accepted())).collect();
    let want: Vec<(u16, bool)> = statuses.iter().map(|s| (*s, false)).collect();
    assert_eq!(got, want);
}

fn wrong_secret() -> TestCredentials {
    TestCredentials {
        access_key_secret: "not-the-secret".into(),
        ..TestCredentials::default()
    }
}

fn unknown_key() -> TestCredentials {
    TestCredentials {
        access_key_id: "nobody".into(),
        ..TestCredentials::default()
    }
}

#[tokio::test]
async fn wrong_alibaba_credentials_are_service_errors_with_the_request_id() {
    let server = start("aliyun-ecs.yaml").await;
    let cases = [
        (AuthScheme::AliyunRpcV1, wrong_secret(), 403, "SignatureDoesNotMatch"),
        (AuthScheme::AliyunV3, wrong_secret(), 403, "SignatureDoesNotMatch"),
        (
            AuthScheme::AliyunRpcV1,
            unknown_key(),
            404,
            "InvalidAccessKeyId.NotFound",
        ),
        (AuthScheme::AliyunV3, unknown_key(), 404, "InvalidAccessKeyId.NotFound"),
    ];
    for (n, (scheme, creds, status, code)) in cases.iter().enumerate() {
        let origin = format!("{scheme:?} {code}");
        let client = e2e::ecs_with(e2e::at(&server, aliyun::ecs::Client::config()), *scheme, creds);
        let (e, attempts) = service_error(&origin, client.describe_snapshots(&ecs_request()).await);
        assert_eq!(
            (e.status, e.raw_code.as_str(), attempts),
            (*status, *code, 1),
            "{origin}"
        );
        // Alibaba's common errors are declared once in the spec
        // (`service.common_errors`) and known to every operation.
        assert!(e.code.is_known(), "{origin}: {:?}", e.code);
        assert_eq!(e.code, DescribeSnapshotsErrorCode::from(*code), "{origin}");
        assert_eq!(e.request_id, Some(mock_request_id(n + 1)), "{origin}");
        assert!(e.message.as_deref().is_some_and(|m| !m.is_empty()), "{origin}");
    }
    all_refused(&server, &[403, 403, 404, 404]);
}

#[tokio::test]
async fn wrong_huawei_credentials_are_apigw_0301() {
    let cbr = start("huawei-cbr.yaml").await;
    let wrong_token = TestCredentials {
        iam_token: "expired-token".into(),
        ..TestCredentials::default()
    };
    let cases = [
        (AuthScheme::HuaweiAksk, wrong_secret()),
        (AuthScheme::HuaweiAksk, unknown_key()),
        (AuthScheme::HuaweiToken, wrong_token),
    ];
    for (n, (scheme, creds)) in cases.iter().enumerate() {
        let client = e2e::cbr_with(e2e::at(&cbr, huawei::cbr::Client::config()), *scheme, creds);
        let origin = format!("CBR {scheme:?} #{n}");
        let (e, attempts) = service_error(&origin, client.show_backup(&show_backup()).await);
        assert_eq!(
            (e.status, e.raw_code.as_str(), attempts),
            (401, "APIGW.0301", 1),
            "{origin}"
        );
        assert!(e.code.is_known(), "{origin}: a common gateway error, {:?}", e.code);
        assert_eq!(e.request_id, Some(mock_request_id(n + 1)), "{origin}");
    }
    all_refused(&cbr, &[401, 401, 401]);

    // A POST too: refused once, not retried.
    let css = start("huawei-css.yaml").await;
    let client = e2e::css_with(
        e2e::at(&css, huawei::css::Client::config()),
        AuthScheme::HuaweiAksk,
        &wrong_secret(),
    );
    let (e, attempts) = service_error("CSS", client.create_snapshot(&create_snapshot()).await);
    assert_eq!((e.status, e.raw_code.as_str(), attempts), (401, "APIGW.0301", 1));
    assert!(e.code.is_known(), "a common gateway error: {:?}", e.code);
    all_refused(&css, &[401]);
}

#[tokio::test]
async fn a_wrong_zilliz_api_key_is_code_80001() {
    let server = start("zilliz-cloud.yaml").await;
    let creds = TestCredentials {
        api_key: "revoked-key".into(),
        ..TestCredentials::default()
    };
    let client = e2e::zilliz_with(
        e2e::at(&server, zilliz::cloud::Client::config()),
        AuthScheme::Bearer,
        &creds,
    );
    let request = zilliz::cloud::ListBackupsRequest::new();
    let (e, attempts) = service_error("Zilliz", client.list_backups(&request).await);
    assert_eq!((e.status, e.raw_code.as_str(), attempts), (401, "80001", 1));
    assert!(!e.code.is_known());
    // Zilliz's body has no request id; the header's is used.
    assert_eq!(e.request_id, Some(mock_request_id(1)));
    all_refused(&server, &[401]);
}

#[tokio::test]
async fn a_wrong_elasticsearch_password_is_a_security_exception() {
    let server = start("aliyun-elasticsearch.yaml").await;
    let creds = TestCredentials {
        basic_password: "wrong".into(),
        ..TestCredentials::default()
    };
    let config = e2e::at(&server, aliyun::elasticsearch::Client::config());
    let client = e2e::es_with(config, AuthScheme::Basic, &creds);
    let (e, attempts) = service_error("ES", client.get_snapshots(&get_snapshots()).await);
    assert_eq!(
        (e.status, e.raw_code.as_str(), attempts),
        (401, "security_exception", 1)
    );
    assert!(e.message.is_some());
    assert_eq!(e.request_id, Some(mock_request_id(1)));
    all_refused(&server, &[401]);
}

/// Every code of ECS's error table, enqueued with its documented status and
/// message, arrives as its known variant.
#[tokio::test]
async fn every_documented_ecs_error_code_parses_into_its_known_variant() {
    let server = start("aliyun-ecs.yaml").await;
    let model = e2e::model("aliyun-ecs.yaml");
    let op = &model.operations[0];
    assert!(op.errors.len() >= 10, "the ECS error table is expected to be long");
    // No retries: InternalError (500) would otherwise be sent again.
    let config = e2e::at(&server, aliyun::ecs::Client::config()).retry(RetryPolicy::none());
    let client = e2e::ecs_with(config, AuthScheme::AliyunRpcV1, server.credentials());
    for (i, documented) in op.errors.iter().enumerate() {
        let request_id = format!("req-{i}");
        let body = json!({
            "RequestId": request_id,
            "HostId": "ecs.aliyuncs.com",
            "Code": documented.code,
            "Message": documented.message,
        });
        server.enqueue(&op.id, MockResponse::json(documented.status, &body));
        let (e, attempts) = service_error(&documented.code, client.describe_snapshots(&ecs_request()).await);
        assert!(e.code.is_known(), "{}: parsed as {:?}", documented.code, e.code);
        assert_eq!(e.code.as_str(), documented.code);
        assert_eq!(e.code.documented_status(), Some(documented.status));
        assert_eq!(e.status, documented.status);
        assert_eq!(e.message, documented.message);
        assert_eq!(e.request_id, Some(request_id));
        assert_eq!(e.body, body.to_string());
        assert_eq!(attempts, 1);
    }
    // And one by name, as a caller would match it.
    server.enqueue(
        &op.id,
        MockResponse::json(403, &json!({"RequestId": "r", "Code": "InvalidSnapshotIds.Malformed"})),
    );
    let error = client
        .describe_snapshots(&ecs_request())
        .await
        .expect_err("scripted 403");
    assert!(matches!(
        error.service_error().map(|e| &e.code),
        Some(DescribeSnapshotsErrorCode::InvalidSnapshotIdsMalformed)
    ));
    let log = server.requests();
    assert_eq!(log.len(), op.errors.len() + 1);
    assert!(log.iter().all(|r| r.accepted() && r.scripted));
}

#[tokio::test]
async fn undocumented_codes_are_unknown_with_status_message_request_id_and_body() {
    // Alibaba: the DryRun code the ECS document mentions but does not list.
    let ecs = start("aliyun-ecs.yaml").await;
    // Codes are checked against what each spec lists today, so a spec that
    // later documents one of them keeps this test green.
    let dry_run = unlisted(DescribeSnapshotsErrorCode::VALUES, "DryRunOperation");
    let body = json!({"RequestId": "dry-1", "Code": dry_run, "Message": "Request validation has been passed with DryRun flag set."});
    ecs.enqueue("DescribeSnapshots", MockResponse::json(400, &body));
    let request = ecs_request().with_dry_run(true);
    let result = e2e::ecs(&ecs, AuthScheme::AliyunV3).describe_snapshots(&request).await;
    let (e, _) = service_error("ECS", result);
    assert_eq!(e.code, DescribeSnapshotsErrorCode::Unknown(dry_run.clone()));
    assert_eq!(
        (e.status, e.raw_code.as_str(), e.request_id.as_deref()),
        (400, dry_run.as_str(), Some("dry-1"))
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Request validation has been passed with DryRun flag set.")
    );
    assert_eq!(e.body, body.to_string());
    assert_eq!(e2e::query(&ecs.requests()[0], "DryRun"), Some("true"));

    // Huawei: the flat `error_code` envelope (CBR) and the nested `error` one (CSS).
    let cbr = start("huawei-cbr.yaml").await;
    let missing = unlisted(huawei::cbr::ShowBackupErrorCode::VALUES, "BackupService.6101");
    let body = json!({"error_code": missing, "error_msg": "The backup does not exist.", "request_id": "hw-1"});
    cbr.enqueue("ShowBackup", MockResponse::json(404, &body));
    let result = e2e::cbr(&cbr, AuthScheme::HuaweiToken)
        .show_backup(&show_backup())
        .await;
    let (e, _) = service_error("CBR", result);
    assert_eq!(e.code, huawei::cbr::ShowBackupErrorCode::Unknown(missing));
    assert_eq!(
        (e.status, e.message.as_deref(), e.request_id.as_deref()),
        (404, Some("The backup does not exist."), Some("hw-1"))
    );
    assert_eq!(e.body, body.to_string());

    let css = start("huawei-css.yaml").await;
    let no_cluster = unlisted(huawei::css::CreateSnapshotErrorCode::VALUES, "CSS.0015");
    let body = json!({"error": {"code": no_cluster, "message": "The cluster does not exist."}});
    css.enqueue(
        "CreateSnapshot",
        MockResponse::json(400, &body).with_header("x-request-id", "hw-2"),
    );
    let result = e2e::css(&css, AuthScheme::HuaweiAksk)
        .create_snapshot(&create_snapshot())
        .await;
    let (e, _) = service_error("CSS", result);
    assert_eq!(e.code, huawei::css::CreateSnapshotErrorCode::Unknown(no_cluster));
    assert_eq!(
        (e.status, e.message.as_deref(), e.request_id.as_deref()),
        (400, Some("The cluster does not exist."), Some("hw-2"))
    );

    // Zilliz: HTTP 200 with a non-zero code is an error.
    let zilliz = start("zilliz-cloud.yaml").await;
    let not_found = unlisted(zilliz::cloud::DescribeBackupErrorCode::VALUES, "65535");
    let body = json!({"code": not_found.parse::<u64>().unwrap_or(65535), "message": "cluster not found"});
    zilliz.enqueue(
        "DescribeBackup",
        MockResponse::json(200, &body).with_header("x-request-id", "z-1"),
    );
    let request = zilliz::cloud::DescribeBackupRequest::new("in01-3e5ad8adc38xxxx", "backup1_0b9d15a0ddexxxx");
    let (e, attempts) = service_error("Zilliz", e2e::zilliz(&zilliz).describe_backup(&request).await);
    assert_eq!(e.code, zilliz::cloud::DescribeBackupErrorCode::Unknown(not_found));
    assert_eq!(
        (e.status, e.message.as_deref(), e.request_id.as_deref(), attempts),
        (200, Some("cluster not found"), Some("z-1"), 1)
    );

    // Elasticsearch: the `error.type` is the code.
    let es_type = unlisted(
        aliyun::elasticsearch::GetSnapshotStatusErrorCode::VALUES,
        "snapshot_in_progress_exception",
    );
    let es = start("aliyun-elasticsearch.yaml").await;
    let body = json!({
        "error": {
            "root_cause": [{"type": es_type, "reason": "[aliyun_auto_snapshot:x] is missing"}],
            "type": es_type,
            "reason": "[aliyun_auto_snapshot:x] is missing"
        },
        "status": 404
    });
    es.enqueue("GetSnapshotStatus", MockResponse::json(404, &body));
    let request = aliyun::elasticsearch::GetSnapshotStatusRequest::new("aliyun_auto_snapshot", "x");
    let (e, _) = service_error("ES", e2e::es(&es).get_snapshot_status(&request).await);
    assert_eq!(e.raw_code, es_type);
    assert!(!e.code.is_known());
    assert_eq!(
        (e.status, e.message.as_deref(), e.request_id.as_deref()),
        (404, Some("[aliyun_auto_snapshot:x] is missing"), None)
    );
    assert_eq!(e.body, body.to_string());

    for server in [&ecs, &cbr, &css, &zilliz, &es] {
        let log = server.requests();
        assert_eq!(log.len(), 1, "{}", server.service_name());
        assert!(log[0].accepted() && log[0].scripted, "{}", server.service_name());
    }
}

const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n";

#[tokio::test]
async fn a_proxy_html_page_is_an_unexpected_status() {
    let server = start("huawei-cbr.yaml").await;
    let page = || MockResponse::new(502, BAD_GATEWAY).with_header("content-type", "text/html");
    let config = e2e::at(&server, huawei::cbr::Client::config()).retry(RetryPolicy::none());
    let once = e2e::cbr_with(config, AuthScheme::HuaweiAksk, server.credentials());
    server.enqueue("ShowBackup", page());
    match once.show_backup(&show_backup()).await {
        Err(Error::Response {
            attempts: 1,
            source:
                ResponseError::UnexpectedStatus {
                    operation,
                    status,
                    body_start,
                },
        }) => {
            assert_eq!((operation, status), ("ShowBackup", 502));
            assert!(body_start.contains("502 Bad Gateway"), "{body_start}");
        }
        other => panic!("expected an unexpected status, got {other:?}"),
    }
    // 502 is transient: with retries, each attempt is made, then the last is reported.
    for _ in 0..3 {
        server.enqueue("ShowBackup", page());
    }
    let error = e2e::cbr(&server, AuthScheme::HuaweiAksk)
        .show_backup(&show_backup())
        .await
        .expect_err("three 502s");
    assert_eq!((error.attempts(), error.status()), (3, Some(502)));
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert_eq!(server.requests().len(), 4);
}

/// The decode error of a call, as (path, message).
fn decode_error<O: fmt::Debug, C: ErrorCode>(origin: &str, result: Result<O, Error<C>>) -> (String, String) {
    match result {
        Err(Error::Response {
            attempts: 1,
            source: ResponseError::Decode { path, message, .. },
        }) => (path, message),
        other => panic!("{origin}: expected one decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_naming_the_json_path() {
    let cbr = start("huawei-cbr.yaml").await;
    let body = json!({"backup": {"id": "b-1", "children": [{"id": "c-1", "resource_size": "forty"}]}});
    cbr.enqueue("ShowBackup", MockResponse::json(200, &body));
    let result = e2e::cbr(&cbr, AuthScheme::HuaweiToken)
        .show_backup(&show_backup())
        .await;
    let (path, message) = decode_error("CBR", result);
    assert_eq!(path, "backup.children[0].resource_size");
    assert!(message.contains("invalid type"), "{message}");

    let css = start("huawei-css.yaml").await;
    css.enqueue(
        "CreateSnapshot",
        MockResponse::json(201, &json!({"backup": {"name": "x"}})),
    );
    let result = e2e::css(&css, AuthScheme::HuaweiToken)
        .create_snapshot(&create_snapshot())
        .await;
    let (path, message) = decode_error("CSS", result);
    assert_eq!(path, "backup");
    assert!(message.contains("missing field `id`"), "{message}");

    let zilliz = start("zilliz-cloud.yaml").await;
    zilliz.enqueue(
        "ListBackups",
        MockResponse::json(200, &json!({"code": 0, "data": {"count": "ten"}})),
    );
    let result = e2e::zilliz(&zilliz)
        .list_backups(&zilliz::cloud::ListBackupsRequest::new())
        .await;
    assert_eq!(decode_error("Zilliz", result).0, "data.count");

    let ecs = start("aliyun-ecs.yaml").await;
    let page = json!({"RequestId": "r", "Snapshots": {"Snapshot": [{"SnapshotId": "s-1", "RemainTime": "soon"}]}});
    ecs.enqueue("DescribeSnapshots", MockResponse::json(200, &page));
    let result = e2e::ecs(&ecs, AuthScheme::AliyunRpcV1)
        .describe_snapshots(&ecs_request())
        .await;
    let (path, _) = decode_error("ECS", result);
    assert_eq!(
        path, "Snapshots.Snapshot[0].RemainTime",
        "the wire path, list wrapper included"
    );

    let es = start("aliyun-elasticsearch.yaml").await;
    es.enqueue(
        "GetSnapshots",
        MockResponse::new(200, r#"{"snapshots": [{"snapshot": "a"}"#),
    );
    let result = e2e::es(&es).get_snapshots(&get_snapshots()).await;
    let (_, message) = decode_error("ES", result);
    assert!(message.contains("EOF"), "{message}");

    // Decode errors are not transient: one request each.
    for server in [&cbr, &css, &zilliz, &ecs, &es] {
        assert_eq!(server.requests().len(), 1, "{}", server.service_name());
    }
}

/// `candidate`, or a variation of it, that `values` (an error-code enum's
/// `VALUES`) does not list.
fn unlisted(values: &[&str], candidate: &str) -> String {
    let mut code = candidate.to_owned();
    while values.contains(&code.as_str()) {
        code.push('9');
    }
    code
}
