//! The async client every generated service client wraps: it resolves the
//! endpoint, signs, sends through a [`Transport`], retries, and parses.
//!
//! Each generated service module (in the `cloudsnap` crate) wraps it in its
//! own `Client`, with one method per operation:
//!
//! ```ignore
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudsnap::auth::HuaweiAkSkCredentials;
//! use cloudsnap::huawei::cbr::{Client, ShowBackupRequest};
//!
//! let client = Client::with_huawei_aksk(
//!     Client::config().region("cn-north-4"),
//!     HuaweiAkSkCredentials::from_env()?,
//! )?;
//! let backup = client
//!     .show_backup(&ShowBackupRequest::new("my-project-id", "my-backup-id"))
//!     .await?;
//! println!("{:?}", backup.backup.status);
//! # Ok(())
//! # }
//! ```

mod config;
pub mod dynamic;
mod error;
pub mod hooks;
pub mod paginate;
mod response;
pub mod retry;
mod transport;
pub mod waiter;

pub use config::{ClientConfig, ConfigError, Endpoint, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use dynamic::{DynCallError, DynErrorCode, DynOperation, DynParam, DynService, ParamKind};
pub use error::Error;
/// Re-exported so generated code and callers need no futures dependency of
/// their own; consume streams with [`StreamExt`] / [`TryStreamExt`].
pub use futures_core::Stream;
pub use futures_util::stream::BoxStream;
pub use futures_util::{StreamExt, TryStreamExt};
pub use hooks::{Hook, HookContext, HookError, Hooks};
pub use paginate::{PageLimit, PagePaginated, Paginated, TokenPaginated};
/// The HTTP client under [`ReqwestTransport`], re-exported so that
/// [`ReqwestTransport::from_client`] can be given a `reqwest::Client` built
/// with the same version.
pub use reqwest;
pub use response::Response;
pub use retry::RetryPolicy;
pub use transport::{
    ensure_crypto_provider, BoxFuture, Limits, ReqwestTransport, Transport, TransportError, TransportErrorKind,
};
pub use waiter::{
    wait_for, wait_for_id, DynError, DynResource, ResourceNotFound, WaitError, WaitOptions, WaitProgress,
};

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::field::Empty;
use tracing::Instrument as _;

use crate::auth::{AuthError, Authenticate, Signer, SigningContext, StaticSigner};
use crate::{ErrorCode, Operation, ResponseError, ServiceInfo};

/// A configured, authenticated connection to one service. Cheap to clone
/// (the transport and signer are shared).
///
/// # Tracing
///
/// Every call is a `tracing` span `cloudsnap.call` (fields `service`,
/// `vendor`, `operation`, `attempts`), with one child span `cloudsnap.attempt`
/// per attempt (`attempt`, `http.method`, `http.status`, `request_id`,
/// `latency_ms`, `retry_reason`, `credentials_provider`). Events: `response`
/// (each response), `retrying` (with the reason and the wait) and `failed`.
/// No span or event carries a URI, a header value, a credential, a signature
/// or a security token.
#[derive(Clone)]
pub struct Client {
    config: ClientConfig,
    endpoint: Endpoint,
    transport: Arc<dyn Transport>,
    signer: Arc<dyn Authenticate>,
}

impl fmt::Debug for Client {
    // Only what is safe to log: never the signer, which holds credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.config.service.title)
            .field("endpoint", &self.endpoint.url())
            .field("timeout", &self.config.timeout)
            .field("retry", &self.config.retry)
            .finish_non_exhaustive()
    }
}

/// What one attempt produced, when it did not produce the output.
struct Failed<C: fmt::Debug + fmt::Display> {
    error: Error<C>,
    retry_after: Option<Duration>,
}

impl Client {
    /// A client on the default transport (reqwest with rustls).
    pub fn new(config: ClientConfig, signer: impl Signer + 'static) -> Result<Self, ConfigError> {
        let transport = ReqwestTransport::new(config.connect_timeout)?;
        Self::with_transport(config, signer, transport)
    }

    /// A client on a transport of your own (another HTTP stack, a recorder).
    pub fn with_transport(
        config: ClientConfig,
        signer: impl Signer + 'static,
        transport: impl Transport + 'static,
    ) -> Result<Self, ConfigError> {
        Self::with_authenticator(config, StaticSigner(signer), transport)
    }

    /// A client whose requests are authenticated by `auth` (for example a
    /// [`ProviderSigner`](crate::auth::ProviderSigner) reading a credentials
    /// chain), on the default transport.
    pub fn authenticated(config: ClientConfig, auth: impl Authenticate + 'static) -> Result<Self, ConfigError> {
        let transport = ReqwestTransport::new(config.connect_timeout)?;
        Self::with_authenticator(config, auth, transport)
    }

