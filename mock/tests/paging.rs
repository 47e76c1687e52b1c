//! Pages derived from the examples: successive pages do not repeat items,
//! totals and tokens are consistent, a listing ends. Through the generated
//! clients for the shipped specs (expectations derived from their
//! examples), and over raw HTTP for a fixture that pages both ways.

mod common;

use std::collections::BTreeSet;

use cloudsnap::client::{PageLimit, TryStreamExt};
use cloudsnap::runtime::AuthScheme;
use cloudsnap::{aliyun::ecs, zilliz::cloud};
use cloudsnap_codegen::model::OperationModel;
use cloudsnap_mock::{MockOptions, MockServer, API_KEY};
use serde_json::Value;

use common::{e2e, start};

/// The first success example's body of `op`, as JSON.
fn example_body(op: &OperationModel) -> Value {
    let response = op
        .examples
        .iter()
        .filter_map(|e| e.response.as_ref())
        .find(|r| (200..300).contains(&r.status))
        .expect("a success example");
    serde_json::from_str(&response.body).expect("JSON")
}

fn operation(spec: &str, id: &str) -> OperationModel {
    let model = e2e::model(spec);
    model.operations.into_iter().find(|o| o.id == id).expect("operation")
}

fn assert_distinct(ids: &[String]) {
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "an item came twice: {ids:?}");
}

#[tokio::test]
async fn zilliz_pages_cover_the_stated_count_without_repeats() {
    let example = example_body(&operation("zilliz-cloud.yaml", "ListBackups"));
    let count = example["data"]["count"].as_u64().expect("count") as usize;
    let first_id = example["data"]["backups"][0]["backupId"]
        .as_str()
        .expect("id")
        .to_owned();
    let shown = example["data"]["backups"].as_array().expect("backups").len();
    assert!(count > shown, "the example states more backups than it shows");

    let server = start("zilliz-cloud.yaml").await;
    let size = 3;
    let items: Vec<cloud::Backup> = e2e::zilliz(&server)
        .list_backups_items(
            cloud::ListBackupsRequest::new().with_page_size(size),
            PageLimit::unbounded(),
        )
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<String> = items.iter().map(|b| b.backup_id.clone()).collect();
    assert_eq!(ids.len(), count, "{ids:?}");
    assert_eq!(ids[0], first_id);
    assert_eq!(ids[shown], format!("{first_id}-2"));
    assert_distinct(&ids);
    let pages = count.div_ceil(size as usize);
    assert_eq!(
        server.requests().len(),
        pages,
        "one request per page, none after the last"
    );
    assert!(server.requests().iter().all(|r| r.accepted() && !r.scripted));

    // One page past the end is empty, with the count still right.
    let past = e2e::zilliz(&server)
        .list_backups(
            &cloud::ListBackupsRequest::new()
                .with_page_size(size)
                .with_current_page(pages as i64 + 1),
        )
        .await
        .expect("an empty page");
    assert_eq!(past.backups.unwrap_or_default().len(), 0);
    assert_eq!(past.count, Some(count as i64));
    assert_eq!(past.current_page, Some(pages as i64 + 1));
}

