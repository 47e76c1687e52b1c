//! Waiting for a snapshot or backup to reach a state, and the type-erased
//! resource API (`DynResource`) every generated service module exposes.
//!
//! The engine polls the resource's describe operation (declared in the
//! spec's `resources:` section, see [`crate::lifecycle`]) with exponential
//! backoff between [`WaitOptions::min_delay`] and [`WaitOptions::max_delay`]
//! (jittered), until the resource reaches the target state, reaches a state
//! that rules the target out (failed; being deleted), disappears, the
//! operation fails, or [`WaitOptions::max_wait`] passes. Each call goes
//! through the client, so its retries on throttling and 5xx still apply.
//! Dropping the future cancels the wait; nothing runs in the background.
//!
//! Generated service clients call it as `wait_until_<resource>_<state>`;
//! generic code (an operator tool) uses `<service>::resources()`:
//!
//! ```ignore
//! use cloudsnap::client::{DynResource, WaitOptions};
//! use cloudsnap::lifecycle::State;
//!
//! # async fn demo(client: &cloudsnap::zilliz::cloud::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let params = serde_json::json!({ "cluster_id": "in01-3e5ad8adc38xxxx" });
//! for resource in cloudsnap::zilliz::cloud::resources() {
//!     for s in resource.list(client.inner(), params.as_object().unwrap()).await? {
//!         println!("{} {} {}", s.id, s.state, s.raw_state.unwrap_or_default());
//!     }
//!     let done = resource
//!         .wait(client.inner(), "backup1_0b9d15a0ddexxxx", params.as_object().unwrap(),
//!               State::Available, WaitOptions::default())
//!         .await?;
//!     println!("{} is {}", done.id, done.state);
//! }
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::time::Instant;

use super::paginate::{PageLimit, PagePaginated, TokenPaginated};
use super::{BoxFuture, Client, Error, StreamExt};
use crate::lifecycle::{ErrorMeaning, ResourceDecl, SnapshotSummary, State, ViewDecl};
use crate::Operation;

/// An error of the type-erased API ([`DynResource`]): any error, shown
/// transparently (its message and its source chain).
#[derive(Debug)]
pub struct DynError(Box<dyn std::error::Error + Send + Sync>);

impl DynError {
    /// Wrap an error (or a message).
    pub fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        DynError(e.into())
    }

    /// The wrapped error, to downcast (`Error<C>` of a service, `serde_json::Error`, ...).
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }

    /// The wrapped error.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync> {
        self.0
    }
}

impl fmt::Display for DynError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for DynError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// Parameters of the type-erased API: a JSON object keyed by wire or Rust
/// parameter name.
pub type Params = Map<String, Value>;

/// What one poll of a wait saw, passed to the progress callback.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitProgress {
    /// 1 for the first poll.
    pub attempt: u32,
    /// Time since the wait started.
    pub elapsed: Duration,
    /// The resource as observed; `None`: not found (not there yet).
    pub observed: Option<SnapshotSummary>,
}

type ProgressFn = Arc<dyn Fn(&WaitProgress) + Send + Sync>;

/// How a waiter polls. The defaults suit snapshots that take minutes:
/// 2 s to 30 s between polls, at most 30 minutes in all.
#[derive(Clone)]
pub struct WaitOptions {
    /// Delay before the second poll; later delays double up to `max_delay`.
    pub min_delay: Duration,
    /// Longest delay between polls.
    pub max_delay: Duration,
    /// Longest total wait (polls included); then [`WaitError::TimedOut`].
    pub max_wait: Duration,
    /// Wait a random delay between `min_delay` and the exponential bound
    /// instead of the bound itself, so many waiters do not poll in step.
    pub jitter: bool,
    /// How many polls in a row may find no resource (not created yet,
    /// eventual consistency) before the wait ends with
    /// [`WaitError::NotFound`]. A resource that was seen and then
    /// disappears ends the wait at once.
    pub not_found_limit: u32,
    on_progress: Option<ProgressFn>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(30),
            max_wait: Duration::from_secs(30 * 60),
            jitter: true,
            not_found_limit: 5,
            on_progress: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("min_delay", &self.min_delay)
            .field("max_delay", &self.max_delay)
            .field("max_wait", &self.max_wait)
            .field("jitter", &self.jitter)
            .field("not_found_limit", &self.not_found_limit)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl WaitOptions {
    /// Set [`WaitOptions::min_delay`].
    pub fn min_delay(mut self, d: Duration) -> Self {
        self.min_delay = d;
        self
    }
    /// Set [`WaitOptions::max_delay`].
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// Set [`WaitOptions::max_wait`].
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = d;
        self
    }
    /// Set [`WaitOptions::jitter`].
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }
    /// Set [`WaitOptions::not_found_limit`].
    pub fn not_found_limit(mut self, n: u32) -> Self {
        self.not_found_limit = n;
        self
    }
    /// Call `f` after every poll with what it observed (for a progress bar
    /// or a log line).
    pub fn on_progress(mut self, f: impl Fn(&WaitProgress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }

    /// The delay after poll `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let min = self.min_delay.min(self.max_delay);
        let bound = min
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(31)))
            .min(self.max_delay);
        if self.jitter && bound > min {
            min + (bound - min).mul_f64(fastrand::f64())
        } else {
            bound
        }
    }
}

