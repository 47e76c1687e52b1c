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
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as HyperBody;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use cloudsnap_runtime::{AuthScheme, ErrorEnvelope};

use crate::auth::AuthContext;
use crate::credentials::{scheme_name, TestCredentials};
use crate::envelope::{self, Kind, Problem};
use crate::incoming::Incoming;
use crate::service::Service;
use crate::{check, examples, MockError, MockResponse, RecordedRequest};

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
    /// Largest accepted body, in bytes.
    pub body_limit: usize,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            credentials: TestCredentials::default(),
            max_clock_skew: Duration::from_secs(15 * 60),
            log: false,
            body_limit: 8 * 1024 * 1024,
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
}

/// What the serving task shares with the handle.
struct State {
    service: Service,
    options: MockOptions,
    scripted: Mutex<HashMap<usize, VecDeque<MockResponse>>>,
    log: Mutex<Vec<RecordedRequest>>,
    counter: AtomicU64,
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
            options,
            scripted: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
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

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.log).clone()
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
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: back off briefly.
                        if state.options.log {
                            eprintln!("[{}] accept failed: {e}", state.service.name());
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let state = Arc::clone(&state);
                let service = service_fn(move |request| handle(Arc::clone(&state), request));
                let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                connections.spawn(async move {
                    // A client that goes away mid-request is not the server's problem.
                    let _ = connection.await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(GRACE, graceful.shutdown()).await;
    // Dropping `connections` aborts whatever is still running.
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
    let limit = state.options.body_limit;
    let (bytes, body_problem) = match Limited::new(body, limit).collect().await {
        Ok(collected) => (collected.to_bytes().to_vec(), None),
        Err(e) => (
            Vec::new(),
            Some(Problem::new(
                Kind::InvalidParameter,
                format!("the body could not be read (limit {limit} bytes): {e}"),
            )),
        ),
    };
    let inc = Incoming::new(&parts, bytes);
    let ctx = AuthContext {
        credentials: &state.options.credentials,
        now: SystemTime::now(),
        max_skew: state.options.max_clock_skew,
    };
    let mut verdict = check::check(&state.service, &inc, &ctx);
    verdict.problems.extend(body_problem);
    let number = state.counter.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = format!("cloudsnap-mock-{number:06}");
    let reply = reply(&state, verdict.operation, &verdict.problems, &inc, &request_id);

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
    lock(&state.log).push(RecordedRequest {
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
        body: inc.body.clone(),
        auth_scheme: verdict.scheme.map(|s| scheme_name(s).to_owned()),
        problems,
        status: reply.status,
        scripted: reply.scripted,
    });
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    Ok(to_response(reply))
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
            let answer = examples::choose(&service.model.operations[op], envelope, inc);
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
