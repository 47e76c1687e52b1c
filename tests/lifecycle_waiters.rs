//! The generated waiters (`wait_until_*`) and the type-erased resources
//! (`<service>::resources()`), end to end over TCP against the mock server,
//! which scripts the states a resource goes through (`resources:` scripts).
//!
//! State values, ids and error codes come from the specs' declarations and
//! examples, never from this file, so a compatible spec edit keeps it green.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudsnap::auth::{ApiKey, BasicCredentials};
use cloudsnap::client::{DynResource, WaitError, WaitOptions, WaitProgress};
use cloudsnap::lifecycle::{ResourceDecl, SnapshotSummary, State};
use cloudsnap::{aliyun, huawei, zilliz};
use cloudsnap_codegen::model::Model;
use cloudsnap_mock::{MockResponse, MockServer, Script};
use serde::de::DeserializeOwned;

fn spec(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs").join(name)
}

fn model(name: &str) -> Model {
    let loaded = cloudsnap_codegen::load::load_file(&spec(name)).expect("spec loads");
    cloudsnap_codegen::model::build(&loaded).expect("spec validates")
}

/// The request of the operation's first example that has one.
fn example_request<R: DeserializeOwned>(model: &Model, op: &str) -> R {
    let op = model.operations.iter().find(|o| o.id == op).expect("operation");
    let params = op
        .examples
        .iter()
        .find_map(|e| e.request.as_ref())
        .expect("an example request")
        .params
        .clone();
    serde_json::from_value(serde_json::to_value(params).unwrap()).expect("example params build the request")
}

/// The summary of the describe operation's example response.
fn example_summary(model: &Model, decl: &'static ResourceDecl) -> SnapshotSummary {
    let view = decl.describe.as_ref().expect("a describe view");
    let op = model.operations.iter().find(|o| o.id == view.operation).unwrap();
    let body = op.examples.iter().find_map(|e| e.response.as_ref()).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&body.body).unwrap();
    if model.service.success_envelope == cloudsnap::runtime::SuccessEnvelope::Zilliz {
        value = value["data"].take();
    }
    decl.summaries(view, &value)
        .into_iter()
        .next()
        .expect("the example shows one")
}

fn raw(decl: &ResourceDecl, state: State) -> String {
    decl.describe
        .as_ref()
        .unwrap()
        .raw_for(state)
        .expect("a value maps to the state")
        .to_owned()
}

/// Fast polling, so the tests take milliseconds.
fn fast() -> WaitOptions {
    WaitOptions::default()
        .min_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
        .max_wait(Duration::from_secs(10))
}

/// Options that record what every poll observed.
fn recording() -> (WaitOptions, Arc<Mutex<Vec<WaitProgress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let options = fast().on_progress(move |p| sink.lock().unwrap().push(p.clone()));
    (options, seen)
}

fn states(seen: &Mutex<Vec<WaitProgress>>) -> Vec<Option<(State, Option<String>)>> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|p| p.observed.as_ref().map(|s| (s.state, s.raw_state.clone())))
        .collect()
}

fn zilliz(server: &MockServer) -> zilliz::cloud::Client {
    let config = zilliz::cloud::Client::config().endpoint(server.url());
    zilliz::cloud::Client::with_api_key(config, ApiKey::new(server.credentials().api_key.clone())).unwrap()
}

fn ecs(server: &MockServer) -> aliyun::ecs::Client {
    let config = aliyun::ecs::Client::config().endpoint(server.url());
    aliyun::ecs::Client::with_aliyun_rpc(config, server.credentials().aliyun()).unwrap()
}

fn cbr(server: &MockServer) -> huawei::cbr::Client {
    let config = huawei::cbr::Client::config().endpoint(server.url());
    huawei::cbr::Client::with_huawei_aksk(config, server.credentials().huawei_aksk()).unwrap()
}

fn css(server: &MockServer) -> huawei::css::Client {
    let config = huawei::css::Client::config().endpoint(server.url());
    huawei::css::Client::with_huawei_aksk(config, server.credentials().huawei_aksk()).unwrap()
}

/// A script of the CSS snapshot's states, each listed with the id `id`.
fn css_script(steps: &[(&str, &str)]) -> Script {
    let name = huawei::css::SNAPSHOT_RESOURCE.name;
    let steps: Vec<String> = steps
        .iter()
        .map(|(state, id)| format!("{{ state: {state:?}, id: {id:?} }}"))
        .collect();
    Script::parse(&format!("resources:\n  {name}: [{}]\n", steps.join(", "))).unwrap()
}

