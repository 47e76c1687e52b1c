//! The [`Signer`] trait and the per-request [`SigningContext`].

use std::sync::Arc;
use std::time::SystemTime;

use super::SignError;

/// Values that change from one request to the next, supplied by the caller
/// so that signing is deterministic under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningContext {
    time: SystemTime,
    nonce: String,
}

impl SigningContext {
    /// A context with an explicit time and nonce.
    pub fn new(time: SystemTime, nonce: impl Into<String>) -> Self {
        SigningContext {
            time,
            nonce: nonce.into(),
        }
    }

    /// The current time and a fresh random (UUID v4) nonce.
    pub fn now() -> Self {
        SigningContext {
            time: SystemTime::now(),
            nonce: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// The signing time.
    pub fn time(&self) -> SystemTime {
        self.time
    }

    /// The nonce (used by the Alibaba Cloud schemes; ignored by the others).
    pub fn nonce(&self) -> &str {
        &self.nonce
    }
}

/// Authenticates an outgoing request in place.
///
/// The request must have an absolute URI (`https://host/path?query`) and
/// carry its final body. A signer adds headers and/or query parameters; on
/// error the request must not be sent (signers leave it unchanged when they
/// fail, but callers should not rely on that). Any header value containing
/// CR or LF is rejected with [`SignError::InvalidHeaderValue`].
///
/// Signing again with a fresh context (for example on retry) replaces the
/// previous authentication values rather than adding duplicates.
pub trait Signer: Send + Sync {
    /// Signs `request` using the time and nonce in `ctx`.
    fn sign(&self, request: &mut http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<(), SignError>;
}

impl<S: Signer + ?Sized> Signer for &S {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<(), SignError> {
        (**self).sign(request, ctx)
    }
}

impl<S: Signer + ?Sized> Signer for Box<S> {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<(), SignError> {
        (**self).sign(request, ctx)
    }
}

impl<S: Signer + ?Sized> Signer for Arc<S> {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, ctx: &SigningContext) -> Result<(), SignError> {
        (**self).sign(request, ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_gives_distinct_nonces() {
        let a = SigningContext::now();
        let b = SigningContext::now();
        assert_ne!(a.nonce(), b.nonce());
        assert_eq!(a.nonce().len(), 36);
    }
}
