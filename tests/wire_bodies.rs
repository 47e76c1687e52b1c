//! Response bodies shaped like current servers', one set per operation,
//! parsed by the real parser (`Operation::parse_response_with_raw`) and
//! checked value by value: numbers sent as strings where the vendor's runtime
//! allows it, Elasticsearch 6.x, 7.x and 8.x shapes, members no spec knows,
//! nulls, and enum values the spec does not list.
//!
//! The bodies are written for these tests from the public sources cited in
//! the specs' errata (the Elasticsearch specification and reference, the
//! Alibaba and Huawei SDK models, the vendors' documents); none is a
//! captured response.

use cloudsnap::runtime::{Operation, ResponseError, WithRaw};
use cloudsnap_codegen::model::{Model, TypeKind};
use serde_json::{json, Value};

use cloudsnap::aliyun::ecs::{self, DescribeSnapshotsRequest};
use cloudsnap::aliyun::elasticsearch::{self as es, GetSnapshotStatusRequest, GetSnapshotsRequest};
use cloudsnap::huawei::cbr::{self, ShowBackupRequest};
use cloudsnap::huawei::css::{self, CreateSnapshotRequest};
use cloudsnap::zilliz::cloud::{self as zilliz, DescribeBackupRequest, ListBackupsRequest};

fn model(file: &str) -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("specs")
        .join(file);
    let loaded = cloudsnap_codegen::load::load_file(&path).expect("spec loads");
    cloudsnap_codegen::model::build(&loaded).expect("spec validates")
}

/// A value of enum `ty` that the spec does not list (checked against the
/// model, so the test stays true when the spec learns new values).
fn unknown_value(model: &Model, ty: &str) -> String {
    let t = model.types.iter().find(|t| t.key == ty).expect("enum in spec");
    let TypeKind::Enum { values, .. } = &t.kind else {
        panic!("{ty} is not an enum")
    };
    let candidate = "VALUE_FROM_A_NEWER_SERVER".to_owned();
    assert!(
        values.iter().all(|v| !v.wire.eq_ignore_ascii_case(&candidate)),
        "{ty} knows {candidate}"
    );
    candidate
}

/// Whether field `field` of type `ty` is read leniently per the model.
fn lenient(model: &Model, ty: &str, field: &str) -> bool {
    let t = model.types.iter().find(|t| t.key == ty).expect("type in spec");
    let TypeKind::Object { fields } = &t.kind else {
        panic!("{ty} is not an object")
    };
    fields.iter().find(|f| f.wire == field).expect("field in spec").lenient
}

fn parse<O: Operation>(body: &Value) -> WithRaw<O::Output> {
    let response = http::Response::builder()
        .status(O::INFO.success_status)
        .body(body.to_string().into_bytes())
        .expect("response");
    match O::parse_response_with_raw(response) {
        Ok(out) => out,
        Err(e) => panic!("{}: {e:?}", O::INFO.name),
    }
}

fn decode_path<O: Operation>(body: &Value) -> String {
    let response = http::Response::builder()
        .status(O::INFO.success_status)
        .body(body.to_string().into_bytes())
        .expect("response");
    match O::parse_response(&response) {
        Err(ResponseError::Decode { path, .. }) => path,
        Err(other) => panic!("{}: not a decode error: {other:?}", O::INFO.name),
        Ok(_) => panic!("{}: parsed, but should not have", O::INFO.name),
    }
}

fn millis(t: &cloudsnap::runtime::tolerant::Timestamp) -> i128 {
    t.unix_timestamp_nanos() / 1_000_000
}

fn extra_pointers<T: serde::Serialize>(parsed: &WithRaw<T>) -> Vec<String> {
    parsed
        .extra_members()
        .expect("body is JSON")
        .into_iter()
        .map(|(p, _)| p)
        .collect()
}

// ---------------------------------------------------------------- ECS

