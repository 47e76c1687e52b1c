//! Credential providers: where credentials come from (environment, files,
//! instance metadata, STS), caching with refresh before expiry, and a default
//! chain per vendor.
//!
//! A [`CredentialsProvider`] hands out credentials asynchronously; signers do
//! not hold credentials themselves when built from a provider
//! ([`ProviderSigner`]): the client asks the provider on every attempt, so
//! refreshed temporary credentials are picked up without rebuilding clients.
//!
//! | Vendor | Default chain, in order (see each module for the sources) |
//! | --- | --- |
//! | Alibaba Cloud | [`aliyun::EnvProvider`], [`aliyun::CliProfileProvider`] (`~/.aliyun/config.json`), [`aliyun::ProfileFileProvider`] (`~/.alibabacloud/credentials`), [`aliyun::EcsRamRoleProvider`] |
//! | Huawei Cloud | [`huawei::EnvProvider`], [`huawei::ProfileFileProvider`] (`~/.huaweicloud/credentials`), [`huawei::MetadataProvider`] |
//! | Zilliz Cloud | [`token::ZillizEnvProvider`], [`token::ZillizFileProvider`] |
//! | Elasticsearch | [`token::ElasticBasicEnvProvider`]; [`token::ElasticApiKeyEnvProvider`] for the `ApiKey` scheme |
//!
//! Every chain is wrapped in [`Cached`], so temporary credentials are fetched
//! once, shared by concurrent calls (one refresh however many calls wait),
//! and refreshed [`DEFAULT_REFRESH_WINDOW`] before they expire.
//!
//! Errors ([`ProviderError`]) name the provider and say what was wrong; they
//! never carry a secret, a token or a response body.

use std::ffi::OsString;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub mod aliyun;
mod http_util;
pub mod huawei;
mod ini;
pub mod token;

use super::{CredentialError, SignError, Signer, SigningContext};

/// A boxed, sendable future (the same shape as the client's transport
/// future), so that [`CredentialsProvider`] stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A provider shared between clients and signers.
pub type SharedProvider<C> = Arc<dyn CredentialsProvider<C>>;

/// How long before expiry [`Cached`] refreshes temporary credentials by
/// default (the vendors' SDKs refresh a few minutes ahead, too).
pub const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Credentials and what is known about them.
#[derive(Debug, Clone)]
pub struct Provided<C> {
    /// The credentials.
    pub credentials: C,
    /// When temporary credentials stop working (`None`: long-term).
    pub expiry: Option<SystemTime>,
    /// The name of the provider that produced them (for logs and tracing).
    pub provider: &'static str,
}

impl<C> Provided<C> {
    /// Long-term credentials from `provider`.
    pub fn long_term(credentials: C, provider: &'static str) -> Self {
        Provided {
            credentials,
            expiry: None,
            provider,
        }
    }
}

/// A source of credentials of type `C`.
///
/// Object-safe: hold it as [`SharedProvider<C>`]. Implementations for remote
/// sources fetch on every call; wrap them in [`Cached`] to cache and refresh.
pub trait CredentialsProvider<C>: Send + Sync {
    /// A short, stable name (`aliyun_env`, `huawei_metadata`, ...).
    fn name(&self) -> &'static str;

    /// Fetch credentials.
    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>, ProviderError>>;
}

impl<C> fmt::Debug for dyn CredentialsProvider<C> {
    // The name only: a provider may hold credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CredentialsProvider({})", self.name())
    }
}

impl<C, P: CredentialsProvider<C> + ?Sized> CredentialsProvider<C> for Arc<P> {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>, ProviderError>> {
        (**self).provide()
    }
}

/// What kind of failure a [`ProviderError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProviderErrorKind {
    /// The source is not set up here (no variable, no file, disabled): a
    /// chain moves on to the next source.
    NotConfigured,
    /// The source is set up but its content is unusable (bad file, missing
    /// field, unknown mode).
    Invalid,
    /// The service behind the source could not be reached or timed out.
    Unavailable,
    /// The service answered with an error status or an error code.
    Rejected,
}

