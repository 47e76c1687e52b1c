//! Scripted responses and the request log.

use std::time::Duration;

/// A response to serve instead of the documented example, scripted with
/// [`crate::MockServer::enqueue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Wait this long before answering (to test client timeouts).
    pub delay: Option<Duration>,
}

impl MockResponse {
    /// A response with this status and body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        MockResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: None,
        }
    }

    /// A JSON response (`Content-Type: application/json`).
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        MockResponse::new(status, body.to_string()).with_header("content-type", "application/json")
    }

    /// An empty response with this status.
    pub fn status(status: u16) -> Self {
        MockResponse::new(status, Vec::new())
    }

    /// Add a header.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answer only after `delay`.
    #[must_use]
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// One request the server received, with its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The operation it was routed to (`None`: unknown path or action).
    pub operation: Option<String>,
    /// HTTP method.
    pub method: String,
    /// The raw origin-form target (`/path?query`), as received.
    pub uri: String,
    /// The raw path.
    pub path: String,
    /// The path parameters the router matched, by wire name, percent-decoded
    /// (each is exactly one path segment of [`RecordedRequest::path`]).
    pub path_params: Vec<(String, String)>,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers (lower-case names), in order.
    pub headers: Vec<(String, String)>,
    /// The body's first bytes: all of it unless it is longer than
    /// [`LogLimits::max_body_bytes`](crate::LogLimits::max_body_bytes), or
    /// none if it exceeded the server's body limit and was not read.
    pub body: Vec<u8>,
    /// The body's full length in bytes (as far as it was read, or as
    /// `Content-Length` announced it when it was refused unread).
    pub body_len: usize,
    /// Recognized authentication scheme, spelled as in specs (`huawei_aksk`).
    pub auth_scheme: Option<String>,
    /// Every failed check; empty means the request was accepted.
    pub problems: Vec<String>,
    /// The HTTP status the server answered.
    pub status: u16,
    /// Whether the answer was a scripted [`MockResponse`].
    pub scripted: bool,
}

impl RecordedRequest {
    /// Whether every check passed.
    pub fn accepted(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether [`RecordedRequest::body`] holds less than the whole body.
    pub fn body_truncated(&self) -> bool {
        self.body.len() < self.body_len
    }
}
