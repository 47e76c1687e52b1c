//! Show one Huawei Cloud CBR backup.
//!
//! ```sh
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=...   # or HUAWEICLOUD_IAM_TOKEN=...
//! export HUAWEICLOUD_PROJECT_ID=... CLOUDSNAP_BACKUP_ID=...
//! CLOUDSNAP_REGION=cn-north-4 cargo run --example huawei_cbr
//! ```

#[path = "common/mod.rs"]
mod common;

use cloudsnap::huawei::cbr::{Client, ShowBackupRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = common::endpoint(Client::config(), "CLOUDSNAP_HUAWEI_CBR_ENDPOINT", "cn-north-4");
    let client = Client::from_env(config)?;
    let project = common::arg("HUAWEICLOUD_PROJECT_ID", "4229d7a45436489f8c3dc2b1d35d4987");
    let backup = common::arg("CLOUDSNAP_BACKUP_ID", "6df2b54c-dd62-4059-a07c-1b8f24f2725d");
    let shown = client.show_backup(&ShowBackupRequest::new(project, backup)).await?;
    println!("{:#?}", shown.backup);
    Ok(())
}
