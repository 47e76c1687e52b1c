//! Zilliz Cloud and Elasticsearch credential sources, and providers feeding
//! signers through the client: each request is signed with the provider's
//! current credentials.

mod credentials_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudsnap::auth::provider::token::ZillizFileProvider;
use cloudsnap::auth::provider::{
    BoxFuture, Cached, CredentialsProvider, DefaultChain, Environment, Provided, ProviderError, ProviderErrorKind,
};
use cloudsnap::auth::{
    AliyunCredentials, AliyunRpcSigner, ApiKey, BasicCredentials, ElasticApiKey, ProviderSigner, SigningContext,
};
use cloudsnap::client::{Client, Error, Limits, Transport, TransportError};
use credentials_support::assert_no_secret;

#[tokio::test]
async fn zilliz_key_from_the_environment_then_a_file() {
    let env = Environment::from_vars([("ZILLIZ_API_KEY", "z-env-key")]);
    let p = ApiKey::default_chain_with(&env).unwrap().provide().await.unwrap();
    assert_eq!((p.provider, p.credentials.key.expose()), ("zilliz_env", "z-env-key"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key");
    std::fs::write(&file, "  z-file-key\n").unwrap();
    let env = Environment::from_vars([("ZILLIZ_API_KEY_FILE", file.to_str().unwrap())]);
    let p = ApiKey::default_chain_with(&env).unwrap().provide().await.unwrap();
    assert_eq!(
        (p.provider, p.credentials.key.expose()),
        ("zilliz_api_key_file", "z-file-key")
    );

    std::fs::write(&file, "\n").unwrap();
    let err = ZillizFileProvider::new(&file).provide().await.unwrap_err();
    assert_eq!(err.kind, ProviderErrorKind::Invalid);

    let err = ApiKey::default_chain_with(&Environment::from_vars([("A", "b")])).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("ZILLIZ_API_KEY") && text.contains("ZILLIZ_API_KEY_FILE"),
        "{text}"
    );
}

#[tokio::test]
async fn elasticsearch_basic_and_api_key_from_the_environment() {
    let env = Environment::from_vars([
        ("ELASTICSEARCH_USERNAME", "elastic"),
        ("ELASTICSEARCH_PASSWORD", "es-pass"),
        ("ELASTICSEARCH_API_KEY", "ZXMta2V5"),
    ]);
    let p = BasicCredentials::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (p.credentials.username.as_str(), p.credentials.password.expose()),
        ("elastic", "es-pass")
    );
    let p = ElasticApiKey::default_chain_with(&env)
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(
        (p.provider, p.credentials.encoded.expose()),
        ("elasticsearch_api_key_env", "ZXMta2V5")
    );
    let err =
        BasicCredentials::default_chain_with(&Environment::from_vars([("ELASTICSEARCH_USERNAME", "u")])).unwrap_err();
    assert!(err.to_string().contains("ELASTICSEARCH_PASSWORD"), "{err}");
}

/// Hands out a new AccessKey pair on every call, expiring at once, and
/// fails when told to.
#[derive(Default)]
struct Rotating {
    calls: Mutex<u32>,
    fail: Mutex<bool>,
}

impl CredentialsProvider<AliyunCredentials> for Rotating {
    fn name(&self) -> &'static str {
        "rotating"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<AliyunCredentials>, ProviderError>> {
        Box::pin(async move {
            if *self.fail.lock().unwrap() {
                return Err(ProviderError::new("rotating", ProviderErrorKind::Unavailable, "down"));
            }
            let mut n = self.calls.lock().unwrap();
            *n += 1;
            Ok(Provided {
                credentials: AliyunCredentials::new(format!("id-{n}"), format!("rot-secret-{n}")),
                expiry: Some(std::time::SystemTime::now() + Duration::from_secs(1)),
                provider: "rotating",
            })
        })
    }
}

/// Records the `AccessKeyId` of every request and answers an empty page.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Transport for Recorder {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _limits: Limits,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        let query = request.uri().query().unwrap_or("").to_owned();
        let id = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("AccessKeyId="))
            .unwrap_or("")
            .to_owned();
        self.0.lock().unwrap().push(id);
        Box::pin(async move {
            let body = r#"{"RequestId":"r-1","TotalCount":0,"Snapshots":{"Snapshot":[]}}"#;
            Ok(http::Response::builder()
                .status(200)
                .body(body.as_bytes().to_vec())
                .unwrap())
        })
    }
}

#[tokio::test]
async fn the_client_signs_every_request_with_current_credentials() {
    let rotating = Arc::new(Rotating::default());
    // Credentials valid for 1 s with a 5 min window: refreshed every call.
    let provider = Arc::new(Cached::shared(rotating.clone()));
    let auth = ProviderSigner::new(provider, AliyunRpcSigner::new);
    let recorder = Recorder::default();
    let config = cloudsnap::aliyun::ecs::Client::config().region("cn-hangzhou");
    let client = Client::with_authenticator(config, auth, recorder.clone()).unwrap();
    let request = cloudsnap::aliyun::ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou");
    client.send(&request).await.unwrap();
    client.send(&request).await.unwrap();
    assert_eq!(*recorder.0.lock().unwrap(), ["id-1", "id-2"]);

    // A failing provider: a typed error naming it; nothing sent, no secret.
    *rotating.fail.lock().unwrap() = true;
    tokio::time::sleep(Duration::from_millis(1100)).await; // cached pair expired
    let err = client.send(&request).await.unwrap_err();
    match &err {
        Error::Credentials { source, .. } => assert_eq!(source.provider, "rotating"),
        other => panic!("expected a credentials error, got {other:?}"),
    }
    assert_eq!(recorder.0.lock().unwrap().len(), 2);
    assert_no_secret(&format!("{err} {err:?}"), &["rot-secret-1", "rot-secret-2"]);
}

#[test]
fn static_credentials_still_sign_as_before() {
    // The same signer through the Authenticate path gives the same result
    // as calling it directly.
    use cloudsnap::auth::{Authenticate, Signer, StaticSigner};
    let ctx = SigningContext::new(std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000), "nonce");
    let make = || {
        http::Request::get("https://ecs.aliyuncs.com/?Action=DescribeRegions&Version=2014-05-26")
            .body(Vec::new())
            .unwrap()
    };
    let signer = AliyunRpcSigner::new(AliyunCredentials::new("id", "secret"));
    let mut direct = make();
    signer.sign(&mut direct, &ctx).unwrap();
    let mut via = make();
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let name = rt.block_on(StaticSigner(signer).authenticate(&mut via, &ctx)).unwrap();
    assert_eq!(name, "static");
    assert_eq!(direct.uri(), via.uri());
}
