//! One view across clouds: the documented example data of all five services
//! through one type, `cloudsnap::lifecycle::SnapshotSummary`, from typed
//! outputs (`Summarize`) and over TCP from the mock servers through the
//! type-erased `resources()` of each module.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cloudsnap::auth::{ApiKey, BasicCredentials};
use cloudsnap::lifecycle::{ResourceDecl, SnapshotSummary, State, Summarize};
use cloudsnap::{aliyun, huawei, zilliz};
use cloudsnap_codegen::model::Model;
use cloudsnap_mock::MockServer;
use serde::de::DeserializeOwned;

fn spec(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs").join(name)
}

fn model(name: &str) -> Model {
    let loaded = cloudsnap_codegen::load::load_file(&spec(name)).expect("spec loads");
    cloudsnap_codegen::model::build(&loaded).expect("spec validates")
}

/// Every example success output of `op`, typed (Zilliz's envelope removed).
fn outputs<T: DeserializeOwned>(model: &Model, op: &str) -> Vec<T> {
    let op = model.operations.iter().find(|o| o.id == op).expect("operation");
    op.examples
        .iter()
        .filter_map(|e| e.response.as_ref())
        .filter(|r| (200..300).contains(&r.status))
        .map(|r| {
            let mut v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            if model.service.success_envelope == cloudsnap::runtime::SuccessEnvelope::Zilliz {
                v = v["data"].take();
            }
            serde_json::from_value(v).expect("example parses")
        })
        .collect()
}

fn summarize_all<T: DeserializeOwned + Summarize>(model: &Model, op: Option<&str>) -> Vec<SnapshotSummary> {
    op.map(|op| outputs::<T>(model, op).iter().flat_map(Summarize::summaries).collect())
        .unwrap_or_default()
}

fn op(view: &Option<cloudsnap::lifecycle::ViewDecl>) -> Option<&'static str> {
    view.as_ref().map(|v| v.operation)
}

/// Every documented state value of a declaration's views maps to a known
/// state, so no example summary may be `unknown`.
fn check(decl: &ResourceDecl, summaries: &[SnapshotSummary]) {
    assert!(
        !summaries.is_empty(),
        "{}.{}: no example summaries",
        decl.vendor,
        decl.service
    );
    for s in summaries {
        assert_eq!((s.vendor, s.service, s.kind), (decl.vendor, decl.service, decl.name));
        assert!(!s.id.is_empty(), "{s:?}");
        assert!(s.raw_state.is_some(), "{s:?}");
        assert_ne!(s.state, State::Unknown, "{s:?}");
    }
}

#[test]
fn the_example_data_of_all_five_services_lists_into_one_table() {
    let mut table: Vec<SnapshotSummary> = Vec::new();

    let m = model("aliyun-ecs.yaml");
    let d = &aliyun::ecs::SNAPSHOT_RESOURCE;
    let rows = summarize_all::<aliyun::ecs::DescribeSnapshotsResponse>(&m, op(&d.list));
    check(d, &rows);
    table.extend(rows);

    let m = model("aliyun-elasticsearch.yaml");
    let d = &aliyun::elasticsearch::SNAPSHOT_RESOURCE;
    let mut rows = summarize_all::<aliyun::elasticsearch::GetSnapshotsResponse>(&m, op(&d.list));
    rows.extend(summarize_all::<aliyun::elasticsearch::GetSnapshotStatusResponse>(
        &m,
        op(&d.describe),
    ));
    check(d, &rows);
    // The status API reports sizes; 6.x counters in the example.
    assert!(rows.iter().any(|r| r.size_bytes.is_some()));
    table.extend(rows);

    let m = model("huawei-cbr.yaml");
    let d = &huawei::cbr::BACKUP_RESOURCE;
    let rows = summarize_all::<huawei::cbr::ShowBackupResponse>(&m, op(&d.describe));
    check(d, &rows);
    table.extend(rows);

    // CSS has no describe or list call; the output of CreateSnapshot shows
    // the new snapshot (id, name, state, creation time), so it summarizes.
    let m = model("huawei-css.yaml");
    let d = &huawei::css::SNAPSHOT_RESOURCE;
    assert!(d.describe.is_none() && d.no_describe.is_some());
    let rows = summarize_all::<huawei::css::CreateSnapshotResponse>(&m, op(&d.create));
    check(d, &rows);
    table.extend(rows);

    let m = model("zilliz-cloud.yaml");
    let d = &zilliz::cloud::BACKUP_RESOURCE;
    let mut rows = summarize_all::<zilliz::cloud::ListBackupsResponse>(&m, op(&d.list));
    rows.extend(summarize_all::<zilliz::cloud::BackupDetail>(&m, op(&d.describe)));
    check(d, &rows);
    table.extend(rows);

    let services: BTreeSet<(&str, &str)> = table.iter().map(|s| (s.vendor, s.service)).collect();
    assert_eq!(services.len(), 5, "{services:?}");
    // Sizes are bytes, times RFC 3339 when readable.
    for s in &table {
        if let Some(t) = &s.created_at {
            assert!(cloudsnap::runtime::tolerant::timestamp(t).is_ok(), "{t}");
        }
    }
    let json = serde_json::to_value(&table).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(table.len()));
    assert!(json[0].get("raw_state").is_some() && json[0].get("size_bytes").is_some());
}

