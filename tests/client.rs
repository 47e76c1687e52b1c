//! The client over a scripted in-memory transport: signing, endpoint joining,
//! retries and backoff, timeouts, and pagination. Real TCP is covered by the
//! end-to-end tests against the mock server (`mock/tests/`) and, for the
//! reqwest transport's size limit, at the bottom of this file.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudsnap::auth::{AliyunCredentials, ApiKey, HuaweiAkSkCredentials};
use cloudsnap::client::{
    BoxFuture, Error, Limits, PageLimit, ReqwestTransport, RetryPolicy, StreamExt, Transport, TransportError,
    TransportErrorKind, TryStreamExt,
};
use cloudsnap::runtime::ResponseError;
use cloudsnap::{aliyun::ecs, huawei::css, zilliz::cloud};

/// What the scripted transport does for one request.
enum Step {
    Respond(u16, Vec<(&'static str, &'static str)>, String),
    Fail(TransportErrorKind),
    Hang,
}

fn ok(body: serde_json::Value) -> Step {
    Step::Respond(200, vec![("content-type", "application/json")], body.to_string())
}

/// Records every request and answers from a script.
#[derive(Clone, Default)]
struct Scripted {
    steps: Arc<Mutex<VecDeque<Step>>>,
    seen: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
}

impl Scripted {
    fn new(steps: Vec<Step>) -> Self {
        Scripted {
            steps: Arc::new(Mutex::new(steps.into())),
            seen: Arc::default(),
        }
    }

    fn requests(&self) -> Vec<http::Request<Vec<u8>>> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

impl Transport for Scripted {
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        _limits: Limits,
    ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
        self.seen.lock().unwrap().push(request);
        let step = self.steps.lock().unwrap().pop_front().expect("the script ran out");
        Box::pin(async move {
            match step {
                Step::Respond(status, headers, body) => {
                    let mut b = http::Response::builder().status(status);
                    for (k, v) in headers {
                        b = b.header(k, v);
                    }
                    Ok(b.body(body.into_bytes()).unwrap())
                }
                Step::Fail(kind) => Err(TransportError::new(kind, "scripted failure")),
                Step::Hang => {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    unreachable!("the client's timeout fires first")
                }
            }
        })
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(100),
        ..RetryPolicy::default()
    }
}

fn ecs_client(t: &Scripted) -> ecs::Client {
    let config = ecs::Client::config().region("cn-hangzhou").retry(fast_retries());
    let signer = cloudsnap::auth::AliyunRpcSigner::new(AliyunCredentials::new("id", "secret"));
    ecs::Client::with_transport(config, signer, t.clone()).unwrap()
}

fn zilliz_client(t: &Scripted) -> cloud::Client {
    let config = cloud::Client::config().retry(fast_retries());
    cloud::Client::with_transport(config, cloudsnap::auth::BearerSigner::new(ApiKey::new("k")), t.clone()).unwrap()
}

fn css_client(t: &Scripted, retry: RetryPolicy) -> css::Client {
    let config = css::Client::config().region("cn-north-4").retry(retry);
    let signer = cloudsnap::auth::HuaweiAkSkSigner::new(HuaweiAkSkCredentials::new("ak", "sk"));
    css::Client::with_transport(config, signer, t.clone()).unwrap()
}

fn snapshots_page(ids: &[&str], next: Option<&str>) -> serde_json::Value {
    let snaps: Vec<_> = ids.iter().map(|id| serde_json::json!({ "SnapshotId": id })).collect();
    let mut page = serde_json::json!({ "RequestId": "r", "Snapshots": { "Snapshot": snaps } });
    if let Some(token) = next {
        page["NextToken"] = token.into();
    }
    page
}

fn query_value(request: &http::Request<Vec<u8>>, name: &str) -> Option<String> {
    let query = request.uri().query()?;
    url_pairs(query).find(|(k, _)| k == name).map(|(_, v)| v)
}

fn url_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
        Some((decode(k), decode(v)))
    })
}

