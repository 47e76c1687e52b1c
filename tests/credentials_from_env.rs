//! The generated `Client::from_env` through each vendor's default chain,
//! one test per source, against temp-dir homes and loopback fakes.
//!
//! These tests set process environment variables (`from_env` reads the
//! process environment), so every test holds `ENV_LOCK` for its whole run
//! and restores the variables afterwards.

mod credentials_support;

use std::ffi::OsString;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use cloudsnap::client::{ConfigError, Error};
use credentials_support::{assert_no_secret, rfc3339_in, Fake, Seen};

static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Every variable a chain reads: cleared before each test.
const VARS: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALIBABA_CLOUD_IMDSV1_DISABLED",
    "CLOUDSNAP_ALIBABA_CLOUD_ECS_METADATA_ENDPOINT",
    "CLOUDSNAP_ALIBABA_CLOUD_STS_ENDPOINT",
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "HUAWEICLOUD_SDK_DOMAIN_ID",
    "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    "HUAWEICLOUD_IAM_TOKEN",
    "CLOUDSNAP_HUAWEICLOUD_METADATA_ENDPOINT",
    "ZILLIZ_API_KEY",
    "ZILLIZ_API_KEY_FILE",
    "ELASTICSEARCH_USERNAME",
    "ELASTICSEARCH_PASSWORD",
    "ELASTICSEARCH_API_KEY",
    "HOME",
    "USERPROFILE",
];

/// Runs `f` with exactly `vars` set (plus `HOME=home`), serialized.
fn with_env(vars: &[(&str, &str)], home: &Path, f: impl FnOnce()) {
    let _guard = ENV_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let saved: Vec<(&str, Option<OsString>)> = VARS.iter().map(|k| (*k, std::env::var_os(k))).collect();
    for k in VARS {
        std::env::remove_var(k);
    }
    std::env::set_var("HOME", home);
    for (k, v) in vars {
        std::env::set_var(k, v);
    }
    let outcome = catch_unwind(AssertUnwindSafe(f));
    for (k, v) in saved {
        match v {
            Some(v) => std::env::set_var(k, v),
            None => std::env::remove_var(k),
        }
    }
    if let Err(panic) = outcome {
        resume_unwind(panic);
    }
}

/// A runtime that outlives the fakes started on it.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    runtime().block_on(f)
}

const ECS_PAGE: &str = r#"{"RequestId":"r-1","TotalCount":0,"Snapshots":{"Snapshot":[]}}"#;

/// A fake ECS API recording what it is sent.
async fn fake_ecs_api() -> Fake {
    Fake::start(|_: &Seen| (200, ECS_PAGE.into())).await
}

/// One ECS call through `from_env` against `api`; returns the AccessKeyId
/// and SecurityToken the request carried.
async fn ecs_call(api: &Fake) -> (Option<String>, Option<String>) {
    use cloudsnap::aliyun::ecs::{Client, DescribeSnapshotsRequest};
    let client = Client::from_env(Client::config().endpoint(api.url.as_str())).unwrap();
    client
        .describe_snapshots(&DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap();
    let seen = api.seen().pop().unwrap();
    (seen.param("AccessKeyId"), seen.param("SecurityToken"))
}

#[test]
fn aliyun_from_environment_variables() {
    let home = tempfile::tempdir().unwrap();
    let vars = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "e-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e-secret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "e-token"),
    ];
    with_env(&vars, home.path(), || {
        run(async {
            let api = fake_ecs_api().await;
            assert_eq!(ecs_call(&api).await, (Some("e-id".into()), Some("e-token".into())));
        })
    });
}

