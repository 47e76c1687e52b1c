//! cloudsnap-mock: a mock server driven by a cloudsnap spec.
//!
//! [`MockServer::start`] loads one YAML spec (`specs/*.yaml`) and serves it
//! on `127.0.0.1`. Every request is routed to an operation (REST: method and
//! path template, segments percent-decoded; Alibaba RPC: the `Action` in the
//! query, a form body or the V3 `x-acs-action` header) and checked against
//! the spec:
//!
//! - method and path, required parameters (path, query, header, body),
//!   unknown query parameters (each protocol's common and signature
//!   parameters excepted) and unknown body members;
//! - types (integer, boolean, enum values, JSON), documented constraints
//!   (length, pattern, range, item count) and query encodings (`flattened`
//!   `Tag.1.Key`, `json`, `comma`), the JSON body shape;
//! - authentication: the scheme is detected from the request, must be one
//!   the spec's `service.auth` lists, and signatures are recomputed with
//!   the [test credentials](credentials) and cloudsnap's own signing
//!   functions, using the time, nonce and `Host` the request carries;
//!   signing times more than 15 minutes off are refused.
//!
//! An accepted request gets a [scripted response](MockServer::enqueue) if
//! one is queued for its operation, else the documented example response
//! whose request matches it best (else the first success example), with its
//! status and its body byte for byte. A rejected request gets the vendor's
//! error envelope (see [`envelope`] for statuses and codes) whose message
//! lists every problem found. Every request is [recorded](MockServer::requests)
//! with its verdict, within [bounds](LogLimits).
//!
//! Paged operations answer with pages derived from the example (its items
//! extended to the total it states; see [`MockOptions::paging`]); responses
//! can be scripted from a YAML or JSON [`Script`]. The server holds under
//! abuse: bodies are limited in size and time, request heads in time, and
//! connections in number ([`MockOptions`]).
//!
//! ```no_run
//! use cloudsnap_runtime::Operation;
//! use cloudsnap::zilliz::cloud::DescribeBackupRequest;
//! use cloudsnap_runtime::auth::SigningContext;
//! use cloudsnap_mock::{MockServer, TestCredentials};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start("specs/zilliz-cloud.yaml").await?;
//! let request = DescribeBackupRequest::new("in01-3e5ad8adc38xxxx", "backup1_0b9d15a0ddexxxx").build_request()?;
//! // Make the URI absolute, sign it with the test credentials, send it.
//! let (mut parts, body) = request.into_parts();
//! parts.uri = format!("{}{}", server.url(), parts.uri).parse()?;
//! let mut request = http::Request::from_parts(parts, body);
//! let signer = TestCredentials::default().signer(server.auth_schemes()[0]);
//! signer.sign(&mut request, &SigningContext::now())?;
//! // ... send `request` with any HTTP client; then:
//! assert!(server.requests().iter().all(|r| r.accepted()));
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod auth;
mod check;
pub mod credentials;
mod duration;
pub mod envelope;
mod error;
mod examples;
mod flatten;
mod incoming;
mod log;
mod paging;
mod params;
mod routing;
mod script;
mod server;
mod service;
mod signatures;
mod types;

pub use credentials::{
    scheme_name, TestCredentials, ACCESS_KEY_ID, ACCESS_KEY_SECRET, API_KEY, BASIC_PASSWORD, BASIC_USER, IAM_TOKEN,
};
pub use duration::parse_duration;
pub use error::MockError;
pub use log::LogLimits;
pub use script::{ResourceScript, Script, ScriptEntry, StateStep};
pub use server::{MockOptions, MockServer};
pub use types::{MockResponse, RecordedRequest};