fn ecs_body(status: &str) -> Value {
    // Tea-runtime spellings: counts as strings, a size as a number, booleans
    // as strings; a member no document lists, a null, a newer status.
    json!({
        "RequestId": "6E3B8A1B-2B0F-4D1A-9D7E-0C5B5A8E1F11",
        "TotalCount": "2",
        "PageNumber": "1",
        "PageSize": "10",
        "NextToken": "",
        "Snapshots": {"Snapshot": [
            {
                "SnapshotId": "s-bp1aaaaaaaaaaaaaaaaa",
                "Status": "accomplished",
                "Progress": "100%",
                "RemainTime": "0",
                "RetentionDays": "30",
                "SourceDiskSize": 40,
                "Encrypted": "false",
                "Available": "true",
                "InstantAccess": false,
                "FullSnapshotSizeInBytes": "42949672960",
                "CreationTime": "2024-05-06T07:08:09Z",
                "LastModifiedTime": "2024-05-06T07:10Z",
                "SourceDiskType": "Data",
                "Category": "Standard",
                "Description": null,
                "Tags": {"Tag": [{"TagKey": "env", "TagValue": "prod"}]},
                "ArchiveTierFromANewerRelease": {"Tier": "cold"}
            },
            {
                "SnapshotId": "s-bp1bbbbbbbbbbbbbbbbb",
                "Status": status,
                "Progress": "37%",
                "RemainTime": 120,
                "SourceDiskSize": "100"
            }
        ]}
    })
}

#[test]
fn ecs_numbers_as_strings_newer_status_and_extra_members() {
    let m = model("aliyun-ecs.yaml");
    assert!(
        m.service.lenient_scalars,
        "ECS reads scalars as Alibaba's Tea runtime does"
    );
    let newer = unknown_value(&m, "SnapshotStatus");
    let parsed = parse::<DescribeSnapshotsRequest>(&ecs_body(&newer));
    let out = parsed.output();
    assert_eq!(out.total_count, Some(2));
    assert_eq!((out.page_number, out.page_size), (Some(1), Some(10)));
    assert_eq!(out.next_token.as_deref(), Some(""));
    let snaps = out.snapshots.as_ref().expect("snapshots");
    assert_eq!(snaps.len(), 2);
    let a = &snaps[0];
    assert_eq!(a.status, Some(ecs::SnapshotStatus::Accomplished));
    assert_eq!(a.progress.as_deref(), Some("100%"));
    assert_eq!((a.remain_time, a.retention_days), (Some(0), Some(30)));
    assert_eq!(a.source_disk_size.as_deref(), Some("40"));
    assert_eq!(
        (a.encrypted, a.available, a.instant_access),
        (Some(false), Some(true), Some(false))
    );
    assert_eq!(a.full_snapshot_size_in_bytes, Some(42_949_672_960));
    assert_eq!(a.source_disk_type, Some(ecs::SourceDiskType::Data));
    assert_eq!(a.description, None);
    assert_eq!(a.tags.as_ref().map(Vec::len), Some(1));
    let created = &a.creation_time_parsed().expect("present").expect("parses");
    assert_eq!(*created, time::macros::datetime!(2024-05-06 07:08:09 UTC));
    let modified = &a.last_modified_time_parsed().expect("present").expect("parses");
    assert_eq!(
        millis(modified) - millis(created),
        111_000,
        "07:10:00 is 111 s after 07:08:09"
    );
    let b = &snaps[1];
    assert_eq!(b.status, Some(ecs::SnapshotStatus::Unknown(newer.clone())));
    assert_eq!(b.remain_time, Some(120));
    assert_eq!(b.source_disk_size.as_deref(), Some("100"));
    // The member no spec knows is still there, by its JSON pointer.
    assert_eq!(
        extra_pointers(&parsed),
        ["/Snapshots/Snapshot/0/ArchiveTierFromANewerRelease"]
    );
    // Output is canonical: numbers serialize as numbers.
    let back = serde_json::to_value(out).expect("serializes");
    assert_eq!(back["TotalCount"], json!(2));
    assert_eq!(back["Snapshots"]["Snapshot"][0]["RemainTime"], json!(0));
    assert_eq!(back["Snapshots"]["Snapshot"][0]["Encrypted"], json!(false));
}