#[tokio::test]
async fn ecs_listing_ends_and_foreign_tokens_are_refused() {
    let example = example_body(&operation("aliyun-ecs.yaml", "DescribeSnapshots"));
    let shown = example["Snapshots"]["Snapshot"].as_array().expect("snapshots").len();
    let total = (example["TotalCount"].as_u64().expect("total") as usize).max(shown);
    let example_token = example["NextToken"].as_str().expect("token").to_owned();

    let server = start("aliyun-ecs.yaml").await;
    let client = e2e::ecs(&server, AuthScheme::AliyunRpcV1);
    let items: Vec<ecs::Snapshot> = client
        .describe_snapshots_items(
            ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"),
            PageLimit::unbounded(),
        )
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<String> = items.iter().map(|s| s.snapshot_id.clone()).collect();
    assert_eq!(ids.len(), total);
    assert_distinct(&ids);

    // The example's own token stands for the page after the example's items.
    let after = client
        .describe_snapshots(
            &ecs::DescribeSnapshotsRequest::new()
                .with_region_id("cn-hangzhou")
                .with_next_token(example_token),
        )
        .await
        .expect("the page after the example");
    let after_ids: Vec<String> = after
        .snapshots
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.snapshot_id)
        .collect();
    assert_eq!(
        after_ids,
        ids[shown.min(ids.len())..].iter().take(10).cloned().collect::<Vec<_>>()
    );

    let error = client
        .describe_snapshots(
            &ecs::DescribeSnapshotsRequest::new()
                .with_region_id("cn-hangzhou")
                .with_next_token("not-issued"),
        )
        .await
        .expect_err("a token the listing never issued");
    let service = error.service_error().expect("a service error");
    assert_eq!(service.raw_code, "InvalidParameter");
    assert!(
        service
            .message
            .as_deref()
            .unwrap_or("")
            .contains("NextToken `not-issued`"),
        "{service:?}"
    );
}

/// GET `path_and_query` on the fixture with its bearer key; the JSON body.
async fn get(server: &MockServer, path_and_query: &str) -> (u16, Value) {
    let response = common::client()
        .get(format!("{}{path_and_query}", server.url()))
        .header("authorization", format!("Bearer {API_KEY}"))
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&bytes).expect("JSON"))
}

fn ids(page: &Value) -> Vec<String> {
    page["things"]
        .as_array()
        .expect("things")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_owned())
        .collect()
}

fn fixture() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/paging.yaml")
}

#[tokio::test]
async fn tokens_and_page_numbers_slice_one_listing() {
    let server = MockServer::start(fixture()).await.expect("starts");
    // Token style (declared first): the documented default of 2 per page.
    let mut all = Vec::new();
    let mut path = "/v1/things".to_owned();
    let mut requests = 0;
    loop {
        let (status, page) = get(&server, &path).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"], 5);
        all.extend(ids(&page));
        requests += 1;
        match page.get("nextToken").and_then(Value::as_str) {
            Some(token) => path = format!("/v1/things?next={token}"),
            None => break,
        }
        assert!(requests < 10, "the listing does not end");
    }
    assert_eq!(all, ["t-a", "t-b", "t-a-2", "t-b-2", "t-a-3"]);
    assert_eq!(requests, 3);

    // The example's own token continues after the example's two items.
    let (_, page) = get(&server, "/v1/things?next=doc-token&limit=3").await;
    assert_eq!(ids(&page), ["t-a-2", "t-b-2", "t-a-3"]);
    assert!(page.get("nextToken").is_none(), "{page}");
    let (status, page) = get(&server, "/v1/things?next=bogus").await;
    assert_eq!(status, 400);
    assert!(page.to_string().contains("next `bogus`"), "{page}");

    // Page style: page and size are echoed, the total stays.
    let (_, page) = get(&server, "/v1/things?page=2&size=2").await;
    assert_eq!(ids(&page), ["t-a-2", "t-b-2"]);
    assert_eq!(
        (page["page"].as_i64(), page["size"].as_i64(), page["total"].as_i64()),
        (Some(2), Some(2), Some(5))
    );
    let (_, page) = get(&server, "/v1/things?page=4&size=2").await;
    assert!(ids(&page).is_empty());
    let (status, _) = get(&server, "/v1/things?page=0").await;
    assert_eq!(status, 400);

    // Paging off: the example, byte for byte, whatever the parameters.
    let verbatim = MockServer::start_with(fixture(), MockOptions::default().with_paging(false))
        .await
        .expect("starts");
    let (_, page) = get(&verbatim, "/v1/things?page=3&size=2").await;
    assert_eq!(ids(&page), ["t-a", "t-b"]);
    assert_eq!(page["nextToken"], "doc-token");
}
