//! The fixed test credentials the mock accepts, and signers that use them.
//!
//! They are public on purpose: a test signs its requests with them, and the
//! mock recomputes every signature with the same values. They grant nothing
//! anywhere else.

use cloudsnap_runtime::auth::{
    AliyunCredentials, AliyunRpcSigner, AliyunV3Signer, ApiKey, BasicCredentials, BasicSigner, BearerSigner,
    HuaweiAkSkCredentials, HuaweiAkSkSigner, HuaweiIamToken, HuaweiTokenSigner, Signer,
};
use cloudsnap_runtime::AuthScheme;

/// AccessKey ID (Alibaba Cloud) and access key (Huawei Cloud AK/SK).
pub const ACCESS_KEY_ID: &str = "cloudsnap-test-ak";
/// AccessKey secret (Alibaba Cloud) and secret key (Huawei Cloud AK/SK).
pub const ACCESS_KEY_SECRET: &str = "cloudsnap-test-sk";
/// Huawei Cloud IAM token, sent as `X-Auth-Token`.
pub const IAM_TOKEN: &str = "cloudsnap-test-token";
/// API key, sent as `Authorization: Bearer` (Zilliz Cloud).
pub const API_KEY: &str = "cloudsnap-test-api-key";
/// HTTP Basic user name (Elasticsearch).
pub const BASIC_USER: &str = "cloudsnap-test-user";
/// HTTP Basic password (Elasticsearch).
pub const BASIC_PASSWORD: &str = "cloudsnap-test-password";

/// The credentials a mock server accepts. [`Default`] gives the published
/// constants of this module; change them to test a client's configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct TestCredentials {
    /// AccessKey ID / Huawei access key.
    pub access_key_id: String,
    /// AccessKey secret / Huawei secret key.
    pub access_key_secret: String,
    /// STS security token (Alibaba `SecurityToken`, Huawei
    /// `X-Security-Token`); `None` (the default) rejects requests carrying one.
    pub security_token: Option<String>,
    /// Huawei IAM token.
    pub iam_token: String,
    /// Bearer API key.
    pub api_key: String,
    /// Basic user name.
    pub basic_user: String,
    /// Basic password.
    pub basic_password: String,
}

impl Default for TestCredentials {
    fn default() -> Self {
        TestCredentials {
            access_key_id: ACCESS_KEY_ID.to_owned(),
            access_key_secret: ACCESS_KEY_SECRET.to_owned(),
            security_token: None,
            iam_token: IAM_TOKEN.to_owned(),
            api_key: API_KEY.to_owned(),
            basic_user: BASIC_USER.to_owned(),
            basic_password: BASIC_PASSWORD.to_owned(),
        }
    }
}

// Test credentials are not secret, but keep the habit: never print secrets.
impl std::fmt::Debug for TestCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("basic_user", &self.basic_user)
            .finish_non_exhaustive()
    }
}

impl TestCredentials {
    /// Alibaba Cloud credentials (with the security token, if any).
    pub fn aliyun(&self) -> AliyunCredentials {
        let c = AliyunCredentials::new(self.access_key_id.clone(), self.access_key_secret.clone());
        match &self.security_token {
            Some(t) => c.with_security_token(t.clone()),
            None => c,
        }
    }

    /// Huawei Cloud AK/SK credentials (with the security token, if any).
    pub fn huawei_aksk(&self) -> HuaweiAkSkCredentials {
        let c = HuaweiAkSkCredentials::new(self.access_key_id.clone(), self.access_key_secret.clone());
        match &self.security_token {
            Some(t) => c.with_security_token(t.clone()),
            None => c,
        }
    }

    /// A cloudsnap signer for `scheme` that the mock accepts.
    pub fn signer(&self, scheme: AuthScheme) -> Box<dyn Signer> {
        match scheme {
            AuthScheme::AliyunRpcV1 => Box::new(AliyunRpcSigner::new(self.aliyun())),
            AuthScheme::AliyunV3 => Box::new(AliyunV3Signer::new(self.aliyun())),
            AuthScheme::HuaweiAksk => Box::new(HuaweiAkSkSigner::new(self.huawei_aksk())),
            AuthScheme::HuaweiToken => Box::new(HuaweiTokenSigner::new(HuaweiIamToken::new(self.iam_token.clone()))),
            AuthScheme::Bearer => Box::new(BearerSigner::new(ApiKey::new(self.api_key.clone()))),
            AuthScheme::Basic => Box::new(BasicSigner::new(BasicCredentials::new(
                self.basic_user.clone(),
                self.basic_password.clone(),
            ))),
        }
    }

    /// The environment variables (name, value) that cloudsnap's
    /// `from_env()` constructors read for `scheme`, set to these credentials.
    pub fn env_vars(&self, scheme: AuthScheme) -> Vec<(&'static str, String)> {
        use cloudsnap_runtime::auth::credentials::env;
        let mut out = match scheme {
            AuthScheme::AliyunRpcV1 | AuthScheme::AliyunV3 => vec![
                (env::ALIBABA_CLOUD_ACCESS_KEY_ID, self.access_key_id.clone()),
                (env::ALIBABA_CLOUD_ACCESS_KEY_SECRET, self.access_key_secret.clone()),
            ],
            AuthScheme::HuaweiAksk => vec![
                (env::HUAWEICLOUD_SDK_AK, self.access_key_id.clone()),
                (env::HUAWEICLOUD_SDK_SK, self.access_key_secret.clone()),
            ],
            AuthScheme::HuaweiToken => vec![(env::HUAWEICLOUD_IAM_TOKEN, self.iam_token.clone())],
            AuthScheme::Bearer => vec![(env::ZILLIZ_API_KEY, self.api_key.clone())],
            AuthScheme::Basic => vec![
                (env::ELASTICSEARCH_USERNAME, self.basic_user.clone()),
                (env::ELASTICSEARCH_PASSWORD, self.basic_password.clone()),
            ],
        };
        if let Some(token) = &self.security_token {
            match scheme {
                AuthScheme::AliyunRpcV1 | AuthScheme::AliyunV3 => {
                    out.push((env::ALIBABA_CLOUD_SECURITY_TOKEN, token.clone()))
                }
                AuthScheme::HuaweiAksk => out.push((env::HUAWEICLOUD_SDK_SECURITY_TOKEN, token.clone())),
                _ => {}
            }
        }
        out
    }
}

/// The spec spelling of a scheme (`aliyun_rpc_v1`, `huawei_aksk`, ...), as
/// recorded in [`crate::RecordedRequest::auth_scheme`].
pub fn scheme_name(scheme: AuthScheme) -> &'static str {
    match scheme {
        AuthScheme::AliyunRpcV1 => "aliyun_rpc_v1",
        AuthScheme::AliyunV3 => "aliyun_v3",
        AuthScheme::HuaweiAksk => "huawei_aksk",
        AuthScheme::HuaweiToken => "huawei_token",
        AuthScheme::Bearer => "bearer",
        AuthScheme::Basic => "basic",
    }
}
