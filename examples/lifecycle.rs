//! Wait for an ECS snapshot to become available, then list the snapshots and
//! backups of all five services into one table.
//!
//! Against the mock server, with a scripted snapshot life (see the README,
//! "Snapshot lifecycle"):
//!
//! ```sh
//! cargo run -p cloudsnap-mock -- specs/ --port 8080 --script examples/lifecycle-states.yaml
//! # in a second terminal, the `export` lines the mock printed, then:
//! cargo run --example lifecycle
//! ```
//!
//! Against the real services it needs every service's credentials and
//! `CLOUDSNAP_SNAPSHOT_ID` (ECS), `CLOUDSNAP_ES_INSTANCE`,
//! `CLOUDSNAP_CBR_PROJECT` and `CLOUDSNAP_CBR_BACKUP`; it creates a CSS
//! snapshot only with `CLOUDSNAP_CONFIRM=yes` or an endpoint override.

#[path = "common/mod.rs"]
mod common;

use std::time::Duration;

use cloudsnap::client::WaitOptions;
use cloudsnap::lifecycle::{SnapshotSummary, Summarize};
use cloudsnap::{aliyun, huawei, zilliz};
use common::{arg, endpoint};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Start from an ECS snapshot id and wait until it is available.
    let region = arg("CLOUDSNAP_REGION", "cn-hangzhou");
    let ecs = aliyun::ecs::Client::from_env(endpoint(
        aliyun::ecs::Client::config(),
        "CLOUDSNAP_ALIYUN_ECS_ENDPOINT",
        &region,
    ))?;
    let id = arg("CLOUDSNAP_SNAPSHOT_ID", "s-bp67acfmxazb4p****");
    let request = aliyun::ecs::DescribeSnapshotsRequest::new().with_snapshot_ids(vec![id.clone()]);
    let options = WaitOptions::default()
        .min_delay(Duration::from_millis(500))
        .max_delay(Duration::from_secs(5))
        .max_wait(Duration::from_secs(600))
        .on_progress(|p| match &p.observed {
            Some(s) => eprintln!(
                "  poll {}: {} ({}), {}%",
                p.attempt,
                s.state,
                s.raw_state.as_deref().unwrap_or("-"),
                s.progress.map_or("?".to_owned(), |p| p.to_string())
            ),
            None => eprintln!("  poll {}: not found yet", p.attempt),
        });
    eprintln!("waiting for {id} ...");
    let done = ecs.wait_until_snapshot_available(&request, options).await?;
    for s in done.summaries().iter().filter(|s| s.id == id) {
        eprintln!("{id} is {} ({})", s.state, s.raw_state.as_deref().unwrap_or("-"));
    }

    // 2. One table across clouds.
    let mut table: Vec<SnapshotSummary> = Vec::new();
    let mut params = serde_json::Map::new();
    params.insert("RegionId".into(), region.clone().into());
    for r in aliyun::ecs::resources() {
        table.extend(r.list(ecs.inner(), &params).await?);
    }

    let es = aliyun::elasticsearch::Client::from_env(
        endpoint(
            aliyun::elasticsearch::Client::config(),
            "CLOUDSNAP_ALIYUN_ELASTICSEARCH_ENDPOINT",
            &region,
        )
        .endpoint_variable("instance_id", arg("CLOUDSNAP_ES_INSTANCE", "es-cn-abcdefghijklmn")),
    )?;
    let mut params = serde_json::Map::new();
    params.insert("repository".into(), "aliyun_auto_snapshot".into());
    for r in aliyun::elasticsearch::resources() {
        table.extend(r.list(es.inner(), &params).await?);
    }

    let zilliz = zilliz::cloud::Client::from_env(endpoint(
        zilliz::cloud::Client::config(),
        "CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT",
        "",
    ))?;
    for r in zilliz::cloud::resources() {
        table.extend(r.list(zilliz.inner(), &serde_json::Map::new()).await?);
    }

    // CBR has no list call in its spec: describe one backup by id.
    let cbr = huawei::cbr::Client::from_env(endpoint(
        huawei::cbr::Client::config(),
        "CLOUDSNAP_HUAWEI_CBR_ENDPOINT",
        "cn-north-4",
    ))?;
    let mut params = serde_json::Map::new();
    params.insert(
        "project_id".into(),
        arg("CLOUDSNAP_CBR_PROJECT", "4229d7a45436489f8c3dc2b1d35d4987").into(),
    );
    let backup = arg("CLOUDSNAP_CBR_BACKUP", "6df2b54c-dd62-4059-a07c-1b8f24f2725d");
    for r in huawei::cbr::resources() {
        table.push(r.describe(cbr.inner(), &backup, &params).await?);
    }

    // CSS has neither: the output of creating a snapshot shows it.
    let css_override = std::env::var("CLOUDSNAP_HUAWEI_CSS_ENDPOINT").is_ok_and(|v| !v.is_empty());
    if css_override || std::env::var("CLOUDSNAP_CONFIRM").as_deref() == Ok("yes") {
        let css = huawei::css::Client::from_env(endpoint(
            huawei::css::Client::config(),
            "CLOUDSNAP_HUAWEI_CSS_ENDPOINT",
            "cn-north-4",
        ))?;
        let request = huawei::css::CreateSnapshotRequest::new(
            arg("CLOUDSNAP_CSS_PROJECT", "6204a5bd270343b5885144cf9c8c158d"),
            arg("CLOUDSNAP_CSS_CLUSTER", "ea244205-d641-45d9-9dcb-ab2236bcd07e"),
            "snapshot_001",
        );
        table.extend(css.create_snapshot(&request).await?.summaries());
    }

    println!(
        "{:<8} {:<14} {:<10} {:<40} {:<10} {:<12} {:>12}  created",
        "vendor", "service", "kind", "id", "state", "raw", "bytes"
    );
    for s in &table {
        println!(
            "{:<8} {:<14} {:<10} {:<40} {:<10} {:<12} {:>12}  {}",
            s.vendor,
            s.service,
            s.kind,
            s.id,
            s.state,
            s.raw_state.as_deref().unwrap_or("-"),
            s.size_bytes.map_or("-".to_owned(), |b| b.to_string()),
            s.created_at.as_deref().unwrap_or("-")
        );
    }
    // Or as JSON for scripts: serde_json::to_string(&table).
    Ok(())
}
