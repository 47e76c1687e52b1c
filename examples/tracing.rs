//! Calls traced with `tracing`: a subscriber printing every span and event
//! of a call (operation, attempts, status, request id, latency, the
//! credentials provider used; never a secret).
//!
//! ```sh
//! cargo run -p cloudsnap-mock -- specs/        # prints the variables to export
//! export CLOUDSNAP_ALIYUN_ECS_ENDPOINT=... ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=...
//! RUST_LOG=cloudsnap=debug cargo run --example tracing
//! ```

#[path = "common/mod.rs"]
mod common;

use cloudsnap::aliyun::ecs::{Client, DescribeSnapshotsRequest};
use tracing_subscriber::fmt::format::FmtSpan;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The two lines that matter: a subscriber that also reports span closes
    // (so each attempt's fields, status and latency are printed).
    tracing_subscriber::fmt()
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .init();

    let config = common::endpoint(Client::config(), "CLOUDSNAP_ALIYUN_ECS_ENDPOINT", "cn-hangzhou");
    let client = Client::from_env(config)?;
    let region = common::arg("CLOUDSNAP_REGION", "cn-hangzhou");
    match client
        .describe_snapshots(&DescribeSnapshotsRequest::new().with_region_id(region))
        .await
    {
        Ok(page) => println!(
            "{} snapshot(s) on the first page",
            page.snapshots.map(|s| s.len()).unwrap_or(0)
        ),
        Err(e) => println!("call failed (see the trace above): {e}"),
    }
    Ok(())
}
