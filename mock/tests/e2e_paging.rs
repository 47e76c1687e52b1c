//! End to end over TCP: the generated pagination streams. Pages are
//! scripted on the mock; the wire shows each page's token or number, and
//! the caller's `PageLimit` is respected without an extra request.

mod common;

use cloudsnap::client::{PageLimit, TryStreamExt};
use cloudsnap::runtime::AuthScheme;
use cloudsnap::{aliyun::ecs, zilliz::cloud};
use cloudsnap_mock::{MockResponse, MockServer};
use serde_json::{json, Value};

use common::e2e;
use common::start;

/// An ECS page of snapshots `ids`, with `extra` members (`NextToken`,
/// `TotalCount`, ...).
fn ecs_page(ids: &[&str], extra: Value) -> MockResponse {
    let snapshots: Vec<Value> = ids.iter().map(|id| json!({"SnapshotId": id})).collect();
    let mut page = json!({"RequestId": "page", "Snapshots": {"Snapshot": snapshots}});
    if let (Some(page), Value::Object(extra)) = (page.as_object_mut(), extra) {
        page.extend(extra);
    }
    MockResponse::json(200, &page)
}

/// A Zilliz page of backups `ids` out of `count`.
fn zilliz_page(ids: &[&str], count: i64) -> MockResponse {
    let backups: Vec<Value> = ids.iter().map(|id| json!({"backupId": id})).collect();
    MockResponse::json(200, &json!({"code": 0, "data": {"count": count, "backups": backups}}))
}

/// The values of query parameter `name` in every request, in order.
fn sent(server: &MockServer, name: &str) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|r| e2e::query(r, name).map(str::to_owned))
        .collect()
}

fn strings(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_owned)).collect()
}

/// Every request was accepted, signed, and answered with a scripted page.
fn all_scripted_and_accepted(server: &MockServer, scheme: AuthScheme) {
    for r in server.requests() {
        assert!(r.accepted() && r.scripted, "{} {:?}", r.uri, r.problems);
        e2e::assert_signed(&r, scheme);
    }
}

fn three_token_pages(server: &MockServer) {
    server.enqueue(
        "DescribeSnapshots",
        ecs_page(&["s-1", "s-2"], json!({"NextToken": "tok-1"})),
    );
    server.enqueue(
        "DescribeSnapshots",
        ecs_page(&["s-3", "s-4"], json!({"NextToken": "tok-2"})),
    );
    server.enqueue("DescribeSnapshots", ecs_page(&["s-5"], json!({})));
}

#[tokio::test]
async fn ecs_items_follow_next_token_to_the_last_page() {
    let server = start("aliyun-ecs.yaml").await;
    three_token_pages(&server);
    let client = e2e::ecs(&server, AuthScheme::AliyunRpcV1);
    let request = ecs::DescribeSnapshotsRequest::new()
        .with_region_id("cn-hangzhou")
        .with_max_results(2);
    let items: Vec<ecs::Snapshot> = client
        .describe_snapshots_items(request, PageLimit::unbounded())
        .try_collect()
        .await
        .expect("three pages");
    let ids: Vec<&str> = items.iter().map(|s| s.snapshot_id.as_str()).collect();
    assert_eq!(ids, ["s-1", "s-2", "s-3", "s-4", "s-5"]);
    assert_eq!(
        sent(&server, "NextToken"),
        strings(&[None, Some("tok-1"), Some("tok-2")])
    );
    assert_eq!(sent(&server, "MaxResults"), strings(&[Some("2"); 3]));
    assert_eq!(sent(&server, "PageNumber"), strings(&[None; 3]), "one style at a time");
    all_scripted_and_accepted(&server, AuthScheme::AliyunRpcV1);
}

#[tokio::test]
async fn ecs_pages_by_page_number_stop_at_the_total_count() {
    let server = start("aliyun-ecs.yaml").await;
    for (ids, number) in [(&["s-1", "s-2"][..], 1), (&["s-3", "s-4"][..], 2), (&["s-5"][..], 3)] {
        let extra = json!({"TotalCount": 5, "PageNumber": number, "PageSize": 2});
        server.enqueue("DescribeSnapshots", ecs_page(ids, extra));
    }
    // A fourth page the pager must not ask for.
    server.enqueue("DescribeSnapshots", ecs_page(&["s-6"], json!({"TotalCount": 5})));
    let client = e2e::ecs(&server, AuthScheme::AliyunV3);
    let request = ecs::DescribeSnapshotsRequest::new()
        .with_region_id("cn-hangzhou")
        .with_page_size(2);
    let pages: Vec<ecs::DescribeSnapshotsResponse> = client
        .describe_snapshots_pages_by_page_number(request, PageLimit::unbounded())
        .try_collect()
        .await
        .expect("three pages");
    let numbers: Vec<Option<i64>> = pages.iter().map(|p| p.page_number).collect();
    assert_eq!(numbers, [Some(1), Some(2), Some(3)]);
    let items: usize = pages.iter().map(|p| p.snapshots.as_ref().map_or(0, Vec::len)).sum();
    assert_eq!(items, 5);
    // The first request leaves the page to the server's default (1).
    assert_eq!(sent(&server, "PageNumber"), strings(&[None, Some("2"), Some("3")]));
    assert_eq!(sent(&server, "PageSize"), strings(&[Some("2"); 3]));
    assert_eq!(sent(&server, "NextToken"), strings(&[None; 3]));
    all_scripted_and_accepted(&server, AuthScheme::AliyunV3);
}