#[test]
fn ecs_string_that_is_not_a_number_is_a_located_decode_error() {
    let mut body = ecs_body("accomplished");
    body["TotalCount"] = json!("two");
    assert_eq!(decode_path::<DescribeSnapshotsRequest>(&body), "TotalCount");
    let mut body = ecs_body("accomplished");
    body["Snapshots"]["Snapshot"][1]["RemainTime"] = json!("2 minutes");
    let path = decode_path::<DescribeSnapshotsRequest>(&body);
    assert!(
        path.starts_with("Snapshots") && path.ends_with("[1].RemainTime"),
        "{path}"
    );
    let mut body = ecs_body("accomplished");
    body["Snapshots"]["Snapshot"][0]["Encrypted"] = json!("maybe");
    let path = decode_path::<DescribeSnapshotsRequest>(&body);
    assert!(path.ends_with("[0].Encrypted"), "{path}");
}

// ------------------------------------------------------- Elasticsearch

/// A finished snapshot as Elasticsearch 6.8 lists it.
fn es6_snapshot() -> Value {
    json!({
        "snapshot": "es-cn-abcdefghijklmn_20190628092236",
        "uuid": "n7YIayyZTm2hwg8BeWbydA",
        "version_id": 6080099,
        "version": "6.8.0",
        "indices": [".kibana_1", "logs-2019.06.28"],
        "include_global_state": true,
        "state": "SUCCESS",
        "start_time": "2019-06-28T01:22:39.609Z",
        "start_time_in_millis": 1561684959609_i64,
        "end_time": "2019-06-28T01:22:40.923Z",
        "end_time_in_millis": 1561684960923_i64,
        "duration_in_millis": 1314,
        "failures": [],
        "shards": {"total": 6, "failed": 0, "successful": 6}
    })
}

#[test]
fn es6_snapshot_list_parses_with_nothing_left_over() {
    let parsed = parse::<GetSnapshotsRequest>(&json!({"snapshots": [es6_snapshot()]}));
    let s = &parsed.output().snapshots.as_ref().expect("snapshots")[0];
    assert_eq!(s.version.as_deref(), Some("6.8.0"));
    assert_eq!(s.include_global_state, Some(true));
    assert_eq!(s.state, Some(es::SnapshotState::Success));
    let shards = s.shards.as_ref().expect("shards");
    assert_eq!(
        (shards.total, shards.failed, shards.successful),
        (Some(6), Some(0), Some(6))
    );
    assert_eq!(s.underscore_shards, None);
    let start = s.start_time_parsed().expect("present").expect("parses");
    assert_eq!(Some(millis(&start) as i64), s.start_time_in_millis);
    assert_eq!(parsed.output().next, None);
    assert!(extra_pointers(&parsed).is_empty(), "{:?}", extra_pointers(&parsed));
}

#[test]
fn es7_per_repository_responses_parse() {
    // 7.x before 7.14 answers a request over several repositories per repository.
    let body = json!({"responses": [
        {"repository": "aliyun_auto_snapshot", "snapshots": [es6_snapshot()]},
        {"repository": "broken", "error": {"type": "repository_missing_exception", "reason": "[broken] missing"}}
    ]});
    let parsed = parse::<GetSnapshotsRequest>(&body);
    let responses = parsed.output().responses.as_ref().expect("responses");
    assert_eq!(responses.len(), 2);
    assert_eq!(responses[0].repository, "aliyun_auto_snapshot");
    assert_eq!(responses[0].snapshots.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        responses[1].error.as_ref().and_then(|e| e["type"].as_str()),
        Some("repository_missing_exception")
    );
    assert!(parsed.output().snapshots.is_none());
    assert!(extra_pointers(&parsed).is_empty(), "{:?}", extra_pointers(&parsed));
}

