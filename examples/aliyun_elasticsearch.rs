//! List the snapshots of an Alibaba Cloud Elasticsearch repository and show
//! the status of one.
//!
//! ```sh
//! export ELASTICSEARCH_USERNAME=elastic ELASTICSEARCH_PASSWORD=...
//! export CLOUDSNAP_ES_INSTANCE_ID=es-cn-...
//! cargo run --example aliyun_elasticsearch
//! ```

use cloudsnap::aliyun::elasticsearch::{Client, GetSnapshotStatusRequest, GetSnapshotsRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = match std::env::var("CLOUDSNAP_ALIYUN_ELASTICSEARCH_ENDPOINT") {
        Ok(url) => Client::config().endpoint(url),
        // The instance endpoint: https://<instance id>.elasticsearch.aliyuncs.com:9200
        Err(_) => Client::config().endpoint_variable("instance_id", std::env::var("CLOUDSNAP_ES_INSTANCE_ID")?),
    };
    let client = Client::from_env(config)?;
    let repository = std::env::var("CLOUDSNAP_ES_REPOSITORY").unwrap_or_else(|_| "aliyun_auto_snapshot".into());
    let listed = client
        .get_snapshots(&GetSnapshotsRequest::new(repository.clone()))
        .await?;
    let snapshots = listed.snapshots.unwrap_or_default();
    for s in &snapshots {
        println!("{}  {:?}", s.snapshot, s.state);
    }
    if let Some(first) = snapshots.first() {
        let status = client
            .get_snapshot_status(&GetSnapshotStatusRequest::new(repository, first.snapshot.clone()))
            .await?;
        println!("{status:#?}");
    }
    Ok(())
}