    /// As [`authenticated`](Self::authenticated), on a transport of your own.
    pub fn with_authenticator(
        config: ClientConfig,
        auth: impl Authenticate + 'static,
        transport: impl Transport + 'static,
    ) -> Result<Self, ConfigError> {
        let endpoint = config.resolve_endpoint()?;
        Ok(Client {
            config,
            endpoint,
            transport: Arc::new(transport),
            signer: Arc::new(auth),
        })
    }

    /// The service this client talks to.
    pub fn service(&self) -> &'static ServiceInfo {
        self.config.service
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The configuration the client was built from.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Validate, build, sign and send `request`, retrying per the policy,
    /// and parse the response into the operation's output or typed error.
    pub async fn send<O: Operation>(&self, request: &O) -> Result<O::Output, Error<O::ErrorCode>> {
        self.send_with_metadata(request).await.map(|r| r.output)
    }

    /// As [`Client::send`], keeping what the server sent next to the typed
    /// output: the status, headers, vendor request id and raw body (so a
    /// member the spec does not know yet is still reachable).
    pub async fn send_with_metadata<O: Operation>(
        &self,
        request: &O,
    ) -> Result<Response<O::Output>, Error<O::ErrorCode>> {
        let service = self.config.service;
        let span = tracing::info_span!(
            "cloudsnap.call",
            service = service.id,
            vendor = service.vendor,
            operation = O::INFO.name,
            attempts = Empty,
        );
        self.send_in_span(request).instrument(span).await
    }

    async fn send_in_span<O: Operation>(&self, request: &O) -> Result<Response<O::Output>, Error<O::ErrorCode>> {
        let operation = O::INFO.name;
        let mut unsigned = request
            .build_request()
            .map_err(|source| Error::Build { operation, source })?;
        crate::client_filled::fill(&mut unsigned, O::CLIENT_FILLED, |v| {
            self.config.variable(v).map(str::to_owned)
        })
        .map_err(|source| Error::Build { operation, source })?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let span = tracing::info_span!(
                "cloudsnap.attempt",
                attempt,
                http.method = %unsigned.method(),
                http.status = Empty,
                request_id = Empty,
                latency_ms = Empty,
                retry_reason = Empty,
                credentials_provider = Empty,
            );
            let failed = match self.attempt::<O>(&unsigned, attempt).instrument(span.clone()).await {
                Ok(output) => {
                    tracing::Span::current().record("attempts", attempt);
                    return Ok(output);
                }
                Err(failed) => failed,
            };
            let ctx = self.hook_context(operation, attempt);
            let default = self.should_retry(&failed.error, attempt, O::INFO.idempotent);
            let retry = self.config.hooks.retry(&ctx, failed.error.status(), default)
                && attempt < self.config.retry.max_attempts
                && matches!(
                    failed.error,
                    Error::Response { .. } | Error::Timeout { .. } | Error::Transport { .. }
                );
            if !retry {
                tracing::Span::current().record("attempts", attempt);
                span.in_scope(|| tracing::info!(error = %failed.error, "failed"));
                return Err(failed.error);
            }
            let reason = retry_reason(&failed.error);
            let wait = self.config.retry.backoff(attempt, failed.retry_after);
            span.record("retry_reason", reason.as_str());
            span.in_scope(|| tracing::info!(retry_reason = %reason, backoff_ms = wait.as_millis() as u64, "retrying"));
            tokio::time::sleep(wait).await;
        }
    }

    fn hook_context(&self, operation: &'static str, attempt: u32) -> HookContext {
        HookContext {
            service: self.config.service.id,
            operation,
            attempt,
        }
    }

    /// One attempt: prepare, run the hooks, sign, send, parse. Runs inside
    /// the attempt span and records its fields.
    async fn attempt<O: Operation>(
        &self,
        unsigned: &http::Request<Vec<u8>>,
        attempt: u32,
    ) -> Result<Response<O::Output>, Failed<O::ErrorCode>> {
        let operation = O::INFO.name;
        let span = tracing::Span::current();
        let fail = |error| Failed {
            error,
            retry_after: None,
        };
        let mut request = self.prepare(unsigned).map_err(|e| fail(e.into_error(operation)))?;
        let ctx = self.hook_context(operation, attempt);
        self.config
            .hooks
            .before_sign(&ctx, &mut request)
            .map_err(|source| fail(Error::Hook { operation, source }))?;
        let provider = self
            .signer
            .authenticate(&mut request, &SigningContext::now())
            .await
            .map_err(|e| {
                fail(match e {
                    AuthError::Credentials(source) => Error::Credentials { operation, source },
                    AuthError::Sign(source) => Error::Sign { operation, source },
                })
            })?;
        span.record("credentials_provider", provider);
        let started = Instant::now();
        let exchanged = self.exchange(request).await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        let response = match exchanged {
            Ok(response) => response,
            Err(Failure::TimedOut) => {
                return Err(fail(Error::Timeout {
                    operation,
                    timeout: self.config.timeout,
                    attempts: attempt,
                }))
            }
            Err(Failure::Transport(source)) => {
                return Err(fail(Error::Transport {
                    operation,
                    attempts: attempt,
                    source,
                }))
            }
        };
        let status = response.status().as_u16();
        span.record("http.status", status);
        let header_id = crate::response::request_id_header(response.headers());
        if let Some(id) = &header_id {
            span.record("request_id", id.as_str());
        }
        self.config.hooks.after_response(&ctx, status, response.headers());
        tracing::info!(http.status = status, "response");
        match O::parse_response(&response) {
            Ok(output) => Ok(Response::new(output, response, attempt)),
            Err(source) => {
                if let (None, ResponseError::Service(e)) = (header_id, &source) {
                    if let Some(id) = &e.request_id {
                        span.record("request_id", id.as_str());
                    }
                }
                Err(Failed {
                    error: Error::Response {
                        attempts: attempt,
                        source,
                    },
                    retry_after: retry::retry_after(response.headers()),
                })
            }
        }
    }

    /// Copy the unsigned request, make its URI absolute and set the user
    /// agent (signing comes after the hooks).
    fn prepare(&self, unsigned: &http::Request<Vec<u8>>) -> Result<http::Request<Vec<u8>>, Prepare> {
        let origin = unsigned.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let uri = self.endpoint.join(origin).map_err(Prepare::Uri)?;
        let mut request = http::Request::builder()
            .method(unsigned.method().clone())
            .uri(uri)
            .body(unsigned.body().clone())
            .map_err(Prepare::Uri)?;
        *request.headers_mut() = unsigned.headers().clone();
        let agent = http::HeaderValue::from_str(&self.config.user_agent).map_err(|_| Prepare::UserAgent)?;
        request.headers_mut().insert(http::header::USER_AGENT, agent);
        Ok(request)
    }

    async fn exchange(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, Failure> {
        let limits = Limits {
            timeout: self.config.timeout,
            max_response_bytes: self.config.max_response_bytes,
        };
        // The client's own deadline bounds transports that have none.
        match tokio::time::timeout(self.config.timeout, self.transport.send(request, limits)).await {
            Err(_) => Err(Failure::TimedOut),
            Ok(Err(e)) if e.kind == TransportErrorKind::Timeout => Err(Failure::TimedOut),
            Ok(Err(e)) => Err(Failure::Transport(e)),
            Ok(Ok(response)) => Ok(response),
        }
    }

    fn should_retry<C: ErrorCode>(&self, error: &Error<C>, attempt: u32, idempotent: bool) -> bool {
        let policy = &self.config.retry;
        match error {
            // Nothing reached the server: safe even for non-idempotent calls.
            Error::Transport { source, .. } if source.kind == TransportErrorKind::Connect => {
                policy.allows(attempt, true)
            }
            Error::Transport { source, .. } => source.is_transient() && policy.allows(attempt, idempotent),
            Error::Timeout { .. } => policy.allows(attempt, idempotent),
            Error::Response { source, .. } => {
                let transient = match source {
                    ResponseError::Service(e) => {
                        retry::retryable_status(e.status) || retry::throttling_code(&e.raw_code)
                    }
                    ResponseError::UnexpectedStatus { status, .. } => retry::retryable_status(*status),
                    ResponseError::Decode { .. } => false,
                };
                transient && policy.allows(attempt, idempotent)
            }
            _ => false,
        }
    }
}