#[tokio::test(start_paused = true)]
async fn requests_go_to_the_regional_endpoint_signed_with_a_user_agent() {
    let t = Scripted::new(vec![ok(snapshots_page(&["s-1"], None))]);
    let out = ecs_client(&t)
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap();
    assert_eq!(out.snapshots.unwrap()[0].snapshot_id, "s-1");
    let [request] = t.requests().try_into().unwrap();
    assert_eq!(request.uri().host(), Some("ecs.cn-hangzhou.aliyuncs.com"));
    assert_eq!(request.uri().scheme_str(), Some("https"));
    assert_eq!(query_value(&request, "Action").as_deref(), Some("DescribeSnapshots"));
    assert_eq!(query_value(&request, "AccessKeyId").as_deref(), Some("id"));
    assert!(query_value(&request, "Signature").is_some());
    let agent = request.headers()["user-agent"].to_str().unwrap();
    assert!(
        agent.starts_with("cloudsnap/") && agent.contains("aliyun/ecs"),
        "{agent}"
    );
}

#[tokio::test(start_paused = true)]
async fn idempotent_calls_retry_on_503_and_re_sign_each_attempt() {
    let t = Scripted::new(vec![
        Step::Respond(503, vec![], "<html>busy</html>".into()),
        Step::Respond(503, vec![("retry-after", "1")], "<html>busy</html>".into()),
        ok(snapshots_page(&["s-1"], None)),
    ]);
    let started = tokio::time::Instant::now();
    ecs_client(&t)
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap();
    let requests = t.requests();
    assert_eq!(requests.len(), 3);
    let nonces: Vec<_> = requests.iter().map(|r| query_value(r, "SignatureNonce")).collect();
    assert!(nonces[0] != nonces[1] && nonces[1] != nonces[2], "{nonces:?}");
    // First wait: jittered up to 100 ms; second: Retry-After's 1 s.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited <= Duration::from_millis(1100),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn throttling_codes_are_retried_but_other_client_errors_are_not() {
    let throttled =
        r#"{"RequestId":"r","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
    let t = Scripted::new(vec![
        Step::Respond(400, vec![], throttled.into()),
        ok(snapshots_page(&[], None)),
    ]);
    ecs_client(&t)
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap();
    assert_eq!(t.requests().len(), 2);

    let invalid = r#"{"RequestId":"r2","Code":"InvalidRegionId.NotFound","Message":"no such region"}"#;
    let t = Scripted::new(vec![Step::Respond(404, vec![], invalid.into())]);
    let err = ecs_client(&t)
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new().with_region_id("nowhere"))
        .await
        .unwrap_err();
    assert_eq!(t.requests().len(), 1);
    let service = err.service_error().expect("a service error");
    assert_eq!(service.raw_code, "InvalidRegionId.NotFound");
    assert_eq!(service.request_id.as_deref(), Some("r2"));
    assert_eq!(err.status(), Some(404));
}