#[tokio::test]
async fn every_service_lists_over_tcp_through_its_type_erased_resources() {
    let mut table: Vec<SnapshotSummary> = Vec::new();
    let params = serde_json::Map::new();

    let server = MockServer::start(spec("aliyun-ecs.yaml")).await.unwrap();
    let config = aliyun::ecs::Client::config().endpoint(server.url());
    let client = aliyun::ecs::Client::with_aliyun_rpc(config, server.credentials().aliyun()).unwrap();
    // ECS needs its region; by wire name.
    let mut ecs_params = serde_json::Map::new();
    ecs_params.insert("RegionId".into(), "cn-hangzhou".into());
    for r in aliyun::ecs::resources() {
        table.extend(r.list(client.inner(), &ecs_params).await.expect("ECS lists"));
    }

    let server = MockServer::start(spec("aliyun-elasticsearch.yaml")).await.unwrap();
    let c = server.credentials();
    let config = aliyun::elasticsearch::Client::config().endpoint(server.url());
    let client = aliyun::elasticsearch::Client::with_basic_auth(
        config,
        BasicCredentials::new(c.basic_user.clone(), c.basic_password.clone()),
    )
    .unwrap();
    let m = model("aliyun-elasticsearch.yaml");
    let repository = m.operations[0].examples[0].request.as_ref().unwrap().params["repository"].clone();
    let mut es_params = serde_json::Map::new();
    es_params.insert("repository".into(), repository);
    for r in aliyun::elasticsearch::resources() {
        table.extend(r.list(client.inner(), &es_params).await.expect("ES lists"));
    }

    let server = MockServer::start(spec("zilliz-cloud.yaml")).await.unwrap();
    let config = zilliz::cloud::Client::config().endpoint(server.url());
    let client =
        zilliz::cloud::Client::with_api_key(config, ApiKey::new(server.credentials().api_key.clone())).unwrap();
    for r in zilliz::cloud::resources() {
        table.extend(r.list(client.inner(), &params).await.expect("Zilliz lists"));
    }

    // CBR describes one backup (no list call in the spec): by id.
    let server = MockServer::start(spec("huawei-cbr.yaml")).await.unwrap();
    let config = huawei::cbr::Client::config().endpoint(server.url());
    let client = huawei::cbr::Client::with_huawei_aksk(config, server.credentials().huawei_aksk()).unwrap();
    let m = model("huawei-cbr.yaml");
    let ex = m.operations[0].examples[0].request.as_ref().unwrap().params.clone();
    let mut cbr_params = serde_json::Map::new();
    cbr_params.insert("project_id".into(), ex["project_id"].clone());
    for r in huawei::cbr::resources() {
        assert!(r.list(client.inner(), &cbr_params).await.is_err(), "no list call");
        let id = ex["backup_id"].as_str().unwrap();
        table.push(
            r.describe(client.inner(), id, &cbr_params)
                .await
                .expect("CBR describes"),
        );
    }

    // CSS: create one and summarize the output.
    let server = MockServer::start(spec("huawei-css.yaml")).await.unwrap();
    let config = huawei::css::Client::config().endpoint(server.url());
    let client = huawei::css::Client::with_huawei_aksk(config, server.credentials().huawei_aksk()).unwrap();
    let m = model("huawei-css.yaml");
    let ex = m.operations[0].examples[0].request.as_ref().unwrap().params.clone();
    let request: huawei::css::CreateSnapshotRequest =
        serde_json::from_value(serde_json::to_value(ex).unwrap()).unwrap();
    let created = client.create_snapshot(&request).await.expect("CSS creates");
    table.extend(created.summaries());

    let services: BTreeSet<(&str, &str)> = table.iter().map(|s| (s.vendor, s.service)).collect();
    assert_eq!(services.len(), 5, "{services:?}");
    assert!(table.iter().all(|s| !s.id.is_empty()));
}
