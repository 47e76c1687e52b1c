//! The error of a client call.

use std::fmt;
use std::time::Duration;

use super::transport::TransportError;
use crate::auth::SignError;
use crate::{BuildError, ResponseError, ServiceError};

/// Why a call through a client failed. `C` is the operation's error-code enum.
///
/// Every variant names the operation; none carries credentials, signed
/// headers or the request URI.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<C: fmt::Debug + fmt::Display> {
    /// The request broke a documented constraint or could not be built;
    /// nothing was sent.
    #[error("{operation}: invalid request: {source}")]
    Build {
        /// Operation id.
        operation: &'static str,
        /// What was wrong.
        source: BuildError,
    },
    /// The request could not be signed; nothing was sent.
    #[error("{operation}: cannot sign the request: {source}")]
    Sign {
        /// Operation id.
        operation: &'static str,
        /// What was wrong.
        source: SignError,
    },
    /// Credentials could not be obtained from the provider; nothing was sent.
    #[error("{operation}: no credentials: {source}")]
    Credentials {
        /// Operation id.
        operation: &'static str,
        /// Which provider failed, and why (never a secret).
        source: crate::auth::ProviderError,
    },
    /// A request hook refused the request; nothing was sent.
    #[error("{operation}: {source}")]
    Hook {
        /// Operation id.
        operation: &'static str,
        /// The hook's reason.
        source: super::HookError,
    },
    /// No complete response arrived in time, on the last attempt.
    #[error("{operation}: no response within {timeout:?} (attempt {attempts})")]
    Timeout {
        /// Operation id.
        operation: &'static str,
        /// The per-attempt timeout.
        timeout: Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// The exchange failed below HTTP (connect, reset, body too large).
    #[error("{operation}: transport failure (attempt {attempts}): {source}")]
    Transport {
        /// Operation id.
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// What failed.
        source: TransportError,
    },
    /// A response arrived but is an error, or does not decode.
    #[error("{source}{}", retried(*attempts))]
    Response {
        /// Attempts made.
        attempts: u32,
        /// The typed service error, unexpected status or decode failure.
        source: ResponseError<C>,
    },
}

fn retried(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl<C: fmt::Debug + fmt::Display> Error<C> {
    /// The service's error, when it sent one in its envelope.
    pub fn service_error(&self) -> Option<&ServiceError<C>> {
        match self {
            Error::Response {
                source: ResponseError::Service(e),
                ..
            } => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the final response, if one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Response { source, .. } => Some(match source {
                ResponseError::Service(e) => e.status,
                ResponseError::UnexpectedStatus { status, .. } | ResponseError::Decode { status, .. } => *status,
            }),
            _ => None,
        }
    }

    /// Attempts made before giving up (0 if nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Build { .. } | Error::Sign { .. } | Error::Credentials { .. } | Error::Hook { .. } => 0,
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } | Error::Response { attempts, .. } => {
                *attempts
            }
        }
    }
}