#[tokio::test(start_paused = true)]
async fn retries_stop_at_max_attempts_and_say_how_many() {
    let busy = || Step::Respond(503, vec![], "busy".into());
    let t = Scripted::new(vec![busy(), busy(), busy()]);
    let err = ecs_client(&t)
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert!(matches!(
        err,
        Error::Response {
            source: ResponseError::UnexpectedStatus { status: 503, .. },
            ..
        }
    ));
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn post_is_not_retried_by_default_but_can_be() {
    let request = css::CreateSnapshotRequest::new("p", "c", "snap1");
    let busy = || Step::Respond(503, vec![], "busy".into());
    let created = || ok(serde_json::json!({ "backup": { "id": "b", "name": "snap1" } }));

    let t = Scripted::new(vec![busy()]);
    let err = css_client(&t, fast_retries())
        .create_snapshot(&request)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);

    let eager = RetryPolicy {
        retry_non_idempotent: true,
        ..fast_retries()
    };
    let t = Scripted::new(vec![busy(), created()]);
    css_client(&t, eager).create_snapshot(&request).await.unwrap();
    assert_eq!(t.requests().len(), 2);

    // A refused connection never reached the server: safe to retry a POST.
    let t = Scripted::new(vec![Step::Fail(TransportErrorKind::Connect), created()]);
    css_client(&t, fast_retries()).create_snapshot(&request).await.unwrap();
    assert_eq!(t.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_distinct_errors_and_are_retried() {
    let t = Scripted::new(vec![Step::Hang, Step::Hang]);
    let config = ecs::Client::config()
        .timeout(Duration::from_secs(2))
        .retry(RetryPolicy {
            max_attempts: 2,
            ..fast_retries()
        });
    let signer = cloudsnap::auth::AliyunRpcSigner::new(AliyunCredentials::new("id", "secret"));
    let client = ecs::Client::with_transport(config, signer, t.clone()).unwrap();
    let err = client
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { attempts: 2, timeout, .. } if timeout == Duration::from_secs(2)),
        "{err:?}"
    );
    assert_eq!(t.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn invalid_requests_are_never_sent() {
    let t = Scripted::new(vec![]);
    let request = css::CreateSnapshotRequest::new("p", "c", "a"); // name needs 4..=64 characters
    let err = css_client(&t, fast_retries())
        .create_snapshot(&request)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Build { .. }), "{err:?}");
    assert_eq!(err.attempts(), 0);
    assert!(t.requests().is_empty());
}

/// A parameter the spec marks `from_client` (ECS's `RegionId`: the
/// client's region) is filled from the client configuration when the
/// request leaves it unset, kept when the request sets it, and refused
/// before sending when the client has no value for it. The parameter and
/// its variable are read from the generated constant.
#[tokio::test(start_paused = true)]
async fn parameters_the_spec_marks_from_client_come_from_the_client_configuration() {
    use cloudsnap::runtime::{FilledIn, Operation};
    let [filled] = <ecs::DescribeSnapshotsRequest as Operation>::CLIENT_FILLED else {
        panic!("DescribeSnapshots fills exactly one parameter from the client");
    };
    assert_eq!(filled.location, FilledIn::Query);
    let t = Scripted::new(vec![ok(snapshots_page(&[], None)), ok(snapshots_page(&[], None))]);
    let config = ecs::Client::config()
        .endpoint_variable(filled.variable, "eu-central-1")
        .retry(fast_retries());
    let signer = cloudsnap::auth::AliyunRpcSigner::new(AliyunCredentials::new("id", "secret"));
    let client = ecs::Client::with_transport(config, signer, t.clone()).unwrap();
    // Unset: the client's value, and it is signed with the rest.
    client
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new())
        .await
        .unwrap();
    // Set: the request's own value wins.
    client
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .unwrap();
    let [unset, set] = t.requests().try_into().unwrap();
    assert_eq!(query_value(&unset, filled.name).as_deref(), Some("eu-central-1"));
    assert!(query_value(&unset, "Signature").is_some());
    assert_eq!(query_value(&set, filled.name).as_deref(), Some("cn-hangzhou"));
    assert_eq!(
        set.uri().query().unwrap().matches(&format!("{}=", filled.name)).count(),
        1,
        "sent once"
    );

    // A client with no such variable (an endpoint override) cannot fill it.
    let t = Scripted::new(vec![]);
    let config = ecs::Client::config().endpoint("https://ecs.example.com");
    let signer = cloudsnap::auth::AliyunRpcSigner::new(AliyunCredentials::new("id", "secret"));
    let client = ecs::Client::with_transport(config, signer, t.clone()).unwrap();
    let err = client
        .describe_snapshots(&ecs::DescribeSnapshotsRequest::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Build { .. }), "{err:?}");
    let chain = cloudsnap::runtime::error_chain(&err);
    assert!(
        chain.contains(filled.name) && chain.contains(filled.variable),
        "{chain}"
    );
    assert!(t.requests().is_empty());
}

