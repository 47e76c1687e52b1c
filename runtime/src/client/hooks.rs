//! Request hooks: a supported place to observe or change a request before it
//! is signed, observe each response, and adjust the retry decision, without
//! forking the client (in the spirit of aws-sdk-rust's interceptors and
//! progenitor's hooks, kept much smaller).
//!
//! ```
//! use cloudsnap_runtime::client::{Hook, HookContext, HookError};
//!
//! /// Adds a tracing header to every request and counts throttled answers.
//! #[derive(Default)]
//! struct Tag(std::sync::atomic::AtomicU32);
//!
//! impl Hook for Tag {
//!     fn before_sign(&self, _ctx: &HookContext, request: &mut http::Request<Vec<u8>>) -> Result<(), HookError> {
//!         request.headers_mut().insert("x-team", http::HeaderValue::from_static("backup"));
//!         Ok(())
//!     }
//!     fn after_response(&self, _ctx: &HookContext, status: u16, _headers: &http::HeaderMap) {
//!         if status == 429 {
//!             self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
//!         }
//!     }
//! }
//! ```
//!
//! Hooks run in the order they were added. A header added in
//! [`Hook::before_sign`] is covered by the signature of the schemes that sign
//! headers. Nothing a hook does can exceed [`super::RetryPolicy::max_attempts`].

use std::fmt;
use std::sync::Arc;

/// Where a hook is called from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HookContext {
    /// The service id (`ecs`, `cbr`, ...).
    pub service: &'static str,
    /// The operation id.
    pub operation: &'static str,
    /// The attempt, from 1.
    pub attempt: u32,
}

/// A hook refused to let a request go out. The message is the hook's own
/// and should not contain secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a request hook refused the request: {0}")]
pub struct HookError(pub String);

/// Called by the client around each attempt. Every method has a default that
/// does nothing, so implement only what you need.
pub trait Hook: Send + Sync {
    /// Before signing: observe or change the request (absolute URI, final
    /// body, user agent set). An error stops the call; nothing is sent.
    fn before_sign(&self, ctx: &HookContext, request: &mut http::Request<Vec<u8>>) -> Result<(), HookError> {
        let _ = (ctx, request);
        Ok(())
    }

    /// After a response arrived (any status), before it is parsed.
    fn after_response(&self, ctx: &HookContext, status: u16, headers: &http::HeaderMap) {
        let _ = (ctx, status, headers);
    }

    /// Whether to retry a failed attempt. `status` is the response status
    /// (`None` for a timeout or transport failure) and `default` the client's
    /// own decision (or the previous hook's). Return `default` to keep it.
    /// The retry policy's attempt limit still applies.
    fn retry(&self, ctx: &HookContext, status: Option<u16>, default: bool) -> bool {
        let _ = (ctx, status);
        default
    }
}

/// A shared hook (keep an `Arc` to read what a hook recorded).
impl<H: Hook + ?Sized> Hook for Arc<H> {
    fn before_sign(&self, ctx: &HookContext, request: &mut http::Request<Vec<u8>>) -> Result<(), HookError> {
        (**self).before_sign(ctx, request)
    }

    fn after_response(&self, ctx: &HookContext, status: u16, headers: &http::HeaderMap) {
        (**self).after_response(ctx, status, headers)
    }

    fn retry(&self, ctx: &HookContext, status: Option<u16>, default: bool) -> bool {
        (**self).retry(ctx, status, default)
    }
}

/// The hooks of a client, in order.
#[derive(Clone, Default)]
pub struct Hooks(Vec<Arc<dyn Hook>>);

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hooks({})", self.0.len())
    }
}

impl Hooks {
    pub(crate) fn push(&mut self, hook: Arc<dyn Hook>) {
        self.0.push(hook);
    }

    pub(crate) fn before_sign(&self, ctx: &HookContext, request: &mut http::Request<Vec<u8>>) -> Result<(), HookError> {
        self.0.iter().try_for_each(|h| h.before_sign(ctx, request))
    }

    pub(crate) fn after_response(&self, ctx: &HookContext, status: u16, headers: &http::HeaderMap) {
        self.0.iter().for_each(|h| h.after_response(ctx, status, headers));
    }

    pub(crate) fn retry(&self, ctx: &HookContext, status: Option<u16>, default: bool) -> bool {
        self.0.iter().fold(default, |d, h| h.retry(ctx, status, d))
    }

    /// Number of hooks.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
