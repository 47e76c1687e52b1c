//! End to end over TCP, driven by the specs: every documented example
//! request of every operation of every shipped spec goes through the
//! operation's method on the generated client (`<service>::Client`), once
//! per authentication scheme the spec accepts, built with that scheme's
//! constructor and the mock's test credentials.
//!
//! The typed result must equal the documented example response, and the
//! request the mock recorded must be the documented one (method, path,
//! query, headers, JSON body) plus that scheme's credentials, and accepted.
//! Errors, retries, timeouts, paging, limits and hostile values are in the
//! `e2e_*.rs` files next to this one. The mock serves the examples
//! verbatim here (paging off); derived pages are tested in `paging.rs`.

mod common;

use std::collections::BTreeMap;
use std::fmt;

use cloudsnap::client::Error;
use cloudsnap::runtime::AuthScheme;
use cloudsnap_codegen::spec::{ExampleRequest, ExampleResponse, SuccessEnvelope};
use cloudsnap_mock::{MockServer, RecordedRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;

use common::e2e::{self, header};
use common::{start_verbatim, SPECS};

/// The output an example response documents: its body, or the body's
/// `data` member under Zilliz's `{"code": 0, "data": ...}` envelope.
fn documented<O: DeserializeOwned>(origin: &str, want: &ExampleResponse, envelope: SuccessEnvelope) -> O {
    let body: Value = serde_json::from_str(&want.body).unwrap_or_else(|e| panic!("{origin}: example body: {e}"));
    let output = match envelope {
        SuccessEnvelope::Plain => body,
        SuccessEnvelope::Zilliz => body.get("data").cloned().unwrap_or(Value::Null),
    };
    serde_json::from_value(output).unwrap_or_else(|e| panic!("{origin}: example does not fit the output type: {e}"))
}

/// The call succeeded with exactly the documented output.
fn expect_documented<O, C>(
    origin: &str,
    got: Result<O, Error<C>>,
    want: &ExampleResponse,
    envelope: SuccessEnvelope,
) -> O
where
    O: DeserializeOwned + PartialEq + fmt::Debug,
    C: fmt::Debug + fmt::Display,
{
    let got = got.unwrap_or_else(|e| panic!("{origin}: the call failed: {e}"));
    assert_eq!(got, documented::<O>(origin, want, envelope), "{origin}: typed output");
    got
}

/// The generated request type, from an example's `params` (by wire name).
fn request<R: DeserializeOwned>(origin: &str, params: &Value) -> R {
    serde_json::from_value(params.clone()).unwrap_or_else(|e| panic!("{origin}: params do not fit: {e}"))
}

/// Call `op` through its generated client method and check the output,
/// including one field per operation picked by hand from the example.
async fn call(server: &MockServer, op: &str, scheme: AuthScheme, params: &Value, want: &ExampleResponse, origin: &str) {
    let service = server.service_name();
    let plain = SuccessEnvelope::Plain;
    match (service.as_str(), op) {
        ("aliyun.ecs", "DescribeSnapshots") => {
            let got = e2e::ecs(server, scheme)
                .describe_snapshots(&request(origin, params))
                .await;
            let out = expect_documented(origin, got, want, plain);
            assert_eq!(out.request_id, "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E");
            assert_eq!(out.snapshots.unwrap_or_default()[0].snapshot_id, "s-bp67acfmxazb4p****");
        }
        ("aliyun.elasticsearch", "GetSnapshots") => {
            let got = e2e::es(server).get_snapshots(&request(origin, params)).await;
            let out = expect_documented(origin, got, want, plain);
            let names: Vec<String> = out
                .snapshots
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.snapshot)
                .collect();
            assert_eq!(
                names,
                [
                    "es-cn-abcdefghijklmn_20180628092236",
                    "es-cn-abcdefghijklmn_20180628092500"
                ]
            );
        }
        ("aliyun.elasticsearch", "GetSnapshotStatus") => {
            let got = e2e::es(server).get_snapshot_status(&request(origin, params)).await;
            let out = expect_documented(origin, got, want, plain);
            assert_eq!(
                out.snapshots.unwrap_or_default()[0].snapshot,
                "es-cn-abcdefghijklmn_20180628092236"
            );
        }
        ("huawei.cbr", "ShowBackup") => {
            let got = e2e::cbr(server, scheme).show_backup(&request(origin, params)).await;
            let out = expect_documented(origin, got, want, plain);
            assert_eq!(out.backup.id, "6df2b54c-dd62-4059-a07c-1b8f24f2725d");
            assert_eq!(out.backup.children.map(|c| c.len()), Some(1));
        }
        ("huawei.css", "CreateSnapshot") => {
            let got = e2e::css(server, scheme).create_snapshot(&request(origin, params)).await;
            let out = expect_documented(origin, got, want, plain);
            assert_eq!(out.backup.id, "9dc4f5c9-33c0-45c7-9378-ae35ae350682");
            assert_eq!(out.backup.start_time, Some(1533009767542));
        }
        ("zilliz.cloud", "ListBackups") => {
            let got = e2e::zilliz(server).list_backups(&request(origin, params)).await;
            let out = expect_documented(origin, got, want, SuccessEnvelope::Zilliz);
            assert_eq!(out.count, Some(10));
            assert_eq!(out.backups.unwrap_or_default()[0].backup_id, "backup1_0b9d15a0ddexxxx");
        }
        ("zilliz.cloud", "DescribeBackup") => {
            let got = e2e::zilliz(server).describe_backup(&request(origin, params)).await;
            let out = expect_documented(origin, got, want, SuccessEnvelope::Zilliz);
            assert_eq!(out.backup_id, "backup1_0b9d15a0ddexxxx");
            assert_eq!(out.region_id.as_deref(), Some("aws-us-west-2"));
        }
        (service, op) => panic!("{service} {op}: add the operation to the table in tests/e2e.rs"),
    }
}

