//! Credentials for each vendor, and loading them from the environment.
//!
//! # Environment variables
//!
//! | Credential | Variables | Origin |
//! | --- | --- | --- |
//! | [`AliyunCredentials`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN` | documented by Alibaba Cloud for its SDKs' default credential chain |
//! | [`HuaweiAkSkCredentials`] | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optional `HUAWEICLOUD_SDK_SECURITY_TOKEN` | documented by Huawei Cloud for its SDKs' environment credential provider |
//! | [`HuaweiIamToken`] | `HUAWEICLOUD_IAM_TOKEN` | chosen by cloudsnap (Huawei documents no variable for a ready-made IAM token) |
//! | [`ApiKey`] | `ZILLIZ_API_KEY` | chosen by cloudsnap (a conventional name, not taken from a Zilliz specification) |
//! | [`BasicCredentials`] | `ELASTICSEARCH_USERNAME`, `ELASTICSEARCH_PASSWORD` | chosen by cloudsnap (conventional names, not taken from an Elasticsearch client specification) |
//! | [`ElasticApiKey`] | `ELASTICSEARCH_API_KEY` | chosen by cloudsnap |
//!
//! These are the environment sources only; the default chains that also
//! read files and instance metadata are in [`super::provider`].
//!
//! A variable that is set to the empty string counts as unset. Every
//! `from_env()` has a `from_env_with(lookup)` twin taking the lookup function,
//! for tests and for callers with their own configuration source.
//!
//! Secrets are held in [`Secret`], whose `Debug` and `Display` print `***`,
//! so the derived `Debug` of every credential struct is safe to log.

use std::ffi::OsString;
use std::fmt;

use super::CredentialError;

/// Names of the environment variables read by the `from_env()` constructors.
pub mod env {
    /// Alibaba Cloud AccessKey ID (vendor-documented).
    pub const ALIBABA_CLOUD_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
    /// Alibaba Cloud AccessKey secret (vendor-documented).
    pub const ALIBABA_CLOUD_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
    /// Alibaba Cloud STS security token, optional (vendor-documented).
    pub const ALIBABA_CLOUD_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
    /// Huawei Cloud access key (vendor-documented).
    pub const HUAWEICLOUD_SDK_AK: &str = "HUAWEICLOUD_SDK_AK";
    /// Huawei Cloud secret key (vendor-documented).
    pub const HUAWEICLOUD_SDK_SK: &str = "HUAWEICLOUD_SDK_SK";
    /// Huawei Cloud security token for temporary AK/SK, optional
    /// (vendor-documented).
    pub const HUAWEICLOUD_SDK_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
    /// Huawei Cloud project id, optional (vendor-documented).
    pub const HUAWEICLOUD_SDK_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
    /// Huawei Cloud account (domain) id, optional (vendor-documented).
    pub const HUAWEICLOUD_SDK_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
    /// Elasticsearch API key, the base64 `id:api_key` form Elasticsearch
    /// returns as `encoded` (cloudsnap's own name).
    pub const ELASTICSEARCH_API_KEY: &str = "ELASTICSEARCH_API_KEY";
    /// Path of a file holding the Zilliz Cloud API key (cloudsnap's own name).
    pub const ZILLIZ_API_KEY_FILE: &str = "ZILLIZ_API_KEY_FILE";
    /// Huawei Cloud IAM token (cloudsnap's own name).
    pub const HUAWEICLOUD_IAM_TOKEN: &str = "HUAWEICLOUD_IAM_TOKEN";
    /// Zilliz Cloud API key (cloudsnap's own name).
    pub const ZILLIZ_API_KEY: &str = "ZILLIZ_API_KEY";
    /// Elasticsearch user name (cloudsnap's own name).
    pub const ELASTICSEARCH_USERNAME: &str = "ELASTICSEARCH_USERNAME";
    /// Elasticsearch password (cloudsnap's own name).
    pub const ELASTICSEARCH_PASSWORD: &str = "ELASTICSEARCH_PASSWORD";
}

