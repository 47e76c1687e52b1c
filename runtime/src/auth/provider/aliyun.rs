//! Alibaba Cloud credential sources and the default chain.
//!
//! Names, formats and endpoints follow Alibaba Cloud's own SDKs
//! (`aliyun/credentials-go`, `credentials/providers/*.go`: `env.go`,
//! `cli_profile.go`, `profile.go`, `ecs_ram_role.go`, `ram_role_arn.go`,
//! `default.go`) and the Alibaba Cloud CLI's `config.json`:
//!
//! * environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
//!   `ALIBABA_CLOUD_SECURITY_TOKEN`;
//! * CLI config `~/.aliyun/config.json` (`{"current": ..., "profiles": [{"name",
//!   "mode", "access_key_id", "access_key_secret", "sts_token", "ram_role_name",
//!   "ram_role_arn", "ram_session_name", "expired_seconds", "sts_region",
//!   "policy", "external_id"}]}`), profile chosen by `ALIBABA_CLOUD_PROFILE`
//!   else `current`, disabled by `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
//!   modes `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`;
//! * credentials file `~/.alibabacloud/credentials` (INI; path from
//!   `ALIBABA_CLOUD_CREDENTIALS_FILE`, section from `ALIBABA_CLOUD_PROFILE`,
//!   default `default`), `type` = `access_key` / `sts` / `ecs_ram_role` /
//!   `ram_role_arn` with `access_key_id`, `access_key_secret`,
//!   `security_token`, `role_name`, `role_arn`, `role_session_name`, `policy`;
//! * ECS RAM role: instance metadata at `http://100.100.100.200`, session
//!   token by `PUT /latest/api/token` with
//!   `X-aliyun-ecs-metadata-token-ttl-seconds`, sent back as
//!   `X-aliyun-ecs-metadata-token`; role from `ALIBABA_CLOUD_ECS_METADATA`
//!   or `GET /latest/meta-data/ram/security-credentials/`; credentials from
//!   `GET /latest/meta-data/ram/security-credentials/<role>` (`Code`,
//!   `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`);
//!   disabled by `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`; falling back to
//!   no session token unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`;
//! * RAM role ARN: STS `AssumeRole` (RPC, `Version=2015-04-01`) at
//!   `https://sts.aliyuncs.com` (`sts.<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com`,
//!   `sts-vpc.` with `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), signed with
//!   [`AliyunRpcSigner`]; answer `Credentials.{AccessKeyId, AccessKeySecret,
//!   SecurityToken, Expiration}`.
//!
//! cloudsnap adds two variables of its own to move the remote endpoints
//! (for tests and private networks): [`ECS_METADATA_ENDPOINT_VAR`] and
//! [`STS_ENDPOINT_VAR`].

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::http_util::{self, base, exchange, json};
use super::{
    build_chain, ini, parse_expiry, BoxFuture, CredentialsProvider, DefaultChain, Environment, Provided, ProviderError,
    ProviderErrorKind, SharedProvider,
};
use crate::auth::canonical::encode;
use crate::auth::{AliyunCredentials, AliyunRpcSigner, Secret, Signer, SigningContext};
use crate::client::Transport;

/// cloudsnap's variable moving the ECS metadata endpoint (default
/// `http://100.100.100.200`).
pub const ECS_METADATA_ENDPOINT_VAR: &str = "CLOUDSNAP_ALIBABA_CLOUD_ECS_METADATA_ENDPOINT";
/// cloudsnap's variable moving the STS endpoint (a full URL).
pub const STS_ENDPOINT_VAR: &str = "CLOUDSNAP_ALIBABA_CLOUD_STS_ENDPOINT";

const DEFAULT_METADATA: &str = "http://100.100.100.200";
const METADATA_TOKEN_TTL_SECONDS: &str = "21600";
const DEFAULT_DURATION_SECONDS: u32 = 3600;

fn env_err(provider: &'static str) -> impl Fn(crate::auth::CredentialError) -> ProviderError {
    move |e| ProviderError::from_credential(provider, e)
}

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and,
/// if set, `ALIBABA_CLOUD_SECURITY_TOKEN`.
#[derive(Debug, Clone)]
pub struct EnvProvider {
    env: Environment,
}