/// Credentials could not be obtained. The message names the provider and
/// the reason, never a secret, a token or a raw response body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("credentials provider `{provider}`: {reason}")]
pub struct ProviderError {
    /// The provider's name.
    pub provider: &'static str,
    /// The kind of failure.
    pub kind: ProviderErrorKind,
    /// What went wrong (no secret material).
    pub reason: String,
}

impl ProviderError {
    /// A new error.
    pub fn new(provider: &'static str, kind: ProviderErrorKind, reason: impl Into<String>) -> Self {
        ProviderError {
            provider,
            kind,
            reason: reason.into(),
        }
    }

    pub(crate) fn not_configured(provider: &'static str, reason: impl Into<String>) -> Self {
        Self::new(provider, ProviderErrorKind::NotConfigured, reason)
    }

    pub(crate) fn invalid(provider: &'static str, reason: impl Into<String>) -> Self {
        Self::new(provider, ProviderErrorKind::Invalid, reason)
    }

    pub(crate) fn from_credential(provider: &'static str, e: CredentialError) -> Self {
        let kind = match e {
            CredentialError::MissingEnvVar { .. } => ProviderErrorKind::NotConfigured,
            _ => ProviderErrorKind::Invalid,
        };
        Self::new(provider, kind, e.to_string())
    }
}

type Lookup = dyn Fn(&str) -> Option<OsString> + Send + Sync;

/// Where providers read environment variables and the home directory:
/// the process ([`Environment::process`]) or, in tests and for callers with
/// their own configuration, an explicit map ([`Environment::from_vars`]).
///
/// Endpoint overrides for the remote sources are variables too (see
/// [`aliyun::ECS_METADATA_ENDPOINT_VAR`], [`aliyun::STS_ENDPOINT_VAR`],
/// [`huawei::METADATA_ENDPOINT_VAR`]), so tests point them at loopback fakes.
#[derive(Clone)]
pub struct Environment {
    lookup: Arc<Lookup>,
    home: Option<PathBuf>,
}

impl fmt::Debug for Environment {
    // Variable values may be secrets: show only the home directory.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

impl Environment {
    /// The process environment and the user's home directory (`HOME`, or
    /// `USERPROFILE` on Windows).
    pub fn process() -> Self {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Environment {
            lookup: Arc::new(|name| std::env::var_os(name)),
            home,
        }
    }

    /// Exactly these variables, and no home directory (add one with
    /// [`with_home`](Self::with_home)).
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<OsString>,
    {
        let map: std::collections::HashMap<String, OsString> =
            vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Environment {
            lookup: Arc::new(move |name| map.get(name).cloned()),
            home: None,
        }
    }

    /// Use `home` as the home directory.
    #[must_use]
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    /// A variable's value; unset or empty is `None`.
    pub fn var(&self, name: &'static str) -> Result<Option<String>, CredentialError> {
        match (self.lookup)(name) {
            None => Ok(None),
            Some(raw) => {
                let value = raw.into_string().map_err(|_| CredentialError::NotUnicode { name })?;
                Ok(Some(value).filter(|v| !v.is_empty()))
            }
        }
    }

    /// Whether a variable is set to `true` (case-insensitive).
    pub(crate) fn flag(&self, name: &'static str) -> bool {
        matches!(self.var(name), Ok(Some(v)) if v.eq_ignore_ascii_case("true"))
    }

    /// A lookup function for the `from_env_with` constructors.
    pub(crate) fn lookup(&self) -> impl Fn(&str) -> Option<OsString> + '_ {
        move |name| (self.lookup)(name)
    }