/// Why an attempt is retried, for the `retry_reason` field: a status, a
/// vendor error code, a timeout or a transport failure kind (never a
/// message, which could quote the request).
fn retry_reason<C: fmt::Debug + fmt::Display>(error: &Error<C>) -> String {
    match error {
        Error::Response {
            source: ResponseError::Service(e),
            ..
        } => format!("status {} code {}", e.status, e.raw_code),
        Error::Response { source, .. } => match error.status() {
            Some(status) => format!("status {status}"),
            None => format!("{source}"),
        },
        Error::Timeout { .. } => "timeout".to_owned(),
        Error::Transport { source, .. } => format!("transport {:?}", source.kind),
        _ => "other".to_owned(),
    }
}

/// Why one exchange produced no response.
enum Failure {
    TimedOut,
    Transport(TransportError),
}

/// Why a request could not be made ready to send.
enum Prepare {
    Uri(http::Error),
    UserAgent,
}

impl Prepare {
    fn into_error<C: fmt::Debug + fmt::Display>(self, operation: &'static str) -> Error<C> {
        match self {
            Prepare::Uri(e) => Error::Build {
                operation,
                source: crate::BuildError::Http(e),
            },
            Prepare::UserAgent => Error::Build {
                operation,
                source: crate::BuildError::Header {
                    name: "user-agent".to_owned(),
                    reason: "the configured user agent is not a valid header value".to_owned(),
                },
            },
        }
    }
}