/// The recorded request is the documented one, signed with `scheme`.
fn check_wire(r: &RecordedRequest, service: &str, scheme: AuthScheme, ex: &ExampleRequest, origin: &str) {
    assert!(r.accepted(), "{origin}: the mock rejected it: {:?}", r.problems);
    assert!(!r.scripted, "{origin}");
    assert_eq!(r.method, ex.method.as_str(), "{origin}: method");
    assert_eq!(r.path, ex.path, "{origin}: path");

    let mut want_query: BTreeMap<String, String> = ex.query.clone().into_iter().collect();
    if scheme == AuthScheme::AliyunV3 {
        // V3 carries the RPC action and version in headers, not the query.
        for (param, name) in [("Action", "x-acs-action"), ("Version", "x-acs-version")] {
            let value = want_query.remove(param);
            assert_eq!(header(r, name), value.as_deref(), "{origin}: {name}");
        }
    }
    assert_eq!(e2e::business_query(r), want_query, "{origin}: query");
    e2e::assert_signed(r, scheme);

    for (name, value) in &ex.headers {
        let got = header(r, &name.to_ascii_lowercase());
        assert_eq!(got, Some(value.as_str()), "{origin}: header {name}");
    }
    assert_eq!(header(r, "accept"), Some("application/json"), "{origin}");
    e2e::assert_default_user_agent(r, service);
    match &ex.body {
        Some(text) => {
            let want: Value = serde_json::from_str(text).expect("example body is JSON");
            let got: Value = serde_json::from_slice(&r.body)
                .unwrap_or_else(|e| panic!("{origin}: body is not JSON ({e}): {:?}", r.body));
            assert_eq!(got, want, "{origin}: body");
            assert_eq!(header(r, "content-type"), Some("application/json"), "{origin}");
        }
        None => {
            assert!(r.body.is_empty(), "{origin}: unexpected body");
            assert_eq!(header(r, "content-type"), None, "{origin}");
        }
    }
}

