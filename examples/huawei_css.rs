//! Create a snapshot of a Huawei Cloud CSS cluster. This changes the
//! cluster, so it only runs with `CLOUDSNAP_CONFIRM=yes` (or against an
//! endpoint override such as the mock server).
//!
//! ```sh
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=...
//! export HUAWEICLOUD_PROJECT_ID=... CLOUDSNAP_CLUSTER_ID=... CLOUDSNAP_CONFIRM=yes
//! CLOUDSNAP_REGION=cn-north-4 cargo run --example huawei_css
//! ```

#[path = "common/mod.rs"]
mod common;

use cloudsnap::huawei::css::{Client, CreateSnapshotRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mocked = std::env::var_os("CLOUDSNAP_HUAWEI_CSS_ENDPOINT").is_some();
    if !mocked && std::env::var("CLOUDSNAP_CONFIRM").as_deref() != Ok("yes") {
        eprintln!("refusing to create a real snapshot without CLOUDSNAP_CONFIRM=yes");
        std::process::exit(2);
    }
    let config = common::endpoint(Client::config(), "CLOUDSNAP_HUAWEI_CSS_ENDPOINT", "cn-north-4");
    let client = Client::from_env(config)?;
    let project = common::arg("HUAWEICLOUD_PROJECT_ID", "6204a5bd270343b5885144cf9c8c158d");
    let cluster = common::arg("CLOUDSNAP_CLUSTER_ID", "ea244205-d641-45d9-9dcb-ab2236bcd07e");
    let name = common::arg("CLOUDSNAP_SNAPSHOT_NAME", "snapshot_001");
    let request = CreateSnapshotRequest::new(project, cluster, name).with_description("taken by cloudsnap");
    // POST is not idempotent: the client does not retry it after a 5xx.
    let created = client.create_snapshot(&request).await?;
    println!("{:#?}", created.backup);
    Ok(())
}
