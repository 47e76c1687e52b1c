//! A traced call: the spans and fields the client emits, captured by a
//! small in-test `tracing` layer, and the proof that no secret, signature
//! or security token appears anywhere in what was captured.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudsnap::aliyun::ecs::{Client, DescribeSnapshotsRequest};
use cloudsnap::auth::provider::{BoxFuture as ProviderFuture, CredentialsProvider, Provided, ProviderError};
use cloudsnap::auth::{AliyunCredentials, AliyunRpcSigner, ProviderSigner};
use cloudsnap::client::{BoxFuture, Limits, RetryPolicy, Transport, TransportError};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

const SECRET: &str = "trace-secret-value";
const TOKEN: &str = "trace-security-token";

/// One captured span (name and all fields recorded over its life) or event.
#[derive(Debug, Clone, Default)]
struct Captured {
    name: String,
    fields: Vec<(String, String)>,
    parent: Option<String>,
}

impl Captured {
    fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<(u64, Captured)>>>,
    events: Arc<Mutex<Vec<Captured>>>,
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut c = Captured {
            name: attrs.metadata().name().to_owned(),
            parent: ctx.span(id).and_then(|s| s.parent()).map(|p| p.name().to_owned()),
            ..Captured::default()
        };
        attrs.record(&mut Fields(&mut c.fields));
        self.spans.lock().unwrap().push((id.into_u64(), c));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, c)) = spans.iter_mut().rev().find(|(i, _)| *i == id.into_u64()) {
            values.record(&mut Fields(&mut c.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut c = Captured {
            name: event.metadata().name().to_owned(),
            parent: ctx.event_span(event).map(|s| s.name().to_owned()),
            ..Captured::default()
        };
        event.record(&mut Fields(&mut c.fields));
        self.events.lock().unwrap().push(c);
    }
}

/// Answers 503 (with a request id) once, then a page.
#[derive(Default)]
struct Flaky(Mutex<u32>);

impl Transport for Flaky {
    fn send(
        &self,
        _request: http::Request<Vec<u8>>,
        _limits: Limits,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        let mut n = self.0.lock().unwrap();
        *n += 1;
        let response = if *n == 1 {
            http::Response::builder()
                .status(503)
                .header("x-acs-request-id", "REQ-503")
                .body(br#"{"Code":"ServiceUnavailable","Message":"busy","RequestId":"REQ-503"}"#.to_vec())
        } else {
            http::Response::builder()
                .status(200)
                .header("x-acs-request-id", "REQ-OK")
                .body(br#"{"RequestId":"REQ-OK","TotalCount":0,"Snapshots":{"Snapshot":[]}}"#.to_vec())
        };
        Box::pin(async move { Ok(response.unwrap()) })
    }
}

/// Temporary credentials with a security token, from a named provider.
struct Temporary;

impl CredentialsProvider<AliyunCredentials> for Temporary {
    fn name(&self) -> &'static str {
        "test_temporary"
    }
    fn provide(&self) -> ProviderFuture<'_, Result<Provided<AliyunCredentials>, ProviderError>> {
        Box::pin(async {
            Ok(Provided {
                credentials: AliyunCredentials::new("STS.trace-id", SECRET).with_security_token(TOKEN),
                expiry: None,
                provider: "test_temporary",
            })
        })
    }
}

#[tokio::test]
async fn a_call_has_an_operation_span_and_one_span_per_attempt_without_secrets() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    // Also render everything with the fmt layer, to check the text output.
    let text = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = text.clone();
    let fmt = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || Writer(sink.clone()));
    let _guard = tracing::subscriber::set_default(subscriber.with(fmt));

    let config = Client::config().region("cn-hangzhou").retry(RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        ..RetryPolicy::default()
    });
    let auth = ProviderSigner::new(Arc::new(Temporary), AliyunRpcSigner::new);
    let client = cloudsnap::client::Client::with_authenticator(config, auth, Flaky::default()).unwrap();
    client
        .send(&DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap();

    let spans: Vec<Captured> = capture.spans.lock().unwrap().iter().map(|(_, c)| c.clone()).collect();
    let call: Vec<_> = spans.iter().filter(|s| s.name == "cloudsnap.call").collect();
    assert_eq!(call.len(), 1);
    let call = call[0];
    assert_eq!(call.get("service"), Some("ecs"));
    assert_eq!(call.get("vendor"), Some("aliyun"));
    assert_eq!(call.get("operation"), Some("DescribeSnapshots"));
    assert_eq!(call.get("attempts"), Some("2"));

    let attempts: Vec<_> = spans.iter().filter(|s| s.name == "cloudsnap.attempt").collect();
    assert_eq!(attempts.len(), 2);
    for (i, a) in attempts.iter().enumerate() {
        assert_eq!(a.parent.as_deref(), Some("cloudsnap.call"));
        assert_eq!(a.get("attempt"), Some((i + 1).to_string().as_str()));
        assert_eq!(a.get("http.method"), Some("GET"));
        assert_eq!(a.get("credentials_provider"), Some("test_temporary"));
        assert!(a.get("latency_ms").is_some());
    }
    assert_eq!(attempts[0].get("http.status"), Some("503"));
    assert_eq!(attempts[0].get("request_id"), Some("REQ-503"));
    assert_eq!(
        attempts[0].get("retry_reason"),
        Some("status 503 code ServiceUnavailable")
    );
    assert_eq!(attempts[1].get("http.status"), Some("200"));
    assert_eq!(attempts[1].get("request_id"), Some("REQ-OK"));
    assert_eq!(attempts[1].get("retry_reason"), None);

    let events = capture.events.lock().unwrap().clone();
    let retrying: Vec<_> = events.iter().filter(|e| e.get("message") == Some("retrying")).collect();
    assert_eq!(retrying.len(), 1);
    assert_eq!(retrying[0].parent.as_deref(), Some("cloudsnap.attempt"));
    assert!(retrying[0].get("backoff_ms").is_some());
    assert_eq!(
        events.iter().filter(|e| e.get("message") == Some("response")).count(),
        2
    );

    // Nothing captured, structured or rendered, holds a secret, the token or
    // a signature.
    let mut all = String::new();
    for c in spans.iter().chain(events.iter()) {
        let _ = writeln!(all, "{c:?}");
    }
    all.push_str(&String::from_utf8_lossy(&text.lock().unwrap()));
    assert!(all.contains("cloudsnap.attempt") && all.contains("REQ-OK"), "{all}");
    for leak in [
        SECRET,
        TOKEN,
        "Signature",
        "SignatureNonce",
        "AccessKeyId=",
        "STS.trace-id",
    ] {
        assert!(!all.contains(leak), "{leak} leaked into the trace:\n{all}");
    }
}

#[derive(Clone)]
struct Writer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Writer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
