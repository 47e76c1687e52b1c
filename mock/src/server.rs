//! The server: a tokio task accepting HTTP/1.1 connections on loopback,
//! checking each request and answering it.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming as HyperBody;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

use cloudsnap_runtime::{AuthScheme, ErrorEnvelope};

use crate::auth::AuthContext;
use crate::credentials::{scheme_name, TestCredentials};
use crate::envelope::{self, Kind, Problem};
use crate::incoming::Incoming;
use crate::log::{LogLimits, RequestLog};
use crate::service::Service;
use crate::{check, examples, paging, MockError, MockResponse, RecordedRequest, Script};

/// How long [`MockServer::shutdown`] lets requests in flight finish.
const GRACE: Duration = Duration::from_secs(1);

/// Options for [`MockServer::start_with`].
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Address to listen on; the default `127.0.0.1:0` picks a free port.
    pub addr: SocketAddr,
    /// Credentials the server accepts.
    pub credentials: TestCredentials,
    /// Largest accepted distance between a request's signing time and the
    /// server's clock (15 minutes, as the real services allow).
    pub max_clock_skew: Duration,
    /// Print one line per request and its verdict to stderr.
    pub log: bool,
    /// Largest accepted body, in bytes (8 MiB). A request announcing a
    /// larger `Content-Length` is refused without reading its body; one that
    /// sends more is refused as soon as it passes the limit. Either way the
    /// connection is closed after the answer.
    pub body_limit: usize,
    /// What the request log keeps.
    pub log_limits: LogLimits,
    /// Most connections served at once (256). A connection beyond them is
    /// answered `503 Service Unavailable` with `Retry-After: 1` and
    /// `Connection: close` at once, without reading its request.
    pub max_connections: usize,
    /// Close a connection whose request line and headers have not all
    /// arrived this long after the server started waiting for them (10 s);
    /// this also closes idle keep-alive connections.
    pub header_read_timeout: Duration,
    /// Refuse a request whose body has not all arrived this long after its
    /// headers (30 s), and close its connection.
    pub body_read_timeout: Duration,
    /// Honour the paging parameters of operations the spec declares
    /// pagination for (on by default); off, the example is served verbatim.
    /// See [`MockServer`] for how pages are derived.
    pub paging: bool,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            credentials: TestCredentials::default(),
            max_clock_skew: Duration::from_secs(15 * 60),
            log: false,
            body_limit: 8 * 1024 * 1024,
            log_limits: LogLimits::default(),
            max_connections: 256,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            paging: true,
        }
    }
}

impl MockOptions {
    /// Listen on this port of 127.0.0.1.
    #[must_use]
    pub fn with_port(mut self, port: u16) -> Self {
        self.addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        self
    }

    /// Accept these credentials instead of the published ones.
    #[must_use]
    pub fn with_credentials(mut self, credentials: TestCredentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Log each request and its verdict to stderr.
    #[must_use]
    pub fn with_log(mut self, log: bool) -> Self {
        self.log = log;
        self
    }

    /// Refuse bodies larger than `bytes`.
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Bound the request log with `limits`.
    #[must_use]
    pub fn with_log_limits(mut self, limits: LogLimits) -> Self {
        self.log_limits = limits;
        self
    }

    /// Serve at most `max` connections at once (at least one).
    #[must_use]
    pub fn with_max_connections(mut self, max: usize) -> Self {
        self.max_connections = max.max(1);
        self
    }

    /// Close connections that take longer than `timeout` to send a request
    /// head.
    #[must_use]
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Refuse requests whose body takes longer than `timeout` to arrive.
    #[must_use]
    pub fn with_body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Honour paging parameters (`true`, the default) or serve examples
    /// verbatim.
    #[must_use]
    pub fn with_paging(mut self, paging: bool) -> Self {
        self.paging = paging;
        self
    }
}

/// What the serving task shares with the handle.
struct State {
    service: Service,
    options: MockOptions,
    scripted: Mutex<HashMap<usize, VecDeque<MockResponse>>>,
    log: Mutex<RequestLog>,
    /// Requests received (numbers the request ids).
    counter: AtomicU64,
    /// Requests answered.
    answered: AtomicU64,
    /// Connections refused at the connection cap.
    refused: AtomicU64,
    /// One permit per connection being served.
    connections: Arc<Semaphore>,
}

/// Lock, ignoring poisoning: the guarded data stays consistent because no
/// code panics while holding these locks.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A mock server for one spec, serving on `127.0.0.1:<port>` from a tokio
/// task. Dropping it stops the server; [`MockServer::shutdown`] also waits
/// for the task to end.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("service", &self.state.service.name())
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Load `spec` and serve it on a free port of 127.0.0.1.
    pub async fn start(spec: impl AsRef<Path>) -> Result<MockServer, MockError> {
        MockServer::start_with(spec, MockOptions::default()).await
    }

