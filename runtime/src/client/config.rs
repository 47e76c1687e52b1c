//! Client configuration: endpoint (by region from the spec, or an override),
//! timeouts, user agent, retries, response size limit.

use std::collections::BTreeMap;
use std::time::Duration;

use super::hooks::{Hook, Hooks};
use super::retry::RetryPolicy;
use crate::ServiceInfo;

/// Default whole-exchange timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default response size limit (16 MiB): far above any documented response,
/// low enough that a hostile server cannot exhaust memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Settings of a service client. Start from [`ClientConfig::new`] (or the
/// generated `Client::config()`), then chain setters.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub(crate) service: &'static ServiceInfo,
    pub(crate) endpoint: Option<String>,
    pub(crate) variables: BTreeMap<String, String>,
    pub(crate) allow_http: bool,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) hooks: Hooks,
}

impl ClientConfig {
    /// Defaults for `service`: the first endpoint template whose
    /// placeholders are all set, 30 s timeout, retries per [`RetryPolicy::default`].
    pub fn new(service: &'static ServiceInfo) -> Self {
        ClientConfig {
            service,
            endpoint: None,
            variables: BTreeMap::new(),
            allow_http: false,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: format!(
                "cloudsnap/{} ({}/{})",
                env!("CARGO_PKG_VERSION"),
                service.vendor,
                service.id
            ),
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            hooks: Hooks::default(),
        }
    }

    /// The region, filling `{region}` in the spec's endpoint templates.
    #[must_use]
    pub fn region(self, region: impl Into<String>) -> Self {
        self.endpoint_variable("region", region)
    }

    /// The value of an endpoint variable (`region`), if set. Parameters a
    /// spec marks `from_client: region` are filled from it.
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    /// Fill another endpoint placeholder (`{instance_id}` for Elasticsearch).
    #[must_use]
    pub fn endpoint_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.insert(name.into(), value.into());
        self
    }

    /// Use this endpoint instead of the spec's templates (a private endpoint,
    /// a proxy, the mock server). It may carry a base path
    /// (`https://proxy.example.com/ecs`). Plain `http://` is accepted only
    /// for loopback hosts unless [`allow_http`](Self::allow_http) is set.
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Permit plain-HTTP endpoints on non-loopback hosts (credentials and
    /// signatures then cross the network unencrypted).
    #[must_use]
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Timeout of one attempt, from sending to the last body byte.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout for establishing a connection (default transport only).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The retry policy.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest response body accepted, in bytes.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Add a request hook (see [`Hook`]); hooks run in the order added.
    #[must_use]
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(std::sync::Arc::new(hook));
        self
    }

    /// The service this configuration is for.
    pub fn service(&self) -> &'static ServiceInfo {
        self.service
    }

    /// Work out the endpoint: the override, else the first template whose
    /// placeholders are all known.
    pub fn resolve_endpoint(&self) -> Result<Endpoint, ConfigError> {
        let url = match &self.endpoint {
            Some(url) => url.clone(),
            None => self.expand_template()?,
        };
        Endpoint::parse(&url, self.allow_http)
    }

    fn expand_template(&self) -> Result<String, ConfigError> {
        // A value lands in the host name: refuse anything that could change
        // the URL's structure (`evil.com/`, `a@b`, `x:1`).
        for (name, value) in &self.variables {
            let fine = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
            if value.is_empty() || !value.chars().all(fine) {
                return Err(ConfigError::Endpoint(format!(
                    "endpoint variable `{name}` must be non-empty and use only letters, digits, `-`, `_` and `.`"
                )));
            }
        }
        let mut missing = Vec::new();
        for template in self.service.endpoints {
            match expand(template, &self.variables) {
                Ok(url) => return Ok(url),
                Err(name) => missing.push(format!("`{name}` for {template}")),
            }
        }
        Err(ConfigError::Endpoint(format!(
            "no endpoint of {} can be built: set {} (ClientConfig::region / endpoint_variable) or give ClientConfig::endpoint",
            self.service.title,
            if missing.is_empty() {
                "an endpoint".to_owned()
            } else {
                missing.join(" or ")
            }
        )))
    }
}

/// Fill `{name}` placeholders; `Err(name)` for the first one not in `vars`.
fn expand(template: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('}').ok_or_else(|| after.to_owned())?;
        let name = &after[..end];
        let value = vars.get(name).ok_or_else(|| name.to_owned())?;
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A resolved endpoint: scheme, authority and an optional base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: http::uri::Scheme,
    authority: http::uri::Authority,
    base_path: String,
}

