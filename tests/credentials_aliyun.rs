//! Alibaba Cloud credential sources against local fakes: variables through
//! an explicit `Environment` (never the process environment), files in temp
//! directories, and loopback servers standing in for the ECS metadata
//! service and STS.

mod credentials_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cloudsnap::auth::provider::aliyun::{
    CliProfileProvider, EcsRamRoleProvider, ProfileFileProvider, RamRoleArnProvider, ECS_METADATA_ENDPOINT_VAR,
    STS_ENDPOINT_VAR,
};
use cloudsnap::auth::provider::{
    Cached, CredentialsProvider, DefaultChain, Environment, ProviderErrorKind, SharedProvider, StaticProvider,
};
use cloudsnap::auth::AliyunCredentials;
use credentials_support::{assert_no_secret, rfc3339_in, Fake, Seen};

const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// A fake ECS metadata service for role `role`; the credentials carry a
/// counter so each fetch is distinguishable.
async fn fake_ecs(role: &'static str, expires_in: Duration, delay: Duration) -> (Fake, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let n = fetches.clone();
    let fake = Fake::start_with_delay(delay, move |s: &Seen| match (s.method.as_str(), s.path()) {
        ("PUT", "/latest/api/token") => {
            assert_eq!(s.headers["x-aliyun-ecs-metadata-token-ttl-seconds"], "21600");
            (200, "meta-session-token".into())
        }
        (_, p) if p == ROLE_PATH => (200, role.into()),
        (_, p) if p == format!("{ROLE_PATH}{role}") => {
            if s.headers.get("x-aliyun-ecs-metadata-token").map(String::as_str) != Some("meta-session-token") {
                return (401, String::new());
            }
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            let body = serde_json::json!({
                "Code": "Success",
                "AccessKeyId": format!("STS.ecs-id-{i}"),
                "AccessKeySecret": format!("ecs-secret-{i}"),
                "SecurityToken": format!("ecs-token-{i}"),
                "Expiration": rfc3339_in(expires_in),
                "LastUpdated": rfc3339_in(Duration::ZERO),
            });
            (200, body.to_string())
        }
        _ => (404, String::new()),
    })
    .await;
    (fake, fetches)
}

fn temp_home() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[tokio::test]
async fn environment_variables_with_security_token() {
    let env = Environment::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]);
    let chain = AliyunCredentials::default_chain_with(&env).unwrap();
    let p = chain.provide().await.unwrap();
    assert_eq!(p.provider, "aliyun_env");
    assert_eq!(p.credentials.access_key_id, "env-id");
    assert_eq!(p.credentials.access_key_secret.expose(), "env-secret");
    assert_eq!(p.credentials.security_token.unwrap().expose(), "env-token");
    assert!(p.expiry.is_none());
}