    /// Load `spec` and serve it with `options`.
    pub async fn start_with(spec: impl AsRef<Path>, options: MockOptions) -> Result<MockServer, MockError> {
        let service = Service::load(spec.as_ref())?;
        let bind_error = |source| MockError::Bind {
            addr: options.addr,
            source,
        };
        let listener = TcpListener::bind(options.addr).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let state = Arc::new(State {
            service,
            connections: Arc::new(Semaphore::new(options.max_connections.max(1))),
            options,
            scripted: Mutex::new(HashMap::new()),
            log: Mutex::new(RequestLog::default()),
            counter: AtomicU64::new(0),
            answered: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        });
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve(listener, Arc::clone(&state), stopped));
        Ok(MockServer {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `vendor.id` of the served spec (`zilliz.cloud`).
    pub fn service_name(&self) -> String {
        self.state.service.name()
    }

    /// The served spec's title.
    pub fn title(&self) -> &str {
        &self.state.service.model.service.title
    }

    /// The authentication schemes the served spec accepts, preferred first.
    pub fn auth_schemes(&self) -> &[AuthScheme] {
        &self.state.service.auth
    }

    /// The operation ids of the served spec, in spec order.
    pub fn operations(&self) -> Vec<String> {
        self.state
            .service
            .model
            .operations
            .iter()
            .map(|o| o.id.clone())
            .collect()
    }

    /// The credentials the server accepts.
    pub fn credentials(&self) -> &TestCredentials {
        &self.state.options.credentials
    }

    /// Serve `response` to the next accepted request for `operation`
    /// (scripted responses are served first in, first out, before the
    /// examples). Requests that fail a check get the error answer and leave
    /// the queue alone.
    ///
    /// # Panics
    ///
    /// If the spec has no operation of that id: a mistake in the test,
    /// reported where it is made. [`MockServer::try_enqueue`] returns it.
    #[track_caller]
    pub fn enqueue(&self, operation: &str, response: MockResponse) {
        if let Err(e) = self.try_enqueue(operation, response) {
            panic!("{e}");
        }
    }

    /// [`MockServer::enqueue`], returning an error for an unknown operation.
    pub fn try_enqueue(&self, operation: &str, response: MockResponse) -> Result<(), MockError> {
        let index = self
            .state
            .service
            .operation_index(operation)
            .ok_or_else(|| MockError::UnknownOperation {
                operation: operation.to_owned(),
                known: self.operations(),
            })?;
        lock(&self.state.scripted).entry(index).or_default().push_back(response);
        Ok(())
    }

    /// Queue the responses `script` gives for this server's operations
    /// (keys naming another service, or an operation this spec does not
    /// have while naming no service, are skipped). Returns the indices in
    /// [`Script::entries`] of the entries applied, followed by those of
    /// [`Script::resources`] numbered after the entries (a resource's
    /// states become responses of its describe operation); an entry that
    /// names this service and an unknown operation or resource is an
    /// error.
    pub fn apply_script(&self, script: &Script) -> Result<Vec<usize>, MockError> {
        let name = self.service_name();
        let mut applied = Vec::new();
        for (i, entry) in script.entries().iter().enumerate() {
            match entry.service.as_deref() {
                Some(service) if service != name => continue,
                Some(_) => {}
                None if self.state.service.operation_index(&entry.operation).is_none() => continue,
                None => {}
            }
            for response in &entry.responses {
                self.try_enqueue(&entry.operation, response.clone())?;
            }
            applied.push(i);
        }
        let model = &self.state.service.model;
        for (j, entry) in script.resources().iter().enumerate() {
            match entry.service.as_deref() {
                Some(service) if service != name => continue,
                Some(_) => {}
                None if !model.resources.iter().any(|r| r.name == entry.resource) => continue,
                None => {}
            }
            let (operation, responses) = crate::script::state_responses(model, entry)?;
            for response in responses {
                self.try_enqueue(&operation, response)?;
            }
            applied.push(script.entries().len() + j);
        }
        Ok(applied)
    }

    /// The requests received so far, in arrival order: the most recent
    /// ones within [`MockOptions::log_limits`] (see
    /// [`MockServer::requests_dropped`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.log).entries()
    }

    /// How many recorded requests were dropped from the log to keep it
    /// within [`MockOptions::log_limits`].
    pub fn requests_dropped(&self) -> u64 {
        lock(&self.state.log).dropped()
    }

    /// The approximate size in bytes of the requests the log holds.
    pub fn log_bytes(&self) -> usize {
        lock(&self.state.log).bytes()
    }

    /// Empty the request log.
    pub fn clear_requests(&self) {
        lock(&self.state.log).clear();
    }

    /// How many requests have been answered (rejected ones included;
    /// connections refused at the cap are not requests).
    pub fn answered(&self) -> u64 {
        self.state.answered.load(Ordering::Relaxed)
    }

    /// How many connections were refused because
    /// [`MockOptions::max_connections`] were open.
    pub fn refused_connections(&self) -> u64 {
        self.state.refused.load(Ordering::Relaxed)
    }

    /// How many connections are being served now.
    pub fn open_connections(&self) -> usize {
        self.state.options.max_connections.max(1) - self.state.connections.available_permits()
    }

    /// Stop accepting connections, let requests in flight finish (for up to
    /// one second), and wait for the serving task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            // The task never panics; a join error can only mean it was cancelled.
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn serve(listener: TcpListener, state: Arc<State>, mut stopped: oneshot::Receiver<()>) {
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    // Refusals are short (one second at most) but bounded too, so a flood
    // beyond the cap costs no more than the cap's worth of tasks.
    let refusals = Arc::new(Semaphore::new(state.options.max_connections.max(1)));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.options.header_read_timeout);
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: back off briefly.
                        if state.options.log {
                            eprintln!("[{}] accept failed: {e}", state.service.name());
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Ok(permit) = Arc::clone(&state.connections).try_acquire_owned() else {
                    state.refused.fetch_add(1, Ordering::Relaxed);
                    if state.options.log {
                        eprintln!(
                            "[{}] connection from {peer} refused: {} connections open (--max-connections)",
                            state.service.name(),
                            state.options.max_connections
                        );
                    }
                    if let Ok(permit) = Arc::clone(&refusals).try_acquire_owned() {
                        connections.spawn(refuse(stream, state.options.max_connections, permit));
                    }
                    continue;
                };
                let state = Arc::clone(&state);
                let service = service_fn(move |request| handle(Arc::clone(&state), request));
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                connections.spawn(async move {
                    // A client that goes away mid-request, or is too slow to
                    // send its headers, is not the server's problem.
                    let _ = connection.await;
                    drop(permit);
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE, graceful.shutdown()).await;
    // Dropping `connections` aborts whatever is still running.
}

/// Answer a connection beyond the cap with a 503 without reading its
/// request, then read (and discard) what it sends for up to a second, so
/// that closing does not reset the connection before the client reads the
/// answer.
async fn refuse(mut stream: TcpStream, max: usize, _permit: OwnedSemaphorePermit) {
    let body = format!("cloudsnap-mock: {max} connections are open, the limit; retry later\n");
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async move {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        let mut left: usize = 64 * 1024;
        while left > 0 {
            match stream.read(&mut sink).await? {
                0 => break,
                n => left = left.saturating_sub(n),
            }
        }
        Ok::<(), std::io::Error>(())
    })
    .await;
}

/// One answer, before it becomes an HTTP response.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Option<Duration>,
    scripted: bool,
}

async fn handle(
    state: Arc<State>,
    request: hyper::Request<HyperBody>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let read = read_body(body, &parts.headers, &state.options).await;
    let body_len = read.len;
    let close = read.problem.is_some();
    let inc = Incoming::new(&parts, read.bytes);
    let ctx = AuthContext {
        credentials: &state.options.credentials,
        now: SystemTime::now(),
        max_skew: state.options.max_clock_skew,
    };
    let mut verdict = check::check(&state.service, &inc, &ctx);
    if let Some(problem) = read.problem {
        // Checks of a body that was not read would only add noise.
        verdict.problems = vec![problem];
    } else if let (Some(op), true) = (verdict.operation, verdict.problems.is_empty() && state.options.paging) {
        // A paging token this listing did not issue is refused, unless a
        // scripted response (with tokens of its own) is waiting.
        let queued = lock(&state.scripted).get(&op).is_some_and(|q| !q.is_empty());
        if !queued {
            if let Err(problem) = paged(
                &state,
                op,
                &inc,
                examples::choose(
                    &state.service.model.operations[op],
                    state.service.model.service.success_envelope,
                    &inc,
                )
                .body,
            ) {
                verdict.problems.push(problem);
            }
        }
    }
    let number = state.counter.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = format!("cloudsnap-mock-{number:06}");
    let mut reply = reply(&state, verdict.operation, &verdict.problems, &inc, &request_id);
    if close {
        // The rest of the body is not read: the connection cannot carry
        // another request.
        reply.status = read.status;
        reply.headers.push(("connection".to_owned(), "close".to_owned()));
    }

    let service = &state.service;
    let operation = verdict.operation.map(|i| service.model.operations[i].id.clone());
    let problems: Vec<String> = verdict.problems.iter().map(|p| p.message.clone()).collect();
    if state.options.log {
        let verdict_text = if problems.is_empty() {
            "accepted".to_owned()
        } else {
            format!("rejected: {}", problems.join("; "))
        };
        eprintln!(
            "[{}] {} {} -> {} {} ({}){}: {verdict_text}",
            service.name(),
            inc.method,
            inc.uri,
            reply.status,
            operation.as_deref().unwrap_or("-"),
            verdict.scheme.map(scheme_name).unwrap_or("no auth"),
            if reply.scripted { ", scripted" } else { "" },
        );
    }
    let kept = inc.body.len().min(state.options.log_limits.max_body_bytes);
    let record = RecordedRequest {
        operation,
        method: inc.method.to_string(),
        uri: inc.uri.clone(),
        path: inc.path.clone(),
        path_params: verdict.path_params.clone(),
        query: inc.query.clone(),
        headers: inc
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: inc.body[..kept].to_vec(),
        body_len,
        auth_scheme: verdict.scheme.map(|s| scheme_name(s).to_owned()),
        problems,
        status: reply.status,
        scripted: reply.scripted,
    };
    drop(inc);
    lock(&state.log).push(record, &state.options.log_limits);
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    state.answered.fetch_add(1, Ordering::Relaxed);
    Ok(to_response(reply))
}

/// A request body as far as it was read.
struct BodyRead {
    /// The bytes (empty when refused).
    bytes: Vec<u8>,
    /// Its length, as far as it is known.
    len: usize,
    /// Why it was refused.
    problem: Option<Problem>,
    /// The status to answer a refused body with: 413 too large, 408 too
    /// slow, 400 broken off.
    status: u16,
}

/// Read a body of at most [`MockOptions::body_limit`] bytes within
/// [`MockOptions::body_read_timeout`]. A body announced larger than the
/// limit is not read at all; one that grows past it, or arrives too slowly,
/// is abandoned and its bytes freed at once.
async fn read_body(mut body: HyperBody, headers: &http::HeaderMap, options: &MockOptions) -> BodyRead {
    let limit = options.body_limit;
    let announced = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let refused = |status: u16, len: usize, message: String| BodyRead {
        bytes: Vec::new(),
        len,
        problem: Some(Problem::new(Kind::InvalidParameter, message)),
        status,
    };
    if let Some(announced) = announced.filter(|&n| n > limit as u64) {
        return refused(
            413,
            usize::try_from(announced).unwrap_or(usize::MAX),
            format!("the body of {announced} bytes exceeds the limit of {limit} bytes"),
        );
    }
    // One allocation of the announced size: freed in one piece, not left
    // behind as fragments of many small chunks.
    let capacity = announced.and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    let read = tokio::time::timeout(options.body_read_timeout, async {
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| (400, format!("the body could not be read: {e}")))?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > limit {
                    return Err((413, format!("the body exceeds the limit of {limit} bytes")));
                }
                bytes.extend_from_slice(&data);
            }
        }
        Ok(())
    })
    .await;
    match read {
        Ok(Ok(())) => BodyRead {
            len: bytes.len(),
            bytes,
            problem: None,
            status: 200,
        },
        Ok(Err((status, message))) => refused(status, bytes.len(), message),
        Err(_) => refused(
            408,
            bytes.len(),
            format!(
                "the body did not arrive within {:?} ({} bytes read)",
                options.body_read_timeout,
                bytes.len()
            ),
        ),
    }
}