/// Why a wait ended without the target state. `O` is what the last poll
/// returned (the typed output, or a summary in the type-erased API), `E`
/// the operation's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError<O: fmt::Debug, E: std::error::Error + 'static> {
    /// The resource reached a state that rules the target out (failed, or
    /// being deleted).
    #[error("{} {} is {} ({}); it will not become {target}", summary.kind, summary.id, summary.state, summary.raw_state.as_deref().unwrap_or("no state"))]
    FailureState {
        /// The target state.
        target: State,
        /// The resource as last observed.
        summary: SnapshotSummary,
        /// The last output.
        output: Box<O>,
    },
    /// `max_wait` passed first.
    #[error("gave up waiting for {target} after {waited:?} ({attempts} polls; last state {})", last.as_ref().map_or("not found".to_owned(), |s| format!("{} ({})", s.state, s.raw_state.as_deref().unwrap_or("none"))))]
    TimedOut {
        /// The target state.
        target: State,
        /// Time waited.
        waited: Duration,
        /// Polls made.
        attempts: u32,
        /// The resource as last observed (`None`: never found).
        last: Option<SnapshotSummary>,
    },
    /// The resource does not exist (anymore): a "gone" error code, a
    /// resource that disappeared after it was seen, or not found
    /// `not_found_limit` times in a row.
    #[error("{id:?} was not found{}", code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())]
    NotFound {
        /// The id waited for.
        id: String,
        /// The error code that said so, if one did.
        code: Option<String>,
    },
    /// The describe operation failed and retrying did not help.
    #[error("the describe call failed")]
    Operation(#[source] E),
    /// The wait cannot start: the request names no id, or the resource has
    /// no describe operation.
    #[error("cannot wait: {0}")]
    Invalid(String),
}

/// Poll `request` (the resource's describe operation) until the resource
/// is in `target`: the engine behind every generated `wait_until_*`.
pub async fn wait_for<O>(
    client: &Client,
    resource: &'static ResourceDecl,
    request: &O,
    target: State,
    options: &WaitOptions,
) -> Result<O::Output, WaitError<O::Output, Error<O::ErrorCode>>>
where
    O: Operation + Serialize + Sync,
    O::Output: Serialize + fmt::Debug,
{
    wait_for_id(client, resource, request, None, target, options).await
}