fn es8_page(next: Option<&str>, remaining: i64) -> Value {
    let mut page = json!({
        "snapshots": [{
            "snapshot": "daily-snap-2024.05.06-abc",
            "uuid": "dKb54xw67gvdRctLCxSzQ",
            "repository": "aliyun_auto_snapshot",
            "version_id": 8110199,
            "version": "8.11.1",
            "indices": ["logs-app-default", ".ds-logs-app-default-2024.05.06-000001"],
            "data_streams": ["logs-app-default"],
            "include_global_state": true,
            "metadata": {"policy": "daily-snapshots"},
            "state": "PARTIAL",
            "reason": "1 shard failed",
            "start_time": "2024-05-06T01:30:00.012Z",
            "start_time_in_millis": 1714959000012_i64,
            "end_time": "2024-05-06T01:30:05.118Z",
            "end_time_in_millis": 1714959005118_i64,
            "duration_in_millis": 5106,
            "failures": [{
                "index": "logs-app-default",
                "index_uuid": "yTPRpG3mRgKkRr4g2Sbd1w",
                "shard_id": 0,
                "reason": "IndexShardSnapshotFailedException[aborted]",
                "node_id": "Qz0JMGmYT0WlqSk4eJ8dAw",
                "status": "INTERNAL_SERVER_ERROR"
            }],
            "shards": {"total": 2, "failed": 1, "successful": 1},
            "feature_states": [{"feature_name": "security", "indices": [".security-7"]}],
            "index_details": {"logs-app-default": {"shard_count": 1, "size_in_bytes": 2048576, "max_segments_per_shard": 3}}
        }],
        "total": 3,
        "remaining": remaining
    });
    if let Some(next) = next {
        page["next"] = json!(next);
    }
    page
}

#[test]
fn es8_snapshot_list_parses_every_member() {
    let parsed = parse::<GetSnapshotsRequest>(&es8_page(Some("ZGFpbHktc25hcA=="), 2));
    let out = parsed.output();
    assert_eq!(out.next.as_deref(), Some("ZGFpbHktc25hcA=="));
    assert_eq!((out.total, out.remaining), (Some(3), Some(2)));
    let s = &out.snapshots.as_ref().expect("snapshots")[0];
    assert_eq!(s.repository.as_deref(), Some("aliyun_auto_snapshot"));
    assert_eq!(s.data_streams.as_deref(), Some(&["logs-app-default".to_owned()][..]));
    assert_eq!(s.state, Some(es::SnapshotState::Partial));
    assert_eq!(s.reason.as_deref(), Some("1 shard failed"));
    assert_eq!(
        s.metadata.as_ref().map(|m| m["policy"].clone()),
        Some(json!("daily-snapshots"))
    );
    let fs = &s.feature_states.as_ref().expect("feature_states")[0];
    assert_eq!(fs.feature_name, "security");
    let details = &s.index_details.as_ref().expect("index_details")["logs-app-default"];
    assert_eq!(
        (
            details.shard_count,
            details.size_in_bytes,
            details.max_segments_per_shard
        ),
        (Some(1), Some(2_048_576), Some(3))
    );
    let failure = &s.failures.as_ref().expect("failures")[0];
    assert_eq!((failure.index.as_str(), failure.shard_id), ("logs-app-default", 0));
    assert!(extra_pointers(&parsed).is_empty(), "{:?}", extra_pointers(&parsed));
}

/// Shard and index statistics of a running snapshot as 7.x/8.x report them.
fn modern_stats(incremental: (i64, i64), processed: (i64, i64), total: (i64, i64)) -> Value {
    json!({
        "incremental": {"file_count": incremental.0, "size_in_bytes": incremental.1},
        "processed": {"file_count": processed.0, "size_in_bytes": processed.1},
        "total": {"file_count": total.0, "size_in_bytes": total.1},
        "start_time_in_millis": 1714959000012_i64,
        "time_in_millis": 2210
    })
}

