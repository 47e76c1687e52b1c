//! Authentication and request signing.
//!
//! Every scheme implements [`Signer`]: given an `http::Request<Vec<u8>>`
//! with an absolute URI and its final body, and a [`SigningContext`]
//! (current time and nonce), it adds the headers and/or query parameters
//! the vendor requires.
//!
//! | Scheme | Signer | Credentials |
//! | --- | --- | --- |
//! | Alibaba Cloud RPC signature v1 (HMAC-SHA1) | [`AliyunRpcSigner`] | [`AliyunCredentials`] |
//! | Alibaba Cloud V3 (`ACS3-HMAC-SHA256`) | [`AliyunV3Signer`] | [`AliyunCredentials`] |
//! | Huawei Cloud AK/SK (`SDK-HMAC-SHA256`) | [`HuaweiAkSkSigner`] | [`HuaweiAkSkCredentials`] |
//! | Huawei Cloud IAM token (`X-Auth-Token`) | [`HuaweiTokenSigner`] | [`HuaweiIamToken`] |
//! | Bearer API key (Zilliz Cloud) | [`BearerSigner`] | [`ApiKey`] |
//! | HTTP Basic (Elasticsearch) | [`BasicSigner`] | [`BasicCredentials`] |
//! | Elasticsearch API key (`Authorization: ApiKey`) | [`ElasticApiKeySigner`] | [`ElasticApiKey`] |
//!
//! Credentials can also come from a [`CredentialsProvider`] (environment,
//! files, instance metadata, STS; a default chain per vendor, see
//! [`provider`]): a [`ProviderSigner`] asks it for current credentials on
//! every request, so refreshed temporary credentials are used.
//!
//! ```
//! use cloudsnap_runtime::auth::{AliyunCredentials, AliyunV3Signer, Signer, SigningContext};
//!
//! let signer = AliyunV3Signer::new(AliyunCredentials::new("my-id", "my-secret"));
//! let mut request = http::Request::get(
//!     "https://ecs.cn-hangzhou.aliyuncs.com/?Action=DescribeRegions&Version=2014-05-26",
//! )
//! .body(Vec::new())
//! .unwrap();
//! signer.sign(&mut request, &SigningContext::now()).unwrap();
//! assert!(request.headers().contains_key("authorization"));
//! ```
//!
//! Secrets live in [`Secret`], which never prints its value; errors
//! ([`SignError`], [`CredentialError`]) never carry secrets, header values
//! or URIs.

#![warn(missing_docs)]

pub mod aliyun_rpc;
pub mod aliyun_v3;
mod canonical;
pub mod credentials;
mod elastic;
mod error;
pub mod huawei;
#[cfg(feature = "client")]
pub mod provider;
mod signer;
pub mod token;

pub use aliyun_rpc::AliyunRpcSigner;
pub use aliyun_v3::AliyunV3Signer;
pub use credentials::{
    AliyunCredentials, ApiKey, BasicCredentials, ElasticApiKey, HuaweiAkSkCredentials, HuaweiIamToken, Secret,
};
pub use elastic::ElasticApiKeySigner;
pub use error::{CredentialError, SignError};
pub use huawei::HuaweiAkSkSigner;
#[cfg(feature = "client")]
pub use provider::{
    AuthError, Authenticate, CredentialsProvider, DefaultChain, ProviderError, ProviderSigner, StaticSigner,
};
pub use signer::{Signer, SigningContext};
pub use token::{BasicSigner, BearerSigner, HuaweiTokenSigner};
