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
    /// The response's `Content-Encoding` is not one the transport decodes,
    /// or the body does not decode as it says. Not transient.
    Encoding,
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
///
/// It asks for compressed responses (`Accept-Encoding: gzip, deflate`,
/// unless the request names its own) and decodes `gzip` and `deflate`
/// bodies itself; [`Limits::max_response_bytes`] applies to the decoded
/// bytes too, so a small body that inflates past it (a decompression bomb)
/// is refused with [`TransportErrorKind::BodyTooLarge`] once the limit is
/// passed, without inflating the rest. Any other encoding (`br`, `zstd`,
/// ...) is a [`TransportErrorKind::Encoding`] error that names it.
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
        // Not covered by any signature: signers sign what exists when they
        // run, and the transport adds this afterwards.
        request
            .headers_mut()
            .entry(http::header::ACCEPT_ENCODING)
            .or_insert(http::HeaderValue::from_static(ACCEPT_ENCODING));
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
        if let Some(headers) = builder.headers_mut() {
            body = decode_body(headers, body, limits.max_response_bytes)?;
        }
        builder
            .body(body)
            .map_err(|e| TransportError::new(TransportErrorKind::Io, format!("invalid response: {e}")))
    }
}

/// What the transport asks servers for.
const ACCEPT_ENCODING: &str = "gzip, deflate";

/// Undo the response's `Content-Encoding` (gzip, x-gzip, deflate; a list
/// is undone last first), producing at most `limit` bytes. On success the
/// `Content-Encoding` and `Content-Length` headers, which described the
/// encoded body, are removed.
fn decode_body(headers: &mut http::HeaderMap, body: Vec<u8>, limit: usize) -> Result<Vec<u8>, TransportError> {
    let mut codings = Vec::new();
    for value in headers.get_all(http::header::CONTENT_ENCODING) {
        let text = value.to_str().map_err(|_| {
            TransportError::new(
                TransportErrorKind::Encoding,
                "the response's Content-Encoding is not text",
            )
        })?;
        codings.extend(
            text.split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .filter(|c| !c.is_empty() && c != "identity"),
        );
    }
    // An empty body (a 204, a HEAD) decodes to itself whatever it claims.
    if codings.is_empty() || body.is_empty() {
        return Ok(body);
    }
    if let Some(unknown) = codings
        .iter()
        .find(|c| !matches!(c.as_str(), "gzip" | "x-gzip" | "deflate"))
    {
        return Err(TransportError::new(
            TransportErrorKind::Encoding,
            format!("the response body is encoded as `{unknown}`, which this transport does not decode (it decodes gzip and deflate)"),
        ));
    }
    let mut body = body;
    for coding in codings.iter().rev() {
        body = inflate(coding, &body, limit)?;
    }
    headers.remove(http::header::CONTENT_ENCODING);
    headers.remove(http::header::CONTENT_LENGTH);
    Ok(body)
}

/// Decode one layer, reading at most one byte past `limit`.
fn inflate(coding: &str, data: &[u8], limit: usize) -> Result<Vec<u8>, TransportError> {
    use std::io::Read;
    let bound = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut out = Vec::new();
    let read = match coding {
        "deflate" if looks_like_zlib(data) => flate2::read::ZlibDecoder::new(data).take(bound).read_to_end(&mut out),
        // RFC 9110 says zlib, but some servers send raw deflate.
        "deflate" => flate2::read::DeflateDecoder::new(data)
            .take(bound)
            .read_to_end(&mut out),
        _ => flate2::read::MultiGzDecoder::new(data)
            .take(bound)
            .read_to_end(&mut out),
    };
    read.map_err(|e| {
        TransportError::new(
            TransportErrorKind::Encoding,
            format!("the {coding} response body does not decode: {e}"),
        )
    })?;
    if out.len() > limit {
        return Err(TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!("the response body exceeds the limit of {limit} bytes once decoded ({coding})"),
        ));
    }
    Ok(out)
}

/// A zlib header: deflate method, and a check value the first two bytes
/// pass (RFC 1950).
fn looks_like_zlib(data: &[u8]) -> bool {
    match data {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
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