#[test]
fn es7_running_status_fills_the_modern_statistics() {
    let counts = json!({"initializing": 0, "started": 1, "finalizing": 0, "done": 1, "failed": 0, "total": 2});
    let body = json!({"snapshots": [{
        "snapshot": "daily-snap-2024.05.06-abc",
        "repository": "aliyun_auto_snapshot",
        "uuid": "dKb54xw67gvdRctLCxSzQ",
        "state": "STARTED",
        "include_global_state": true,
        "shards_stats": counts,
        "stats": modern_stats((10, 1000), (4, 400), (12, 1200)),
        "indices": {"logs-app-default": {
            "shards_stats": counts,
            "stats": modern_stats((10, 1000), (4, 400), (12, 1200)),
            "shards": {
                "0": {"stage": "DONE", "stats": modern_stats((6, 600), (6, 600), (7, 700))},
                "1": {"stage": "STARTED", "node": "Qz0JMGmYT0WlqSk4eJ8dAw",
                      "stats": modern_stats((4, 400), (0, 0), (5, 500))}
            }
        }}
    }]});
    let parsed = parse::<GetSnapshotStatusRequest>(&body);
    let s = &parsed.output().snapshots.as_ref().expect("snapshots")[0];
    assert_eq!(s.state, Some(es::SnapshotStatusState::Started));
    assert_eq!(s.include_global_state, Some(true));
    let stats = s.stats.as_ref().expect("stats");
    let fc = |f: &Option<es::FileCountSnapshotStats>| f.as_ref().map(|f| (f.file_count, f.size_in_bytes));
    assert_eq!(fc(&stats.incremental), Some((Some(10), Some(1000))));
    assert_eq!(fc(&stats.processed), Some((Some(4), Some(400))));
    assert_eq!(fc(&stats.total), Some((Some(12), Some(1200))));
    // The 6.x counters are absent, as the server sent them: nothing else is.
    assert_eq!(stats.number_of_files, None);
    let index = &s.indices.as_ref().expect("indices")["logs-app-default"];
    let shard = &index.shards.as_ref().expect("shards")["1"];
    assert_eq!(shard.stage, Some(es::ShardSnapshotStage::Started));
    assert_eq!(shard.node.as_deref(), Some("Qz0JMGmYT0WlqSk4eJ8dAw"));
    assert_eq!(
        fc(&shard.stats.as_ref().expect("stats").processed),
        Some((Some(0), Some(0)))
    );
    assert!(extra_pointers(&parsed).is_empty(), "{:?}", extra_pointers(&parsed));
}

#[test]
fn es6_status_keeps_the_old_counters() {
    let old = json!({"number_of_files": 4, "processed_files": 4, "total_size_in_bytes": 3296,
                     "processed_size_in_bytes": 3296, "start_time_in_millis": 1530148959688_i64, "time_in_millis": 77});
    let body = json!({"snapshots": [{"snapshot": "s", "repository": "r", "uuid": "u", "state": "SUCCESS",
        "shards_stats": {"initializing": 0, "started": 0, "finalizing": 0, "done": 1, "failed": 0, "total": 1},
        "stats": old, "indices": {}}]});
    let parsed = parse::<GetSnapshotStatusRequest>(&body);
    let stats = parsed.output().snapshots.as_ref().expect("snapshots")[0]
        .stats
        .clone()
        .expect("stats");
    assert_eq!(
        (
            stats.number_of_files,
            stats.processed_files,
            stats.total_size_in_bytes,
            stats.processed_size_in_bytes
        ),
        (Some(4), Some(4), Some(3296), Some(3296))
    );
    assert!(stats.incremental.is_none() && stats.total.is_none());
    assert!(extra_pointers(&parsed).is_empty());
}

#[test]
fn es8_status_from_a_departed_node_and_an_unknown_stage() {
    let m = model("aliyun-elasticsearch.yaml");
    let newer = unknown_value(&m, "ShardSnapshotStage");
    let minus = modern_stats((-1, -1), (-1, -1), (-1, -1));
    let body = json!({"snapshots": [{"snapshot": "s", "repository": "r", "uuid": "u", "state": "SUCCESS",
    "include_global_state": false, "stats": modern_stats((1, 10), (1, 10), (2, 20)),
    "indices": {"i": {"shards": {
        "0": {"stage": "DONE", "stats": minus,
              "description": "Snapshot shard stats missing from a currently running snapshot due to a node leaving the cluster after completing the shard snapshot. Retry once snapshot has completed to load all shard stats from the repository."},
        "1": {"stage": newer, "stats": modern_stats((1, 10), (1, 10), (2, 20)), "reason": null}
    }}}}]});
    let parsed = parse::<GetSnapshotStatusRequest>(&body);
    let shards = parsed.output().snapshots.as_ref().expect("snapshots")[0]
        .indices
        .as_ref()
        .expect("indices")["i"]
        .shards
        .clone()
        .expect("shards");
    let departed = &shards["0"];
    assert!(departed
        .description
        .as_deref()
        .is_some_and(|d| d.contains("node leaving")));
    let total = departed.stats.as_ref().and_then(|s| s.total.as_ref()).expect("total");
    assert_eq!((total.file_count, total.size_in_bytes), (Some(-1), Some(-1)));
    assert_eq!(shards["1"].stage, Some(es::ShardSnapshotStage::Unknown(newer)));
    assert_eq!(shards["1"].reason, None);
    assert!(extra_pointers(&parsed).is_empty(), "{:?}", extra_pointers(&parsed));
}

