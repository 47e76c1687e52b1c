//! Huawei Cloud credential sources against local fakes: explicit
//! `Environment`s, files in temp directories and a loopback server standing
//! in for the instance metadata service.

mod credentials_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cloudsnap::auth::provider::huawei::{MetadataProvider, ProfileFileProvider, METADATA_ENDPOINT_VAR};
use cloudsnap::auth::provider::{Cached, CredentialsProvider, DefaultChain, Environment, ProviderErrorKind};
use cloudsnap::auth::{HuaweiAkSkCredentials, HuaweiIamToken};
use credentials_support::{assert_no_secret, rfc3339_in, Fake, Seen};

const KEY_PATH: &str = "/openstack/latest/securitykey";
const TOKEN_PATH: &str = "/meta-data/latest/api/token";

/// A fake metadata service; `token` decides whether it issues session tokens.
async fn fake_metadata(token: bool, expires_in: Duration) -> (Fake, Arc<AtomicUsize>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let n = fetches.clone();
    let fake = Fake::start(move |s: &Seen| match (s.method.as_str(), s.path()) {
        ("PUT", TOKEN_PATH) if token => {
            assert_eq!(s.headers["x-metadata-token-ttl-seconds"], "21600");
            (200, "hw-session".into())
        }
        ("PUT", TOKEN_PATH) => (404, String::new()),
        ("GET", KEY_PATH) => {
            let header = s.headers.get("x-metadata-token").map(String::as_str);
            if token && header != Some("hw-session") || !token && header.is_some() {
                return (401, String::new());
            }
            let i = n.fetch_add(1, Ordering::SeqCst) + 1;
            // `expires_at` with microseconds, as the service sends it.
            let expires = rfc3339_in(expires_in).replace('Z', ".000000Z");
            let body = serde_json::json!({"credential": {
                "access": format!("hw-temp-ak-{i}"),
                "secret": format!("hw-temp-sk-{i}"),
                "securitytoken": format!("hw-temp-token-{i}"),
                "expires_at": expires,
            }});
            (200, body.to_string())
        }
        _ => (404, String::new()),
    })
    .await;
    (fake, fetches)
}

#[tokio::test]
async fn environment_variables_with_project_and_domain() {
    let env = Environment::from_vars([
        ("HUAWEICLOUD_SDK_AK", "hw-ak"),
        ("HUAWEICLOUD_SDK_SK", "hw-sk"),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "hw-token"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "proj-1"),
        ("HUAWEICLOUD_SDK_DOMAIN_ID", "dom-1"),
    ]);
    let p = HuaweiAkSkCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.provider, "huawei_env");
    let c = p.credentials;
    assert_eq!((c.access_key.as_str(), c.secret_key.expose()), ("hw-ak", "hw-sk"));
    assert_eq!(c.security_token.unwrap().expose(), "hw-token");
    assert_eq!(
        (c.project_id.as_deref(), c.domain_id.as_deref()),
        (Some("proj-1"), Some("dom-1"))
    );
}