impl EnvProvider {
    /// Reads variables from `env`.
    pub fn new(env: Environment) -> Self {
        EnvProvider { env }
    }

    fn read(&self) -> Result<Provided<AliyunCredentials>, ProviderError> {
        let c = AliyunCredentials::from_env_with(self.env.lookup()).map_err(env_err("aliyun_env"))?;
        Ok(Provided::long_term(c, "aliyun_env"))
    }
}

impl CredentialsProvider<AliyunCredentials> for EnvProvider {
    fn name(&self) -> &'static str {
        "aliyun_env"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<AliyunCredentials>, ProviderError>> {
        let r = self.read();
        Box::pin(async move { r })
    }
}

/// Role from the ECS instance metadata service.
#[derive(Clone)]
pub struct EcsRamRoleProvider {
    endpoint: String,
    role_name: Option<String>,
    imdsv1_disabled: bool,
    transport: Arc<dyn Transport>,
}

impl std::fmt::Debug for EcsRamRoleProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcsRamRoleProvider")
            .field("endpoint", &self.endpoint)
            .field("role_name", &self.role_name)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct EcsCredentials {
    code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

const ECS: &str = "aliyun_ecs_ram_role";

impl EcsRamRoleProvider {
    /// Settings from `env` (endpoint override, `ALIBABA_CLOUD_ECS_METADATA`,
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED`); `NotConfigured` when
    /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.
    pub fn from_env(env: &Environment) -> Result<Self, ProviderError> {
        if env.flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            return Err(ProviderError::not_configured(
                ECS,
                "disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED",
            ));
        }
        let e = env_err(ECS);
        Ok(EcsRamRoleProvider {
            endpoint: env
                .var(ECS_METADATA_ENDPOINT_VAR)
                .map_err(&e)?
                .unwrap_or_else(|| DEFAULT_METADATA.to_owned()),
            role_name: env.var("ALIBABA_CLOUD_ECS_METADATA").map_err(&e)?,
            imdsv1_disabled: env.flag("ALIBABA_CLOUD_IMDSV1_DISABLED"),
            transport: http_util::default_transport(ECS)?,
        })
    }

    /// Use this role instead of asking the metadata service for it.
    #[must_use]
    pub fn role_name(mut self, role: impl Into<String>) -> Self {
        self.role_name = Some(role.into());
        self
    }

    async fn session_token(&self) -> Result<Option<String>, ProviderError> {
        let url = format!("{}/latest/api/token", base(&self.endpoint));
        let req = http_util::request(
            ECS,
            http::Method::PUT,
            &url,
            &[("x-aliyun-ecs-metadata-token-ttl-seconds", METADATA_TOKEN_TTL_SECONDS)],
        )?;
        let outcome = exchange(&*self.transport, ECS, req).await;
        match outcome {
            Ok((200, body)) => String::from_utf8(body)
                .map(|t| Some(t.trim().to_owned()))
                .map_err(|_| ProviderError::invalid(ECS, "the metadata session token is not UTF-8")),
            _ if !self.imdsv1_disabled => Ok(None),
            Ok((status, _)) => Err(ProviderError::new(
                ECS,
                ProviderErrorKind::Rejected,
                format!("no metadata session token (status {status}) and ALIBABA_CLOUD_IMDSV1_DISABLED is set"),
            )),
            Err(e) => Err(e),
        }
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<Vec<u8>, ProviderError> {
        let url = format!("{}{path}", base(&self.endpoint));
        let headers: Vec<(&'static str, &str)> = token
            .map(|t| vec![("x-aliyun-ecs-metadata-token", t)])
            .unwrap_or_default();
        let req = http_util::request(ECS, http::Method::GET, &url, &headers)?;
        match exchange(&*self.transport, ECS, req).await? {
            (200, body) => Ok(body),
            (status, _) => Err(ProviderError::new(
                ECS,
                ProviderErrorKind::Rejected,
                format!("the metadata service answered status {status}"),
            )),
        }
    }

    async fn fetch(&self) -> Result<Provided<AliyunCredentials>, ProviderError> {
        let token = self.session_token().await?;
        let role = match &self.role_name {
            Some(r) => r.clone(),
            None => {
                let body = self
                    .get("/latest/meta-data/ram/security-credentials/", token.as_deref())
                    .await?;
                let text =
                    String::from_utf8(body).map_err(|_| ProviderError::invalid(ECS, "the role name is not UTF-8"))?;
                text.lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| ProviderError::not_configured(ECS, "no RAM role is attached to this instance"))?
            }
        };
        let path = format!("/latest/meta-data/ram/security-credentials/{}", encode(&role));
        let body = self.get(&path, token.as_deref()).await?;
        let c: EcsCredentials = json(ECS, &body)?;
        if c.code.as_deref() != Some("Success") {
            return Err(ProviderError::new(
                ECS,
                ProviderErrorKind::Rejected,
                format!("the metadata service answered Code {:?}", c.code.unwrap_or_default()),
            ));
        }
        temporary(
            ECS,
            c.access_key_id,
            c.access_key_secret,
            c.security_token,
            c.expiration,
        )
    }
}

fn temporary(
    provider: &'static str,
    id: Option<String>,
    secret: Option<String>,
    token: Option<String>,
    expiration: Option<String>,
) -> Result<Provided<AliyunCredentials>, ProviderError> {
    let missing = |field: &str| ProviderError::invalid(provider, format!("the answer has no `{field}`"));
    let id = id.ok_or_else(|| missing("AccessKeyId"))?;
    let secret = secret.ok_or_else(|| missing("AccessKeySecret"))?;
    let token = token.ok_or_else(|| missing("SecurityToken"))?;
    let expiry = parse_expiry(provider, &expiration.ok_or_else(|| missing("Expiration"))?)?;
    Ok(Provided {
        credentials: AliyunCredentials::new(id, Secret::new(secret)).with_security_token(token),
        expiry: Some(expiry),
        provider,
    })
}

impl CredentialsProvider<AliyunCredentials> for EcsRamRoleProvider {
    fn name(&self) -> &'static str {
        ECS
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<AliyunCredentials>, ProviderError>> {
        Box::pin(self.fetch())
    }
}

/// A RAM role assumed through STS `AssumeRole`, with the credentials of a
/// source provider.
pub struct RamRoleArnProvider {
    source: SharedProvider<AliyunCredentials>,
    endpoint: String,
    role_arn: String,
    session_name: String,
    duration_seconds: u32,
    policy: Option<String>,
    external_id: Option<String>,
    transport: Arc<dyn Transport>,
}

impl std::fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("source", &self.source.name())
            .field("endpoint", &self.endpoint)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .finish_non_exhaustive()
    }
}

const STS: &str = "aliyun_ram_role_arn";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssumeRoleResponse {
    credentials: Option<StsCredentials>,
    code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsCredentials {
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl RamRoleArnProvider {
    /// Assume `role_arn` with credentials from `source`; the STS endpoint
    /// from `env` (override, `ALIBABA_CLOUD_STS_REGION`,
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`).
    pub fn new(
        env: &Environment,
        source: SharedProvider<AliyunCredentials>,
        role_arn: impl Into<String>,
    ) -> Result<Self, ProviderError> {
        let e = env_err(STS);
        let endpoint = match env.var(STS_ENDPOINT_VAR).map_err(&e)? {
            Some(url) => url,
            None => match env.var("ALIBABA_CLOUD_STS_REGION").map_err(&e)? {
                Some(region) if env.flag("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED") => {
                    format!("https://sts-vpc.{region}.aliyuncs.com")
                }
                Some(region) => format!("https://sts.{region}.aliyuncs.com"),
                None => "https://sts.aliyuncs.com".to_owned(),
            },
        };
        let session_name = match env.var("ALIBABA_CLOUD_ROLE_SESSION_NAME").map_err(&e)? {
            Some(s) => s,
            None => format!(
                "cloudsnap-{}",
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_secs()
            ),
        };
        Ok(RamRoleArnProvider {
            source,
            endpoint,
            role_arn: role_arn.into(),
            session_name,
            duration_seconds: DEFAULT_DURATION_SECONDS,
            policy: None,
            external_id: None,
            transport: http_util::default_transport(STS)?,
        })
    }

    /// The role session name (default `ALIBABA_CLOUD_ROLE_SESSION_NAME` or
    /// `cloudsnap-<unix time>`).
    #[must_use]
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// Validity of the credentials, in seconds (STS accepts 900 and up).
    #[must_use]
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration_seconds = duration.as_secs().clamp(900, u32::MAX as u64) as u32;
        self
    }

    /// A policy further restricting the role.
    #[must_use]
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// The external id the role's trust policy requires.
    #[must_use]
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    async fn fetch(&self) -> Result<Provided<AliyunCredentials>, ProviderError> {
        let source = self.source.provide().await.map_err(|e| {
            ProviderError::new(STS, e.kind, format!("source credentials: {}: {}", e.provider, e.reason))
        })?;
        let duration = self.duration_seconds.to_string();
        let mut params: Vec<(&str, &str)> = vec![
            ("Action", "AssumeRole"),
            ("Format", "JSON"),
            ("Version", "2015-04-01"),
            ("RoleArn", &self.role_arn),
            ("RoleSessionName", &self.session_name),
            ("DurationSeconds", &duration),
        ];
        if let Some(p) = &self.policy {
            params.push(("Policy", p));
        }
        if let Some(x) = &self.external_id {
            params.push(("ExternalId", x));
        }
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        let url = format!("{}/?{}", base(&self.endpoint), query.join("&"));
        let mut req = http_util::request(STS, http::Method::GET, &url, &[])?;
        AliyunRpcSigner::new(source.credentials)
            .sign(&mut req, &SigningContext::now())
            .map_err(|e| ProviderError::invalid(STS, format!("cannot sign AssumeRole: {e}")))?;
        let (status, body) = exchange(&*self.transport, STS, req).await?;
        let parsed: Option<AssumeRoleResponse> = json(STS, &body).ok();
        let c = match (status, parsed) {
            (
                200,
                Some(AssumeRoleResponse {
                    credentials: Some(c), ..
                }),
            ) => c,
            (status, p) => {
                let code = p.and_then(|p| p.code).unwrap_or_else(|| "none".to_owned());
                return Err(ProviderError::new(
                    STS,
                    ProviderErrorKind::Rejected,
                    format!("AssumeRole failed with status {status}, code {code}"),
                ));
            }
        };
        temporary(
            STS,
            c.access_key_id,
            c.access_key_secret,
            c.security_token,
            c.expiration,
        )
    }
}