    /// A file path from `var`, else `default` under the home directory.
    pub(crate) fn path(&self, var: &'static str, default: &[&str]) -> Result<Option<PathBuf>, CredentialError> {
        if let Some(p) = self.var(var)? {
            return Ok(Some(PathBuf::from(p)));
        }
        Ok(self
            .home
            .as_ref()
            .map(|h| default.iter().fold(h.clone(), |p, part| p.join(part))))
    }
}

/// Credentials that are always the same (what `with_*` constructors use).
#[derive(Debug, Clone)]
pub struct StaticProvider<C> {
    credentials: C,
}

impl<C> StaticProvider<C> {
    /// Always hands out `credentials`.
    pub fn new(credentials: C) -> Self {
        StaticProvider { credentials }
    }
}

impl<C: Clone + Send + Sync> CredentialsProvider<C> for StaticProvider<C> {
    fn name(&self) -> &'static str {
        "static"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>, ProviderError>> {
        let provided = Provided::long_term(self.credentials.clone(), "static");
        Box::pin(async move { Ok(provided) })
    }
}

/// Caches what an inner provider returns and refreshes it `window` before
/// it expires.
///
/// Concurrency: callers queue on one async mutex, so when the cache is empty
/// or expiring, exactly one of them calls the inner provider and the rest
/// get its result. A failed refresh while the cached credentials are still
/// valid returns the cached ones (and logs a warning); otherwise the error.
pub struct Cached<C> {
    inner: SharedProvider<C>,
    window: Duration,
    state: tokio::sync::Mutex<Option<Provided<C>>>,
}

impl<C> fmt::Debug for Cached<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cached")
            .field("inner", &self.inner.name())
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl<C: Clone + Send + Sync + 'static> Cached<C> {
    /// Cache `inner`, refreshing [`DEFAULT_REFRESH_WINDOW`] before expiry.
    pub fn new(inner: impl CredentialsProvider<C> + 'static) -> Self {
        Self::shared(Arc::new(inner))
    }

    /// As [`new`](Self::new), for an already shared provider.
    pub fn shared(inner: SharedProvider<C>) -> Self {
        Cached {
            inner,
            window: DEFAULT_REFRESH_WINDOW,
            state: tokio::sync::Mutex::new(None),
        }
    }

    /// Refresh this long before expiry instead.
    #[must_use]
    pub fn refresh_window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    fn fresh(&self, p: &Provided<C>, now: SystemTime) -> bool {
        p.expiry.is_none_or(|e| e > now + self.window)
    }
}

impl<C: Clone + Send + Sync + 'static> CredentialsProvider<C> for Cached<C> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>, ProviderError>> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            let now = SystemTime::now();
            if let Some(p) = state.as_ref().filter(|p| self.fresh(p, now)) {
                return Ok(p.clone());
            }
            match self.inner.provide().await {
                Ok(p) => {
                    tracing::debug!(provider = p.provider, "credentials refreshed");
                    *state = Some(p.clone());
                    Ok(p)
                }
                Err(e) => match state.as_ref().filter(|p| p.expiry.is_some_and(|x| x > now)) {
                    Some(p) => {
                        tracing::warn!(provider = e.provider, error = %e, "credentials refresh failed; using the cached ones until they expire");
                        Ok(p.clone())
                    }
                    None => Err(e),
                },
            }
        })
    }
}

/// Tries providers in order and remembers the first that worked (as the
/// vendors' default chains do), so later calls go straight to it.
pub struct Chain<C> {
    providers: Vec<SharedProvider<C>>,
    skipped: Vec<String>,
    used: AtomicUsize,
}

impl<C> fmt::Debug for Chain<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.providers.iter().map(|p| p.name()).collect();
        f.debug_struct("Chain").field("providers", &names).finish()
    }
}

const UNUSED: usize = usize::MAX;

impl<C> Chain<C> {
    /// A chain of `providers`, tried in order.
    pub fn new(providers: Vec<SharedProvider<C>>) -> Self {
        Chain {
            providers,
            skipped: Vec::new(),
            used: AtomicUsize::new(UNUSED),
        }
    }

