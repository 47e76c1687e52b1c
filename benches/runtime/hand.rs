//! The baseline: the same response shapes written by hand with plain serde
//! derives, as a user without a generator would write them. Enums are closed
//! serde enums with a catch-all unit variant; Alibaba list wrappers are
//! one-field structs. Every struct denies unknown fields, so the setup check
//! (each document example must parse) proves these types cover every field
//! of the examples: the baseline skips no work the generated types do.

// The fields exist to be parsed, not read.
#![allow(dead_code)]

use serde::Deserialize;

/// Huawei CBR `ShowBackup`.
pub mod cbr {
    use super::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ShowBackupResponse {
        pub backup: BackupDetail,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct BackupDetail {
        #[serde(default)]
        pub checkpoint_id: Option<String>,
        #[serde(default)]
        pub created_at: Option<String>,
        #[serde(default)]
        pub description: Option<String>,
        #[serde(default)]
        pub expired_at: Option<String>,
        #[serde(default)]
        pub extend_info: Option<BackupExtendInfo>,
        pub id: String,
        #[serde(default)]
        pub image_type: Option<ImageType>,
        #[serde(default)]
        pub name: Option<String>,
        #[serde(default)]
        pub parent_id: Option<String>,
        #[serde(default)]
        pub project_id: Option<String>,
        #[serde(default)]
        pub protected_at: Option<String>,
        #[serde(default)]
        pub resource_az: Option<String>,
        #[serde(default)]
        pub resource_id: Option<String>,
        #[serde(default)]
        pub resource_name: Option<String>,
        #[serde(default)]
        pub resource_size: Option<i64>,
        #[serde(default)]
        pub resource_type: Option<ResourceType>,
        #[serde(default)]
        pub status: Option<BackupStatus>,
        #[serde(default)]
        pub updated_at: Option<String>,
        #[serde(default)]
        pub vault_id: Option<String>,
        #[serde(default)]
        pub children: Option<Vec<BackupResp>>,
        #[serde(default)]
        pub provider_id: Option<String>,
        #[serde(default)]
        pub enterprise_project_id: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct BackupResp {
        #[serde(default)]
        pub checkpoint_id: Option<String>,
        #[serde(default)]
        pub created_at: Option<String>,
        #[serde(default)]
        pub description: Option<String>,
        #[serde(default)]
        pub expired_at: Option<String>,
        #[serde(default)]
        pub extend_info: Option<BackupExtendInfo>,
        pub id: String,
        #[serde(default)]
        pub image_type: Option<ImageType>,
        #[serde(default)]
        pub name: Option<String>,
        #[serde(default)]
        pub parent_id: Option<String>,
        #[serde(default)]
        pub project_id: Option<String>,
        #[serde(default)]
        pub protected_at: Option<String>,
        #[serde(default)]
        pub resource_az: Option<String>,
        #[serde(default)]
        pub resource_id: Option<String>,
        #[serde(default)]
        pub resource_name: Option<String>,
        #[serde(default)]
        pub resource_size: Option<i64>,
        #[serde(default)]
        pub resource_type: Option<ResourceType>,
        #[serde(default)]
        pub status: Option<BackupStatus>,
        #[serde(default)]
        pub updated_at: Option<String>,
        #[serde(default)]
        pub vault_id: Option<String>,
        #[serde(default)]
        pub provider_id: Option<String>,
        #[serde(default)]
        pub children: Option<Vec<BackupResp>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct BackupExtendInfo {
        #[serde(default)]
        pub auto_trigger: Option<bool>,
        #[serde(default)]
        pub bootable: Option<bool>,
        #[serde(default)]
        pub incremental: Option<bool>,
        #[serde(default)]
        pub snapshot_id: Option<String>,
        #[serde(default)]
        pub support_lld: Option<bool>,
        #[serde(default)]
        pub supported_restore_mode: Option<SupportedRestoreMode>,
        #[serde(default)]
        pub os_images_data: Option<Vec<ImageData>>,
        #[serde(default)]
        pub contain_system_disk: Option<bool>,
        #[serde(default)]
        pub encrypted: Option<bool>,
        #[serde(default)]
        pub system_disk: Option<bool>,
        #[serde(default)]
        pub progress: Option<i64>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ImageData {
        pub image_id: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ImageType {
        Backup,
        Replication,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    pub enum ResourceType {
        #[serde(rename = "OS::Nova::Server")]
        Server,
        #[serde(rename = "OS::Cinder::Volume")]
        Volume,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum BackupStatus {
        Available,
        Protecting,
        Deleting,
        Restoring,
        Error,
        WaitingProtect,
        WaitingDelete,
        WaitingRestore,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SupportedRestoreMode {
        Na,
        Backup,
        Snapshot,
        #[serde(other)]
        Other,
    }
}

/// Zilliz Cloud `ListBackups`.
pub mod zilliz {
    use super::Deserialize;

    /// The `{"code": 0, "data": ...}` envelope, as a hand-written client
    /// would model it.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Envelope {
        pub code: i64,
        #[serde(default)]
        pub data: Option<ListBackupsResponse>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct ListBackupsResponse {
        #[serde(default)]
        pub count: Option<i64>,
        #[serde(default)]
        pub current_page: Option<i64>,
        #[serde(default)]
        pub page_size: Option<i64>,
        #[serde(default)]
        pub backups: Option<Vec<Backup>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct Backup {
        pub backup_id: String,
        #[serde(default)]
        pub project_id: Option<String>,
        #[serde(default)]
        pub backup_name: Option<String>,
        #[serde(default)]
        pub backup_type: Option<BackupType>,
        #[serde(default)]
        pub creation_method: Option<CreationMethod>,
        #[serde(default)]
        pub status: Option<BackupStatus>,
        #[serde(default)]
        pub size: Option<i64>,
        #[serde(default)]
        pub expire_time: Option<String>,
        #[serde(default)]
        pub cluster_id: Option<String>,
        #[serde(default)]
        pub cluster_name: Option<String>,
        #[serde(default)]
        pub create_time: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum BackupType {
        Cluster,
        Collection,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum CreationMethod {
        Auto,
        Manual,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    pub enum BackupStatus {
        Creating,
        Available,
        #[serde(other)]
        Other,
    }
}

/// Alibaba Cloud ECS `DescribeSnapshots`.
pub mod ecs {
    use super::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "PascalCase")]
    pub struct DescribeSnapshotsResponse {
        #[serde(default)]
        pub next_token: Option<String>,
        #[serde(default)]
        pub page_size: Option<i64>,
        #[serde(default)]
        pub page_number: Option<i64>,
        pub request_id: String,
        #[serde(default)]
        pub total_count: Option<i64>,
        #[serde(default)]
        pub snapshots: Option<Snapshots>,
    }

    /// Alibaba's list wrapper `{"Snapshot": [...]}`.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Snapshots {
        #[serde(rename = "Snapshot", default)]
        pub snapshot: Vec<Snapshot>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "PascalCase")]
    pub struct Snapshot {
        #[serde(default)]
        pub status: Option<SnapshotStatus>,
        #[serde(default)]
        pub creation_time: Option<String>,
        #[serde(default)]
        pub progress: Option<String>,
        #[serde(default)]
        pub instant_access: Option<bool>,
        #[serde(default)]
        pub available: Option<bool>,
        #[serde(default)]
        pub remain_time: Option<i64>,
        #[serde(default)]
        pub source_disk_size: Option<String>,
        #[serde(default)]
        pub retention_days: Option<i64>,
        #[serde(default)]
        pub source_disk_type: Option<SourceDiskType>,
        #[serde(default)]
        pub source_storage_type: Option<String>,
        #[serde(default)]
        pub usage: Option<SnapshotUsage>,
        #[serde(default)]
        pub last_modified_time: Option<String>,
        #[serde(default)]
        pub encrypted: Option<bool>,
        #[serde(default)]
        pub snapshot_type: Option<SnapshotType>,
        #[serde(default)]
        pub source_disk_id: Option<String>,
        #[serde(default)]
        pub snapshot_name: Option<String>,
        #[serde(default)]
        pub instant_access_retention_days: Option<i64>,
        #[serde(default)]
        pub description: Option<String>,
        pub snapshot_id: String,
        #[serde(default)]
        pub region_id: Option<String>,
        #[serde(default)]
        pub resource_group_id: Option<String>,
        #[serde(default)]
        pub category: Option<SnapshotCategory>,
        #[serde(rename = "KMSKeyId", default)]
        pub kms_key_id: Option<String>,
        #[serde(rename = "SnapshotSN", default)]
        pub snapshot_sn: Option<String>,
        #[serde(default)]
        pub product_code: Option<String>,
        #[serde(default)]
        pub source_snapshot_id: Option<String>,
        #[serde(default)]
        pub source_region_id: Option<String>,
        #[serde(default)]
        pub snapshot_link_id: Option<String>,
        #[serde(default)]
        pub tags: Option<Tags>,
    }

    /// Alibaba's list wrapper `{"Tag": [...]}`.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Tags {
        #[serde(rename = "Tag", default)]
        pub tag: Vec<SnapshotTag>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "PascalCase")]
    pub struct SnapshotTag {
        #[serde(default)]
        pub tag_value: Option<String>,
        #[serde(default)]
        pub tag_key: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SnapshotStatus {
        Progressing,
        Accomplished,
        Failed,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SourceDiskType {
        System,
        Data,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SnapshotUsage {
        Image,
        Disk,
        ImageDisk,
        None,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SnapshotType {
        Auto,
        Timer,
        User,
        All,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    pub enum SnapshotCategory {
        #[serde(rename = "standard")]
        Standard,
        Flash,
        #[serde(rename = "archive")]
        Archive,
        #[serde(other)]
        Other,
    }
}

/// The alternative to keeping the raw body for members a spec does not know:
/// `#[serde(flatten)] extra: Map` on every struct of the output. `flatten`
/// is the ECS baseline with only that root struct flattened; `ecs_flatten`
/// flattens every struct (the snapshot list wrapper, each snapshot, each tag),
/// as a generator would have to. Flatten cannot be combined with
/// `deny_unknown_fields`: unknown members land in `extra`.
pub mod flatten {
    use super::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct EcsDescribeSnapshotsResponse {
        #[serde(default)]
        pub next_token: Option<String>,
        #[serde(default)]
        pub page_size: Option<i64>,
        #[serde(default)]
        pub page_number: Option<i64>,
        pub request_id: String,
        #[serde(default)]
        pub total_count: Option<i64>,
        #[serde(default)]
        pub snapshots: Option<super::ecs::Snapshots>,
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

pub mod ecs_flatten {
    use super::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct DescribeSnapshotsResponse {
        #[serde(default)]
        pub next_token: Option<String>,
        #[serde(default)]
        pub page_size: Option<i64>,
        #[serde(default)]
        pub page_number: Option<i64>,
        pub request_id: String,
        #[serde(default)]
        pub total_count: Option<i64>,
        #[serde(default)]
        pub snapshots: Option<Snapshots>,
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }

    /// Alibaba's list wrapper `{"Snapshot": [...]}`.
    #[derive(Deserialize)]
    pub struct Snapshots {
        #[serde(rename = "Snapshot", default)]
        pub snapshot: Vec<Snapshot>,
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct Snapshot {
        #[serde(default)]
        pub status: Option<SnapshotStatus>,
        #[serde(default)]
        pub creation_time: Option<String>,
        #[serde(default)]
        pub progress: Option<String>,
        #[serde(default)]
        pub instant_access: Option<bool>,
        #[serde(default)]
        pub available: Option<bool>,
        #[serde(default)]
        pub remain_time: Option<i64>,
        #[serde(default)]
        pub source_disk_size: Option<String>,
        #[serde(default)]
        pub retention_days: Option<i64>,
        #[serde(default)]
        pub source_disk_type: Option<SourceDiskType>,
        #[serde(default)]
        pub source_storage_type: Option<String>,
        #[serde(default)]
        pub usage: Option<SnapshotUsage>,
        #[serde(default)]
        pub last_modified_time: Option<String>,
        #[serde(default)]
        pub encrypted: Option<bool>,
        #[serde(default)]
        pub snapshot_type: Option<SnapshotType>,
        #[serde(default)]
        pub source_disk_id: Option<String>,
        #[serde(default)]
        pub snapshot_name: Option<String>,
        #[serde(default)]
        pub instant_access_retention_days: Option<i64>,
        #[serde(default)]
        pub description: Option<String>,
        pub snapshot_id: String,
        #[serde(default)]
        pub region_id: Option<String>,
        #[serde(default)]
        pub resource_group_id: Option<String>,
        #[serde(default)]
        pub category: Option<SnapshotCategory>,
        #[serde(rename = "KMSKeyId", default)]
        pub kms_key_id: Option<String>,
        #[serde(rename = "SnapshotSN", default)]
        pub snapshot_sn: Option<String>,
        #[serde(default)]
        pub product_code: Option<String>,
        #[serde(default)]
        pub source_snapshot_id: Option<String>,
        #[serde(default)]
        pub source_region_id: Option<String>,
        #[serde(default)]
        pub snapshot_link_id: Option<String>,
        #[serde(default)]
        pub tags: Option<Tags>,
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }

    /// Alibaba's list wrapper `{"Tag": [...]}`.
    #[derive(Deserialize)]
    pub struct Tags {
        #[serde(rename = "Tag", default)]
        pub tag: Vec<SnapshotTag>,
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    pub struct SnapshotTag {
        #[serde(default)]
        pub tag_value: Option<String>,
        #[serde(default)]
        pub tag_key: Option<String>,
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SnapshotStatus {
        Progressing,
        Accomplished,
        Failed,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SourceDiskType {
        System,
        Data,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SnapshotUsage {
        Image,
        Disk,
        ImageDisk,
        None,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum SnapshotType {
        Auto,
        Timer,
        User,
        All,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    pub enum SnapshotCategory {
        #[serde(rename = "standard")]
        Standard,
        Flash,
        #[serde(rename = "archive")]
        Archive,
        #[serde(other)]
        Other,
    }
}