async fn every_example_through_the_client(name: &str) {
    let server = start_verbatim(name).await;
    let model = e2e::model(name);
    let service = server.service_name();
    let mut sent = 0;
    for op in &model.operations {
        // Request-only examples are answered with the first success example.
        let fallback = op
            .examples
            .iter()
            .filter_map(|e| e.response.as_ref())
            .find(|r| (200..300).contains(&r.status))
            .unwrap_or_else(|| panic!("{name} {}: no success example response", op.id));
        let mut requests = 0;
        for ex in &op.examples {
            let Some(req) = &ex.request else { continue };
            requests += 1;
            let params = Value::Object(req.params.clone().into_iter().collect());
            let want = ex.response.as_ref().unwrap_or(fallback);
            for &scheme in server.auth_schemes() {
                let origin = format!("{name} {} example `{}` with {scheme:?}", op.id, ex.name);
                call(&server, &op.id, scheme, &params, want, &origin).await;
                sent += 1;
                let log = server.requests();
                assert_eq!(log.len(), sent, "{origin}: one request per call");
                let recorded = log.last().expect("recorded");
                assert_eq!(recorded.operation.as_deref(), Some(op.id.as_str()), "{origin}");
                assert_eq!(recorded.status, want.status, "{origin}");
                check_wire(recorded, &service, scheme, req, &origin);
            }
        }
        assert!(requests > 0, "{name} {}: no example request to send", op.id);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn aliyun_ecs_examples_through_the_client() {
    every_example_through_the_client(SPECS[0]).await;
}

#[tokio::test]
async fn aliyun_elasticsearch_examples_through_the_client() {
    every_example_through_the_client(SPECS[1]).await;
}

#[tokio::test]
async fn huawei_cbr_examples_through_the_client() {
    every_example_through_the_client(SPECS[2]).await;
}

#[tokio::test]
async fn huawei_css_examples_through_the_client() {
    every_example_through_the_client(SPECS[3]).await;
}

#[tokio::test]
async fn zilliz_cloud_examples_through_the_client() {
    every_example_through_the_client(SPECS[4]).await;
}

/// Every auth constructor of every generated client reaches the mock, so
/// the table above really covers each scheme the specs list.
#[tokio::test]
async fn the_table_covers_every_scheme_of_every_spec() {
    let mut seen = Vec::new();
    for name in SPECS {
        let server = start_verbatim(name).await;
        for scheme in server.auth_schemes() {
            seen.push((server.service_name(), *scheme));
        }
    }
    let expected = [
        ("aliyun.ecs", AuthScheme::AliyunRpcV1),
        ("aliyun.ecs", AuthScheme::AliyunV3),
        ("aliyun.elasticsearch", AuthScheme::Basic),
        ("huawei.cbr", AuthScheme::HuaweiAksk),
        ("huawei.cbr", AuthScheme::HuaweiToken),
        ("huawei.css", AuthScheme::HuaweiAksk),
        ("huawei.css", AuthScheme::HuaweiToken),
        ("zilliz.cloud", AuthScheme::Bearer),
    ];
    let expected: Vec<(String, AuthScheme)> = expected.iter().map(|(s, a)| (s.to_string(), *a)).collect();
    assert_eq!(seen, expected, "a spec gained or lost a scheme: extend common/e2e.rs");
}

/// One client, cloned into concurrent tasks: every request is signed on its
/// own (distinct nonces) and accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_through_one_client_are_each_signed() {
    let server = start_verbatim(SPECS[0]).await;
    for scheme in [AuthScheme::AliyunRpcV1, AuthScheme::AliyunV3] {
        let client = e2e::ecs(&server, scheme);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..16 {
            let client = client.clone();
            tasks.spawn(async move {
                let request = cloudsnap::aliyun::ecs::DescribeSnapshotsRequest::new()
                    .with_region_id("cn-hangzhou")
                    .with_snapshot_name(format!("snap-{i}"));
                client.describe_snapshots(&request).await.map(|o| o.request_id)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let request_id = joined.expect("task").unwrap_or_else(|e| panic!("{scheme:?}: {e}"));
            assert_eq!(request_id, "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E");
        }
    }
    let log = server.requests();
    assert_eq!(log.len(), 32);
    // The schemes ran one after the other: 16 requests each, in that order.
    for (scheme, scheme_log) in [AuthScheme::AliyunRpcV1, AuthScheme::AliyunV3]
        .into_iter()
        .zip(log.chunks(16))
    {
        let mut nonces: Vec<Option<String>> = scheme_log.iter().map(|r| e2e::freshness(r, scheme)).collect();
        nonces.sort();
        nonces.dedup();
        assert_eq!(nonces.len(), 16, "{scheme:?}: a nonce was reused");
        let mut names: Vec<&str> = scheme_log
            .iter()
            .filter_map(|r| e2e::query(r, "SnapshotName"))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 16, "{scheme:?}: every request arrived once");
        for r in scheme_log {
            assert!(r.accepted(), "{:?}", r.problems);
            e2e::assert_signed(r, scheme);
        }
    }
}