impl CredentialsProvider<AliyunCredentials> for RamRoleArnProvider {
    fn name(&self) -> &'static str {
        STS
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<AliyunCredentials>, ProviderError>> {
        Box::pin(self.fetch())
    }
}

/// What a profile (file section or CLI profile) resolves to.
enum Mode {
    Static(AliyunCredentials),
    Ecs(Option<String>),
    RoleArn {
        source: AliyunCredentials,
        role_arn: String,
        session_name: Option<String>,
        duration: Option<u64>,
        policy: Option<String>,
        external_id: Option<String>,
    },
}

async fn resolve(
    env: &Environment,
    provider: &'static str,
    mode: Mode,
) -> Result<Provided<AliyunCredentials>, ProviderError> {
    let nested = |e: ProviderError| ProviderError::new(provider, e.kind, format!("{}: {}", e.provider, e.reason));
    match mode {
        Mode::Static(c) => Ok(Provided::long_term(c, provider)),
        Mode::Ecs(role) => {
            let mut p = EcsRamRoleProvider::from_env(env).map_err(nested)?;
            if let Some(r) = role {
                p = p.role_name(r);
            }
            p.fetch().await.map_err(nested)
        }
        Mode::RoleArn {
            source,
            role_arn,
            session_name,
            duration,
            policy,
            external_id,
        } => {
            let source: SharedProvider<AliyunCredentials> = Arc::new(super::StaticProvider::new(source));
            let mut p = RamRoleArnProvider::new(env, source, role_arn).map_err(nested)?;
            if let Some(s) = session_name {
                p = p.session_name(s);
            }
            if let Some(d) = duration.filter(|d| *d > 0) {
                p = p.duration(Duration::from_secs(d));
            }
            if let Some(x) = policy {
                p = p.policy(x);
            }
            if let Some(x) = external_id {
                p = p.external_id(x);
            }
            p.fetch().await.map_err(nested)
        }
    }
}

