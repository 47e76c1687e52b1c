//! End to end over TCP: the response size limit
//! (`ClientConfig::max_response_bytes`) of the default reqwest transport.

mod common;

use std::fmt;

use cloudsnap::client::{Error, TransportErrorKind};
use cloudsnap::{aliyun::elasticsearch, huawei::cbr};
use cloudsnap_mock::MockResponse;
use serde_json::json;

use common::e2e;
use common::start;

fn get_snapshots() -> elasticsearch::GetSnapshotsRequest {
    elasticsearch::GetSnapshotsRequest::new("aliyun_auto_snapshot")
}

fn es_client(server: &cloudsnap_mock::MockServer, limit: usize) -> elasticsearch::Client {
    let config = e2e::at(server, elasticsearch::Client::config()).max_response_bytes(limit);
    e2e::es_with(config, cloudsnap::runtime::AuthScheme::Basic, server.credentials())
}

/// The call failed once, in the transport, because the body was too large.
fn assert_too_large<O: fmt::Debug, C: fmt::Debug + fmt::Display>(result: Result<O, Error<C>>, limit: usize) {
    match result {
        Err(Error::Transport {
            attempts: 1,
            source,
            operation,
        }) => {
            assert_eq!(source.kind, TransportErrorKind::BodyTooLarge, "{source}");
            assert!(source.message.contains(&limit.to_string()), "{source}");
            // Transport errors never quote the URI (it may carry credentials).
            assert!(!source.to_string().contains("127.0.0.1"), "{operation}: {source}");
        }
        other => panic!("expected BodyTooLarge after one attempt, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_and_not_retried() {
    let server = start("aliyun-elasticsearch.yaml").await;
    let snapshots: Vec<_> = (0..2000)
        .map(|i| json!({"snapshot": format!("es-cn-abcdefghijklmn_{i:014}"), "state": "SUCCESS"}))
        .collect();
    let big = json!({ "snapshots": snapshots });
    assert!(big.to_string().len() > 64 * 1024);
    server.enqueue("GetSnapshots", MockResponse::json(200, &big));
    let client = es_client(&server, 4096);
    assert_too_large(client.get_snapshots(&get_snapshots()).await, 4096);
    assert_eq!(server.requests().len(), 1, "BodyTooLarge is not transient");

    // The same big body is accepted under the default limit (16 MiB).
    server.enqueue("GetSnapshots", MockResponse::json(200, &big));
    let output = e2e::es(&server).get_snapshots(&get_snapshots()).await.expect("fits");
    assert_eq!(output.snapshots.map(|s| s.len()), Some(2000));
}

#[tokio::test]
async fn the_limit_is_inclusive() {
    // The documented example is served verbatim: its length is known exactly.
    let model = e2e::model("aliyun-elasticsearch.yaml");
    let example = model.operations[0].examples[0].response.as_ref().expect("example");
    let size = example.body.len();
    let server = start("aliyun-elasticsearch.yaml").await;
    let exact = es_client(&server, size).get_snapshots(&get_snapshots()).await;
    assert_eq!(
        exact
            .expect("a body of exactly the limit fits")
            .snapshots
            .map(|s| s.len()),
        Some(2)
    );
    assert_too_large(
        es_client(&server, size - 1).get_snapshots(&get_snapshots()).await,
        size - 1,
    );
}

#[tokio::test]
async fn error_bodies_are_limited_too() {
    let server = start("huawei-cbr.yaml").await;
    let huge = "x".repeat(100_000);
    let body = json!({"error_code": "CBR.9999", "error_msg": huge});
    server.enqueue("ShowBackup", MockResponse::json(500, &body));
    let config = e2e::at(&server, cbr::Client::config()).max_response_bytes(1024);
    let client = e2e::cbr_with(
        config,
        cloudsnap::runtime::AuthScheme::HuaweiToken,
        server.credentials(),
    );
    let request = cbr::ShowBackupRequest::new("p", "b");
    assert_too_large(client.show_backup(&request).await, 1024);
    assert_eq!(server.requests().len(), 1);
}