/// [`wait_for`] with the id given beside the request: for a describe
/// operation that lists items without a parameter naming one (Huawei CSS
/// `ListSnapshots` lists every snapshot of a cluster), the item whose id
/// field is `id` is the one waited for. `None` takes the id from the
/// request's id parameter, as [`wait_for`] does.
pub async fn wait_for_id<O>(
    client: &Client,
    resource: &'static ResourceDecl,
    request: &O,
    id: Option<&str>,
    target: State,
    options: &WaitOptions,
) -> Result<O::Output, WaitError<O::Output, Error<O::ErrorCode>>>
where
    O: Operation + Serialize + Sync,
    O::Output: Serialize + fmt::Debug,
{
    let Some(view) = resource.describe.as_ref() else {
        return Err(WaitError::Invalid(format!(
            "{} has no describe operation{}",
            resource.name,
            resource.no_describe.map(|r| format!(": {r}")).unwrap_or_default()
        )));
    };
    let id = match id {
        Some(id) => Some(id.to_owned()),
        None => serde_json::to_value(request).ok().and_then(|v| view.requested_id(&v)),
    };
    if id.is_none() {
        if let Some((param, _)) = view.id_param {
            return Err(WaitError::Invalid(format!(
                "the request sets no `{param}`, so there is no {} to wait for",
                resource.name
            )));
        }
        if view.items_is_list {
            return Err(WaitError::Invalid(format!(
                "`{}` lists {}s without naming one; give the id to wait for",
                view.operation, resource.name
            )));
        }
    }
    let id_text = id.clone().unwrap_or_default();
    let started = Instant::now();
    let deadline = started + options.max_wait;
    let mut attempt = 0u32;
    let mut last: Option<SnapshotSummary> = None;
    let mut absent = 0u32;
    loop {
        attempt += 1;
        let timed_out = |last: Option<SnapshotSummary>| WaitError::TimedOut {
            target,
            waited: started.elapsed(),
            attempts: attempt,
            last,
        };
        let polled = match tokio::time::timeout_at(deadline, client.send(request)).await {
            Err(_) => return Err(timed_out(last)),
            Ok(r) => r,
        };
        let observed = match polled {
            Ok(output) => {
                let value = serde_json::to_value(&output).unwrap_or(Value::Null);
                resource
                    .observe(view, &value, id.as_deref())
                    .map(|summary| (summary, output))
            }
            Err(e) => {
                let meaning = e.service_error().and_then(|s| view.error_meaning(&s.raw_code));
                match meaning {
                    Some(ErrorMeaning::Pending) => None,
                    Some(ErrorMeaning::Gone) => {
                        report(options, attempt, started, None);
                        return Err(WaitError::NotFound {
                            id: id_text,
                            code: e.service_error().map(|s| s.raw_code.clone()),
                        });
                    }
                    None => return Err(WaitError::Operation(e)),
                }
            }
        };
        match observed {
            Some((summary, output)) => {
                report(options, attempt, started, Some(summary.clone()));
                absent = 0;
                if summary.state == target {
                    return Ok(output);
                }
                if summary.state.rules_out(target) {
                    return Err(WaitError::FailureState {
                        target,
                        summary,
                        output: Box::new(output),
                    });
                }
                last = Some(summary);
            }
            None => {
                report(options, attempt, started, None);
                absent += 1;
                if last.is_some() || absent > options.not_found_limit {
                    return Err(WaitError::NotFound {
                        id: id_text,
                        code: None,
                    });
                }
            }
        }
        let delay = options.delay(attempt);
        if Instant::now() + delay >= deadline {
            // Sleep out the rest and look one last time.
            tokio::time::sleep_until(deadline).await;
            if attempt > 0 && Instant::now() >= deadline {
                return Err(timed_out(last));
            }
        } else {
            tokio::time::sleep(delay).await;
        }
    }
}

fn report(options: &WaitOptions, attempt: u32, started: Instant, observed: Option<SnapshotSummary>) {
    if let Some(f) = &options.on_progress {
        f(&WaitProgress {
            attempt,
            elapsed: started.elapsed(),
            observed,
        });
    }
}

/// A resource of a service, type-erased: what generic code (an operator
/// tool, a cross-cloud inventory) uses knowing only the service module,
/// through `<service>::resources()`. Parameters are a JSON object keyed by
/// wire or Rust name (`CLUSTER_ID` or `cluster_id`); the id goes in as a
/// string and is set on the describe request's id parameter.
pub trait DynResource: Send + Sync {
    /// The declaration (service, name, operations).
    fn decl(&self) -> &'static ResourceDecl;

    /// The resource name (`snapshot`, `backup`).
    fn name(&self) -> &'static str {
        self.decl().name
    }

    /// Every resource the list operation returns (all pages), summarized.
    /// Without a list operation, an error saying so.
    fn list<'a>(
        &'a self,
        client: &'a Client,
        params: &'a Map<String, Value>,
    ) -> BoxFuture<'a, Result<Vec<SnapshotSummary>, DynError>>;

    /// The resource `id`, described and summarized.
    fn describe<'a>(
        &'a self,
        client: &'a Client,
        id: &'a str,
        params: &'a Map<String, Value>,
    ) -> BoxFuture<'a, Result<SnapshotSummary, DynError>>;

    /// Wait until the resource `id` is in `target` (see [`wait_for`]).
    fn wait<'a>(
        &'a self,
        client: &'a Client,
        id: &'a str,
        params: &'a Map<String, Value>,
        target: State,
        options: WaitOptions,
    ) -> BoxFuture<'a, Result<SnapshotSummary, WaitError<SnapshotSummary, DynError>>>;
}

