//! The async client every generated service client wraps: it resolves the
//! endpoint, signs, sends through a [`Transport`], retries, and parses.
//!
//! ```no_run
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
mod error;
pub mod paginate;
pub mod retry;
mod transport;

pub use config::{ClientConfig, ConfigError, Endpoint, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use error::Error;
/// Re-exported so generated code and callers need no futures dependency of
/// their own; consume streams with [`StreamExt`] / [`TryStreamExt`].
pub use futures_core::Stream;
pub use futures_util::stream::BoxStream;
pub use futures_util::{StreamExt, TryStreamExt};
pub use paginate::{PageLimit, PagePaginated, Paginated, TokenPaginated};
pub use retry::RetryPolicy;
pub use transport::{BoxFuture, Limits, ReqwestTransport, Transport, TransportError, TransportErrorKind};

use std::fmt;
use std::sync::Arc;

use crate::auth::{Signer, SigningContext};
use crate::{ErrorCode, Operation, ResponseError, ServiceInfo, WithRaw};

/// A configured, authenticated connection to one service. Cheap to clone
/// (the transport and signer are shared).
#[derive(Clone)]
pub struct Client {
    config: ClientConfig,
    endpoint: Endpoint,
    transport: Arc<dyn Transport>,
    signer: Arc<dyn Signer>,
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
        let endpoint = config.resolve_endpoint()?;
        Ok(Client {
            config,
            endpoint,
            transport: Arc::new(transport),
            signer: Arc::new(signer),
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
        self.send_with_raw(request).await.map(WithRaw::into_output)
    }

    /// As [`send`](Self::send), and keep the response body next to the
    /// output (moved, not copied), so members the spec does not know stay
    /// reachable: [`WithRaw::body`], [`WithRaw::extra_members`].
    pub async fn send_with_raw<O: Operation>(&self, request: &O) -> Result<WithRaw<O::Output>, Error<O::ErrorCode>> {
        let operation = O::INFO.name;
        let unsigned = request
            .build_request()
            .map_err(|source| Error::Build { operation, source })?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let signed = self.prepare(&unsigned).map_err(|e| e.into_error(operation))?;
            let (error, retry_after) = match self.exchange(signed).await {
                Ok(response) => match O::parse_response(&response) {
                    Ok(output) => return Ok(WithRaw::new(&O::INFO, output, response.into_body())),
                    Err(source) => (
                        Error::Response {
                            attempts: attempt,
                            source,
                        },
                        retry::retry_after(response.headers()),
                    ),
                },
                Err(Failure::TimedOut) => (
                    Error::Timeout {
                        operation,
                        timeout: self.config.timeout,
                        attempts: attempt,
                    },
                    None,
                ),
                Err(Failure::Transport(source)) => (
                    Error::Transport {
                        operation,
                        attempts: attempt,
                        source,
                    },
                    None,
                ),
            };
            if !self.should_retry(&error, attempt, O::INFO.idempotent) {
                return Err(error);
            }
            tokio::time::sleep(self.config.retry.backoff(attempt, retry_after)).await;
        }
    }

    /// Copy the unsigned request, make its URI absolute, set the user agent
    /// and sign it with a fresh time and nonce.
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
        self.signer
            .sign(&mut request, &SigningContext::now())
            .map_err(Prepare::Sign)?;
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
            Error::Build { .. } | Error::Sign { .. } => false,
        }
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
    Sign(crate::auth::SignError),
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
            Prepare::Sign(source) => Error::Sign { operation, source },
        }
    }
}
