//! cloudsnap-runtime: the hand-written code that cloudsnap's generated
//! clients call.
//!
//! - The crate root is the transport-agnostic operation layer: an
//!   [`Operation`] validates a request, builds an `http::Request<Vec<u8>>`
//!   and parses an `http::Response` into typed output or a typed error, so
//!   any HTTP stack (and any test) can carry it. It needs no async runtime.
//! - [`auth`] signs requests (Alibaba Cloud RPC and V3, Huawei Cloud AK/SK
//!   and IAM token, Bearer, Basic) and holds credentials.
//! - `client` (feature `client`, on by default) is the async client the
//!   generated service clients wrap: endpoints, retries, timeouts,
//!   pagination streams, and a reqwest transport over rustls.
//!
//! Users normally depend on `cloudsnap`, which generates the service modules
//! and re-exports this crate as `cloudsnap::runtime` (with `auth` and
//! `client` also at `cloudsnap::auth` and `cloudsnap::client`).

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod auth;
mod catalog;
mod checks;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;
pub mod client_filled;
pub mod enums;
mod error;
pub mod lifecycle;
#[doc(hidden)]
pub mod object;
mod request;
pub mod response;
mod setters;
pub mod tolerant;
pub mod validate;
mod vendor;
pub mod wire;
pub mod wrapper;

/// What generated code and the runtime's macros name through this crate,
/// so a crate holding generated code (`cloudsnap-codegen generate --out`)
/// needs no dependency of its own on them: serde (derives name it with
/// `#[serde(crate = "...")]`), http and serde_json.
#[doc(hidden)]
pub mod __private {
    pub use http;
    pub use serde;
    pub use serde_json;
}

pub use client_filled::{ClientFilled, FilledIn};
pub use error::{error_chain, BuildError, ResponseError, ServiceError, ValidationError};
pub use request::{encode, RequestBuilder, STRICT};
pub use response::WithRaw;
pub use vendor::{
    is_reserved_header, AuthScheme, AuthSchemeInfo, EnvelopeFields, ErrorEnvelope, NestedError, Protocol,
    SuccessEnvelope, TRANSPORT_HEADERS,
};

use std::fmt;

/// Static facts about a service, generated from its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceInfo {
    /// Service module name (`cbr`).
    pub id: &'static str,
    /// Vendor module name (`huawei`).
    pub vendor: &'static str,
    /// Human title.
    pub title: &'static str,
    /// Source document the spec was transcribed from.
    pub source: &'static str,
    /// Wire protocol.
    pub protocol: Protocol,
    /// API version (`Version` for Alibaba RPC).
    pub api_version: Option<&'static str>,
    /// Endpoint templates (`https://cbr.{region}.myhuaweicloud.com`).
    pub endpoints: &'static [&'static str],
    /// Accepted authentication, preferred first.
    pub auth: &'static [AuthScheme],
    /// Error body shape.
    pub error_envelope: ErrorEnvelope,
    /// Success body shape.
    pub success_envelope: SuccessEnvelope,
}

/// Static facts about an operation, generated from its spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationInfo {
    /// The service it belongs to.
    pub service: &'static ServiceInfo,
    /// Operation id (`ShowBackup`).
    pub name: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// `Action` for Alibaba RPC (the id otherwise).
    pub action: &'static str,
    /// Documented success status.
    pub success_status: u16,
    /// Whether retrying is safe.
    pub idempotent: bool,
}

/// An operation's request: validate it, build the HTTP request, and parse the
/// HTTP response. Implemented by every generated `*Request` type.
pub trait Operation {
    /// The typed success output.
    type Output: Send + 'static;
    /// The operation's documented error codes (an open enum).
    type ErrorCode: ErrorCode;
    /// Static facts about the operation.
    const INFO: OperationInfo;

    /// Parameters the async client fills from its configuration when the
    /// request leaves them unset (spec key `from_client`; see
    /// [`client_filled`]). None unless the spec marks one.
    const CLIENT_FILLED: &'static [ClientFilled] = &[];

    /// Check every documented constraint; nothing is sent if this fails.
    fn validate(&self) -> Result<(), ValidationError>;

    /// Validate, then build the unsigned HTTP request. The URI is
    /// origin-form (`/path?query`); the client sets scheme and host and signs.
    fn build_request(&self) -> Result<http::Request<Vec<u8>>, BuildError>;

    /// Parse an HTTP response into the output or a typed error.
    fn parse_response<B: AsRef<[u8]>>(
        response: &http::Response<B>,
    ) -> Result<Self::Output, ResponseError<Self::ErrorCode>>;

    /// Parse an HTTP response into the output, keeping the body next to it
    /// (moved, not copied) so that members the spec does not know stay
    /// reachable: see [`response::WithRaw`].
    fn parse_response_with_raw(
        response: http::Response<Vec<u8>>,
    ) -> Result<response::WithRaw<Self::Output>, ResponseError<Self::ErrorCode>> {
        let output = Self::parse_response(&response)?;
        Ok(response::WithRaw::new(&Self::INFO, output, response.into_body()))
    }
}

/// An operation's error-code enum.
pub trait ErrorCode: Sized + fmt::Debug + fmt::Display + Send + Sync + 'static {
    /// The variant for a wire code (`Unknown` if the spec does not list it).
    fn from_code(code: &str) -> Self;
    /// The code as sent on the wire.
    fn as_str(&self) -> &str;
    /// The HTTP status the document lists for this code.
    fn documented_status(&self) -> Option<u16>;
}
