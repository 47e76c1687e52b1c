//! Request hooks: changing a request before signing (and the signature
//! covering the change), observing responses, steering retries, and
//! refusing a request.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudsnap::aliyun::ecs::{Client, DescribeSnapshotsRequest};
use cloudsnap::auth::{AliyunCredentials, AliyunV3Signer};
use cloudsnap::client::{
    BoxFuture, Error, Hook, HookContext, HookError, Limits, RetryPolicy, Transport, TransportError,
};

/// Answers from a list of statuses (the last one repeats) and keeps requests.
#[derive(Clone)]
struct Statuses {
    statuses: Arc<Mutex<Vec<u16>>>,
    seen: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
}

impl Statuses {
    fn new(statuses: &[u16]) -> Self {
        Statuses {
            statuses: Arc::new(Mutex::new(statuses.iter().rev().copied().collect())),
            seen: Arc::default(),
        }
    }
    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl Transport for Statuses {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _limits: Limits,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        self.seen.lock().unwrap().push(request);
        let mut s = self.statuses.lock().unwrap();
        let status = if s.len() > 1 { s.pop().unwrap() } else { s[0] };
        let body: &[u8] = if status == 200 {
            br#"{"RequestId":"r","TotalCount":0,"Snapshots":{"Snapshot":[]}}"#
        } else {
            br#"{"Code":"Forbidden.RAM","Message":"no","RequestId":"r"}"#
        };
        let response = http::Response::builder()
            .status(status)
            .header("x-acs-request-id", "RID")
            .body(body.to_vec())
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

#[derive(Default)]
struct Recording {
    contexts: Mutex<Vec<HookContext>>,
    statuses: Mutex<Vec<(u16, Option<String>)>>,
}

impl Hook for Recording {
    fn before_sign(&self, ctx: &HookContext, request: &mut http::Request<Vec<u8>>) -> Result<(), HookError> {
        self.contexts.lock().unwrap().push(*ctx);
        request
            .headers_mut()
            .insert("x-acs-cloudsnap-team", http::HeaderValue::from_static("backup"));
        Ok(())
    }
    fn after_response(&self, _ctx: &HookContext, status: u16, headers: &http::HeaderMap) {
        let id = headers
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        self.statuses.lock().unwrap().push((status, id));
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        ..RetryPolicy::default()
    }
}

fn client(config: cloudsnap::client::ClientConfig, t: &Statuses) -> Client {
    // V3 signs `x-acs-*` headers, so a header added by a hook is signed.
    let signer = AliyunV3Signer::new(AliyunCredentials::new("id", "secret"));
    Client::with_transport(config, signer, t.clone()).unwrap()
}

#[tokio::test]
async fn a_hook_adds_a_signed_header_and_observes_each_response() {
    let rec = Arc::new(Recording::default());
    let t = Statuses::new(&[503, 200]);
    let config = Client::config().region("cn-hangzhou").retry(fast()).hook(rec.clone());
    client(config, &t)
        .describe_snapshots(&DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap();

    let seen = t.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    for r in seen.iter() {
        assert_eq!(r.headers()["x-acs-cloudsnap-team"], "backup");
        let auth = r.headers()["authorization"].to_str().unwrap();
        assert!(
            auth.contains("x-acs-cloudsnap-team"),
            "the added header is signed: {auth}"
        );
    }
    let contexts = rec.contexts.lock().unwrap();
    assert_eq!(
        contexts
            .iter()
            .map(|c| (c.service, c.operation, c.attempt))
            .collect::<Vec<_>>(),
        [("ecs", "DescribeSnapshots", 1), ("ecs", "DescribeSnapshots", 2)]
    );
    assert_eq!(
        *rec.statuses.lock().unwrap(),
        [(503, Some("RID".to_owned())), (200, Some("RID".to_owned()))]
    );
}

/// Retries 403 (which the client never retries by itself) and vetoes
/// retrying 503.
struct RetryForbidden(AtomicU32);

impl Hook for RetryForbidden {
    fn retry(&self, _ctx: &HookContext, status: Option<u16>, default: bool) -> bool {
        self.0.fetch_add(1, Ordering::SeqCst);
        match status {
            Some(403) => true,
            Some(503) => false,
            _ => default,
        }
    }
}

#[tokio::test]
async fn a_hook_steers_the_retry_decision_within_the_attempt_limit() {
    let hook = Arc::new(RetryForbidden(AtomicU32::new(0)));
    let t = Statuses::new(&[403]);
    let config = Client::config().region("cn-hangzhou").retry(fast()).hook(hook.clone());
    let err = client(config, &t)
        .describe_snapshots(&DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap_err();
    // Retried up to max_attempts, not forever.
    assert_eq!(t.count() as u32, RetryPolicy::default().max_attempts);
    assert_eq!(err.attempts(), RetryPolicy::default().max_attempts);

    let t = Statuses::new(&[503, 200]);
    let config = Client::config().region("cn-hangzhou").retry(fast()).hook(hook.clone());
    let err = client(config, &t)
        .describe_snapshots(&DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap_err();
    assert_eq!(
        (t.count(), err.status()),
        (1, Some(503)),
        "503 not retried: the hook said no"
    );
}

struct Refuse;

impl Hook for Refuse {
    fn before_sign(&self, _ctx: &HookContext, _request: &mut http::Request<Vec<u8>>) -> Result<(), HookError> {
        Err(HookError("maintenance window".into()))
    }
}

#[tokio::test]
async fn a_hook_can_refuse_a_request_before_anything_is_sent() {
    let t = Statuses::new(&[200]);
    let config = Client::config().region("cn-hangzhou").hook(Refuse);
    let err = client(config, &t)
        .describe_snapshots(&DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Hook { .. }), "{err:?}");
    assert!(cloudsnap::runtime::error_chain(&err).contains("maintenance window"));
    assert_eq!(t.count(), 0);
}
