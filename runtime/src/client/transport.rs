//! The [`Transport`] trait that carries signed requests, and its default
//! implementation on reqwest with rustls.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed, sendable future, so that [`Transport`] stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Limits the client asks a transport to enforce on one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Give up on the whole exchange (connect, send, read) after this long.
    pub timeout: Duration,
    /// Refuse response bodies larger than this many bytes.
    pub max_response_bytes: usize,
}

/// Sends one HTTP request and returns the whole response.
///
/// The request has an absolute URI and is already signed; a transport must
/// not change anything a signature covers (method, path, query, signed
/// headers, body). Implement it to plug in another HTTP stack, or in tests to
/// record requests and script responses. The client also enforces
/// [`Limits::timeout`] around every call, so a transport that cannot
/// time out on its own is still bounded.
pub trait Transport: Send + Sync {
    /// Perform the exchange.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        (**self).send(request, limits)
    }
}

/// What went wrong below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake).
    Connect,
    /// The exchange took longer than the timeout.
    Timeout,
    /// The response body exceeded [`Limits::max_response_bytes`].
    BodyTooLarge,
    /// The request could not be handed to the HTTP stack.
    Request,
    /// The connection failed after it was made (reset, malformed response).
    Io,
}

/// A failure below HTTP. Its message never contains the request URI or
/// headers, which may carry credentials (Alibaba's RPC signature and security
/// token travel in the query string).
#[derive(Debug, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct TransportError {
    /// The category, which decides whether a retry may help.
    pub kind: TransportErrorKind,
    /// What happened, without URI or credentials.
    pub message: String,
    /// The underlying error, if any (also stripped of URIs).
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error without an underlying cause.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Whether the failure may go away on its own (retrying can help).
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Io
        )
    }
}

/// The default transport: reqwest over rustls (no system OpenSSL), HTTP/1.1
/// and HTTP/2, connection pooling, no redirects (a redirect would replay a
/// signed request to another URI).
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReqwestTransport")
    }
}

impl ReqwestTransport {
    /// A transport with the given connect timeout.
    ///
    /// TLS uses the process's default rustls crypto provider. If none is
    /// installed, the provider this crate was built with (feature
    /// `rustls-ring`, the default, or `rustls-aws-lc`) is installed first;
    /// with neither feature and no provider installed, this is an error
    /// rather than reqwest's panic.
    pub fn new(connect_timeout: Duration) -> Result<Self, TransportError> {
        ensure_crypto_provider()?;
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| from_reqwest(e, "cannot build the HTTP client"))?;
        Ok(ReqwestTransport { client })
    }

    /// Wrap an existing reqwest client (its own settings apply; the client's
    /// timeout and size limit are still enforced per request).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }

    async fn exchange(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> Result<http::Response<Vec<u8>>, TransportError> {
        let mut request =
            reqwest::Request::try_from(request).map_err(|e| from_reqwest(e, "cannot convert the request"))?;
        *request.timeout_mut() = Some(limits.timeout);
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|e| from_reqwest(e, "request failed"))?;
        if let Some(length) = response.content_length() {
            if length > limits.max_response_bytes as u64 {
                return Err(too_large(limits.max_response_bytes));
            }
        }
        let mut builder = http::Response::builder()
            .status(response.status())
            .version(response.version());
        if let Some(headers) = builder.headers_mut() {
            *headers = std::mem::take(response.headers_mut());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| from_reqwest(e, "reading the response body failed"))?
        {
            if body.len() + chunk.len() > limits.max_response_bytes {
                return Err(too_large(limits.max_response_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body)
            .map_err(|e| TransportError::new(TransportErrorKind::Io, format!("invalid response: {e}")))
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        Box::pin(self.exchange(request, limits))
    }
}

/// Make sure rustls has a process-wide crypto provider before a reqwest
/// client is built (reqwest panics without one): installs the provider of
/// this crate's TLS feature if none is installed yet. [`ReqwestTransport::new`]
/// calls it; call it yourself before building your own `reqwest::Client`
/// for [`ReqwestTransport::from_client`].
pub fn ensure_crypto_provider() -> Result<(), TransportError> {
    if rustls::crypto::CryptoProvider::get_default().is_some() {
        return Ok(());
    }
    #[cfg(feature = "rustls-ring")]
    {
        // Losing a race with another thread's install is fine: some provider is set.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Ok(())
    }
    #[cfg(all(not(feature = "rustls-ring"), feature = "rustls-aws-lc"))]
    {
        // reqwest's `rustls` feature brings its own aws-lc-rs default.
        Ok(())
    }
    #[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
    {
        Err(TransportError::new(
            TransportErrorKind::Request,
            "no rustls crypto provider: enable the `rustls-ring` or `rustls-aws-lc` feature, \
             or install one with `rustls::crypto::CryptoProvider::install_default`",
        ))
    }
}

fn too_large(limit: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!("the response body exceeds the limit of {limit} bytes"),
    )
}

fn from_reqwest(error: reqwest::Error, context: &str) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_builder() {
        TransportErrorKind::Request
    } else {
        TransportErrorKind::Io
    };
    // The URI can carry a signature and a security token: drop it.
    let error = error.without_url();
    TransportError {
        kind,
        message: format!("{context}: {error}"),
        source: Some(Box::new(error)),
    }
}
