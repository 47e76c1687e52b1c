//! The small HTTP exchange the remote providers make (instance metadata,
//! STS), on the client's own [`Transport`].

use std::sync::Arc;
use std::time::Duration;

use crate::client::{Limits, ReqwestTransport, Transport};

use super::{ProviderError, ProviderErrorKind};

/// Metadata and STS answers are small; anything larger is refused.
const MAX_BODY: usize = 64 * 1024;

/// Timeout of one metadata/STS exchange (the vendors' SDKs use a few
/// seconds for metadata: Huawei's Go SDK 3 s, Alibaba's 1 s connect / 1 s read).
pub(crate) const TIMEOUT: Duration = Duration::from_secs(5);

/// The default transport for providers.
pub(crate) fn default_transport(provider: &'static str) -> Result<Arc<dyn Transport>, ProviderError> {
    ReqwestTransport::new(TIMEOUT)
        .map(|t| Arc::new(t) as Arc<dyn Transport>)
        .map_err(|e| ProviderError::new(provider, ProviderErrorKind::Unavailable, e.message))
}

/// Sends `request` and returns status and body. The error names the
/// provider and the failure kind, never the URI (an STS query is signed).
pub(crate) async fn exchange(
    transport: &dyn Transport,
    provider: &'static str,
    request: http::Request<Vec<u8>>,
) -> Result<(u16, Vec<u8>), ProviderError> {
    let limits = Limits {
        timeout: TIMEOUT,
        max_response_bytes: MAX_BODY,
    };
    match tokio::time::timeout(TIMEOUT, transport.send(request, limits)).await {
        Err(_) => Err(ProviderError::new(
            provider,
            ProviderErrorKind::Unavailable,
            format!("no answer within {TIMEOUT:?}"),
        )),
        Ok(Err(e)) => Err(ProviderError::new(
            provider,
            ProviderErrorKind::Unavailable,
            format!("request failed: {:?}", e.kind),
        )),
        Ok(Ok(response)) => Ok((response.status().as_u16(), response.into_body())),
    }
}

/// Builds a request; the URL comes from configuration, so a bad one is
/// reported as invalid configuration (without echoing it).
pub(crate) fn request(
    provider: &'static str,
    method: http::Method,
    url: &str,
    headers: &[(&'static str, &str)],
) -> Result<http::Request<Vec<u8>>, ProviderError> {
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Vec::new())
        .map_err(|_| ProviderError::invalid(provider, "the endpoint URL or a header is not valid"))
}

/// Decodes a JSON body; the error gives only the position, never content.
pub(crate) fn json<T: serde::de::DeserializeOwned>(provider: &'static str, body: &[u8]) -> Result<T, ProviderError> {
    serde_json::from_slice(body).map_err(|e| {
        ProviderError::invalid(
            provider,
            format!(
                "the response is not the expected JSON ({:?} at line {} column {})",
                e.classify(),
                e.line(),
                e.column()
            ),
        )
    })
}

/// Trims a trailing slash off an endpoint.
pub(crate) fn base(url: &str) -> &str {
    url.trim_end_matches('/')
}
