//! List ECS snapshots of a region, following `NextToken` across pages.
//!
//! ```sh
//! export ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=...
//! CLOUDSNAP_REGION=cn-hangzhou cargo run --example aliyun_ecs
//! ```

#[path = "common/mod.rs"]
mod common;

use cloudsnap::aliyun::ecs::{Client, DescribeSnapshotsRequest};
use cloudsnap::client::{PageLimit, StreamExt};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = common::endpoint(Client::config(), "CLOUDSNAP_ALIYUN_ECS_ENDPOINT", "cn-hangzhou");
    // The RPC signature is preferred; `Client::with_aliyun_v3` selects V3.
    let client = Client::from_env(config)?;
    let region = common::arg("CLOUDSNAP_REGION", "cn-hangzhou");
    let request = DescribeSnapshotsRequest::new()
        .with_region_id(region)
        .with_max_results(50);
    let mut snapshots = client.describe_snapshots_items(request, PageLimit::items(200));
    let mut count = 0;
    while let Some(snapshot) = snapshots.next().await {
        let s = snapshot?;
        count += 1;
        println!(
            "{}  {:<12} {:>6} GiB  {}",
            s.snapshot_id,
            s.status.as_ref().map(|v| v.as_str()).unwrap_or("-"),
            s.source_disk_size.as_deref().unwrap_or("?"),
            s.snapshot_name.as_deref().unwrap_or("")
        );
    }
    println!("{count} snapshot(s)");
    Ok(())
}
