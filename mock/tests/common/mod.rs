//! Helpers shared by the mock's integration tests: spec paths, sending a
//! request over real TCP with reqwest, and a table from operation ids to
//! the generated request types.

#![allow(dead_code)] // each test binary uses a different subset

pub mod e2e;

use std::marker::PhantomData;
use std::path::PathBuf;

use cloudsnap::auth::{Signer, SigningContext};
use cloudsnap::runtime::{Operation, ResponseError};
use cloudsnap_mock::MockServer;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The five shipped specs.
pub const SPECS: [&str; 5] = [
    "aliyun-ecs.yaml",
    "aliyun-elasticsearch.yaml",
    "huawei-cbr.yaml",
    "huawei-css.yaml",
    "zilliz-cloud.yaml",
];

/// Path of a shipped spec.
pub fn spec(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs").join(name)
}

/// Start a server for a shipped spec.
pub async fn start(name: &str) -> MockServer {
    MockServer::start(spec(name))
        .await
        .unwrap_or_else(|e| panic!("cannot start the mock for {name}: {e}"))
}

/// Start a server for a shipped spec that serves examples verbatim
/// (paging parameters are not honoured), for tests that compare answers
/// with the documented examples.
pub async fn start_verbatim(name: &str) -> MockServer {
    MockServer::start_with(spec(name), cloudsnap_mock::MockOptions::default().with_paging(false))
        .await
        .unwrap_or_else(|e| panic!("cannot start the mock for {name}: {e}"))
}

/// What came back.
#[derive(Debug)]
pub struct Sent {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Sent {
    /// The body as JSON (panics with the body if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// As an `http::Response`, for `parse_response`.
    pub fn response(&self) -> http::Response<Vec<u8>> {
        let mut r = http::Response::new(self.body.clone());
        *r.status_mut() = http::StatusCode::from_u16(self.status).expect("valid status");
        *r.headers_mut() = self.headers.clone();
        r
    }

    /// The body as text, for assertion messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Make an origin-form request absolute against the server.
pub fn absolute(server: &MockServer, request: http::Request<Vec<u8>>) -> http::Request<Vec<u8>> {
    let (mut parts, body) = request.into_parts();
    parts.uri = format!("{}{}", server.url(), parts.uri).parse().expect("absolute URI");
    http::Request::from_parts(parts, body)
}

/// Make `request` absolute, sign it, and send it.
pub async fn send_signed(
    server: &MockServer,
    request: http::Request<Vec<u8>>,
    signer: &dyn Signer,
    ctx: &SigningContext,
) -> Sent {
    let mut request = absolute(server, request);
    signer.sign(&mut request, ctx).expect("signing works");
    send(request).await
}

/// A client that never goes through a proxy (the tests talk to 127.0.0.1).
pub fn client() -> reqwest::Client {
    // The workspace's reqwest has rustls without a built-in provider.
    cloudsnap::client::ensure_crypto_provider().expect("a rustls provider");
    reqwest::Client::builder().no_proxy().build().expect("client builds")
}

/// Send an absolute request as it is.
pub async fn send(request: http::Request<Vec<u8>>) -> Sent {
    let request = reqwest::Request::try_from(request).expect("reqwest accepts the request");
    let response = client().execute(request).await.expect("the mock answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body arrives").to_vec();
    Sent { status, headers, body }
}

/// Rewrite the decoded query of a request (origin-form or absolute).
pub fn edit_query(
    request: http::Request<Vec<u8>>,
    edit: impl FnOnce(&mut Vec<(String, String)>),
) -> http::Request<Vec<u8>> {
    let (mut parts, body) = request.into_parts();
    let mut query: Vec<(String, String)> = parts
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    edit(&mut query);
    let encoded: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", cloudsnap::runtime::encode(k), cloudsnap::runtime::encode(v)))
        .collect();
    // Keep scheme and host when the request is already absolute.
    let origin = match (parts.uri.scheme_str(), parts.uri.authority()) {
        (Some(scheme), Some(authority)) => format!("{scheme}://{authority}"),
        _ => String::new(),
    };
    let uri = if encoded.is_empty() {
        format!("{origin}{}", parts.uri.path())
    } else {
        format!("{origin}{}?{}", parts.uri.path(), encoded.join("&"))
    };
    parts.uri = uri.parse().expect("valid URI");
    http::Request::from_parts(parts, body)
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The error a generated `parse_response` reported, in a comparable form.
#[derive(Debug, PartialEq, Eq)]
pub struct ServiceFailure {
    pub status: u16,
    pub raw_code: String,
    pub message: Option<String>,
}

/// One operation's generated request type, behind a uniform interface.
pub trait Driver {
    /// Build the request from an example's `params` (by wire name).
    fn build(&self, params: &Value) -> http::Request<Vec<u8>>;
    /// Parse a response with the generated parser: `Ok` for success output,
    /// the service error otherwise (panics on any other kind of failure).
    fn parse(&self, response: &http::Response<Vec<u8>>) -> Result<(), ServiceFailure>;
}

struct Typed<R>(PhantomData<R>);

impl<R: Operation + DeserializeOwned> Driver for Typed<R> {
    fn build(&self, params: &Value) -> http::Request<Vec<u8>> {
        let request: R = serde_json::from_value(params.clone())
            .unwrap_or_else(|e| panic!("{}: params do not fit: {e}", R::INFO.name));
        request
            .build_request()
            .unwrap_or_else(|e| panic!("{}: cannot build: {e}", R::INFO.name))
    }

    fn parse(&self, response: &http::Response<Vec<u8>>) -> Result<(), ServiceFailure> {
        match R::parse_response(response) {
            Ok(_) => Ok(()),
            Err(ResponseError::Service(e)) => Err(ServiceFailure {
                status: e.status,
                raw_code: e.raw_code,
                message: e.message,
            }),
            Err(other) => panic!("{}: not a service error: {other}", R::INFO.name),
        }
    }
}

fn typed<R: Operation + DeserializeOwned + 'static>() -> Box<dyn Driver> {
    Box::new(Typed::<R>(PhantomData))
}

/// The generated request type of `operation` in service `vendor.id`.
pub fn driver(service: &str, operation: &str) -> Option<Box<dyn Driver>> {
    use cloudsnap::{aliyun, huawei, zilliz};
    Some(match (service, operation) {
        ("aliyun.ecs", "DescribeSnapshots") => typed::<aliyun::ecs::DescribeSnapshotsRequest>(),
        ("aliyun.elasticsearch", "GetSnapshots") => typed::<aliyun::elasticsearch::GetSnapshotsRequest>(),
        ("aliyun.elasticsearch", "GetSnapshotStatus") => typed::<aliyun::elasticsearch::GetSnapshotStatusRequest>(),
        ("huawei.cbr", "ShowBackup") => typed::<huawei::cbr::ShowBackupRequest>(),
        ("huawei.css", "CreateSnapshot") => typed::<huawei::css::CreateSnapshotRequest>(),
        ("huawei.css", "ListSnapshots") => typed::<huawei::css::ListSnapshotsRequest>(),
        ("zilliz.cloud", "ListBackups") => typed::<zilliz::cloud::ListBackupsRequest>(),
        ("zilliz.cloud", "DescribeBackup") => typed::<zilliz::cloud::DescribeBackupRequest>(),
        _ => return None,
    })
}
