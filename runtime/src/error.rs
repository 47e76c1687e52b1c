//! Errors of request building and response parsing.

use std::fmt;

/// A request value breaks a documented constraint; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{parameter}` {problem}")]
pub struct ValidationError {
    /// Wire name of the parameter.
    pub parameter: &'static str,
    /// What is wrong (never the value itself, which may be long or private).
    pub problem: String,
}

/// A request could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A documented constraint failed.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// A path parameter is empty or a dot segment, which would change the path.
    #[error("path parameter `{parameter}` {problem}")]
    PathParameter {
        /// Wire name.
        parameter: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// A header name or value cannot be sent (for example it contains CR or LF).
    #[error("header `{name}` cannot be sent: {reason}")]
    Header {
        /// Header name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A value could not be encoded as JSON.
    #[error("parameter `{parameter}` cannot be encoded")]
    Encode {
        /// Wire name.
        parameter: &'static str,
        /// The encoder's error.
        source: serde_json::Error,
    },
    /// The assembled request is not valid HTTP.
    #[error("invalid HTTP request")]
    Http(#[from] http::Error),
}

/// An error response the service sent in its documented error envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError<C> {
    /// Operation id.
    pub operation: &'static str,
    /// HTTP status.
    pub status: u16,
    /// The code as a documented variant, or `Unknown`.
    pub code: C,
    /// The code exactly as sent.
    pub raw_code: String,
    /// The service's message.
    pub message: Option<String>,
    /// The request id, for support tickets.
    pub request_id: Option<String>,
    /// The raw body (lossy UTF-8).
    pub body: String,
}

impl<C: fmt::Display> fmt::Display for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}: {}", self.operation, self.status, self.code)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl<C: fmt::Debug + fmt::Display> std::error::Error for ServiceError<C> {}

/// A response could not be turned into the operation's output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError<C: fmt::Debug + fmt::Display> {
    /// The service reported an error in its envelope.
    #[error(transparent)]
    Service(ServiceError<C>),
    /// A non-success status without a recognizable error envelope (a proxy
    /// page, an empty body).
    #[error("{operation} failed with HTTP {status} and no recognizable error body: {body_start}")]
    UnexpectedStatus {
        /// Operation id.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The start of the body, lossy UTF-8.
        body_start: String,
    },
    /// A success body did not match the output type.
    #[error("{operation}: cannot decode the HTTP {status} body at `{path}`: {message}")]
    Decode {
        /// Operation id.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// JSON path of the failure (`backup.children[0].resource_size`).
        path: String,
        /// What did not match.
        message: String,
    },
}

impl<C: fmt::Debug + fmt::Display> ResponseError<C> {
    /// The operation whose response this is.
    pub fn operation(&self) -> &'static str {
        match self {
            ResponseError::Service(e) => e.operation,
            ResponseError::UnexpectedStatus { operation, .. } | ResponseError::Decode { operation, .. } => operation,
        }
    }
}

/// An error and its causes as one line, each link once, outermost first,
/// joined with `": "` (what `anyhow`'s `{:#}` prints). Errors here never
/// repeat their cause in their own message, so this is how to print one
/// whole: `eprintln!("{}", cloudsnap::runtime::error_chain(&err))`.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}