/// A secret string (key, password, token). Its `Debug` and `Display` print
/// `***`; read the value with [`Secret::expose`].
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Keep it out of logs and error messages.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Reads a required variable: unset or empty is [`CredentialError::MissingEnvVar`].
fn required<F>(lookup: &F, name: &'static str) -> Result<String, CredentialError>
where
    F: Fn(&str) -> Option<OsString>,
{
    optional(lookup, name)?.ok_or(CredentialError::MissingEnvVar { name })
}

/// Reads an optional variable: unset or empty is `None`.
fn optional<F>(lookup: &F, name: &'static str) -> Result<Option<String>, CredentialError>
where
    F: Fn(&str) -> Option<OsString>,
{
    match lookup(name) {
        None => Ok(None),
        Some(raw) => {
            let value = raw.into_string().map_err(|_| CredentialError::NotUnicode { name })?;
            Ok(if value.is_empty() { None } else { Some(value) })
        }
    }
}

fn process_env(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// Alibaba Cloud AccessKey pair, with an optional STS security token.
#[derive(Debug, Clone)]
pub struct AliyunCredentials {
    /// The AccessKey ID (not secret).
    pub access_key_id: String,
    /// The AccessKey secret.
    pub access_key_secret: Secret,
    /// The STS security token, for temporary credentials.
    pub security_token: Option<Secret>,
}

impl AliyunCredentials {
    /// Long-term AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        AliyunCredentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Adds an STS security token (temporary credentials).
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
    /// and, if set, `ALIBABA_CLOUD_SECURITY_TOKEN`.
    pub fn from_env() -> Result<Self, CredentialError> {
        Self::from_env_with(process_env)
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_env_with<F>(lookup: F) -> Result<Self, CredentialError>
    where
        F: Fn(&str) -> Option<OsString>,
    {
        let id = required(&lookup, env::ALIBABA_CLOUD_ACCESS_KEY_ID)?;
        let secret = required(&lookup, env::ALIBABA_CLOUD_ACCESS_KEY_SECRET)?;
        let token = optional(&lookup, env::ALIBABA_CLOUD_SECURITY_TOKEN)?;
        Ok(AliyunCredentials {
            access_key_id: id,
            access_key_secret: Secret(secret),
            security_token: token.map(Secret),
        })
    }
}

/// Huawei Cloud AK/SK pair, with an optional security token (temporary
/// AK/SK).
#[derive(Debug, Clone)]
pub struct HuaweiAkSkCredentials {
    /// The access key (AK, not secret).
    pub access_key: String,
    /// The secret key (SK).
    pub secret_key: Secret,
    /// The security token that goes with a temporary AK/SK.
    pub security_token: Option<Secret>,
    /// The project id, when the source names one (not used in signing).
    pub project_id: Option<String>,
    /// The account (domain) id, when the source names one (not used in
    /// signing).
    pub domain_id: Option<String>,
}

impl HuaweiAkSkCredentials {
    /// Permanent AK/SK pair.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        HuaweiAkSkCredentials {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: None,
            project_id: None,
            domain_id: None,
        }
    }

    /// Adds the security token of a temporary AK/SK.
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// Reads `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and, if set,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_PROJECT_ID` and
    /// `HUAWEICLOUD_SDK_DOMAIN_ID`.
    pub fn from_env() -> Result<Self, CredentialError> {
        Self::from_env_with(process_env)
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_env_with<F>(lookup: F) -> Result<Self, CredentialError>
    where
        F: Fn(&str) -> Option<OsString>,
    {
        let ak = required(&lookup, env::HUAWEICLOUD_SDK_AK)?;
        let sk = required(&lookup, env::HUAWEICLOUD_SDK_SK)?;
        let token = optional(&lookup, env::HUAWEICLOUD_SDK_SECURITY_TOKEN)?;
        Ok(HuaweiAkSkCredentials {
            access_key: ak,
            secret_key: Secret(sk),
            security_token: token.map(Secret),
            project_id: optional(&lookup, env::HUAWEICLOUD_SDK_PROJECT_ID)?,
            domain_id: optional(&lookup, env::HUAWEICLOUD_SDK_DOMAIN_ID)?,
        })
    }
}

/// A Huawei Cloud IAM token, sent as `X-Auth-Token`.
#[derive(Debug, Clone)]
pub struct HuaweiIamToken {
    /// The token.
    pub token: Secret,
}

impl HuaweiIamToken {
    /// Wraps a token obtained from IAM.
    pub fn new(token: impl Into<Secret>) -> Self {
        HuaweiIamToken { token: token.into() }
    }

    /// Reads `HUAWEICLOUD_IAM_TOKEN` (a cloudsnap name, not a Huawei one).
    pub fn from_env() -> Result<Self, CredentialError> {
        Self::from_env_with(process_env)
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_env_with<F>(lookup: F) -> Result<Self, CredentialError>
    where
        F: Fn(&str) -> Option<OsString>,
    {
        let token = required(&lookup, env::HUAWEICLOUD_IAM_TOKEN)?;
        Ok(HuaweiIamToken { token: Secret(token) })
    }
}

/// An API key sent as a bearer token (`Authorization: Bearer <key>`), as
/// Zilliz Cloud expects.
#[derive(Debug, Clone)]
pub struct ApiKey {
    /// The key.
    pub key: Secret,
}

impl ApiKey {
    /// Wraps an API key.
    pub fn new(key: impl Into<Secret>) -> Self {
        ApiKey { key: key.into() }
    }

    /// Reads `ZILLIZ_API_KEY` (a cloudsnap name, not a Zilliz one).
    pub fn from_env() -> Result<Self, CredentialError> {
        Self::from_env_with(process_env)
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_env_with<F>(lookup: F) -> Result<Self, CredentialError>
    where
        F: Fn(&str) -> Option<OsString>,
    {
        Self::from_env_var_with(lookup, env::ZILLIZ_API_KEY)
    }

    /// Reads the key from the variable `name`.
    pub fn from_env_var(name: &'static str) -> Result<Self, CredentialError> {
        Self::from_env_var_with(process_env, name)
    }

    /// As [`from_env_var`](Self::from_env_var), reading through `lookup`.
    pub fn from_env_var_with<F>(lookup: F, name: &'static str) -> Result<Self, CredentialError>
    where
        F: Fn(&str) -> Option<OsString>,
    {
        let key = required(&lookup, name)?;
        Ok(ApiKey { key: Secret(key) })
    }
}

/// An Elasticsearch API key, sent as `Authorization: ApiKey <encoded>`
/// where `encoded` is base64 of `id:api_key` (Elasticsearch reference,
/// "Create API key API": the `encoded` field of the answer is that value).
#[derive(Debug, Clone)]
pub struct ElasticApiKey {
    /// The encoded key.
    pub encoded: Secret,
}

impl ElasticApiKey {
    /// From the `encoded` form.
    pub fn new(encoded: impl Into<Secret>) -> Self {
        ElasticApiKey {
            encoded: encoded.into(),
        }
    }

    /// From the key's `id` and `api_key` (encodes `id:api_key` in base64).
    pub fn from_parts(id: &str, api_key: &Secret) -> Self {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{}", api_key.expose()));
        ElasticApiKey {
            encoded: Secret(encoded),
        }
    }

    /// Reads `ELASTICSEARCH_API_KEY` (a cloudsnap name).
    pub fn from_env() -> Result<Self, CredentialError> {
        Self::from_env_with(process_env)
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_env_with<F>(lookup: F) -> Result<Self, CredentialError>
    where
        F: Fn(&str) -> Option<OsString>,
    {
        Ok(ElasticApiKey {
            encoded: Secret(required(&lookup, env::ELASTICSEARCH_API_KEY)?),
        })
    }
}

/// A user name and password for HTTP Basic authentication (Elasticsearch).
#[derive(Debug, Clone)]
pub struct BasicCredentials {
    /// The user name (not secret). Must not contain `:` (RFC 7617).
    pub username: String,
    /// The password.
    pub password: Secret,
}

impl BasicCredentials {
    /// A user name and password.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        BasicCredentials {
            username: username.into(),
            password: password.into(),
        }
    }

    /// Reads `ELASTICSEARCH_USERNAME` and `ELASTICSEARCH_PASSWORD` (cloudsnap
    /// names).
    pub fn from_env() -> Result<Self, CredentialError> {
        Self::from_env_with(process_env)
    }

    /// As [`from_env`](Self::from_env), reading variables through `lookup`.
    pub fn from_env_with<F>(lookup: F) -> Result<Self, CredentialError>
    where
        F: Fn(&str) -> Option<OsString>,
    {
        let username = required(&lookup, env::ELASTICSEARCH_USERNAME)?;
        let password = required(&lookup, env::ELASTICSEARCH_PASSWORD)?;
        Ok(BasicCredentials {
            username,
            password: Secret(password),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs.iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn secret_never_printed() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:#?}"), "***");
        assert_eq!(s.expose(), "hunter2");
        assert!(!s.is_empty());
    }

    #[test]
    fn credential_debug_hides_secrets() {
        let a = AliyunCredentials::new("id1", "sec-ret-1").with_security_token("tok-en-1");
        let h = HuaweiAkSkCredentials::new("ak1", "sk-value").with_security_token("tok-value");
        let t = HuaweiIamToken::new("iam-token-value");
        let k = ApiKey::new("api-key-value");
        let b = BasicCredentials::new("elastic", "pass-word");
        let printed = format!("{a:?}{h:?}{t:?}{k:?}{b:?}{a:#?}");
        for secret in [
            "sec-ret-1",
            "tok-en-1",
            "sk-value",
            "tok-value",
            "iam-token-value",
            "api-key-value",
            "pass-word",
        ] {
            assert!(!printed.contains(secret), "{secret} leaked");
        }
        assert!(printed.contains("id1") && printed.contains("ak1") && printed.contains("elastic"));
    }

    #[test]
    fn aliyun_from_env() {
        let c = AliyunCredentials::from_env_with(vars(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret"),
        ]))
        .unwrap();
        assert_eq!(c.access_key_id, "id");
        assert_eq!(c.access_key_secret.expose(), "secret");
        assert!(c.security_token.is_none());

        let c = AliyunCredentials::from_env_with(vars(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "sts"),
        ]))
        .unwrap();
        assert_eq!(c.security_token.unwrap().expose(), "sts");

        let err = AliyunCredentials::from_env_with(vars(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""),
        ]))
        .unwrap_err();
        assert_eq!(
            err,
            CredentialError::MissingEnvVar {
                name: "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
            }
        );
        assert!(err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
    }

    #[test]
    fn huawei_from_env() {
        let err = HuaweiAkSkCredentials::from_env_with(vars(&[("HUAWEICLOUD_SDK_SK", "s")])).unwrap_err();
        assert_eq!(
            err,
            CredentialError::MissingEnvVar {
                name: "HUAWEICLOUD_SDK_AK"
            }
        );
        let c = HuaweiAkSkCredentials::from_env_with(vars(&[
            ("HUAWEICLOUD_SDK_AK", "ak"),
            ("HUAWEICLOUD_SDK_SK", "sk"),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "tok"),
        ]))
        .unwrap();
        assert_eq!(
            (
                c.access_key.as_str(),
                c.secret_key.expose(),
                c.security_token.unwrap().expose()
            ),
            ("ak", "sk", "tok")
        );
        assert_eq!(
            HuaweiIamToken::from_env_with(vars(&[])).unwrap_err(),
            CredentialError::MissingEnvVar {
                name: "HUAWEICLOUD_IAM_TOKEN"
            }
        );
    }

    #[test]
    fn token_and_basic_from_env() {
        assert_eq!(
            ApiKey::from_env_with(vars(&[("ZILLIZ_API_KEY", "k")]))
                .unwrap()
                .key
                .expose(),
            "k"
        );
        assert_eq!(
            ApiKey::from_env_var_with(vars(&[]), "MY_KEY").unwrap_err(),
            CredentialError::MissingEnvVar { name: "MY_KEY" }
        );
        let err = BasicCredentials::from_env_with(vars(&[("ELASTICSEARCH_USERNAME", "u")])).unwrap_err();
        assert_eq!(
            err,
            CredentialError::MissingEnvVar {
                name: "ELASTICSEARCH_PASSWORD"
            }
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_unicode_variable_is_reported_by_name() {
        use std::os::unix::ffi::OsStringExt;
        let lookup = |name: &str| (name == "ZILLIZ_API_KEY").then(|| OsString::from_vec(vec![0x66, 0xff, 0x6f]));
        let err = ApiKey::from_env_with(lookup).unwrap_err();
        assert_eq!(err, CredentialError::NotUnicode { name: "ZILLIZ_API_KEY" });
        assert!(!err.to_string().contains('\u{fffd}'));
    }
}