/// A type-erased operation failure: the resource cannot do what was asked,
/// or the parameters do not make a request (the caller's mistake).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unsupported(pub String);

/// The described resource does not exist (the call succeeded, but its
/// output holds no item with the id).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{resource} {id:?} was not found")]
pub struct ResourceNotFound {
    /// The resource's name in the spec (`snapshot`, `backup`).
    pub resource: &'static str,
    /// The id asked for.
    pub id: String,
}

/// Build a request from parameters keyed by wire or Rust name (`names`:
/// Rust name -> wire name of every parameter), with `id` set on the view's
/// id parameter.
pub fn request_from_params<R: DeserializeOwned>(
    view: &ViewDecl,
    id: Option<&str>,
    params: &Map<String, Value>,
    names: &[(&str, &str)],
) -> Result<R, DynError> {
    let mut wire = Map::new();
    for (k, v) in params {
        // A name the operation does not have is refused, not dropped: a
        // misspelt filter would otherwise widen the call silently.
        let Some((_, key)) = names.iter().find(|(rust, w)| rust == k || w == k) else {
            let known: Vec<String> = names.iter().map(|(rust, w)| format!("{w} ({rust})")).collect();
            return Err(DynError::new(Unsupported(format!(
                "{}: no parameter {k:?}; it has {}",
                view.operation,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))));
        };
        wire.insert((*key).to_owned(), v.clone());
    }
    if let (Some(id), Some((param, list))) = (id, view.id_param) {
        let v = Value::String(id.to_owned());
        wire.insert(param.to_owned(), if list { Value::Array(vec![v]) } else { v });
    }
    serde_json::from_value(Value::Object(wire)).map_err(|e| {
        DynError::new(Unsupported(format!(
            "{}: cannot build the request from the parameters: {e}",
            view.operation
        )))
    })
}

/// [`DynResource::describe`] for a describe operation `R`.
pub async fn dyn_describe<R>(
    client: &Client,
    resource: &'static ResourceDecl,
    id: &str,
    params: &Map<String, Value>,
    names: &[(&str, &str)],
) -> Result<SnapshotSummary, DynError>
where
    R: Operation + DeserializeOwned + Sync,
    R::Output: Serialize,
{
    let view = resource
        .describe
        .as_ref()
        .ok_or_else(|| unsupported(resource, "describe"))?;
    let request: R = request_from_params(view, Some(id), params, names)?;
    let output = client.send(&request).await.map_err(DynError::new)?;
    let value = serde_json::to_value(&output).map_err(DynError::new)?;
    resource.observe(view, &value, Some(id)).ok_or_else(|| {
        DynError::new(ResourceNotFound {
            resource: resource.name,
            id: id.to_owned(),
        })
    })
}

/// [`DynResource::wait`] for a describe operation `R`.
pub async fn dyn_wait<R>(
    client: &Client,
    resource: &'static ResourceDecl,
    id: &str,
    params: &Map<String, Value>,
    names: &[(&str, &str)],
    target: State,
    options: WaitOptions,
) -> Result<SnapshotSummary, WaitError<SnapshotSummary, DynError>>
where
    R: Operation + DeserializeOwned + Serialize + Sync,
    R::Output: Serialize + fmt::Debug,
{
    let view = resource
        .describe
        .as_ref()
        .ok_or_else(|| WaitError::Invalid(unsupported(resource, "describe").to_string()))?;
    let request: R =
        request_from_params(view, Some(id), params, names).map_err(|e| WaitError::Invalid(e.to_string()))?;
    match wait_for_id(client, resource, &request, Some(id), target, &options).await {
        Ok(output) => {
            let value = serde_json::to_value(&output).map_err(|e| WaitError::Operation(DynError::new(e)))?;
            resource
                .observe(view, &value, Some(id))
                .ok_or_else(|| WaitError::NotFound {
                    id: id.to_owned(),
                    code: None,
                })
        }
        Err(e) => Err(match e {
            WaitError::FailureState { target, summary, .. } => WaitError::FailureState {
                target,
                output: Box::new(summary.clone()),
                summary,
            },
            WaitError::TimedOut {
                target,
                waited,
                attempts,
                last,
            } => WaitError::TimedOut {
                target,
                waited,
                attempts,
                last,
            },
            WaitError::NotFound { id, code } => WaitError::NotFound { id, code },
            WaitError::Operation(e) => WaitError::Operation(DynError::new(e)),
            WaitError::Invalid(m) => WaitError::Invalid(m),
        }),
    }
}