#[tokio::test(start_paused = true)]
async fn zilliz_errors_with_http_200_are_typed_and_not_retried() {
    let body = serde_json::json!({ "code": 80001, "message": "Invalid token" });
    let t = Scripted::new(vec![ok(body)]);
    let err = zilliz_client(&t)
        .describe_backup(&cloud::DescribeBackupRequest::new("in01-1", "backup1"))
        .await
        .unwrap_err();
    let service = err.service_error().expect("a service error");
    assert_eq!((service.status, service.raw_code.as_str()), (200, "80001"));
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn token_pages_follow_next_token_until_it_is_absent() {
    let t = Scripted::new(vec![
        ok(snapshots_page(&["s-1", "s-2"], Some("t1"))),
        ok(snapshots_page(&["s-3"], Some("t2"))),
        ok(snapshots_page(&["s-4"], None)),
    ]);
    let client = ecs_client(&t);
    let ids: Vec<String> = client
        .describe_snapshots_items(
            ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"),
            PageLimit::unbounded(),
        )
        .map_ok(|s| s.snapshot_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["s-1", "s-2", "s-3", "s-4"]);
    let tokens: Vec<_> = t.requests().iter().map(|r| query_value(r, "NextToken")).collect();
    assert_eq!(tokens, [None, Some("t1".into()), Some("t2".into())]);
}

#[tokio::test(start_paused = true)]
async fn a_repeated_or_empty_token_ends_the_listing() {
    let t = Scripted::new(vec![
        ok(snapshots_page(&["s-1"], Some("t1"))),
        ok(snapshots_page(&["s-2"], Some("t1"))),
    ]);
    let pages: Vec<_> = ecs_client(&t)
        .describe_snapshots_pages(
            ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"),
            PageLimit::unbounded(),
        )
        .collect()
        .await;
    assert_eq!(pages.len(), 2);

    let t = Scripted::new(vec![ok(snapshots_page(&["s-1"], Some("")))]);
    let pages: Vec<_> = ecs_client(&t)
        .describe_snapshots_pages(
            ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"),
            PageLimit::unbounded(),
        )
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn caller_limits_bound_pages_and_items() {
    let endless = || ok(snapshots_page(&["a", "b", "c"], Some(&fresh_token())));
    let t = Scripted::new((0..5).map(|_| endless()).collect());
    let client = ecs_client(&t);
    let request = || ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou");
    let pages: Vec<_> = client
        .describe_snapshots_pages(request(), PageLimit::pages(2))
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(t.requests().len(), 2);

    let items: Vec<_> = client
        .describe_snapshots_items(request(), PageLimit::items(4))
        .collect()
        .await;
    assert_eq!(items.len(), 4);
    assert_eq!(t.requests().len(), 2, "the limit is reached on the second page");
}

/// A token never handed out before, so a listing never sees a repeat.
fn fresh_token() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("t{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[tokio::test(start_paused = true)]
async fn page_numbers_advance_until_the_total_is_reached() {
    let page = |ids: &[&str]| {
        let backups: Vec<_> = ids.iter().map(|id| serde_json::json!({ "backupId": id })).collect();
        ok(
            serde_json::json!({ "code": 0, "data": { "count": 5, "currentPage": 1, "pageSize": 2, "backups": backups } }),
        )
    };
    let t = Scripted::new(vec![page(&["b1", "b2"]), page(&["b3", "b4"]), page(&["b5"])]);
    let client = zilliz_client(&t);
    let ids: Vec<String> = client
        .list_backups_items(
            cloud::ListBackupsRequest::new().with_page_size(2),
            PageLimit::unbounded(),
        )
        .map_ok(|b| b.backup_id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["b1", "b2", "b3", "b4", "b5"]);
    let pages: Vec<_> = t.requests().iter().map(|r| query_value(r, "currentPage")).collect();
    assert_eq!(pages, [None, Some("2".into()), Some("3".into())]);
}

#[tokio::test(start_paused = true)]
async fn an_empty_page_ends_a_numbered_listing_and_errors_end_the_stream() {
    let empty = ok(serde_json::json!({ "code": 0, "data": { "backups": [] } }));
    let t = Scripted::new(vec![empty]);
    let pages: Vec<_> = zilliz_client(&t)
        .list_backups_pages(cloud::ListBackupsRequest::new(), PageLimit::unbounded())
        .collect()
        .await;
    assert_eq!(pages.len(), 1);

    let t = Scripted::new(vec![Step::Respond(
        401,
        vec![],
        r#"{"code":80001,"message":"bad key"}"#.into(),
    )]);
    let pages: Vec<_> = zilliz_client(&t)
        .list_backups_pages(cloud::ListBackupsRequest::new(), PageLimit::unbounded())
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].is_err());
}

#[test]
fn debug_output_never_shows_credentials() {
    let t = Scripted::new(vec![]);
    let config = ecs::Client::config();
    let signer = cloudsnap::auth::AliyunRpcSigner::new(AliyunCredentials::new("id", "super-secret-value"));
    let client = ecs::Client::with_transport(config, signer, t).unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("super-secret-value"), "{shown}");
    assert!(shown.contains("ecs.aliyuncs.com"), "{shown}");
}