/// The credentials file `~/.alibabacloud/credentials`
/// (`ALIBABA_CLOUD_CREDENTIALS_FILE`), section `ALIBABA_CLOUD_PROFILE` or
/// `default`.
#[derive(Debug, Clone)]
pub struct ProfileFileProvider {
    env: Environment,
}

const FILE: &str = "aliyun_credentials_file";

impl ProfileFileProvider {
    /// `NotConfigured` when no file path can be found or the file is absent.
    pub fn from_env(env: &Environment) -> Result<Self, ProviderError> {
        let path = env
            .path("ALIBABA_CLOUD_CREDENTIALS_FILE", &[".alibabacloud", "credentials"])
            .map_err(env_err(FILE))?
            .ok_or_else(|| ProviderError::not_configured(FILE, "no home directory"))?;
        if !path.is_file() {
            return Err(ProviderError::not_configured(
                FILE,
                format!("{} does not exist", path.display()),
            ));
        }
        Ok(ProfileFileProvider { env: env.clone() })
    }

    fn mode(&self) -> Result<Mode, ProviderError> {
        let e = env_err(FILE);
        let path = self
            .env
            .path("ALIBABA_CLOUD_CREDENTIALS_FILE", &[".alibabacloud", "credentials"])
            .map_err(&e)?
            .ok_or_else(|| ProviderError::not_configured(FILE, "no home directory"))?;
        let text = std::fs::read_to_string(&path).map_err(|err| {
            ProviderError::not_configured(FILE, format!("cannot read {}: {}", path.display(), err.kind()))
        })?;
        let ini = ini::parse(&text)
            .map_err(|line| ProviderError::invalid(FILE, format!("{} line {line} is not INI", path.display())))?;
        let profile = self
            .env
            .var("ALIBABA_CLOUD_PROFILE")
            .map_err(&e)?
            .unwrap_or_else(|| "default".into());
        let section = ini
            .get(&profile)
            .ok_or_else(|| ProviderError::not_configured(FILE, format!("no section [{profile}]")))?;
        let get = |k: &str| section.get(k).filter(|v| !v.is_empty()).cloned();
        let need = |k: &str| get(k).ok_or_else(|| ProviderError::invalid(FILE, format!("[{profile}] has no `{k}`")));
        let ty = need("type")?;
        let ak = || -> Result<AliyunCredentials, ProviderError> {
            Ok(AliyunCredentials::new(
                need("access_key_id")?,
                Secret::new(need("access_key_secret")?),
            ))
        };
        Ok(match ty.as_str() {
            "access_key" => Mode::Static(ak()?),
            "sts" => Mode::Static(ak()?.with_security_token(need("security_token")?)),
            "ecs_ram_role" => Mode::Ecs(get("role_name")),
            "ram_role_arn" => Mode::RoleArn {
                source: ak()?,
                role_arn: need("role_arn")?,
                session_name: get("role_session_name"),
                duration: None,
                policy: get("policy"),
                external_id: None,
            },
            other => {
                return Err(ProviderError::invalid(
                    FILE,
                    format!("[{profile}] has unsupported type `{other}`"),
                ));
            }
        })
    }
}