#[tokio::test]
async fn nothing_configured_names_every_source_and_no_secret() {
    let home = temp_home();
    let env = Environment::from_vars([("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]).with_home(home.path());
    let err = AliyunCredentials::default_chain_with(&env).unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::NotConfigured);
    let text = err.to_string();
    for source in [
        "aliyun_env",
        "aliyun_cli_profile",
        "aliyun_credentials_file",
        "aliyun_ecs_ram_role",
    ] {
        assert!(text.contains(source), "{text}");
    }
    assert!(text.contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED"), "{text}");
}

#[tokio::test]
async fn credentials_file_access_key_and_sts_by_profile() {
    let home = temp_home();
    let path = home.path().join("creds.ini");
    std::fs::write(
        &path,
        "[default]\nenable = true\ntype = access_key\naccess_key_id = file-id\naccess_key_secret = file-secret\n\n\
         [temp]\ntype = sts\naccess_key_id = STS.file-id\naccess_key_secret = file-sts-secret\nsecurity_token = file-sts-token\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let base = [
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", file),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ];

    let env = Environment::from_vars(base).with_home(home.path());
    let p = AliyunCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.provider, "aliyun_credentials_file");
    assert_eq!(
        (
            p.credentials.access_key_id.as_str(),
            p.credentials.access_key_secret.expose()
        ),
        ("file-id", "file-secret")
    );

    let env = Environment::from_vars(base.into_iter().chain([("ALIBABA_CLOUD_PROFILE", "temp")]));
    let p = ProfileFileProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(p.credentials.access_key_id, "STS.file-id");
    assert_eq!(p.credentials.security_token.unwrap().expose(), "file-sts-token");

    // The default location under the home directory, without the variable.
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::copy(&path, home.path().join(".alibabacloud/credentials")).unwrap();
    let env = Environment::from_vars([("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]).with_home(home.path());
    let p = AliyunCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.credentials.access_key_id, "file-id");

    // A broken section is a typed error naming the provider, not the values.
    let env = Environment::from_vars(base.into_iter().chain([("ALIBABA_CLOUD_PROFILE", "missing")]));
    let err = ProfileFileProvider::from_env(&env)
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert_eq!(err.provider, "aliyun_credentials_file");
    assert_no_secret(&err.to_string(), &["file-secret", "file-sts-token"]);
}

#[tokio::test]
async fn credentials_file_ecs_ram_role_goes_to_the_metadata_service() {
    let (fake, _) = fake_ecs("file-role", Duration::from_secs(3600), Duration::ZERO).await;
    let home = temp_home();
    let path = home.path().join("credentials");
    std::fs::write(&path, "[default]\ntype = ecs_ram_role\nrole_name = file-role\n").unwrap();
    let env = Environment::from_vars([
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", path.to_str().unwrap()),
        (ECS_METADATA_ENDPOINT_VAR, fake.url.as_str()),
    ]);
    let p = ProfileFileProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(p.credentials.access_key_id, "STS.ecs-id-1");
    assert!(p.expiry.is_some());
    // The role came from the file: the role list was not asked for.
    assert_eq!(fake.count(ROLE_PATH), 0);
}

#[tokio::test]
async fn cli_profile_modes_and_profile_selection() {
    let home = temp_home();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    let config = serde_json::json!({
        "current": "ak",
        "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret", "region_id": "cn-hangzhou"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "STS.cli", "access_key_secret": "cli-sts-secret", "sts_token": "cli-sts-token"},
            {"name": "odd", "mode": "External"}
        ]
    });
    std::fs::write(home.path().join(".aliyun/config.json"), config.to_string()).unwrap();
    let off = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

    let env = Environment::from_vars([off]).with_home(home.path());
    let p = AliyunCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.provider, "aliyun_cli_profile");
    assert_eq!(p.credentials.access_key_id, "cli-id");

    let env = Environment::from_vars([off, ("ALIBABA_CLOUD_PROFILE", "sts")]).with_home(home.path());
    let p = CliProfileProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(p.credentials.security_token.unwrap().expose(), "cli-sts-token");

    let env = Environment::from_vars([off, ("ALIBABA_CLOUD_PROFILE", "odd")]).with_home(home.path());
    let err = CliProfileProvider::from_env(&env).unwrap().provide().await.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Invalid);
    assert!(err.to_string().contains("External"), "{err}");

    let env = Environment::from_vars([off, ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")]).with_home(home.path());
    assert_eq!(
        CliProfileProvider::from_env(&env).unwrap_err().kind,
        ProviderErrorKind::NotConfigured
    );
}

#[tokio::test]
async fn ecs_ram_role_with_session_token_and_role_lookup() {
    let (fake, fetches) = fake_ecs("my-role", Duration::from_secs(3600), Duration::ZERO).await;
    let home = temp_home();
    let env = Environment::from_vars([(ECS_METADATA_ENDPOINT_VAR, fake.url.as_str())]).with_home(home.path());
    let p = AliyunCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.provider, "aliyun_ecs_ram_role");
    assert_eq!(p.credentials.access_key_id, "STS.ecs-id-1");
    assert_eq!(p.credentials.security_token.unwrap().expose(), "ecs-token-1");
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(fake.count("/latest/api/token"), 1);
    assert_eq!(fake.count(ROLE_PATH), 1, "role looked up");

    // With ALIBABA_CLOUD_ECS_METADATA the role is not looked up.
    let env = Environment::from_vars([
        (ECS_METADATA_ENDPOINT_VAR, fake.url.as_str()),
        ("ALIBABA_CLOUD_ECS_METADATA", "my-role"),
    ]);
    EcsRamRoleProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(fake.count(ROLE_PATH), 1);
}

#[tokio::test]
async fn ecs_without_session_token_falls_back_unless_imdsv1_is_disabled() {
    let fake = Fake::start(|s: &Seen| match s.path() {
        "/latest/api/token" => (403, String::new()),
        "/latest/meta-data/ram/security-credentials/r" => {
            assert!(!s.headers.contains_key("x-aliyun-ecs-metadata-token"));
            let body = serde_json::json!({"Code": "Success", "AccessKeyId": "v1-id", "AccessKeySecret": "v1-secret",
                "SecurityToken": "v1-token", "Expiration": rfc3339_in(Duration::from_secs(3600))});
            (200, body.to_string())
        }
        _ => (404, String::new()),
    })
    .await;
    let vars = [
        (ECS_METADATA_ENDPOINT_VAR, fake.url.as_str()),
        ("ALIBABA_CLOUD_ECS_METADATA", "r"),
    ];
    let p = EcsRamRoleProvider::from_env(&Environment::from_vars(vars))
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.credentials.access_key_id, "v1-id");

    let strict = Environment::from_vars(vars.into_iter().chain([("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]));
    let err = EcsRamRoleProvider::from_env(&strict)
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert_eq!(
        (err.provider, err.kind),
        ("aliyun_ecs_ram_role", ProviderErrorKind::Rejected)
    );
}

#[tokio::test]
async fn ecs_metadata_can_be_disabled() {
    let env = Environment::from_vars([("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]);
    let err = EcsRamRoleProvider::from_env(&env).unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::NotConfigured);
}

/// A fake STS that checks the RPC v1 signature with the source secret.
async fn fake_sts(source_secret: &'static str, expires_in: Duration) -> (Fake, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let n = calls.clone();
    let fake = Fake::start(move |s: &Seen| {
        let mut params = s.query();
        let sig = params
            .iter()
            .position(|(k, _)| k == "Signature")
            .map(|i| params.remove(i).1);
        let expected = cloudsnap::auth::aliyun_rpc::signature("GET", &params, source_secret).unwrap();
        if sig.as_deref() != Some(expected.as_str()) {
            return (
                400,
                r#"{"Code":"SignatureDoesNotMatch","Message":"no","RequestId":"r"}"#.into(),
            );
        }
        assert_eq!(s.param("Action").as_deref(), Some("AssumeRole"));
        assert_eq!(s.param("Version").as_deref(), Some("2015-04-01"));
        let i = n.fetch_add(1, Ordering::SeqCst) + 1;
        let body = serde_json::json!({
            "RequestId": "req",
            "AssumedRoleUser": {"Arn": s.param("RoleArn").unwrap(), "AssumedRoleId": "x"},
            "Credentials": {
                "AccessKeyId": format!("STS.role-id-{i}"),
                "AccessKeySecret": format!("role-secret-{i}"),
                "SecurityToken": format!("role-token-{i}"),
                "Expiration": rfc3339_in(expires_in),
            }
        });
        (200, body.to_string())
    })
    .await;
    (fake, calls)
}

#[tokio::test]
async fn ram_role_arn_calls_assume_role_signed_with_the_rpc_signature() {
    let (fake, calls) = fake_sts("src-secret", Duration::from_secs(3600)).await;
    let env = Environment::from_vars([(STS_ENDPOINT_VAR, fake.url.as_str())]);
    let source: SharedProvider<AliyunCredentials> =
        Arc::new(StaticProvider::new(AliyunCredentials::new("src-id", "src-secret")));
    let p = RamRoleArnProvider::new(&env, source, "acs:ram::123:role/backup")
        .unwrap()
        .session_name("nightly")
        .provide()
        .await
        .unwrap();
    assert_eq!(p.provider, "aliyun_ram_role_arn");
    assert_eq!(p.credentials.access_key_id, "STS.role-id-1");
    assert_eq!(p.credentials.security_token.unwrap().expose(), "role-token-1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let seen = &fake.seen()[0];
    assert_eq!(seen.param("AccessKeyId").as_deref(), Some("src-id"));
    assert_eq!(seen.param("RoleArn").as_deref(), Some("acs:ram::123:role/backup"));
    assert_eq!(seen.param("RoleSessionName").as_deref(), Some("nightly"));

    // A wrong source secret: STS refuses; the error has the code, no secret.
    let bad: SharedProvider<AliyunCredentials> =
        Arc::new(StaticProvider::new(AliyunCredentials::new("src-id", "wrong-secret")));
    let err = RamRoleArnProvider::new(&env, bad, "acs:ram::123:role/backup")
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert_eq!(
        (err.provider, err.kind),
        ("aliyun_ram_role_arn", ProviderErrorKind::Rejected)
    );
    assert!(err.to_string().contains("SignatureDoesNotMatch"), "{err}");
    assert_no_secret(&err.to_string(), &["wrong-secret", "src-secret"]);
}

#[tokio::test]
async fn ram_role_arn_from_the_credentials_file_and_the_cli_profile() {
    let (fake, calls) = fake_sts("arn-src-secret", Duration::from_secs(3600)).await;
    let home = temp_home();
    let file = home.path().join("credentials");
    std::fs::write(
        &file,
        "[default]\ntype = ram_role_arn\naccess_key_id = arn-src\naccess_key_secret = arn-src-secret\n\
         role_arn = acs:ram::1:role/r\nrole_session_name = from-file\n",
    )
    .unwrap();
    let env = Environment::from_vars([
        ("ALIBABA_CLOUD_CREDENTIALS_FILE", file.to_str().unwrap()),
        (STS_ENDPOINT_VAR, fake.url.as_str()),
    ]);
    let p = ProfileFileProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(p.credentials.access_key_id, "STS.role-id-1");
    assert_eq!(fake.seen()[0].param("RoleSessionName").as_deref(), Some("from-file"));

    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    let config = serde_json::json!({"current": "r", "profiles": [{"name": "r", "mode": "RamRoleArn",
        "access_key_id": "arn-src", "access_key_secret": "arn-src-secret", "ram_role_arn": "acs:ram::1:role/r",
        "ram_session_name": "from-cli", "expired_seconds": 1200}]});
    std::fs::write(home.path().join(".aliyun/config.json"), config.to_string()).unwrap();
    let env = Environment::from_vars([(STS_ENDPOINT_VAR, fake.url.as_str())]).with_home(home.path());
    let p = CliProfileProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(p.credentials.access_key_id, "STS.role-id-2");
    let second = &fake.seen()[1];
    assert_eq!(second.param("RoleSessionName").as_deref(), Some("from-cli"));
    assert_eq!(second.param("DurationSeconds").as_deref(), Some("1200"));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn expiring_credentials_are_refreshed_and_fresh_ones_cached() {
    let (fake, fetches) = fake_ecs("r", Duration::from_secs(3600), Duration::ZERO).await;
    let env = Environment::from_vars([
        (ECS_METADATA_ENDPOINT_VAR, fake.url.as_str()),
        ("ALIBABA_CLOUD_ECS_METADATA", "r"),
    ]);

    // Expiry (1 h) is inside a 2 h refresh window: every call refreshes.
    let eager = Cached::new(EcsRamRoleProvider::from_env(&env).unwrap()).refresh_window(Duration::from_secs(7200));
    let a = eager.provide().await.unwrap();
    let b = eager.provide().await.unwrap();
    assert_eq!(a.credentials.access_key_id, "STS.ecs-id-1");
    assert_eq!(b.credentials.access_key_id, "STS.ecs-id-2");

    // With the default 5 min window the 1 h credentials are reused.
    let lazy = Cached::new(EcsRamRoleProvider::from_env(&env).unwrap());
    let c = lazy.provide().await.unwrap();
    let d = lazy.provide().await.unwrap();
    assert_eq!(c.credentials.access_key_id, d.credentials.access_key_id);
    assert_eq!(fetches.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_for_many_concurrent_callers() {
    let (fake, fetches) = fake_ecs("r", Duration::from_secs(3600), Duration::from_millis(150)).await;
    let env = Environment::from_vars([
        (ECS_METADATA_ENDPOINT_VAR, fake.url.as_str()),
        ("ALIBABA_CLOUD_ECS_METADATA", "r"),
    ]);
    let cached = Arc::new(Cached::new(EcsRamRoleProvider::from_env(&env).unwrap()));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let c = cached.clone();
            tokio::spawn(async move { c.provide().await.unwrap().credentials.access_key_id })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), "STS.ecs-id-1");
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "exactly one fetch for 32 callers");
}

#[tokio::test]
async fn a_failed_refresh_is_a_typed_error_without_secrets() {
    let fake = Fake::start(|s: &Seen| match s.path() {
        "/latest/api/token" => (200, "tok".into()),
        _ => (
            500,
            r#"{"Code":"InternalError","AccessKeySecret":"leaky-secret"}"#.into(),
        ),
    })
    .await;
    let env = Environment::from_vars([
        (ECS_METADATA_ENDPOINT_VAR, fake.url.as_str()),
        ("ALIBABA_CLOUD_ECS_METADATA", "r"),
    ]);
    let err = Cached::new(EcsRamRoleProvider::from_env(&env).unwrap())
        .provide()
        .await
        .unwrap_err();
    assert_eq!(
        (err.provider, err.kind),
        ("aliyun_ecs_ram_role", ProviderErrorKind::Rejected)
    );
    assert!(err.to_string().contains("500"), "{err}");
    assert_no_secret(&format!("{err} {err:?}"), &["leaky-secret", "tok"]);

    // Unreachable metadata: Unavailable, still naming the provider.
    let env = Environment::from_vars([
        (ECS_METADATA_ENDPOINT_VAR, "http://127.0.0.1:9"),
        ("ALIBABA_CLOUD_ECS_METADATA", "r"),
    ]);
    let err = EcsRamRoleProvider::from_env(&env).unwrap().provide().await.unwrap_err();
    assert_eq!(
        (err.provider, err.kind),
        ("aliyun_ecs_ram_role", ProviderErrorKind::Unavailable)
    );
}
