//! Huawei Cloud credential sources and the default chain.
//!
//! Names, formats and endpoints follow Huawei Cloud's Go SDK
//! (`huaweicloud/huaweicloud-sdk-go-v3`, `core/auth/provider/env_provider.go`,
//! `profile_provider.go`, `metadata_provider.go`, `provider_chain.go`, and
//! `core/auth/internal/metadata_accessor.go`):
//!
//! * environment: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`,
//!   `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_PROJECT_ID`,
//!   `HUAWEICLOUD_SDK_DOMAIN_ID`;
//! * credentials file `~/.huaweicloud/credentials` (path from
//!   `HUAWEICLOUD_SDK_CREDENTIALS_FILE`), INI with a `[basic]` (project-level)
//!   or `[global]` (account-level) section holding `ak`, `sk`,
//!   `security_token`, `project_id`, `domain_id`; cloudsnap reads `[basic]`,
//!   else `[global]`;
//! * instance metadata at `http://169.254.169.254`: a session token by
//!   `PUT /meta-data/latest/api/token` with `X-Metadata-Token-Ttl-Seconds`
//!   (404/405 mean the service has none), sent as `X-Metadata-Token` with
//!   `GET /openstack/latest/securitykey`, which answers
//!   `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`.
//!
//! cloudsnap's own [`METADATA_ENDPOINT_VAR`] moves the metadata endpoint
//! (for tests and proxies).

use std::sync::Arc;

use serde::Deserialize;

use super::http_util::{self, base, exchange, json};
use super::{
    build_chain, ini, parse_expiry, BoxFuture, CredentialsProvider, DefaultChain, Environment, Provided, ProviderError,
    ProviderErrorKind, SharedProvider,
};
use crate::auth::{HuaweiAkSkCredentials, HuaweiIamToken, Secret};
use crate::client::Transport;

/// cloudsnap's variable moving the metadata endpoint (default
/// `http://169.254.169.254`).
pub const METADATA_ENDPOINT_VAR: &str = "CLOUDSNAP_HUAWEICLOUD_METADATA_ENDPOINT";

const DEFAULT_METADATA: &str = "http://169.254.169.254";
const TOKEN_TTL_SECONDS: &str = "21600";

const ENV: &str = "huawei_env";
const FILE: &str = "huawei_credentials_file";
const META: &str = "huawei_metadata";

/// The `HUAWEICLOUD_SDK_*` variables.
#[derive(Debug, Clone)]
pub struct EnvProvider {
    env: Environment,
}

impl EnvProvider {
    /// Reads variables from `env`.
    pub fn new(env: Environment) -> Self {
        EnvProvider { env }
    }
}

impl CredentialsProvider<HuaweiAkSkCredentials> for EnvProvider {
    fn name(&self) -> &'static str {
        ENV
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<HuaweiAkSkCredentials>, ProviderError>> {
        let r = HuaweiAkSkCredentials::from_env_with(self.env.lookup())
            .map(|c| Provided::long_term(c, ENV))
            .map_err(|e| ProviderError::from_credential(ENV, e));
        Box::pin(async move { r })
    }
}

/// `~/.huaweicloud/credentials` (`HUAWEICLOUD_SDK_CREDENTIALS_FILE`).
#[derive(Debug, Clone)]
pub struct ProfileFileProvider {
    path: std::path::PathBuf,
}

impl ProfileFileProvider {
    /// `NotConfigured` when the file is absent.
    pub fn from_env(env: &Environment) -> Result<Self, ProviderError> {
        let path = env
            .path("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &[".huaweicloud", "credentials"])
            .map_err(|e| ProviderError::from_credential(FILE, e))?
            .ok_or_else(|| ProviderError::not_configured(FILE, "no home directory"))?;
        if !path.is_file() {
            return Err(ProviderError::not_configured(
                FILE,
                format!("{} does not exist", path.display()),
            ));
        }
        Ok(ProfileFileProvider { path })
    }

    fn read(&self) -> Result<Provided<HuaweiAkSkCredentials>, ProviderError> {
        let shown = self.path.display();
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| ProviderError::not_configured(FILE, format!("cannot read {shown}: {}", e.kind())))?;
        let ini = ini::parse(&text)
            .map_err(|line| ProviderError::invalid(FILE, format!("{shown} line {line} is not INI")))?;
        let (name, section) = ["basic", "global"]
            .iter()
            .find_map(|n| ini.get(*n).map(|s| (*n, s)))
            .ok_or_else(|| ProviderError::invalid(FILE, format!("{shown} has neither [basic] nor [global]")))?;
        let get = |k: &str| section.get(k).filter(|v| !v.is_empty()).cloned();
        let need = |k: &str| get(k).ok_or_else(|| ProviderError::invalid(FILE, format!("[{name}] has no `{k}`")));
        let mut c = HuaweiAkSkCredentials::new(need("ak")?, Secret::new(need("sk")?));
        c.security_token = get("security_token").map(Secret::new);
        c.project_id = get("project_id");
        c.domain_id = get("domain_id");
        Ok(Provided::long_term(c, FILE))
    }
}

impl CredentialsProvider<HuaweiAkSkCredentials> for ProfileFileProvider {
    fn name(&self) -> &'static str {
        FILE
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<HuaweiAkSkCredentials>, ProviderError>> {
        let r = self.read();
        Box::pin(async move { r })
    }
}

