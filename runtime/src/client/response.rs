//! A successful call's typed output together with what the server sent.

/// The typed output of a successful call and the response it came from:
/// status, headers, the vendor's request id and the raw body. Nothing the
/// server sent is lost, even members the spec does not know yet (read them
/// from [`Response::body`], e.g. with `serde_json::from_slice`).
///
/// Returned by [`Client::send_with_metadata`](super::Client::send_with_metadata);
/// keeping the body costs nothing, since it is moved, not copied.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The parsed output.
    pub output: T,
    /// The HTTP status.
    pub status: http::StatusCode,
    /// The response headers.
    pub headers: http::HeaderMap,
    /// The raw response body, exactly as received.
    pub body: Vec<u8>,
    /// How many attempts the call took (1 when it was not retried).
    pub attempts: u32,
}

impl<T> Response<T> {
    pub(crate) fn new(output: T, response: http::Response<Vec<u8>>, attempts: u32) -> Self {
        let (parts, body) = response.into_parts();
        Response {
            output,
            status: parts.status,
            headers: parts.headers,
            body,
            attempts,
        }
    }

    /// The vendor's request id (`x-acs-request-id`, `x-request-id` or
    /// `x-opaque-id`), to quote to the vendor's support.
    pub fn request_id(&self) -> Option<String> {
        crate::response::request_id_header(&self.headers)
    }

    /// The body as JSON, for members the spec does not describe.
    pub fn json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The output, dropping the rest.
    pub fn into_output(self) -> T {
        self.output
    }
}
