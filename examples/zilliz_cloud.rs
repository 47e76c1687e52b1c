//! List Zilliz Cloud backups page by page, then describe the first one.
//!
//! ```sh
//! export ZILLIZ_API_KEY=...
//! cargo run --example zilliz_cloud
//! ```
//!
//! `CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT` overrides the endpoint (the mock server
//! prints it).

use cloudsnap::client::{PageLimit, TryStreamExt};
use cloudsnap::zilliz::cloud::{Client, DescribeBackupRequest, ListBackupsRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Zilliz has no regions in its endpoint; the override points elsewhere.
    let mut config = Client::config();
    if let Ok(url) = std::env::var("CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT") {
        config = config.endpoint(url);
    }
    let client = Client::from_env(config)?;
    let backups: Vec<_> = client
        .list_backups_items(ListBackupsRequest::new().with_page_size(10), PageLimit::items(100))
        .try_collect()
        .await?;
    for b in &backups {
        println!(
            "{}  {:<10} {}",
            b.backup_id,
            b.status.as_ref().map(|s| s.as_str()).unwrap_or("-"),
            b.backup_name.as_deref().unwrap_or("")
        );
    }
    let Some(first) = backups.first() else {
        println!("no backups");
        return Ok(());
    };
    let Some(cluster) = first.cluster_id.clone() else {
        return Ok(());
    };
    let detail = client
        .describe_backup(&DescribeBackupRequest::new(cluster, first.backup_id.clone()))
        .await?;
    println!("{detail:#?}");
    Ok(())
}
