//! End to end over TCP: retries and timeouts of the generated clients.
//! Throttling and unavailability are retried (each attempt signed afresh
//! and checked by the mock), a non-idempotent POST only when the policy
//! allows it, and a call gives up after `max_attempts` or its timeout,
//! reporting how many attempts it made.

mod common;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use cloudsnap::client::{Error, RetryPolicy};
use cloudsnap::runtime::{AuthScheme, ResponseError};
use cloudsnap::{aliyun, huawei, zilliz};
use cloudsnap_mock::{MockResponse, MockServer};
use serde_json::json;

use common::e2e;
use common::start;

/// A response delayed far beyond any timeout used here.
const STALL: Duration = Duration::from_secs(30);
/// The per-attempt timeout of the timeout tests: long enough for a real
/// answer from loopback on a busy machine, short enough to keep them quick.
const TIMEOUT: Duration = Duration::from_millis(300);

fn ecs_request() -> aliyun::ecs::DescribeSnapshotsRequest {
    aliyun::ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou")
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

fn aliyun_error(status: u16, code: &str) -> MockResponse {
    MockResponse::json(
        status,
        &json!({"RequestId": "retry-me", "Code": code, "Message": "slow down"}),
    )
}

fn huawei_error(status: u16, code: &str) -> MockResponse {
    MockResponse::json(status, &json!({"error_code": code, "error_msg": "slow down"}))
}

/// Every attempt reached the mock, was accepted (so signed correctly for
/// the time it was sent), and carried its own nonce or date; the scripted
/// answers came first, then the example.
fn assert_attempts(server: &MockServer, scheme: AuthScheme, scripted: usize) {
    let log = server.requests();
    let origin = format!("{} with {scheme:?}", server.service_name());
    let flags: Vec<bool> = log.iter().map(|r| r.scripted).collect();
    let mut want = vec![true; scripted];
    want.push(false);
    assert_eq!(flags, want, "{origin}: attempts");
    for r in &log {
        assert!(r.accepted(), "{origin}: attempt rejected: {:?}", r.problems);
        e2e::assert_signed(r, scheme);
    }
    let stamps: Vec<Option<String>> = log.iter().map(|r| e2e::freshness(r, scheme)).collect();
    if stamps.iter().all(Option::is_some) && scheme != AuthScheme::HuaweiAksk {
        // A nonce is new on every attempt. (Huawei's date has whole seconds,
        // so fast retries may share one; see the Retry-After test.)
        let distinct: HashSet<&Option<String>> = stamps.iter().collect();
        assert_eq!(distinct.len(), log.len(), "{origin}: reused nonce in {stamps:?}");
    }
}

#[tokio::test]
async fn alibaba_throttling_and_unavailability_are_retried_with_fresh_signatures() {
    for (scheme, first, second) in [
        (
            AuthScheme::AliyunRpcV1,
            aliyun_error(503, "ServiceUnavailable"),
            aliyun_error(400, "Throttling.User"),
        ),
        (
            AuthScheme::AliyunV3,
            aliyun_error(400, "Throttling.User"),
            MockResponse::status(429),
        ),
    ] {
        let server = start("aliyun-ecs.yaml").await;
        server.enqueue("DescribeSnapshots", first);
        server.enqueue("DescribeSnapshots", second);
        let output = e2e::ecs(&server, scheme)
            .describe_snapshots(&ecs_request())
            .await
            .unwrap_or_else(|e| panic!("{scheme:?}: {e}"));
        assert_eq!(
            output.request_id, "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
            "the example, at last"
        );
        assert_attempts(&server, scheme, 2);
    }
}

#[tokio::test]
async fn huawei_zilliz_and_elasticsearch_throttling_is_retried() {
    let cbr = start("huawei-cbr.yaml").await;
    cbr.enqueue("ShowBackup", huawei_error(429, "APIGW.0308"));
    let backup = e2e::cbr(&cbr, AuthScheme::HuaweiToken)
        .show_backup(&show_backup())
        .await;
    assert_eq!(
        backup.expect("retried").backup.id,
        "6df2b54c-dd62-4059-a07c-1b8f24f2725d"
    );
    assert_attempts(&cbr, AuthScheme::HuaweiToken, 1);

    let zilliz = start("zilliz-cloud.yaml").await;
    zilliz.enqueue(
        "ListBackups",
        MockResponse::json(429, &json!({"code": 429, "message": "rate limited"})),
    );
    zilliz.enqueue("ListBackups", MockResponse::status(503));
    let list = e2e::zilliz(&zilliz)
        .list_backups(&zilliz::cloud::ListBackupsRequest::new())
        .await;
    assert_eq!(list.expect("retried").count, Some(10));
    assert_attempts(&zilliz, AuthScheme::Bearer, 2);

    let es = start("aliyun-elasticsearch.yaml").await;
    es.enqueue("GetSnapshots", MockResponse::status(503));
    let request = aliyun::elasticsearch::GetSnapshotsRequest::new("aliyun_auto_snapshot");
    let snapshots = e2e::es(&es).get_snapshots(&request).await.expect("retried");
    assert_eq!(snapshots.snapshots.map(|s| s.len()), Some(2));
    assert_attempts(&es, AuthScheme::Basic, 1);
}

/// `Retry-After` sets the wait (within `max_backoff`), and the retried
/// request is signed with the new time.
#[tokio::test]
async fn retry_after_is_waited_and_the_retry_is_signed_with_the_new_date() {
    let server = start("huawei-cbr.yaml").await;
    server.enqueue(
        "ShowBackup",
        huawei_error(429, "APIGW.0308").with_header("retry-after", "1"),
    );
    let retry = RetryPolicy {
        max_backoff: Duration::from_secs(5),
        ..e2e::fast_retry()
    };
    let config = e2e::at(&server, huawei::cbr::Client::config()).retry(retry);
    let client = e2e::cbr_with(config, AuthScheme::HuaweiAksk, server.credentials());
    let started = Instant::now();
    client
        .show_backup(&show_backup())
        .await
        .expect("retried after a second");
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
    assert_attempts(&server, AuthScheme::HuaweiAksk, 1);
    let dates: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| e2e::freshness(r, AuthScheme::HuaweiAksk))
        .collect();
    assert_ne!(dates[0], dates[1], "the retry reused the first signing date");
}