#[tokio::test]
async fn credentials_file_basic_section_by_variable_and_in_home() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("hw.ini");
    std::fs::write(
        &path,
        "[basic]\nak = file-ak\nsk = file-sk\nproject_id = file-proj\n\n[global]\nak = g-ak\nsk = g-sk\ndomain_id = g-dom\n",
    )
    .unwrap();
    let (fake, _) = fake_metadata(true, Duration::from_secs(3600)).await;
    let env = Environment::from_vars([
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path.to_str().unwrap()),
        (METADATA_ENDPOINT_VAR, fake.url.as_str()),
    ]);
    let p = HuaweiAkSkCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.provider, "huawei_credentials_file");
    assert_eq!(p.credentials.access_key, "file-ak");
    assert_eq!(p.credentials.project_id.as_deref(), Some("file-proj"));
    assert!(
        fake.seen().is_empty(),
        "metadata not asked when the file has credentials"
    );

    // `[global]` alone is read too; the default path is under the home.
    std::fs::create_dir_all(home.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        home.path().join(".huaweicloud/credentials"),
        "[global]\nak = g-ak\nsk = g-sk\ndomain_id = g-dom\n",
    )
    .unwrap();
    let env = Environment::from_vars([(METADATA_ENDPOINT_VAR, fake.url.as_str())]).with_home(home.path());
    let p = ProfileFileProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(
        (p.credentials.access_key.as_str(), p.credentials.domain_id.as_deref()),
        ("g-ak", Some("g-dom"))
    );

    // A file without ak: Invalid, naming the provider and the key, no secret.
    std::fs::write(&path, "[basic]\nsk = lonely-sk\n").unwrap();
    let env = Environment::from_vars([("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path.to_str().unwrap())]);
    let err = ProfileFileProvider::from_env(&env)
        .unwrap()
        .provide()
        .await
        .unwrap_err();
    assert_eq!(
        (err.provider, err.kind),
        ("huawei_credentials_file", ProviderErrorKind::Invalid)
    );
    assert!(err.to_string().contains("`ak`"), "{err}");
    assert_no_secret(&err.to_string(), &["lonely-sk"]);
}

#[tokio::test]
async fn metadata_securitykey_with_session_token() {
    let (fake, fetches) = fake_metadata(true, Duration::from_secs(3600)).await;
    let home = tempfile::tempdir().unwrap();
    let env = Environment::from_vars([(METADATA_ENDPOINT_VAR, fake.url.as_str())]).with_home(home.path());
    let p = HuaweiAkSkCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(p.provider, "huawei_metadata");
    assert_eq!(p.credentials.access_key, "hw-temp-ak-1");
    assert_eq!(p.credentials.secret_key.expose(), "hw-temp-sk-1");
    assert_eq!(p.credentials.security_token.unwrap().expose(), "hw-temp-token-1");
    assert!(p.expiry.is_some());
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    assert_eq!(fake.count(TOKEN_PATH), 1);
}

#[tokio::test]
async fn metadata_without_session_tokens() {
    let (fake, _) = fake_metadata(false, Duration::from_secs(3600)).await;
    let env = Environment::from_vars([(METADATA_ENDPOINT_VAR, fake.url.as_str())]);
    let p = MetadataProvider::from_env(&env).unwrap().provide().await.unwrap();
    assert_eq!(p.credentials.access_key, "hw-temp-ak-1");
}

#[tokio::test]
async fn metadata_credentials_are_refreshed_before_expiry() {
    let (fake, fetches) = fake_metadata(true, Duration::from_secs(120)).await;
    let env = Environment::from_vars([(METADATA_ENDPOINT_VAR, fake.url.as_str())]);
    // 2 min left is inside the default 5 min window: refreshed on each call.
    let cached = Cached::new(MetadataProvider::from_env(&env).unwrap());
    let a = cached.provide().await.unwrap();
    let b = cached.provide().await.unwrap();
    assert_eq!(
        (a.credentials.access_key.as_str(), b.credentials.access_key.as_str()),
        ("hw-temp-ak-1", "hw-temp-ak-2")
    );
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn metadata_without_agency_is_a_typed_error() {
    let fake = Fake::start(|s: &Seen| match s.path() {
        TOKEN_PATH => (200, "t".into()),
        _ => (401, "Please configure Cloud Service Agency first".into()),
    })
    .await;
    let env = Environment::from_vars([(METADATA_ENDPOINT_VAR, fake.url.as_str())]);
    let err = MetadataProvider::from_env(&env).unwrap().provide().await.unwrap_err();
    assert_eq!(
        (err.provider, err.kind),
        ("huawei_metadata", ProviderErrorKind::Rejected)
    );
    assert!(err.to_string().contains("401"), "{err}");
}

#[tokio::test]
async fn iam_token_from_the_environment() {
    let env = Environment::from_vars([("HUAWEICLOUD_IAM_TOKEN", "MIItoken")]);
    let p = HuaweiIamToken::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (p.provider, p.credentials.token.expose()),
        ("huawei_iam_token_env", "MIItoken")
    );
    let err = HuaweiIamToken::default_chain_with(&Environment::from_vars([("X", "y")])).unwrap_err();
    assert!(err.to_string().contains("HUAWEICLOUD_IAM_TOKEN"), "{err}");
}