fn es(server: &MockServer) -> aliyun::elasticsearch::Client {
    let c = server.credentials();
    let config = aliyun::elasticsearch::Client::config().endpoint(server.url());
    aliyun::elasticsearch::Client::with_basic_auth(
        config,
        BasicCredentials::new(c.basic_user.clone(), c.basic_password.clone()),
    )
    .unwrap()
}

#[tokio::test]
async fn zilliz_backup_creating_creating_available_returns_the_last_output() {
    let model = model("zilliz-cloud.yaml");
    let decl = &zilliz::cloud::BACKUP_RESOURCE;
    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("backup", &["creating", "creating", "available"]))
        .unwrap();
    let request: zilliz::cloud::DescribeBackupRequest = example_request(&model, "DescribeBackup");
    let (options, seen) = recording();
    let output = zilliz(&server)
        .wait_until_backup_available(&request, options)
        .await
        .expect("available");
    assert_eq!(
        output.status.as_ref().map(|s| s.to_string()),
        Some(raw(decl, State::Available))
    );
    let creating = Some((State::Creating, Some(raw(decl, State::Creating))));
    let available = Some((State::Available, Some(raw(decl, State::Available))));
    assert_eq!(states(&seen), [creating.clone(), creating, available]);
    assert_eq!(server.requests().len(), 3);
    let attempts: Vec<u32> = seen.lock().unwrap().iter().map(|p| p.attempt).collect();
    assert_eq!(attempts, [1, 2, 3]);
}