    /// Notes on sources left out when the chain was built (reported with
    /// the chain's error, so it names every source).
    #[must_use]
    pub fn with_skipped(mut self, skipped: Vec<String>) -> Self {
        self.skipped = skipped;
        self
    }

    /// The providers' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|p| p.name()).collect()
    }
}

impl<C: Send + Sync + 'static> CredentialsProvider<C> for Chain<C> {
    fn name(&self) -> &'static str {
        "default_chain"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>, ProviderError>> {
        Box::pin(async move {
            let used = self.used.load(Ordering::Acquire);
            if let Some(p) = self.providers.get(used) {
                return p.provide().await;
            }
            let mut tried = self.skipped.clone();
            for (i, p) in self.providers.iter().enumerate() {
                match p.provide().await {
                    Ok(found) => {
                        self.used.store(i, Ordering::Release);
                        return Ok(found);
                    }
                    Err(e) => tried.push(format!("{}: {}", e.provider, e.reason)),
                }
            }
            Err(ProviderError::not_configured(
                "default_chain",
                format!("no source had credentials ({})", tried.join("; ")),
            ))
        })
    }
}

/// Credential types with a default chain of sources, used by the generated
/// `Client::from_env`.
pub trait DefaultChain: Sized + Clone + Send + Sync + 'static {
    /// The chain for `env`, cached. Fails only when no source can possibly
    /// apply (the remote sources are tried lazily, at the first call).
    fn default_chain_with(env: &Environment) -> Result<SharedProvider<Self>, ProviderError>;

    /// The chain for the process environment.
    fn default_chain() -> Result<SharedProvider<Self>, ProviderError> {
        Self::default_chain_with(&Environment::process())
    }
}

/// Builds a cached chain, or the error naming every source that cannot apply.
pub(crate) fn build_chain<C: Clone + Send + Sync + 'static>(
    candidates: Vec<Result<SharedProvider<C>, ProviderError>>,
) -> Result<SharedProvider<C>, ProviderError> {
    let mut providers = Vec::new();
    let mut skipped = Vec::new();
    for c in candidates {
        match c {
            Ok(p) => providers.push(p),
            Err(e) => skipped.push(format!("{}: {}", e.provider, e.reason)),
        }
    }
    if providers.is_empty() {
        return Err(ProviderError::not_configured("default_chain", skipped.join("; ")));
    }
    Ok(Arc::new(Cached::new(Chain::new(providers).with_skipped(skipped))))
}

/// Why [`Authenticate::authenticate`] failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// Credentials could not be obtained.
    #[error(transparent)]
    Credentials(#[from] ProviderError),
    /// The request could not be signed.
    #[error(transparent)]
    Sign(#[from] SignError),
}

/// Authenticates a request asynchronously: what the client calls on every
/// attempt. Any [`Signer`] works through [`StaticSigner`]; signers fed by a
/// provider through [`ProviderSigner`].
pub trait Authenticate: Send + Sync {
    /// Signs `request`; returns the name of the credentials provider used.
    fn authenticate<'a>(
        &'a self,
        request: &'a mut http::Request<Vec<u8>>,
        ctx: &'a SigningContext,
    ) -> BoxFuture<'a, Result<&'static str, AuthError>>;
}

/// A [`Signer`] holding fixed credentials.
#[derive(Debug, Clone)]
pub struct StaticSigner<S>(pub S);

impl<S: Signer> Authenticate for StaticSigner<S> {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut http::Request<Vec<u8>>,
        ctx: &'a SigningContext,
    ) -> BoxFuture<'a, Result<&'static str, AuthError>> {
        let result = self.0.sign(request, ctx).map(|()| "static").map_err(AuthError::from);
        Box::pin(async move { result })
    }
}

/// Signs each request with a signer built from the provider's current
/// credentials (`make` is the signer's `new`, e.g. `AliyunRpcSigner::new`).
pub struct ProviderSigner<C, S> {
    provider: SharedProvider<C>,
    make: fn(C) -> S,
}