fn reply(state: &State, operation: Option<usize>, problems: &[Problem], inc: &Incoming, request_id: &str) -> Reply {
    let service = &state.service;
    let id_header = match service.envelope {
        ErrorEnvelope::Aliyun => "x-acs-request-id",
        _ => "x-request-id",
    };
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        (id_header.to_owned(), request_id.to_owned()),
    ];
    match operation {
        Some(op) if problems.is_empty() => {
            if let Some(r) = lock(&state.scripted).get_mut(&op).and_then(VecDeque::pop_front) {
                return Reply {
                    status: r.status,
                    headers: r.headers,
                    body: r.body,
                    delay: r.delay,
                    scripted: true,
                };
            }
            let envelope = service.model.service.success_envelope;
            let mut answer = examples::choose(&service.model.operations[op], envelope, inc);
            if state.options.paging && (200..300).contains(&answer.status) {
                // Checked in `handle`: a bad token never gets here.
                if let Ok(body) = paged(state, op, inc, std::mem::take(&mut answer.body)) {
                    answer.body = body;
                }
            }
            if answer.body.is_empty() {
                headers.remove(0);
            }
            Reply {
                status: answer.status,
                headers,
                body: answer.body,
                delay: None,
                scripted: false,
            }
        }
        _ => {
            let answer = envelope::answer(service.envelope, problems, request_id);
            if answer.status == 401 && service.envelope == ErrorEnvelope::Elasticsearch {
                // Elasticsearch names the scheme it wants, as HTTP requires for 401.
                headers.push((
                    "www-authenticate".to_owned(),
                    "Basic realm=\"security\" charset=\"UTF-8\"".to_owned(),
                ));
            }
            Reply {
                status: answer.status,
                headers,
                body: answer.body.to_string().into_bytes(),
                delay: None,
                scripted: false,
            }
        }
    }
}

/// `body` (an example answer of operation `op`) as the page `inc` asks
/// for, or unchanged; an error for a token the listing did not issue.
fn paged(state: &State, op: usize, inc: &Incoming, body: Vec<u8>) -> Result<Vec<u8>, Problem> {
    let service = &state.service;
    let envelope = service.model.service.success_envelope;
    let operation = &service.model.operations[op];
    Ok(paging::page(&service.model, operation, envelope, inc, &body)?.unwrap_or(body))
}

fn to_response(reply: Reply) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    // An out-of-range scripted status is a test mistake; answer it as 500
    // rather than dropping the connection.
    *response.status_mut() =
        http::StatusCode::from_u16(reply.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