#[tokio::test]
async fn cbr_backup_that_fails_ends_with_the_failure_state_and_last_output() {
    let model = model("huawei-cbr.yaml");
    let decl = &huawei::cbr::BACKUP_RESOURCE;
    let server = MockServer::start(spec("huawei-cbr.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("backup", &["creating", "failed"]))
        .unwrap();
    let request: huawei::cbr::ShowBackupRequest = example_request(&model, "ShowBackup");
    let err = cbr(&server)
        .wait_until_backup_available(&request, fast())
        .await
        .expect_err("the backup fails");
    match err {
        WaitError::FailureState {
            target,
            summary,
            output,
        } => {
            assert_eq!(target, State::Available);
            assert_eq!(summary.state, State::Failed);
            assert_eq!(summary.raw_state, Some(raw(decl, State::Failed)));
            assert_eq!(summary.id, example_summary(&model, decl).id);
            assert_eq!(
                output.backup.status.map(|s| s.to_string()),
                Some(raw(decl, State::Failed))
            );
        }
        other => panic!("expected FailureState, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_unknown_state_is_observed_with_its_raw_value_and_waited_through() {
    let model = model("zilliz-cloud.yaml");
    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    // A value no spec lists: derived so that a spec listing it later does
    // not turn this test into a known-state test.
    let decl = &zilliz::cloud::BACKUP_RESOURCE;
    let unknown = format!("{}_NOT_DOCUMENTED", raw(decl, State::Creating));
    server
        .apply_script(&Script::states("backup", &["creating", &unknown, "available"]))
        .unwrap();
    let request: zilliz::cloud::DescribeBackupRequest = example_request(&model, "DescribeBackup");
    let (options, seen) = recording();
    zilliz(&server)
        .wait_until_backup_available(&request, options)
        .await
        .expect("available after the unknown state");
    assert_eq!(states(&seen)[1], Some((State::Unknown, Some(unknown))));
}

#[tokio::test]
async fn a_wait_that_never_ends_times_out_with_the_last_observed_state() {
    let model = model("zilliz-cloud.yaml");
    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    let unknown = "STUCK_IN_A_STATE_NO_SPEC_LISTS";
    let steps = vec![unknown; 500];
    server.apply_script(&Script::states("backup", &steps)).unwrap();
    let request: zilliz::cloud::DescribeBackupRequest = example_request(&model, "DescribeBackup");
    let started = std::time::Instant::now();
    let err = zilliz(&server)
        .wait_until_backup_available(&request, fast().max_wait(Duration::from_millis(300)))
        .await
        .expect_err("times out");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    match err {
        WaitError::TimedOut {
            target,
            waited,
            attempts,
            last,
        } => {
            assert_eq!(target, State::Available);
            assert!(waited >= Duration::from_millis(300), "{waited:?}");
            assert!(attempts >= 2, "{attempts}");
            let last = last.expect("observed");
            assert_eq!((last.state, last.raw_state.as_deref()), (State::Unknown, Some(unknown)));
        }
        other => panic!("expected TimedOut, got {other:?}"),
    }
}

#[tokio::test]
async fn ecs_snapshot_not_found_first_then_created_and_available_only_when_both_fields_agree() {
    let model = model("aliyun-ecs.yaml");
    let decl = &aliyun::ecs::SNAPSHOT_RESOURCE;
    let server = MockServer::start(spec("aliyun-ecs.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("snapshot", &["not_found", "creating", "available"]))
        .unwrap();
    let id = example_summary(&model, decl).id;
    let request = aliyun::ecs::DescribeSnapshotsRequest::new()
        .with_region_id("cn-hangzhou")
        .with_snapshot_ids(vec![id.clone()]);
    let (options, seen) = recording();
    let output = ecs(&server)
        .wait_until_snapshot_available(&request, options)
        .await
        .expect("available");
    let seen = states(&seen);
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0], None, "not found first");
    assert_eq!(seen[1].as_ref().map(|s| s.0), Some(State::Creating));
    let snapshot = output
        .snapshots
        .iter()
        .flatten()
        .find(|s| s.snapshot_id == id)
        .expect("the snapshot");
    // The mock makes `Available` agree with the scripted state; the
    // acceptor in the spec demands it.
    assert_eq!(snapshot.available, Some(true));
    assert_eq!(
        snapshot.status.as_ref().map(|s| s.to_string()),
        Some(raw(decl, State::Available))
    );

    // Status accomplished but Available false is not available yet.
    let view = decl.describe.as_ref().unwrap();
    let mut body = serde_json::to_value(&output).unwrap();
    body["Snapshots"]["Snapshot"][0]["Available"] = serde_json::Value::Bool(false);
    let summary = decl.observe(view, &body, Some(&id)).unwrap();
    assert_eq!(
        (summary.state, summary.raw_state),
        (State::Creating, Some(raw(decl, State::Available)))
    );
}

#[tokio::test]
async fn a_resource_never_found_ends_with_not_found_after_the_limit() {
    let model = model("aliyun-ecs.yaml");
    let decl = &aliyun::ecs::SNAPSHOT_RESOURCE;
    let server = MockServer::start(spec("aliyun-ecs.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("snapshot", &["not_found"; 10]))
        .unwrap();
    let id = example_summary(&model, decl).id;
    let request = aliyun::ecs::DescribeSnapshotsRequest::new()
        .with_region_id("cn-hangzhou")
        .with_snapshot_ids(vec![id.clone()]);
    let err = ecs(&server)
        .wait_until_snapshot_available(&request, fast().not_found_limit(2))
        .await
        .expect_err("never found");
    assert!(
        matches!(&err, WaitError::NotFound { id: got, code: None } if *got == id),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_gone_error_code_ends_the_wait_with_not_found() {
    let model = model("aliyun-elasticsearch.yaml");
    let decl = &aliyun::elasticsearch::SNAPSHOT_RESOURCE;
    let server = MockServer::start(spec("aliyun-elasticsearch.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("snapshot", &["creating", "not_found"]))
        .unwrap();
    let request: aliyun::elasticsearch::GetSnapshotStatusRequest = example_request(&model, "GetSnapshotStatus");
    let err = es(&server)
        .wait_until_snapshot_available(&request, fast())
        .await
        .expect_err("gone");
    let gone = decl
        .describe
        .as_ref()
        .unwrap()
        .errors
        .iter()
        .find(|e| e.means == cloudsnap::lifecycle::ErrorMeaning::Gone);
    match err {
        WaitError::NotFound { code, .. } => assert_eq!(code.as_deref(), gone.map(|e| e.code)),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failing_describe_call_ends_the_wait_with_the_operation_error() {
    let model = model("zilliz-cloud.yaml");
    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    // A Zilliz error with HTTP 200: not throttling, not retried.
    server.enqueue(
        "DescribeBackup",
        MockResponse::json(200, &serde_json::json!({ "code": 80001, "message": "invalid token" })),
    );
    let request: zilliz::cloud::DescribeBackupRequest = example_request(&model, "DescribeBackup");
    let err = zilliz(&server)
        .wait_until_backup_available(&request, fast())
        .await
        .expect_err("fails");
    match err {
        WaitError::Operation(e) => assert_eq!(e.service_error().map(|s| s.raw_code.as_str()), Some("80001")),
        other => panic!("expected Operation, got {other:?}"),
    }
}

#[tokio::test]
async fn dropping_the_wait_stops_polling() {
    let model = model("zilliz-cloud.yaml");
    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("backup", &["creating"; 200]))
        .unwrap();
    let request: zilliz::cloud::DescribeBackupRequest = example_request(&model, "DescribeBackup");
    let client = zilliz(&server);
    let options = fast()
        .min_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(20));
    let wait = client.wait_until_backup_available(&request, options);
    assert!(tokio::time::timeout(Duration::from_millis(150), wait).await.is_err());
    let polled = server.requests().len();
    assert!(polled >= 2, "{polled}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.requests().len(), polled, "no poll after the drop");
}

#[tokio::test]
async fn a_request_without_an_id_cannot_be_waited_for() {
    let server = MockServer::start(spec("aliyun-ecs.yaml")).await.unwrap();
    let request = aliyun::ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou");
    let err = ecs(&server)
        .wait_until_snapshot_available(&request, fast())
        .await
        .expect_err("no id");
    assert!(matches!(err, WaitError::Invalid(_)), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_type_erased_resources_wait_describe_and_list_by_parameter_name() {
    let model = model("zilliz-cloud.yaml");
    let decl = &zilliz::cloud::BACKUP_RESOURCE;
    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("backup", &["creating", "available", "creating"]))
        .unwrap();
    let client = zilliz(&server);
    let example = example_summary(&model, decl);
    let request: zilliz::cloud::DescribeBackupRequest = example_request(&model, "DescribeBackup");
    let resource: &dyn DynResource = zilliz::cloud::resources()
        .iter()
        .copied()
        .find(|r| r.name() == decl.name)
        .expect("the backup resource");
    // The context parameter by Rust name; the id goes to BACKUP_ID.
    let mut params = serde_json::Map::new();
    params.insert(
        "cluster_id".into(),
        serde_json::Value::String(request.cluster_id.clone()),
    );
    let done = resource
        .wait(client.inner(), &example.id, &params, State::Available, fast())
        .await
        .expect("available");
    assert_eq!((done.state, done.id.as_str()), (State::Available, example.id.as_str()));
    let described = resource.describe(client.inner(), &example.id, &params).await.unwrap();
    assert_eq!(described.state, State::Creating);
    // By wire name too; the listing pages through everything.
    let mut wire = serde_json::Map::new();
    wire.insert(
        "CLUSTER_ID".into(),
        serde_json::Value::String(request.cluster_id.clone()),
    );
    let listed = resource.list(client.inner(), &serde_json::Map::new()).await.unwrap();
    assert!(!listed.is_empty());
    assert!(listed.iter().all(|s| s.vendor == "zilliz" && s.kind == decl.name));
    let last = server.requests().len();
    assert!(last >= 4, "{last}");
}

#[tokio::test]
async fn scripts_name_what_they_cannot_script() {
    let server = MockServer::start(spec("huawei-css.yaml")).await.unwrap();
    let script = Script::parse(&format!(
        "resources:\n  {}/no_such_resource: [creating]\n",
        server.service_name()
    ))
    .unwrap();
    let err = server.apply_script(&script).unwrap_err();
    assert!(err.to_string().contains("declares no resource"), "{err}");
    // A resource another spec declares is skipped, not an error.
    assert_eq!(
        server
            .apply_script(&Script::states("no_such_resource", &["creating"]))
            .unwrap(),
        Vec::<usize>::new()
    );
    // A state no documented value maps to is refused (give a raw value instead).
    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    let unmapped = State::ALL
        .into_iter()
        .find(|s| zilliz::cloud::BACKUP_RESOURCE.describe.unwrap().raw_for(*s).is_none())
        .expect("Zilliz documents no value for some state");
    let err = server
        .apply_script(&Script::states("backup", &[unmapped.as_str()]))
        .unwrap_err();
    assert!(err.to_string().contains("give a raw value instead"), "{err}");
}

/// Create a CSS snapshot, then wait for it by the id CreateSnapshot
/// returned: ListSnapshots lists every snapshot of the cluster, and the
/// waiter picks the one with that id (another snapshot's state does not
/// count: absent first, then creating, then available).
#[tokio::test]
async fn css_snapshot_created_then_waited_for_by_id_among_the_listed_ones() {
    let model = model("huawei-css.yaml");
    let decl = &huawei::css::SNAPSHOT_RESOURCE;
    let server = MockServer::start(spec("huawei-css.yaml")).await.unwrap();
    let client = css(&server);
    let create: huawei::css::CreateSnapshotRequest = example_request(&model, "CreateSnapshot");
    let created = client.create_snapshot(&create).await.expect("CSS creates");
    let id = created.backup.id.clone();
    let other = format!("{id}-other");
    server
        .apply_script(&css_script(&[
            (State::Available.as_str(), &other),
            (State::Creating.as_str(), &id),
            (State::Available.as_str(), &id),
        ]))
        .unwrap();
    // The listing is addressed by the cluster the snapshot was created in.
    let list = huawei::css::ListSnapshotsRequest::new(create.project_id.clone(), create.cluster_id.clone());
    let (options, seen) = recording();
    let output = client
        .wait_until_snapshot_available(&list, &id, options)
        .await
        .expect("available");
    let item = output
        .backups
        .iter()
        .flatten()
        .find(|b| b.id == id)
        .expect("the created snapshot is listed");
    assert_eq!(
        item.status.as_ref().map(|s| s.to_string()),
        Some(raw(decl, State::Available))
    );
    let creating = Some((State::Creating, Some(raw(decl, State::Creating))));
    let available = Some((State::Available, Some(raw(decl, State::Available))));
    assert_eq!(
        states(&seen),
        [None, creating, available],
        "another snapshot's state is not ours"
    );
    let polls: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some(view_op(decl)))
        .map(|r| r.path)
        .collect();
    assert_eq!(polls.len(), 3, "{polls:?}");
    assert!(polls.iter().all(|p| p.contains(&create.cluster_id)), "{polls:?}");

    // The generic engine without an id: a listing names no snapshot, so
    // there is nothing to wait for, and nothing is sent.
    let before = server.requests().len();
    let err = cloudsnap::client::wait_for(client.inner(), decl, &list, State::Available, &fast())
        .await
        .expect_err("no id");
    assert!(
        matches!(&err, WaitError::Invalid(m) if m.contains(view_op(decl))),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), before);
}

fn view_op(decl: &ResourceDecl) -> &'static str {
    decl.describe.as_ref().expect("a describe view").operation
}

/// Every status the spec maps to failed (FAILED, and PART_FAILED where some
/// shards failed) ends the wait for `available` with the failure state and
/// the last listing.
#[tokio::test]
async fn css_snapshot_that_fails_ends_with_the_failure_state() {
    let model = model("huawei-css.yaml");
    let decl = &huawei::css::SNAPSHOT_RESOURCE;
    let view = decl.describe.as_ref().expect("CSS snapshots are described");
    let failed: Vec<&str> = view
        .states
        .iter()
        .filter(|(_, s)| *s == State::Failed)
        .map(|(v, _)| *v)
        .collect();
    assert!(!failed.is_empty());
    for value in failed {
        let server = MockServer::start(spec("huawei-css.yaml")).await.unwrap();
        let client = css(&server);
        let create: huawei::css::CreateSnapshotRequest = example_request(&model, "CreateSnapshot");
        let id = client.create_snapshot(&create).await.unwrap().backup.id;
        server
            .apply_script(&css_script(&[(State::Creating.as_str(), &id), (value, &id)]))
            .unwrap();
        let list: huawei::css::ListSnapshotsRequest = example_request(&model, "ListSnapshots");
        let err = client
            .wait_until_snapshot_available(&list, &id, fast())
            .await
            .expect_err("failed");
        match err {
            WaitError::FailureState {
                target,
                summary,
                output,
            } => {
                assert_eq!(target, State::Available);
                assert_eq!(
                    (summary.state, summary.raw_state.as_deref(), summary.id.as_str()),
                    (State::Failed, Some(value), id.as_str())
                );
                let listed = output.backups.iter().flatten().find(|b| b.id == id).unwrap();
                assert_eq!(listed.status.as_ref().map(|s| s.to_string()).as_deref(), Some(value));
            }
            other => panic!("{value}: {other:?}"),
        }
    }
}

/// A snapshot the listing never shows ends with `NotFound` for its id; the
/// type-erased resource waits and describes by id with the cluster as a
/// context parameter.
#[tokio::test]
async fn css_snapshot_missing_from_the_listing_is_not_found_and_the_dyn_resource_waits_by_id() {
    let model = model("huawei-css.yaml");
    let decl = &huawei::css::SNAPSHOT_RESOURCE;
    let server = MockServer::start(spec("huawei-css.yaml")).await.unwrap();
    let client = css(&server);
    let listed = example_summary(&model, decl).id;
    let missing = format!("{listed}-missing");
    let list: huawei::css::ListSnapshotsRequest = example_request(&model, "ListSnapshots");
    let err = client
        .wait_until_snapshot_available(&list, &missing, fast().not_found_limit(2))
        .await
        .expect_err("never listed");
    assert!(
        matches!(&err, WaitError::NotFound { id, code: None } if *id == missing),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3);

    server
        .apply_script(&css_script(&[
            (State::Creating.as_str(), &listed),
            (State::Available.as_str(), &listed),
            (State::Creating.as_str(), &listed),
        ]))
        .unwrap();
    let resource = huawei::css::resources()
        .iter()
        .copied()
        .find(|r| r.name() == decl.name)
        .expect("the snapshot resource");
    let mut params = serde_json::Map::new();
    params.insert("project_id".into(), list.project_id.clone().into());
    params.insert("cluster_id".into(), list.cluster_id.clone().into());
    let done = resource
        .wait(client.inner(), &listed, &params, State::Available, fast())
        .await
        .expect("available");
    assert_eq!((done.state, done.id.as_str()), (State::Available, listed.as_str()));
    let described = resource.describe(client.inner(), &listed, &params).await.unwrap();
    assert_eq!(described.state, State::Creating);
}

/// Progress scripted into a resource keeps the type of the example's field
/// (CBR's `extend_info.progress` is an integer: a float there would not
/// parse), and the observed summaries carry it.
#[tokio::test]
async fn scripted_progress_keeps_the_fields_type_and_reaches_the_summary() {
    let model = model("huawei-cbr.yaml");
    let server = MockServer::start(spec("huawei-cbr.yaml")).await.unwrap();
    let script = Script::parse(
        "resources:\n  backup: [{ state: creating, progress: 60 }, { state: available, progress: 100 }]\n",
    )
    .unwrap();
    server.apply_script(&script).unwrap();
    let request: huawei::cbr::ShowBackupRequest = example_request(&model, "ShowBackup");
    let (options, seen) = recording();
    cbr(&server)
        .wait_until_backup_available(&request, options)
        .await
        .expect("available");
    let progress: Vec<Option<f64>> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|p| p.observed.as_ref().and_then(|s| s.progress))
        .collect();
    assert_eq!(progress, [Some(60.0), Some(100.0)]);
}

/// The type-erased describe tells a resource that does not exist
/// (`ResourceNotFound`) from parameters that make no request
/// (`Unsupported`), and refuses a parameter name the operation does not
/// have instead of dropping it.
#[tokio::test]
async fn the_type_erased_describe_types_not_found_and_refuses_unknown_parameters() {
    use cloudsnap::client::waiter::Unsupported;
    use cloudsnap::client::ResourceNotFound;

    let model = model("aliyun-ecs.yaml");
    let decl = &aliyun::ecs::SNAPSHOT_RESOURCE;
    let server = MockServer::start(spec("aliyun-ecs.yaml")).await.unwrap();
    server
        .apply_script(&Script::states("snapshot", &["not_found"]))
        .unwrap();
    let client = ecs(&server);
    let resource: &dyn DynResource = aliyun::ecs::resources()
        .iter()
        .copied()
        .find(|r| r.name() == decl.name)
        .expect("the snapshot resource");
    let id = example_summary(&model, decl).id;

    let mut params = serde_json::Map::new();
    params.insert("NoSuchParameter".into(), serde_json::Value::from("x"));
    let err = resource
        .describe(client.inner(), &id, &params)
        .await
        .expect_err("an unknown parameter");
    let unsupported = err.get_ref().downcast_ref::<Unsupported>().expect("Unsupported");
    assert!(unsupported.0.contains("NoSuchParameter"), "{unsupported}");
    assert!(server.requests().is_empty(), "nothing is sent");

    // The example's parameters but the id (ECS wants its region too).
    let request: aliyun::ecs::DescribeSnapshotsRequest = example_request(&model, "DescribeSnapshots");
    let mut context = match serde_json::to_value(&request).unwrap() {
        serde_json::Value::Object(m) => m,
        other => panic!("{other}"),
    };
    let id_param = decl
        .describe
        .as_ref()
        .and_then(|v| v.id_param)
        .expect("an id parameter")
        .0;
    context.remove(id_param);
    let err = resource
        .describe(client.inner(), &id, &context)
        .await
        .expect_err("not found");
    let missing = err
        .get_ref()
        .downcast_ref::<ResourceNotFound>()
        .unwrap_or_else(|| panic!("ResourceNotFound, not {err}"));
    assert_eq!((missing.resource, missing.id.as_str()), (decl.name, id.as_str()));
}
