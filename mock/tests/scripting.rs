//! Scripted responses (FIFO per operation, headers, delays), the request
//! log, options, start-up errors and shutdown.

mod common;

use std::time::Duration;

use cloudsnap::auth::SigningContext;
use cloudsnap::runtime::{AuthScheme, Operation, ResponseError};
use cloudsnap::zilliz::cloud::{DescribeBackupRequest, ListBackupsRequest};
use cloudsnap_mock::{MockError, MockOptions, MockResponse, MockServer, TestCredentials};
use serde_json::json;

use common::{absolute, client, send, send_signed, spec, start};

const ZILLIZ: &str = "zilliz-cloud.yaml";

fn list() -> http::Request<Vec<u8>> {
    ListBackupsRequest::new().build_request().expect("builds")
}

fn bearer() -> Box<dyn cloudsnap::auth::Signer> {
    TestCredentials::default().signer(AuthScheme::Bearer)
}

#[tokio::test]
async fn scripted_responses_are_served_first_in_first_out_then_examples() {
    let server = start(ZILLIZ).await;
    server.enqueue(
        "ListBackups",
        MockResponse::json(503, &json!({"code": 503, "message": "try later"})).with_header("retry-after", "1"),
    );
    server.enqueue(
        "ListBackups",
        MockResponse::json(200, &json!({"code": 0, "data": {"count": 0, "backups": []}})),
    );
    server.enqueue("DescribeBackup", MockResponse::status(204));

    // A rejected request (no authentication) leaves the queue alone.
    let rejected = send(absolute(&server, list())).await;
    assert_eq!(rejected.status, 401);

    let first = send_signed(&server, list(), &*bearer(), &SigningContext::now()).await;
    assert_eq!(first.status, 503);
    assert_eq!(first.headers["retry-after"], "1");
    match ListBackupsRequest::parse_response(&first.response()) {
        Err(ResponseError::Service(e)) => {
            assert_eq!((e.raw_code.as_str(), e.message.as_deref()), ("503", Some("try later")))
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    let second = send_signed(&server, list(), &*bearer(), &SigningContext::now()).await;
    let output = ListBackupsRequest::parse_response(&second.response()).expect("scripted success parses");
    assert_eq!(output.count, Some(0));
    let third = send_signed(&server, list(), &*bearer(), &SigningContext::now()).await;
    let output = ListBackupsRequest::parse_response(&third.response()).expect("example parses");
    assert_eq!(output.count, Some(10), "back to the documented example");

    let log = server.requests();
    let summary: Vec<(u16, bool, bool)> = log.iter().map(|r| (r.status, r.scripted, r.accepted())).collect();
    assert_eq!(
        summary,
        [
            (401, false, false),
            (503, true, true),
            (200, true, true),
            (200, false, true)
        ]
    );
    assert!(log.iter().all(|r| r.operation.as_deref() == Some("ListBackups")));
    assert_eq!(log[1].method, "GET");
    assert_eq!(log[1].uri, "/v2/backups");
    assert!(log[1]
        .headers
        .iter()
        .any(|(n, v)| n == "authorization" && v.starts_with("Bearer ")));

    // The DescribeBackup script is still queued, untouched by ListBackups.
    let describe = DescribeBackupRequest::new("in01-3e5ad8adc38xxxx", "backup1_0b9d15a0ddexxxx")
        .build_request()
        .expect("builds");
    let got = send_signed(&server, describe, &*bearer(), &SigningContext::now()).await;
    assert_eq!((got.status, got.body.len()), (204, 0));
    server.shutdown().await;
}

#[tokio::test]
async fn delays_let_clients_time_out() {
    let server = start(ZILLIZ).await;
    server.enqueue(
        "ListBackups",
        MockResponse::status(200).with_delay(Duration::from_secs(30)),
    );
    let mut request = absolute(&server, list());
    bearer().sign(&mut request, &SigningContext::now()).expect("signs");
    let request = reqwest::Request::try_from(request).expect("request");
    cloudsnap::client::ensure_crypto_provider().expect("a rustls provider");
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = client
        .execute(request)
        .await
        .expect_err("the delay outlasts the timeout");
    assert!(error.is_timeout(), "{error}");
    // The request was recorded when it arrived; shutdown does not wait 30 s.
    assert_eq!(server.requests().len(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_operations_cannot_be_scripted() {
    let server = start(ZILLIZ).await;
    match server.try_enqueue("ListBackup", MockResponse::status(200)) {
        Err(MockError::UnknownOperation { operation, known }) => {
            assert_eq!(operation, "ListBackup");
            assert_eq!(known, ["ListBackups", "DescribeBackup"]);
        }
        other => panic!("expected UnknownOperation, got {other:?}"),
    }
}

#[tokio::test]
async fn credentials_and_port_are_configurable() {
    let credentials = TestCredentials {
        api_key: "another-key".into(),
        ..TestCredentials::default()
    };
    let options = MockOptions::default().with_credentials(credentials.clone());
    let server = MockServer::start_with(spec(ZILLIZ), options).await.expect("starts");
    assert!(server.url().starts_with("http://127.0.0.1:"));
    assert_eq!(server.url(), format!("http://{}", server.addr()));
    let refused = send_signed(&server, list(), &*bearer(), &SigningContext::now()).await;
    assert_eq!(refused.status, 401);
    let accepted = send_signed(
        &server,
        list(),
        &*credentials.signer(AuthScheme::Bearer),
        &SigningContext::now(),
    )
    .await;
    assert_eq!(accepted.status, 200);

    // The port is taken now: a second server on it fails to bind.
    let taken = MockOptions::default().with_port(server.addr().port());
    match MockServer::start_with(spec(ZILLIZ), taken).await {
        Err(MockError::Bind { addr, .. }) => assert_eq!(addr, server.addr()),
        other => panic!("expected a bind error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_broken_spec_is_reported_with_diagnostics() {
    match MockServer::start(spec("no-such-spec.yaml")).await {
        Err(MockError::Spec { path, diagnostics }) => {
            assert!(path.ends_with("no-such-spec.yaml"));
            assert!(diagnostics[0].contains("cannot read spec file"), "{diagnostics:?}");
        }
        other => panic!("expected a spec error, got {other:?}"),
    }
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let server = start(ZILLIZ).await;
    let url = format!("{}/v2/backups", server.url());
    assert!(client().get(&url).send().await.is_ok());
    server.shutdown().await;
    let error = client().get(&url).send().await.expect_err("nothing listens any more");
    assert!(error.is_connect(), "{error}");
}
