//! End to end over TCP: the generated clients against the mock serving
//! bodies shaped like current servers' (`MockServer::enqueue`): Alibaba's
//! Tea-runtime spellings with a member no spec knows, kept reachable through
//! `send_with_metadata` and `runtime::response::extra_members`; and Elasticsearch 8.x cursor paging, where the client
//! sends each page's `next` back as `after` until a page has none.

mod common;

use cloudsnap::aliyun::{ecs, elasticsearch as es};
use cloudsnap::client::{PageLimit, TryStreamExt};
use cloudsnap::runtime::response::extra_members;
use cloudsnap::runtime::{AuthScheme, Operation};
use cloudsnap_mock::{MockResponse, MockServer};
use serde_json::{json, Value};

use common::{e2e, start};

fn query_values(server: &MockServer, name: &str) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|r| e2e::query(r, name).map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn ecs_tea_spellings_parse_and_unknown_members_stay_reachable() {
    let server = start("aliyun-ecs.yaml").await;
    server.enqueue(
        "DescribeSnapshots",
        MockResponse::json(
            200,
            &json!({
                "RequestId": "req-1",
                "TotalCount": "1",
                "Snapshots": {"Snapshot": [{
                    "SnapshotId": "s-1",
                    "RemainTime": "15",
                    "SourceDiskSize": 40,
                    "Encrypted": "true",
                    "CreationTime": "2024-05-06T07:08:09Z",
                    "StorageTierFromANewerRelease": "archive"
                }]}
            }),
        ),
    );
    let client = e2e::ecs(&server, AuthScheme::AliyunRpcV1);
    let request = ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou");
    let response = client.inner().send_with_metadata(&request).await.expect("parses");
    let parsed = &response.output;
    assert_eq!(parsed.total_count, Some(1));
    let snapshot = &parsed.snapshots.as_ref().expect("snapshots")[0];
    assert_eq!(snapshot.remain_time, Some(15));
    assert_eq!(snapshot.source_disk_size.as_deref(), Some("40"));
    assert_eq!(snapshot.encrypted, Some(true));
    let extra = extra_members(&ecs::DescribeSnapshotsRequest::INFO, &response.body, parsed).expect("JSON body");
    assert_eq!(
        extra,
        [(
            "/Snapshots/Snapshot/0/StorageTierFromANewerRelease".to_owned(),
            json!("archive")
        )]
    );
    // The raw body is exactly what the server sent.
    let sent: Value = serde_json::from_slice(&response.body).expect("JSON");
    assert_eq!(sent["Snapshots"]["Snapshot"][0]["RemainTime"], json!("15"));
    let r = &server.requests()[0];
    assert!(r.accepted() && r.scripted, "{:?}", r.problems);
}

fn es8_page(names: &[&str], next: Option<&str>, total: usize, remaining: usize) -> MockResponse {
    let snapshots: Vec<Value> = names
        .iter()
        .map(|n| {
            json!({
                "snapshot": n, "uuid": format!("uuid-{n}"), "repository": "aliyun_auto_snapshot",
                "version_id": 8110199, "version": "8.11.1", "indices": ["logs"], "data_streams": [],
                "state": "SUCCESS", "start_time_in_millis": 1714959000012_i64,
                "shards": {"total": 1, "failed": 0, "successful": 1}
            })
        })
        .collect();
    let mut body = json!({"snapshots": snapshots, "total": total, "remaining": remaining});
    if let Some(next) = next {
        body["next"] = json!(next);
    }
    MockResponse::json(200, &body)
}

#[tokio::test]
async fn es8_items_follow_next_as_after_to_the_last_page() {
    let server = start("aliyun-elasticsearch.yaml").await;
    server.enqueue("GetSnapshots", es8_page(&["snap-1", "snap-2"], Some("c25hcC0y"), 5, 3));
    server.enqueue("GetSnapshots", es8_page(&["snap-3", "snap-4"], Some("c25hcC00"), 5, 1));
    server.enqueue("GetSnapshots", es8_page(&["snap-5"], None, 5, 0));
    let client = e2e::es(&server);
    let request = es::GetSnapshotsRequest::new("aliyun_auto_snapshot")
        .with_size(2)
        .with_sort(es::SnapshotSort::StartTime)
        .with_order(es::SortOrder::Asc);
    let items: Vec<es::SnapshotInfo> = client
        .get_snapshots_items(request, PageLimit::unbounded())
        .try_collect()
        .await
        .expect("three pages");
    let names: Vec<&str> = items.iter().map(|s| s.snapshot.as_str()).collect();
    assert_eq!(names, ["snap-1", "snap-2", "snap-3", "snap-4", "snap-5"]);
    assert_eq!(
        query_values(&server, "after"),
        [None, Some("c25hcC0y".to_owned()), Some("c25hcC00".to_owned())]
    );
    assert!(query_values(&server, "size").iter().all(|s| s.as_deref() == Some("2")));
    assert!(query_values(&server, "order")
        .iter()
        .all(|s| s.as_deref() == Some("asc")));
    for r in server.requests() {
        assert!(r.accepted() && r.scripted, "{} {:?}", r.uri, r.problems);
    }
}

#[tokio::test]
async fn es6_server_without_next_is_one_page() {
    let server = start("aliyun-elasticsearch.yaml").await;
    // A 6.x server knows no `size`/`after` and sends neither `next` nor `total`.
    server.enqueue(
        "GetSnapshots",
        MockResponse::json(
            200,
            &json!({"snapshots": [{"snapshot": "old-1", "version": "6.8.0", "state": "SUCCESS",
                                    "shards": {"total": 1, "failed": 0, "successful": 1}}]}),
        ),
    );
    let client = e2e::es(&server);
    let items: Vec<es::SnapshotInfo> = client
        .get_snapshots_items(
            es::GetSnapshotsRequest::new("aliyun_auto_snapshot"),
            PageLimit::unbounded(),
        )
        .try_collect()
        .await
        .expect("one page");
    assert_eq!(items.len(), 1);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(query_values(&server, "after"), [None]);
}