#[tokio::test]
async fn a_post_is_retried_only_when_the_policy_allows_non_idempotent_retries() {
    let server = start("huawei-css.yaml").await;
    server.enqueue("CreateSnapshot", huawei_error(503, "CSS.0001"));
    server.enqueue("CreateSnapshot", huawei_error(503, "CSS.0001"));
    let cautious = e2e::css(&server, AuthScheme::HuaweiAksk);
    let error = cautious
        .create_snapshot(&create_snapshot())
        .await
        .expect_err("a 503 on a create is not retried");
    assert_eq!((error.attempts(), error.status()), (1, Some(503)));
    assert_eq!(error.service_error().map(|e| e.raw_code.as_str()), Some("CSS.0001"));
    assert_eq!(server.requests().len(), 1, "one request only");

    let eager = RetryPolicy {
        retry_non_idempotent: true,
        ..e2e::fast_retry()
    };
    let config = e2e::at(&server, huawei::css::Client::config()).retry(eager);
    let client = e2e::css_with(config, AuthScheme::HuaweiAksk, server.credentials());
    let created = client.create_snapshot(&create_snapshot()).await.expect("retried");
    assert_eq!(created.backup.id, "9dc4f5c9-33c0-45c7-9378-ae35ae350682");
    let log = server.requests();
    assert_eq!(log.len(), 3);
    // Every attempt carries the same body.
    assert!(log.iter().all(|r| r.body == log[0].body && r.method == "POST"));
    assert!(log.iter().all(|r| r.accepted()));
}