impl Endpoint {
    /// Parse and check an endpoint URL. HTTPS is required unless the host is
    /// loopback or `allow_http` is set; query and fragment are refused.
    pub fn parse(url: &str, allow_http: bool) -> Result<Self, ConfigError> {
        let bad = |why: &str| ConfigError::Endpoint(format!("endpoint `{url}` {why}"));
        let uri: http::Uri = url.parse().map_err(|_| bad("is not a valid URL"))?;
        let scheme = uri
            .scheme()
            .cloned()
            .ok_or_else(|| bad("has no scheme (https://...)"))?;
        let authority = uri.authority().cloned().ok_or_else(|| bad("has no host"))?;
        if authority.as_str().contains('@') {
            return Err(bad(
                "must not carry user information; give credentials to the client instead",
            ));
        }
        if uri.query().is_some() || url.contains('#') {
            return Err(bad("must not have a query or fragment"));
        }
        match scheme.as_str() {
            "https" => {}
            "http" if allow_http || is_loopback(authority.host()) => {}
            "http" => {
                return Err(bad(
                    "uses plain HTTP on a non-loopback host; use https or ClientConfig::allow_http(true)",
                ))
            }
            _ => return Err(bad("must use https (or http)")),
        }
        let base_path = uri.path().trim_end_matches('/').to_owned();
        Ok(Endpoint {
            scheme,
            authority,
            base_path,
        })
    }

    /// The absolute URI for an origin-form request target (`/path?query`).
    pub fn join(&self, origin_form: &str) -> Result<http::Uri, http::Error> {
        let path_and_query = format!("{}{}", self.base_path, origin_form);
        http::Uri::builder()
            .scheme(self.scheme.clone())
            .authority(self.authority.clone())
            .path_and_query(path_and_query)
            .build()
    }

    /// `scheme://host[:port][/base]`.
    pub fn url(&self) -> String {
        format!("{}://{}{}", self.scheme, self.authority, self.base_path)
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

/// A client cannot be built from its configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint is missing or unacceptable.
    #[error("{0}")]
    Endpoint(String),
    /// Credentials could not be loaded.
    #[error(transparent)]
    Credentials(#[from] crate::auth::CredentialError),
    /// No credentials for any scheme the service accepts were found.
    #[error("no credentials for {service}: {tried}")]
    NoCredentials {
        /// Service title.
        service: &'static str,
        /// What was tried, scheme by scheme.
        tried: String,
    },
    /// The HTTP stack could not be set up.
    #[error(transparent)]
    Transport(#[from] super::TransportError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuthScheme, ErrorEnvelope, Protocol, SuccessEnvelope};

    static SVC: ServiceInfo = ServiceInfo {
        id: "ecs",
        vendor: "aliyun",
        title: "ECS",
        source: "doc",
        protocol: Protocol::AliyunRpc,
        api_version: None,
        endpoints: &["https://ecs.{region}.aliyuncs.com", "https://ecs.aliyuncs.com"],
        auth: &[AuthScheme::AliyunRpcV1],
        error_envelope: ErrorEnvelope::Aliyun,
        success_envelope: SuccessEnvelope::Plain,
    };

    #[test]
    fn region_fills_the_first_template_and_falls_back_to_the_central_one() {
        let regional = ClientConfig::new(&SVC)
            .region("cn-hangzhou")
            .resolve_endpoint()
            .unwrap();
        assert_eq!(regional.url(), "https://ecs.cn-hangzhou.aliyuncs.com");
        let central = ClientConfig::new(&SVC).resolve_endpoint().unwrap();
        assert_eq!(central.url(), "https://ecs.aliyuncs.com");
    }

    #[test]
    fn override_keeps_a_base_path() {
        let e = ClientConfig::new(&SVC)
            .endpoint("https://proxy.example.com/ecs/")
            .resolve_endpoint()
            .unwrap();
        assert_eq!(
            e.join("/?Action=X").unwrap().to_string(),
            "https://proxy.example.com/ecs/?Action=X"
        );
    }

    #[test]
    fn plain_http_only_on_loopback_or_when_allowed() {
        let cfg = |url: &str| ClientConfig::new(&SVC).endpoint(url);
        assert!(cfg("http://127.0.0.1:8080").resolve_endpoint().is_ok());
        assert!(cfg("http://[::1]:8080").resolve_endpoint().is_ok());
        assert!(cfg("http://localhost").resolve_endpoint().is_ok());
        let err = cfg("http://ecs.example.com").resolve_endpoint().unwrap_err();
        assert!(err.to_string().contains("plain HTTP"), "{err}");
        assert!(cfg("http://ecs.example.com")
            .allow_http(true)
            .resolve_endpoint()
            .is_ok());
        assert!(cfg("ftp://x").resolve_endpoint().is_err());
        assert!(cfg("https://user:pw@x").resolve_endpoint().is_err());
        assert!(cfg("https://x/?a=b").resolve_endpoint().is_err());
        assert!(cfg("not a url").resolve_endpoint().is_err());
    }

    #[test]
    fn missing_placeholder_is_named() {
        static ES: ServiceInfo = ServiceInfo {
            endpoints: &["https://{instance_id}.elasticsearch.aliyuncs.com:9200"],
            ..SVC
        };
        let err = ClientConfig::new(&ES).resolve_endpoint().unwrap_err().to_string();
        assert!(err.contains("`instance_id`"), "{err}");
        let hostile = ClientConfig::new(&ES).endpoint_variable("instance_id", "evil.com/x?");
        assert!(hostile.resolve_endpoint().is_err());
        let ok = ClientConfig::new(&ES)
            .endpoint_variable("instance_id", "es-cn-1")
            .resolve_endpoint()
            .unwrap();
        assert_eq!(ok.url(), "https://es-cn-1.elasticsearch.aliyuncs.com:9200");
    }
}