/// A one-shot HTTP server on loopback that answers with `response` bytes.
async fn serve_once(response: Vec<u8>) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let _ = socket.write_all(&response).await;
        let _ = socket.shutdown().await;
    });
    addr
}

#[tokio::test]
async fn the_reqwest_transport_enforces_the_response_size_limit() {
    let limits = Limits {
        timeout: Duration::from_secs(5),
        max_response_bytes: 1000,
    };
    let transport = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
    let get = |addr: std::net::SocketAddr| http::Request::get(format!("http://{addr}/")).body(Vec::new()).unwrap();

    // Declared too large up front.
    let declared = format!("HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n{}", "x".repeat(5000));
    let addr = serve_once(declared.into_bytes()).await;
    let err = transport.send(get(addr), limits).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::BodyTooLarge);

    // Chunked, so only counting while reading catches it.
    let mut chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..10 {
        chunked.extend_from_slice(format!("{:x}\r\n{}\r\n", 300, "y".repeat(300)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let addr = serve_once(chunked).await;
    let err = transport.send(get(addr), limits).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::BodyTooLarge);
    assert!(!err.to_string().contains("127.0.0.1"), "no URI in errors: {err}");

    // Within the limit.
    let addr = serve_once(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()).await;
    let response = transport.send(get(addr), limits).await.unwrap();
    assert_eq!(response.body(), b"{}");
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let transport = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
    let request = http::Request::get(format!("http://{addr}/")).body(Vec::new()).unwrap();
    let limits = Limits {
        timeout: Duration::from_secs(5),
        max_response_bytes: 1000,
    };
    let err = transport.send(request, limits).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
}

/// Like `serve_once`, and hands over the request head it received.
async fn serve_capturing(response: Vec<u8>) -> (std::net::SocketAddr, std::sync::mpsc::Receiver<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (seen, received) = std::sync::mpsc::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let n = socket.read(&mut buf).await.unwrap_or(0);
        let _ = seen.send(String::from_utf8_lossy(&buf[..n]).into_owned());
        let _ = socket.write_all(&response).await;
        let _ = socket.shutdown().await;
    });
    (addr, received)
}