impl CredentialsProvider<AliyunCredentials> for ProfileFileProvider {
    fn name(&self) -> &'static str {
        FILE
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<AliyunCredentials>, ProviderError>> {
        Box::pin(async move {
            let mode = self.mode()?;
            resolve(&self.env, FILE, mode).await
        })
    }
}

/// The Alibaba Cloud CLI's `~/.aliyun/config.json`.
#[derive(Debug, Clone)]
pub struct CliProfileProvider {
    env: Environment,
}

const CLI: &str = "aliyun_cli_profile";

#[derive(Deserialize)]
struct CliConfig {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CliProfile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    ram_role_name: String,
    ram_role_arn: String,
    ram_session_name: String,
    expired_seconds: u64,
    policy: String,
    external_id: String,
}

fn some(s: String) -> Option<String> {
    Some(s).filter(|s| !s.is_empty())
}

impl CliProfileProvider {
    /// `NotConfigured` when disabled (`ALIBABA_CLOUD_CLI_PROFILE_DISABLED`),
    /// without a home directory, or without the file.
    pub fn from_env(env: &Environment) -> Result<Self, ProviderError> {
        if env.flag("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
            return Err(ProviderError::not_configured(
                CLI,
                "disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
            ));
        }
        let path = Self::path(env)?;
        if !path.is_file() {
            return Err(ProviderError::not_configured(
                CLI,
                format!("{} does not exist", path.display()),
            ));
        }
        Ok(CliProfileProvider { env: env.clone() })
    }