/// Temporary AK/SK of the instance's agency, from the metadata service.
#[derive(Clone)]
pub struct MetadataProvider {
    endpoint: String,
    transport: Arc<dyn Transport>,
}

impl std::fmt::Debug for MetadataProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetadataProvider")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct SecurityKey {
    credential: Option<SecurityKeyCredential>,
}

#[derive(Deserialize)]
struct SecurityKeyCredential {
    access: Option<String>,
    secret: Option<String>,
    securitytoken: Option<String>,
    expires_at: Option<String>,
}

impl MetadataProvider {
    /// The endpoint from `env` ([`METADATA_ENDPOINT_VAR`]) or the default.
    pub fn from_env(env: &Environment) -> Result<Self, ProviderError> {
        let endpoint = env
            .var(METADATA_ENDPOINT_VAR)
            .map_err(|e| ProviderError::from_credential(META, e))?
            .unwrap_or_else(|| DEFAULT_METADATA.to_owned());
        Ok(MetadataProvider {
            endpoint,
            transport: http_util::default_transport(META)?,
        })
    }

    async fn token(&self) -> Result<Option<String>, ProviderError> {
        let url = format!("{}/meta-data/latest/api/token", base(&self.endpoint));
        let req = http_util::request(
            META,
            http::Method::PUT,
            &url,
            &[("x-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)],
        )?;
        match exchange(&*self.transport, META, req).await? {
            (200, body) => String::from_utf8(body)
                .map(|t| Some(t.trim().to_owned()))
                .map_err(|_| ProviderError::invalid(META, "the metadata session token is not UTF-8")),
            (404 | 405, _) => Ok(None),
            (status, _) => Err(ProviderError::new(
                META,
                ProviderErrorKind::Rejected,
                format!("the metadata token request answered status {status}"),
            )),
        }
    }

    async fn fetch(&self) -> Result<Provided<HuaweiAkSkCredentials>, ProviderError> {
        let token = self.token().await?;
        let url = format!("{}/openstack/latest/securitykey", base(&self.endpoint));
        let headers: Vec<(&'static str, &str)> = token
            .as_deref()
            .map(|t| vec![("x-metadata-token", t)])
            .unwrap_or_default();
        let req = http_util::request(META, http::Method::GET, &url, &headers)?;
        let (status, body) = exchange(&*self.transport, META, req).await?;
        if status != 200 {
            return Err(ProviderError::new(
                META,
                ProviderErrorKind::Rejected,
                format!("securitykey answered status {status} (is an agency attached to the instance?)"),
            ));
        }
        let key: SecurityKey = json(META, &body)?;
        let c = key
            .credential
            .ok_or_else(|| ProviderError::invalid(META, "the answer has no `credential`"))?;
        let missing = |f: &str| ProviderError::invalid(META, format!("the answer has no `credential.{f}`"));
        let creds = HuaweiAkSkCredentials::new(
            c.access.ok_or_else(|| missing("access"))?,
            Secret::new(c.secret.ok_or_else(|| missing("secret"))?),
        )
        .with_security_token(c.securitytoken.ok_or_else(|| missing("securitytoken"))?);
        let expiry = parse_expiry(META, &c.expires_at.ok_or_else(|| missing("expires_at"))?)?;
        Ok(Provided {
            credentials: creds,
            expiry: Some(expiry),
            provider: META,
        })
    }
}

impl CredentialsProvider<HuaweiAkSkCredentials> for MetadataProvider {
    fn name(&self) -> &'static str {
        META
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<HuaweiAkSkCredentials>, ProviderError>> {
        Box::pin(self.fetch())
    }
}

fn shared<P: CredentialsProvider<HuaweiAkSkCredentials> + 'static>(p: P) -> SharedProvider<HuaweiAkSkCredentials> {
    Arc::new(p)
}

impl DefaultChain for HuaweiAkSkCredentials {
    /// Environment, credentials file, instance metadata: the order of the
    /// Go SDK's `DefaultCredentialProviderChain`.
    fn default_chain_with(env: &Environment) -> Result<SharedProvider<Self>, ProviderError> {
        let env_source = match env.var(crate::auth::credentials::env::HUAWEICLOUD_SDK_AK) {
            Ok(Some(_)) => Ok(shared(EnvProvider::new(env.clone()))),
            _ => Err(ProviderError::not_configured(ENV, "HUAWEICLOUD_SDK_AK is not set")),
        };
        build_chain(vec![
            env_source,
            ProfileFileProvider::from_env(env).map(shared),
            MetadataProvider::from_env(env).map(shared),
        ])
    }
}

impl DefaultChain for HuaweiIamToken {
    /// `HUAWEICLOUD_IAM_TOKEN` only: Huawei documents no chain for
    /// ready-made IAM tokens.
    fn default_chain_with(env: &Environment) -> Result<SharedProvider<Self>, ProviderError> {
        super::token::EnvValueProvider::<HuaweiIamToken>::checked(env, "huawei_iam_token_env", |e| {
            HuaweiIamToken::from_env_with(e.lookup())
        })
        .map(|p| Arc::new(super::Cached::new(p)) as SharedProvider<Self>)
    }
}