/// [`DynResource::list`] for a list operation `R` that does not page.
pub async fn dyn_list<R>(
    client: &Client,
    resource: &'static ResourceDecl,
    params: &Map<String, Value>,
    names: &[(&str, &str)],
) -> Result<Vec<SnapshotSummary>, DynError>
where
    R: Operation + DeserializeOwned + Sync,
    R::Output: Serialize,
{
    let view = resource.list.as_ref().ok_or_else(|| unsupported(resource, "list"))?;
    let request: R = request_from_params(view, None, params, names)?;
    let output = client.send(&request).await.map_err(DynError::new)?;
    Ok(resource.summaries(view, &serde_json::to_value(&output).map_err(DynError::new)?))
}

/// [`DynResource::list`] for a list operation paged by token.
pub async fn dyn_list_token<R>(
    client: &Client,
    resource: &'static ResourceDecl,
    params: &Map<String, Value>,
    names: &[(&str, &str)],
) -> Result<Vec<SnapshotSummary>, DynError>
where
    R: TokenPaginated + DeserializeOwned,
    R::Output: Serialize,
{
    let view = resource.list.as_ref().ok_or_else(|| unsupported(resource, "list"))?;
    let request: R = request_from_params(view, None, params, names)?;
    summarize_pages(client.token_pages(request, PageLimit::unbounded()), resource, view).await
}

/// [`DynResource::list`] for a list operation paged by page number.
pub async fn dyn_list_numbered<R>(
    client: &Client,
    resource: &'static ResourceDecl,
    params: &Map<String, Value>,
    names: &[(&str, &str)],
) -> Result<Vec<SnapshotSummary>, DynError>
where
    R: PagePaginated + DeserializeOwned,
    R::Output: Serialize,
{
    let view = resource.list.as_ref().ok_or_else(|| unsupported(resource, "list"))?;
    let request: R = request_from_params(view, None, params, names)?;
    summarize_pages(client.numbered_pages(request, PageLimit::unbounded()), resource, view).await
}

/// Every page of a listing, summarized: the loop the paged list views share
/// (they differ only in how the pages are followed).
async fn summarize_pages<O: Serialize, C: crate::ErrorCode>(
    mut pages: super::BoxStream<'_, Result<O, Error<C>>>,
    resource: &ResourceDecl,
    view: &ViewDecl,
) -> Result<Vec<SnapshotSummary>, DynError> {
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(DynError::new)?;
        out.extend(resource.summaries(view, &serde_json::to_value(&page).map_err(DynError::new)?));
    }
    Ok(out)
}

/// The error of an operation a resource does not have.
pub fn unsupported(resource: &ResourceDecl, what: &str) -> DynError {
    let why = match (what, resource.no_describe) {
        ("describe", Some(reason)) => format!(": {reason}"),
        _ => String::new(),
    };
    DynError::new(Unsupported(format!(
        "{}.{} {} has no {what} operation{why}",
        resource.vendor, resource.service, resource.name
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_within_bounds() {
        let o = WaitOptions::default()
            .min_delay(Duration::from_secs(1))
            .max_delay(Duration::from_secs(10))
            .jitter(false);
        let d: Vec<u64> = (1..=6).map(|a| o.delay(a).as_secs()).collect();
        assert_eq!(d, [1, 2, 4, 8, 10, 10]);
        let j = o.clone().jitter(true);
        for a in 1..=8 {
            let d = j.delay(a);
            assert!(d >= Duration::from_secs(1) && d <= Duration::from_secs(10), "{d:?}");
        }
    }
}