impl<C, S> fmt::Debug for ProviderSigner<C, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderSigner")
            .field("provider", &self.provider.name())
            .finish_non_exhaustive()
    }
}

impl<C, S> ProviderSigner<C, S> {
    /// Credentials from `provider`, signatures by `make(credentials)`.
    pub fn new(provider: SharedProvider<C>, make: fn(C) -> S) -> Self {
        ProviderSigner { provider, make }
    }
}

impl<C: Send + Sync + 'static, S: Signer> Authenticate for ProviderSigner<C, S> {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut http::Request<Vec<u8>>,
        ctx: &'a SigningContext,
    ) -> BoxFuture<'a, Result<&'static str, AuthError>> {
        Box::pin(async move {
            let provided = self.provider.provide().await?;
            (self.make)(provided.credentials).sign(request, ctx)?;
            Ok(provided.provider)
        })
    }
}

/// Parses an RFC 3339 expiry (`2015-04-09T11:52:19Z`,
/// `2024-01-01T00:00:00.000000Z`).
pub(crate) fn parse_expiry(provider: &'static str, text: &str) -> Result<SystemTime, ProviderError> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(SystemTime::from)
        .map_err(|_| ProviderError::invalid(provider, "the expiration time is not an RFC 3339 timestamp"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    /// Fails `failures` times, then succeeds; counts calls.
    struct Flaky {
        name: &'static str,
        failures: u32,
        calls: AtomicU32,
    }

    impl CredentialsProvider<String> for Flaky {
        fn name(&self) -> &'static str {
            self.name
        }

        fn provide(&self) -> BoxFuture<'_, Result<Provided<String>, ProviderError>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let r = if n < self.failures {
                Err(ProviderError::not_configured(self.name, "not yet"))
            } else {
                Ok(Provided::long_term(format!("{}-{n}", self.name), self.name))
            };
            Box::pin(async move { r })
        }
    }

    fn flaky(name: &'static str, failures: u32) -> Arc<Flaky> {
        Arc::new(Flaky {
            name,
            failures,
            calls: AtomicU32::new(0),
        })
    }

    #[tokio::test]
    async fn chain_takes_the_first_hit_then_sticks_to_it() {
        let (a, b) = (flaky("a", u32::MAX), flaky("b", 0));
        let chain = Chain::new(vec![a.clone() as SharedProvider<String>, b.clone()]);
        assert_eq!(chain.provide().await.unwrap().provider, "b");
        assert_eq!(chain.provide().await.unwrap().credentials, "b-1");
        assert_eq!(a.calls.load(Ordering::SeqCst), 1, "a is not asked again");
        assert_eq!(chain.names(), ["a", "b"]);
    }

    #[tokio::test]
    async fn chain_error_lists_skipped_and_failed_sources() {
        let chain = Chain::new(vec![flaky("a", u32::MAX) as SharedProvider<String>])
            .with_skipped(vec!["s: no file".to_owned()]);
        let err = chain.provide().await.unwrap_err();
        assert_eq!(err.provider, "default_chain");
        assert!(
            err.reason.contains("s: no file") && err.reason.contains("a: not yet"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn cache_keeps_long_term_credentials() {
        let inner = flaky("x", 0);
        let cached = Cached::shared(inner.clone());
        cached.provide().await.unwrap();
        cached.provide().await.unwrap();
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn environment_debug_shows_no_values() {
        let env = Environment::from_vars([("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "hidden-value")]).with_home("/h");
        let shown = format!("{env:?}");
        assert!(!shown.contains("hidden-value") && shown.contains("/h"), "{shown}");
        assert_eq!(
            env.var("ALIBABA_CLOUD_ACCESS_KEY_SECRET").unwrap().as_deref(),
            Some("hidden-value")
        );
        assert_eq!(env.var("UNSET").unwrap(), None);
    }
}