/// A response whose body is `body` with `content-encoding: encoding`.
fn encoded_response(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: {encoding}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn limits(max_response_bytes: usize) -> Limits {
    Limits {
        timeout: Duration::from_secs(5),
        max_response_bytes,
    }
}

fn get(addr: std::net::SocketAddr) -> http::Request<Vec<u8>> {
    http::Request::get(format!("http://{addr}/")).body(Vec::new()).unwrap()
}

#[tokio::test]
async fn gzip_and_deflate_bodies_are_asked_for_and_decoded() {
    let transport = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
    let json = br#"{"code":0,"data":{"count":0,"backups":[]}}"#;
    for (encoding, body) in [("gzip", gzip(json)), ("x-gzip", gzip(json)), ("deflate", zlib(json))] {
        let (addr, seen) = serve_capturing(encoded_response(encoding, &body)).await;
        let response = transport.send(get(addr), limits(1000)).await.unwrap();
        assert_eq!(response.body(), json, "{encoding}");
        assert!(response.headers().get("content-encoding").is_none(), "{encoding}");
        assert!(response.headers().get("content-length").is_none(), "{encoding}");
        let head = seen.recv_timeout(Duration::from_secs(5)).unwrap().to_ascii_lowercase();
        assert!(head.contains("accept-encoding: gzip, deflate\r\n"), "{head}");
    }
    // Raw deflate (no zlib header), as some servers send it.
    let raw = {
        use std::io::Write;
        let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(json).unwrap();
        encoder.finish().unwrap()
    };
    let (addr, _) = serve_capturing(encoded_response("deflate", &raw)).await;
    assert_eq!(transport.send(get(addr), limits(1000)).await.unwrap().body(), json);
    // Two layers, undone last first.
    let (addr, _) = serve_capturing(encoded_response("deflate, gzip", &gzip(&zlib(json)))).await;
    assert_eq!(transport.send(get(addr), limits(1000)).await.unwrap().body(), json);
    // An empty body that claims an encoding (a 204 from some servers).
    let (addr, _) = serve_capturing(encoded_response("gzip", b"")).await;
    assert_eq!(transport.send(get(addr), limits(1000)).await.unwrap().body(), b"");
    // A request that names its own Accept-Encoding keeps it.
    let (addr, seen) = serve_capturing(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()).await;
    let mut request = get(addr);
    request
        .headers_mut()
        .insert("accept-encoding", http::HeaderValue::from_static("identity"));
    transport.send(request, limits(1000)).await.unwrap();
    let head = seen.recv_timeout(Duration::from_secs(5)).unwrap().to_ascii_lowercase();
    assert!(head.contains("accept-encoding: identity\r\n"), "{head}");
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_by_the_decoded_size() {
    let transport = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
    let limit = 64 * 1024;
    // 16 MiB of zeros gzip to a few KiB: well under the limit on the wire.
    let bomb = gzip(&vec![0u8; 16 * 1024 * 1024]);
    assert!(bomb.len() < limit, "{}", bomb.len());
    let (addr, _) = serve_capturing(encoded_response("gzip", &bomb)).await;
    let err = transport.send(get(addr), limits(limit)).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::BodyTooLarge, "{err}");
    assert!(err.to_string().contains("once decoded (gzip)"), "{err}");
    assert!(!err.is_transient());

    // Exactly at the limit once decoded: accepted.
    let (addr, _) = serve_capturing(encoded_response("gzip", &gzip(&vec![b'a'; limit]))).await;
    assert_eq!(
        transport.send(get(addr), limits(limit)).await.unwrap().body().len(),
        limit
    );
}

#[tokio::test]
async fn unsupported_or_broken_encodings_are_named() {
    let transport = ReqwestTransport::new(Duration::from_secs(5)).unwrap();
    let (addr, _) = serve_capturing(encoded_response("zstd", b"(\xb5/\xfd")).await;
    let err = transport.send(get(addr), limits(1000)).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::Encoding);
    assert!(err.to_string().contains("encoded as `zstd`"), "{err}");
    assert!(!err.is_transient(), "retrying does not change the encoding");

    let (addr, _) = serve_capturing(encoded_response("gzip", b"not gzip at all")).await;
    let err = transport.send(get(addr), limits(1000)).await.unwrap_err();
    assert_eq!(err.kind, TransportErrorKind::Encoding);
    assert!(err.to_string().contains("gzip response body does not decode"), "{err}");

    // Through a generated client, the error names the encoding too.
    let (addr, _) = serve_capturing(encoded_response("br", b"\x0b\x02\x80{}\x03")).await;
    let config = cloud::Client::config()
        .endpoint(format!("http://{addr}"))
        .retry(fast_retries());
    let client = cloud::Client::with_api_key(config, ApiKey::new("k")).unwrap();
    let err = client
        .list_backups(&cloud::ListBackupsRequest::new())
        .await
        .unwrap_err();
    let printed = cloudsnap::runtime::error_chain(&err);
    assert!(printed.contains("encoded as `br`"), "{printed}");
    assert_eq!(err.attempts(), 1);
}