// ------------------------------------------------------------- Huawei

#[test]
fn cbr_backup_with_replication_records_and_sdk_members() {
    let m = model("huawei-cbr.yaml");
    let newer = unknown_value(&m, "BackupStatus");
    let body = json!({"backup": {
        "id": "6df2b54c-dd62-4059-a07c-1b8f24f2725d",
        "checkpoint_id": "8b0851a8-adf3-4f4c-a914-dead08bf9664",
        "created_at": "2024-05-06T07:59:12.733403",
        "expired_at": null,
        "updated_at": "2024-05-06T08:02:03.11+08:00",
        "name": "autobk_a61d",
        "status": newer,
        "resource_size": 40,
        "resource_type": "OS::Nova::Server",
        "provider_id": "0daac4c5-6707-4851-97ba-169e36266b66",
        "enterprise_project_id": "0",
        "incremental": true,
        "extend_info": {"auto_trigger": true, "bootable": true, "is_multi_az": false, "supported_restore_mode": "backup"},
        "replication_records": [{
            "id": "2b1c1bb6-5f4b-4a5c-8d58-0b4c1f6c2d7e",
            "created_at": "2024-05-06T08:10:00.000000",
            "destination_region": "cn-north-4",
            "destination_backup_id": "0c3b7fe0-1b8c-4a4a-9c0c-8cda3f2d3c11",
            "source_region": "cn-east-3",
            "status": "success",
            "extra_info": {"progress": 100, "fail_code": null, "auto_trigger": true, "destinatio_vault_id": "v-2"}
        }],
        "children": [],
        "a_member_from_a_newer_release": 1
    }});
    let parsed = parse::<ShowBackupRequest>(&body);
    let b = &parsed.output().backup;
    assert_eq!(b.status, Some(cbr::BackupStatus::Unknown(newer)));
    assert_eq!((b.incremental, b.resource_size), (Some(true), Some(40)));
    assert_eq!(b.enterprise_project_id.as_deref(), Some("0"));
    assert_eq!(b.expired_at, None);
    let created = b.created_at_parsed().expect("present").expect("no zone reads as UTC");
    assert_eq!(created, time::macros::datetime!(2024-05-06 07:59:12.733403 UTC));
    let updated = b.updated_at_parsed().expect("present").expect("offset");
    assert_eq!(updated, time::macros::datetime!(2024-05-06 00:02:03.11 UTC));
    assert_eq!(b.extend_info.as_ref().and_then(|e| e.is_multi_az), Some(false));
    let record = &b.replication_records.as_ref().expect("records")[0];
    assert_eq!(record.status, Some(cbr::ReplicationStatus::Success));
    assert_eq!(record.destination_region.as_deref(), Some("cn-north-4"));
    let extra = record.extra_info.as_ref().expect("extra_info");
    assert_eq!(
        (extra.progress, extra.destination_vault_id.as_deref()),
        (Some(100), Some("v-2"))
    );
    assert_eq!(extra_pointers(&parsed), ["/backup/a_member_from_a_newer_release"]);
}