#[tokio::test]
async fn exhausted_attempts_are_reported() {
    let server = start("zilliz-cloud.yaml").await;
    for _ in 0..4 {
        server.enqueue(
            "DescribeBackup",
            MockResponse::json(503, &json!({"code": 503, "message": "unavailable"})),
        );
    }
    let request = zilliz::cloud::DescribeBackupRequest::new("in01-3e5ad8adc38xxxx", "backup1_0b9d15a0ddexxxx");
    let error = e2e::zilliz(&server)
        .describe_backup(&request)
        .await
        .expect_err("every attempt fails");
    match &error {
        Error::Response {
            attempts: 3,
            source: ResponseError::Service(e),
        } => assert_eq!((e.status, e.raw_code.as_str()), (503, "503")),
        other => panic!("expected the third 503, got {other:?}"),
    }
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    assert_eq!(server.requests().len(), 3, "max_attempts is 3");
    // The fourth scripted answer is still queued: nothing extra was sent.
    let config = e2e::at(&server, zilliz::cloud::Client::config()).retry(RetryPolicy::none());
    let once = e2e::zilliz_with(config, AuthScheme::Bearer, server.credentials());
    assert_eq!(once.describe_backup(&request).await.expect_err("503").attempts(), 1);
    assert_eq!(server.requests().len(), 4);
}

fn timeout_config(server: &MockServer, retry: RetryPolicy) -> cloudsnap::client::ClientConfig {
    e2e::at(server, aliyun::ecs::Client::config())
        .timeout(TIMEOUT)
        .retry(retry)
}

fn stalled(server: &MockServer, operation: &str, times: usize) {
    for _ in 0..times {
        server.enqueue(operation, MockResponse::status(200).with_delay(STALL));
    }
}

fn expect_timeout<O: std::fmt::Debug, C: std::fmt::Debug + std::fmt::Display>(
    result: Result<O, Error<C>>,
    attempts: u32,
) {
    match result {
        Err(Error::Timeout {
            attempts: made,
            timeout,
            ..
        }) => assert_eq!((made, timeout), (attempts, TIMEOUT)),
        other => panic!("expected a timeout after {attempts} attempts, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stalled_response_times_out() {
    let server = start("aliyun-ecs.yaml").await;
    stalled(&server, "DescribeSnapshots", 1);
    let client = e2e::ecs_with(
        timeout_config(&server, RetryPolicy::none()),
        AuthScheme::AliyunRpcV1,
        server.credentials(),
    );
    expect_timeout(client.describe_snapshots(&ecs_request()).await, 1);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_and_counted() {
    let server = start("aliyun-ecs.yaml").await;
    let two = RetryPolicy {
        max_attempts: 2,
        ..e2e::fast_retry()
    };
    let client = e2e::ecs_with(timeout_config(&server, two), AuthScheme::AliyunV3, server.credentials());
    stalled(&server, "DescribeSnapshots", 2);
    expect_timeout(client.describe_snapshots(&ecs_request()).await, 2);
    assert_eq!(server.requests().len(), 2);

    // A stall, then an answer: the retry succeeds.
    stalled(&server, "DescribeSnapshots", 1);
    let output = client
        .describe_snapshots(&ecs_request())
        .await
        .expect("second attempt answers");
    assert_eq!(output.total_count, Some(1));
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_timed_out_post_is_not_retried_by_default() {
    let server = start("huawei-css.yaml").await;
    stalled(&server, "CreateSnapshot", 1);
    let config = e2e::at(&server, huawei::css::Client::config()).timeout(TIMEOUT);
    let client = e2e::css_with(config, AuthScheme::HuaweiToken, server.credentials());
    expect_timeout(client.create_snapshot(&create_snapshot()).await, 1);
    assert_eq!(
        server.requests().len(),
        1,
        "the create may have happened: no second POST"
    );
}

/// Nothing listens: connecting fails on every attempt. Connection failures
/// are retried even for a POST, since the request never left the client.
#[tokio::test]
async fn connection_failures_are_retried_even_for_a_post() {
    let server = start("huawei-css.yaml").await;
    let url = server.url();
    server.shutdown().await;
    let config = huawei::css::Client::config().endpoint(url).retry(e2e::fast_retry());
    let creds = cloudsnap_mock::TestCredentials::default();
    let client = e2e::css_with(config, AuthScheme::HuaweiAksk, &creds);
    match client.create_snapshot(&create_snapshot()).await {
        Err(Error::Transport {
            attempts: 3, source, ..
        }) => assert_eq!(source.kind, cloudsnap::client::TransportErrorKind::Connect, "{source}"),
        other => panic!("expected three connection failures, got {other:?}"),
    }
}