#[tokio::test]
async fn zilliz_items_follow_current_page_until_count() {
    let server = start("zilliz-cloud.yaml").await;
    server.enqueue("ListBackups", zilliz_page(&["b-1", "b-2"], 5));
    server.enqueue("ListBackups", zilliz_page(&["b-3", "b-4"], 5));
    server.enqueue("ListBackups", zilliz_page(&["b-5"], 5));
    let client = e2e::zilliz(&server);
    let request = cloud::ListBackupsRequest::new().with_page_size(2).with_current_page(1);
    let items: Vec<cloud::Backup> = client
        .list_backups_items(request, PageLimit::unbounded())
        .try_collect()
        .await
        .expect("three pages");
    let ids: Vec<&str> = items.iter().map(|b| b.backup_id.as_str()).collect();
    assert_eq!(ids, ["b-1", "b-2", "b-3", "b-4", "b-5"]);
    assert_eq!(
        sent(&server, "currentPage"),
        strings(&[Some("1"), Some("2"), Some("3")])
    );
    assert_eq!(sent(&server, "pageSize"), strings(&[Some("2"); 3]));
    all_scripted_and_accepted(&server, AuthScheme::Bearer);
}

#[tokio::test]
async fn page_limits_stop_without_an_extra_request() {
    // At most 3 items: the second page reaches them, the third is not asked for.
    let server = start("aliyun-ecs.yaml").await;
    three_token_pages(&server);
    let client = e2e::ecs(&server, AuthScheme::AliyunRpcV1);
    let request = ecs::DescribeSnapshotsRequest::new()
        .with_region_id("cn-hangzhou")
        .with_max_results(2);
    let items: Vec<ecs::Snapshot> = client
        .describe_snapshots_items(request.clone(), PageLimit::items(3))
        .try_collect()
        .await
        .expect("two pages");
    let ids: Vec<&str> = items.iter().map(|s| s.snapshot_id.as_str()).collect();
    assert_eq!(ids, ["s-1", "s-2", "s-3"]);
    assert_eq!(server.requests().len(), 2);

    // No pages at all: nothing is sent.
    let none: Vec<ecs::DescribeSnapshotsResponse> = client
        .describe_snapshots_pages(request, PageLimit::pages(0))
        .try_collect()
        .await
        .expect("empty");
    assert!(none.is_empty());
    assert_eq!(server.requests().len(), 2);

    // At most 2 pages of a listing whose count promises 10.
    let zilliz = start("zilliz-cloud.yaml").await;
    for page in [["b-1", "b-2"], ["b-3", "b-4"], ["b-5", "b-6"]] {
        zilliz.enqueue("ListBackups", zilliz_page(&page, 10));
    }
    let pages: Vec<cloud::ListBackupsResponse> = e2e::zilliz(&zilliz)
        .list_backups_pages(cloud::ListBackupsRequest::new().with_page_size(2), PageLimit::pages(2))
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(sent(&zilliz, "currentPage"), strings(&[None, Some("2")]));
}

#[tokio::test]
async fn an_error_ends_the_listing() {
    let server = start("aliyun-ecs.yaml").await;
    server.enqueue("DescribeSnapshots", ecs_page(&["s-1"], json!({"NextToken": "tok-1"})));
    server.enqueue(
        "DescribeSnapshots",
        MockResponse::json(
            400,
            &json!({"RequestId": "r", "Code": "InvalidParameter", "Message": "bad token"}),
        ),
    );
    let client = e2e::ecs(&server, AuthScheme::AliyunRpcV1);
    let request = ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou");
    let results: Vec<_> = cloudsnap::client::StreamExt::collect::<Vec<_>>(
        client.describe_snapshots_items(request, PageLimit::unbounded()),
    )
    .await;
    assert_eq!(results.len(), 2, "one item, then the error");
    assert_eq!(results[0].as_ref().map(|s| s.snapshot_id.as_str()).ok(), Some("s-1"));
    let error = results[1].as_ref().expect_err("the second page fails");
    assert_eq!(
        error.service_error().map(|e| e.raw_code.as_str()),
        Some("InvalidParameter")
    );
    assert_eq!(server.requests().len(), 2);
}

/// With paging off, the documented example always answers with the same
/// `NextToken`: the pager notices the repeat instead of looping forever.
#[tokio::test]
async fn a_repeated_token_from_the_documented_example_ends_the_listing() {
    let server = common::start_verbatim("aliyun-ecs.yaml").await;
    let client = e2e::ecs(&server, AuthScheme::AliyunRpcV1);
    let pages: Vec<ecs::DescribeSnapshotsResponse> = client
        .describe_snapshots_pages(
            ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"),
            PageLimit::unbounded(),
        )
        .try_collect()
        .await
        .expect("example pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(
        sent(&server, "NextToken"),
        strings(&[None, Some("caeba0bbb2be03f84eb48b699f0a4883")])
    );
    assert!(server.requests().iter().all(|r| r.accepted() && !r.scripted));
}