#[test]
fn aliyun_from_the_cli_profile_in_home() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    let config = serde_json::json!({"current": "p", "profiles": [
        {"name": "p", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret"}]});
    std::fs::write(home.path().join(".aliyun/config.json"), config.to_string()).unwrap();
    with_env(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")], home.path(), || {
        run(async {
            let api = fake_ecs_api().await;
            assert_eq!(ecs_call(&api).await.0.as_deref(), Some("cli-id"));
        })
    });
}

#[test]
fn aliyun_from_the_credentials_file() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("c.ini");
    std::fs::write(
        &file,
        "[default]\ntype = access_key\naccess_key_id = f-id\naccess_key_secret = f-secret\n",
    )
    .unwrap();
    let vars = [
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", file.to_str().unwrap()),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ];
    with_env(&vars, home.path(), || {
        run(async {
            let api = fake_ecs_api().await;
            assert_eq!(ecs_call(&api).await.0.as_deref(), Some("f-id"));
        })
    });
}

#[test]
fn aliyun_from_the_ecs_ram_role_refreshing_expiring_credentials() {
    let home = tempfile::tempdir().unwrap();
    let rt = runtime();
    // Credentials valid for 2 min: inside the 5 min refresh window, so each
    // call fetches new ones.
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let n = counter.clone();
    let (meta, api) = rt.block_on(async move {
        let meta = Fake::start(move |s: &Seen| match s.path() {
            "/latest/api/token" => (200, "t".into()),
            "/latest/meta-data/ram/security-credentials/" => (200, "role".into()),
            _ => {
                let i = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                let body = serde_json::json!({"Code": "Success", "AccessKeyId": format!("ecs-{i}"),
                    "AccessKeySecret": "s", "SecurityToken": format!("tok-{i}"),
                    "Expiration": rfc3339_in(Duration::from_secs(120))});
                (200, body.to_string())
            }
        })
        .await;
        (meta, fake_ecs_api().await)
    });
    with_env(
        &[("CLOUDSNAP_ALIBABA_CLOUD_ECS_METADATA_ENDPOINT", &meta.url)],
        home.path(),
        || {
            let (first, second) = rt.block_on(async { (ecs_call(&api).await, ecs_call(&api).await) });
            assert_eq!(first, (Some("ecs-1".into()), Some("tok-1".into())));
            assert_eq!(second, (Some("ecs-2".into()), Some("tok-2".into())));
        },
    );
    assert_eq!(counter.load(std::sync::atomic::Ordering::SeqCst), 2);
}

async fn huawei_call(api: &Fake) -> Result<(), ()> {
    use cloudsnap::huawei::cbr::{Client, ShowBackupRequest};
    let client = Client::from_env(Client::config().endpoint(api.url.as_str())).unwrap();
    client
        .show_backup(&ShowBackupRequest::new("p", "b"))
        .await
        .map(|_| ())
        .map_err(|_| ())
}

fn access_of(seen: &Seen) -> String {
    let auth = seen.headers.get("authorization").cloned().unwrap_or_default();
    auth.split("Access=")
        .nth(1)
        .unwrap_or("")
        .split(',')
        .next()
        .unwrap_or("")
        .to_owned()
}

#[test]
fn huawei_from_environment_file_and_metadata() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("hw");
    std::fs::write(&file, "[basic]\nak = file-ak\nsk = file-sk\n").unwrap();
    let meta_body = serde_json::json!({"credential": {"access": "meta-ak", "secret": "meta-sk",
        "securitytoken": "meta-token", "expires_at": rfc3339_in(Duration::from_secs(3600))}})
    .to_string();
    let rt = runtime();
    let (meta, api) = rt.block_on(async {
        let meta = Fake::start(move |s: &Seen| match s.path() {
            "/meta-data/latest/api/token" => (404, String::new()),
            _ => (200, meta_body.clone()),
        })
        .await;
        (meta, Fake::start(|_: &Seen| (200, "{}".into())).await)
    });
    let cases: [(Vec<(&str, &str)>, &str); 3] = [
        (
            vec![("HUAWEICLOUD_SDK_AK", "env-ak"), ("HUAWEICLOUD_SDK_SK", "env-sk")],
            "env-ak",
        ),
        (
            vec![("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.to_str().unwrap())],
            "file-ak",
        ),
        (
            vec![("CLOUDSNAP_HUAWEICLOUD_METADATA_ENDPOINT", meta.url.as_str())],
            "meta-ak",
        ),
    ];
    for (vars, want) in cases {
        with_env(&vars, home.path(), || {
            let _ = rt.block_on(huawei_call(&api));
        });
        let seen = api.seen().pop().expect("a request reached the API");
        assert_eq!(access_of(&seen), want);
        if want == "meta-ak" {
            assert_eq!(
                seen.headers.get("x-security-token").map(String::as_str),
                Some("meta-token")
            );
        }
    }
}

#[test]
fn zilliz_from_the_environment_and_a_file() {
    let home = tempfile::tempdir().unwrap();
    let key_file = home.path().join("key");
    std::fs::write(&key_file, "file-key\n").unwrap();
    let rt = runtime();
    let api = rt.block_on(async { Fake::start(|_: &Seen| (200, r#"{"code":0,"data":{}}"#.into())).await });
    for (vars, want) in [
        (vec![("ZILLIZ_API_KEY", "env-key")], "Bearer env-key"),
        (
            vec![("ZILLIZ_API_KEY_FILE", key_file.to_str().unwrap())],
            "Bearer file-key",
        ),
    ] {
        with_env(&vars, home.path(), || {
            rt.block_on(async {
                use cloudsnap::zilliz::cloud::{Client, ListBackupsRequest};
                let client = Client::from_env(Client::config().endpoint(api.url.as_str())).unwrap();
                let _ = client.list_backups(&ListBackupsRequest::new()).await;
            })
        });
        assert_eq!(api.seen().pop().unwrap().headers["authorization"], want);
    }
}

#[test]
fn no_credentials_anywhere_names_every_scheme_and_source() {
    let home = tempfile::tempdir().unwrap();
    with_env(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")], home.path(), || {
        let err = cloudsnap::aliyun::ecs::Client::from_env(cloudsnap::aliyun::ecs::Client::config()).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, ConfigError::NoCredentials { .. }), "{text}");
        for needle in [
            "AliyunRpcV1",
            "AliyunV3",
            "aliyun_env",
            "aliyun_cli_profile",
            "aliyun_credentials_file",
            "aliyun_ecs_ram_role",
        ] {
            assert!(text.contains(needle), "{needle} missing from: {text}");
        }
    });
    // Huawei's chain ends with the metadata service, asked at the first
    // call: here it is unreachable, and the error names each source.
    with_env(
        &[
            ("CLOUDSNAP_HUAWEICLOUD_METADATA_ENDPOINT", "http://127.0.0.1:9"),
            ("HUAWEICLOUD_SDK_SK", "lone-sk"),
        ],
        home.path(),
        || {
            run(async {
                use cloudsnap::huawei::cbr::{Client, ShowBackupRequest};
                let client = Client::from_env(Client::config().region("cn-north-4")).unwrap();
                let err = client.show_backup(&ShowBackupRequest::new("p", "b")).await.unwrap_err();
                let text = cloudsnap::runtime::error_chain(&err);
                assert!(matches!(err, Error::Credentials { .. }), "{text}");
                for needle in ["huawei_env", "huawei_credentials_file", "huawei_metadata"] {
                    assert!(text.contains(needle), "{needle} missing from: {text}");
                }
                assert_no_secret(&format!("{text} {err:?}"), &["lone-sk"]);
            })
        },
    );
}