#[test]
fn css_times_as_numbers_or_strings() {
    let m = model("huawei-css.yaml");
    assert!(lenient(&m, "Backup", "startTime") && lenient(&m, "Backup", "endTime"));
    let backup = |start: Value, end: Value| {
        json!({"backup": {
            "id": "9dc4f5c9-33c0-45c7-9378-ae35ae350682",
            "name": "snapshot_101",
            "created": "2018-07-31T04:02:47",
            "updated": null,
            "backupType": "1",
            "status": "BUILDING",
            "startTime": start,
            "endTime": end,
            "totalShards": 0,
            "datastore": {"type": "elasticsearch", "version": "7.10.2"}
        }})
    };
    for (start, end) in [
        (json!(1533009767542_i64), json!(0)),
        (json!("1533009767542"), json!("0")),
    ] {
        let parsed = parse::<CreateSnapshotRequest>(&backup(start, end));
        let b = &parsed.output().backup;
        assert_eq!((b.start_time, b.end_time), (Some(1_533_009_767_542), Some(0)));
        assert_eq!(b.backup_type, Some(css::BackupType::Manual));
        assert_eq!(b.updated, None);
        let created = b.created_parsed().expect("present").expect("parses");
        assert_eq!(created, time::macros::datetime!(2018-07-31 04:02:47 UTC));
        assert!(extra_pointers(&parsed).is_empty(), "{:?}", extra_pointers(&parsed));
    }
    assert_eq!(
        decode_path::<CreateSnapshotRequest>(&backup(json!("yesterday"), json!(0))),
        "backup.startTime"
    );
}

// ------------------------------------------------------------- Zilliz

#[test]
fn zilliz_pages_with_new_status_and_members() {
    let m = model("zilliz-cloud.yaml");
    let newer = unknown_value(&m, "BackupStatus");
    let body = json!({"code": 0, "requestId": "r-1", "data": {
    "count": 2, "currentPage": 1, "pageSize": 10,
    "backups": [
        {"backupId": "backup1_0b9d15a0ddexxxx", "backupType": "CLUSTER", "creationMethod": "AUTO",
         "status": "AVAILABLE", "size": 1073741824_i64, "createTime": "2024-08-26T02:27:51Z",
         "expireTime": "2024-09-02T02:27:51Z", "clusterId": "in01-3e5ad8adc38xxxx"},
        {"backupId": "backup2_1c9d15a0ddexxxx", "status": newer, "size": 0,
         "createTime": null, "storageTier": "STANDARD"}
    ]}});
    let parsed = parse::<ListBackupsRequest>(&body);
    let out = parsed.output();
    assert_eq!(
        (out.count, out.current_page, out.page_size),
        (Some(2), Some(1), Some(10))
    );
    let backups = out.backups.as_ref().expect("backups");
    assert_eq!(backups[0].status, Some(zilliz::BackupStatus::Available));
    assert_eq!(backups[0].size, Some(1_073_741_824));
    let expire = backups[0].expire_time_parsed().expect("present").expect("parses");
    let create = backups[0].create_time_parsed().expect("present").expect("parses");
    assert_eq!((expire - create).whole_days(), 7);
    assert_eq!(backups[1].status, Some(zilliz::BackupStatus::Unknown(newer)));
    assert_eq!(backups[1].create_time, None);
    // Only the output is compared: the envelope's `requestId` is not "extra".
    assert_eq!(extra_pointers(&parsed), ["/data/backups/1/storageTier"]);
}

#[test]
fn zilliz_backup_detail_with_collections() {
    let body = json!({"code": 0, "data": {
        "backupId": "backup3_0b9d15a0ddexxxx", "clusterId": "in01-3e5ad8adc38xxxx", "regionId": "aws-us-west-2",
        "backupType": "COLLECTION", "creationMethod": "MANUAL", "status": "AVAILABLE", "size": 52428800,
        "collections": [{"collectionName": "medium_articles", "description": null, "status": "LOADED"}],
        "createTime": "2024-08-26T02:27:51Z", "expireTime": null
    }});
    let parsed = parse::<DescribeBackupRequest>(&body);
    let d = parsed.output();
    assert_eq!(d.backup_type, Some(zilliz::BackupType::Collection));
    assert_eq!(d.creation_method, Some(zilliz::CreationMethod::Manual));
    assert_eq!(d.size, Some(52_428_800));
    let c = &d.collections.as_ref().expect("collections")[0];
    assert_eq!(
        (c.collection_name.as_deref(), c.description.as_deref()),
        (Some("medium_articles"), None)
    );
    assert_eq!(d.expire_time_parsed(), None);
    assert!(extra_pointers(&parsed).is_empty());
}