    fn path(env: &Environment) -> Result<std::path::PathBuf, ProviderError> {
        env.home()
            .map(|h| h.join(".aliyun").join("config.json"))
            .ok_or_else(|| ProviderError::not_configured(CLI, "no home directory"))
    }

    fn mode(&self) -> Result<Mode, ProviderError> {
        let path = Self::path(&self.env)?;
        let bytes = std::fs::read(&path).map_err(|err| {
            ProviderError::not_configured(CLI, format!("cannot read {}: {}", path.display(), err.kind()))
        })?;
        let config: CliConfig = json(CLI, &bytes)?;
        let name = match self.env.var("ALIBABA_CLOUD_PROFILE").map_err(env_err(CLI))? {
            Some(n) => n,
            None => config.current.clone(),
        };
        let p = config
            .profiles
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| ProviderError::not_configured(CLI, format!("no profile `{name}`")))?;
        let need = |v: &String, k: &str| {
            some(v.clone()).ok_or_else(|| ProviderError::invalid(CLI, format!("profile `{name}` has no `{k}`")))
        };
        let ak = || -> Result<AliyunCredentials, ProviderError> {
            Ok(AliyunCredentials::new(
                need(&p.access_key_id, "access_key_id")?,
                Secret::new(need(&p.access_key_secret, "access_key_secret")?),
            ))
        };
        Ok(match p.mode.as_str() {
            "AK" => Mode::Static(ak()?),
            "StsToken" => Mode::Static(ak()?.with_security_token(need(&p.sts_token, "sts_token")?)),
            "EcsRamRole" => Mode::Ecs(some(p.ram_role_name.clone())),
            "RamRoleArn" => Mode::RoleArn {
                source: ak()?,
                role_arn: need(&p.ram_role_arn, "ram_role_arn")?,
                session_name: some(p.ram_session_name.clone()),
                duration: Some(p.expired_seconds),
                policy: some(p.policy.clone()),
                external_id: some(p.external_id.clone()),
            },
            other => {
                return Err(ProviderError::invalid(
                    CLI,
                    format!("profile `{name}` has unsupported mode `{other}`"),
                ));
            }
        })
    }
}

impl CredentialsProvider<AliyunCredentials> for CliProfileProvider {
    fn name(&self) -> &'static str {
        CLI
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<AliyunCredentials>, ProviderError>> {
        Box::pin(async move {
            let mode = self.mode()?;
            resolve(&self.env, CLI, mode).await
        })
    }
}

fn shared<P: CredentialsProvider<AliyunCredentials> + 'static>(p: P) -> SharedProvider<AliyunCredentials> {
    Arc::new(p)
}

impl DefaultChain for AliyunCredentials {
    /// Environment, CLI profile, credentials file, ECS RAM role: the order
    /// of credentials-go's `NewDefaultCredentialsProvider` (without its OIDC
    /// and credentials-URI sources).
    fn default_chain_with(env: &Environment) -> Result<SharedProvider<Self>, ProviderError> {
        let env_source = match env.var(crate::auth::credentials::env::ALIBABA_CLOUD_ACCESS_KEY_ID) {
            Ok(Some(_)) => Ok(shared(EnvProvider::new(env.clone()))),
            _ => Err(ProviderError::not_configured(
                "aliyun_env",
                "ALIBABA_CLOUD_ACCESS_KEY_ID is not set",
            )),
        };
        build_chain(vec![
            env_source,
            CliProfileProvider::from_env(env).map(shared),
            ProfileFileProvider::from_env(env).map(shared),
            EcsRamRoleProvider::from_env(env).map(shared),
        ])
    }
}
