//! Sources of single-value credentials: the Zilliz Cloud API key (variable
//! or file) and Elasticsearch's Basic credentials and API key (variables).
//!
//! Neither vendor documents a credentials chain for these: the variable
//! names (`ZILLIZ_API_KEY`, `ZILLIZ_API_KEY_FILE`, `ELASTICSEARCH_USERNAME`,
//! `ELASTICSEARCH_PASSWORD`, `ELASTICSEARCH_API_KEY`) are cloudsnap's.

use std::path::PathBuf;
use std::sync::Arc;

use super::{
    BoxFuture, Cached, CredentialsProvider, DefaultChain, Environment, Provided, ProviderError, SharedProvider,
};
use crate::auth::credentials::env as vars;
use crate::auth::{ApiKey, BasicCredentials, CredentialError, ElasticApiKey, Secret};

/// Credentials read from variables by a `from_env_with`-style function.
pub struct EnvValueProvider<C> {
    env: Environment,
    name: &'static str,
    read: fn(&Environment) -> Result<C, CredentialError>,
}

impl<C> std::fmt::Debug for EnvValueProvider<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvValueProvider")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<C> EnvValueProvider<C> {
    /// A provider called `name` that reads with `read`.
    pub fn new(env: Environment, name: &'static str, read: fn(&Environment) -> Result<C, CredentialError>) -> Self {
        EnvValueProvider { env, name, read }
    }

    /// As [`new`](Self::new), but fails now when `read` fails now.
    pub fn checked(
        env: &Environment,
        name: &'static str,
        read: fn(&Environment) -> Result<C, CredentialError>,
    ) -> Result<Self, ProviderError> {
        read(env).map_err(|e| ProviderError::from_credential(name, e))?;
        Ok(Self::new(env.clone(), name, read))
    }
}

impl<C: Send + Sync> CredentialsProvider<C> for EnvValueProvider<C> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>, ProviderError>> {
        let r = (self.read)(&self.env)
            .map(|c| Provided::long_term(c, self.name))
            .map_err(|e| ProviderError::from_credential(self.name, e));
        Box::pin(async move { r })
    }
}

/// `ZILLIZ_API_KEY`.
pub type ZillizEnvProvider = EnvValueProvider<ApiKey>;
/// `ELASTICSEARCH_USERNAME` and `ELASTICSEARCH_PASSWORD`.
pub type ElasticBasicEnvProvider = EnvValueProvider<BasicCredentials>;
/// `ELASTICSEARCH_API_KEY`.
pub type ElasticApiKeyEnvProvider = EnvValueProvider<ElasticApiKey>;

const ZILLIZ_FILE: &str = "zilliz_api_key_file";

/// The Zilliz Cloud API key from the file named by `ZILLIZ_API_KEY_FILE`
/// (its whole content, surrounding whitespace trimmed; read on every call,
/// so a rotated key is picked up once the cache is refreshed).
#[derive(Debug, Clone)]
pub struct ZillizFileProvider {
    path: PathBuf,
}

impl ZillizFileProvider {
    /// `NotConfigured` unless `ZILLIZ_API_KEY_FILE` is set.
    pub fn from_env(env: &Environment) -> Result<Self, ProviderError> {
        let path = env
            .var(vars::ZILLIZ_API_KEY_FILE)
            .map_err(|e| ProviderError::from_credential(ZILLIZ_FILE, e))?
            .ok_or_else(|| ProviderError::not_configured(ZILLIZ_FILE, "ZILLIZ_API_KEY_FILE is not set"))?;
        Ok(ZillizFileProvider { path: path.into() })
    }

    /// Read the key from `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ZillizFileProvider { path: path.into() }
    }

    fn read(&self) -> Result<Provided<ApiKey>, ProviderError> {
        let shown = self.path.display();
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| ProviderError::not_configured(ZILLIZ_FILE, format!("cannot read {shown}: {}", e.kind())))?;
        let key = text.trim();
        if key.is_empty() {
            return Err(ProviderError::invalid(ZILLIZ_FILE, format!("{shown} is empty")));
        }
        Ok(Provided::long_term(ApiKey::new(Secret::new(key)), ZILLIZ_FILE))
    }
}

impl CredentialsProvider<ApiKey> for ZillizFileProvider {
    fn name(&self) -> &'static str {
        ZILLIZ_FILE
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<ApiKey>, ProviderError>> {
        let r = self.read();
        Box::pin(async move { r })
    }
}

fn cached<C: Clone + Send + Sync + 'static>(p: impl CredentialsProvider<C> + 'static) -> SharedProvider<C> {
    Arc::new(Cached::new(p))
}

impl DefaultChain for ApiKey {
    /// `ZILLIZ_API_KEY`, then the file named by `ZILLIZ_API_KEY_FILE`.
    fn default_chain_with(env: &Environment) -> Result<SharedProvider<Self>, ProviderError> {
        super::build_chain(vec![
            ZillizEnvProvider::checked(env, "zilliz_env", |e| ApiKey::from_env_with(e.lookup()))
                .map(|p| Arc::new(p) as SharedProvider<Self>),
            ZillizFileProvider::from_env(env).map(|p| Arc::new(p) as SharedProvider<Self>),
        ])
    }
}

impl DefaultChain for BasicCredentials {
    /// `ELASTICSEARCH_USERNAME` and `ELASTICSEARCH_PASSWORD`.
    fn default_chain_with(env: &Environment) -> Result<SharedProvider<Self>, ProviderError> {
        ElasticBasicEnvProvider::checked(env, "elasticsearch_basic_env", |e| {
            BasicCredentials::from_env_with(e.lookup())
        })
        .map(cached)
    }
}

impl DefaultChain for ElasticApiKey {
    /// `ELASTICSEARCH_API_KEY`.
    fn default_chain_with(env: &Environment) -> Result<SharedProvider<Self>, ProviderError> {
        ElasticApiKeyEnvProvider::checked(env, "elasticsearch_api_key_env", |e| {
            ElasticApiKey::from_env_with(e.lookup())
        })
        .map(cached)
    }
}
