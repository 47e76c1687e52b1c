//! Property tests of the generated operations (proptest):
//!
//! - any status, headers and body bytes, and any JSON spliced into the
//!   documented example bodies, fed to every operation's `parse_response`,
//!   give a result and never panic; a non-success status is never `Ok`, and
//!   every error names its operation;
//! - any strings as request parameters never panic `build_request`; the URI
//!   parses, every path parameter is exactly one segment that decodes back to
//!   the value, and every string query value decodes back to the value.

use std::sync::OnceLock;

use cloudsnap::runtime::{BuildError, Operation, ResponseError};
use proptest::prelude::*;
use serde_json::Value;

use cloudsnap::aliyun::ecs::DescribeSnapshotsRequest;
use cloudsnap::aliyun::elasticsearch::{GetSnapshotStatusRequest, GetSnapshotsRequest};
use cloudsnap::huawei::cbr::ShowBackupRequest;
use cloudsnap::huawei::css::CreateSnapshotRequest;
use cloudsnap::zilliz::cloud::{DescribeBackupRequest, ListBackupsRequest};

/// What a parse came to, reduced to what the properties check.
#[derive(Debug)]
enum Outcome {
    Ok,
    Err { operation: &'static str, text: String },
}

type Parser = fn(&http::Response<Vec<u8>>) -> Outcome;

fn parse<O: Operation>(response: &http::Response<Vec<u8>>) -> Outcome {
    match O::parse_response(response) {
        Ok(_) => Outcome::Ok,
        Err(e) => {
            let text = e.to_string();
            let operation = match e {
                ResponseError::Service(s) => s.operation,
                ResponseError::UnexpectedStatus { operation, .. } | ResponseError::Decode { operation, .. } => {
                    operation
                }
                _ => "",
            };
            Outcome::Err { operation, text }
        }
    }
}

/// Every operation (the list is checked against the specs in
/// `tests/hostile_responses.rs` and `fuzz/tests/replay.rs`).
const OPERATIONS: &[(&str, Parser)] = &[
    ("DescribeSnapshots", parse::<DescribeSnapshotsRequest>),
    ("GetSnapshots", parse::<GetSnapshotsRequest>),
    ("GetSnapshotStatus", parse::<GetSnapshotStatusRequest>),
    ("ShowBackup", parse::<ShowBackupRequest>),
    ("CreateSnapshot", parse::<CreateSnapshotRequest>),
    ("ListBackups", parse::<ListBackupsRequest>),
    ("DescribeBackup", parse::<DescribeBackupRequest>),
];

/// The documented success example body of each operation in `OPERATIONS`.
fn examples() -> &'static [Value] {
    static EXAMPLES: OnceLock<Vec<Value>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
        let mut found = Vec::new();
        for file in cloudsnap_codegen::spec_files(&[dir]) {
            let g = cloudsnap_codegen::generate_file(&file).expect("valid spec");
            for op in &g.model.operations {
                let body = op.examples.iter().filter_map(|e| e.response.as_ref()).next();
                if let Some(r) = body {
                    found.push((
                        op.id.clone(),
                        serde_json::from_str::<Value>(&r.body).expect("JSON example"),
                    ));
                }
            }
        }
        OPERATIONS
            .iter()
            .map(|(name, _)| {
                found
                    .iter()
                    .find(|(id, _)| id == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| panic!("no example for {name}"))
            })
            .collect()
    })
}

fn check(op: usize, response: &http::Response<Vec<u8>>) -> Result<(), TestCaseError> {
    let (name, parser) = OPERATIONS[op];
    match parser(response) {
        Outcome::Ok => prop_assert!(response.status().is_success(), "{name}: Ok for {}", response.status()),
        Outcome::Err { operation, text } => {
            prop_assert_eq!(operation, name);
            prop_assert!(text.starts_with(name), "{}", text);
        }
    }
    Ok(())
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![Just(200u16), Just(201), 100u16..=999]
}

/// Header values as bytes HTTP allows (visible ASCII, tab, obs-text).
fn headers() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    let name = prop::sample::select(vec![
        "x-request-id",
        "x-acs-request-id",
        "x-opaque-id",
        "content-type",
        "content-length",
        "x-other",
    ]);
    let value = prop::collection::vec(prop_oneof![32u8..=126, 128u8..=255, Just(b'\t')], 0..40);
    prop::collection::vec((name, value), 0..4)
}

fn response(status: u16, headers: &[(&'static str, Vec<u8>)], body: Vec<u8>) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        if let Ok(v) = http::HeaderValue::from_bytes(value) {
            builder = builder.header(*name, v);
        }
    }
    builder.body(body).expect("valid status and headers")
}

/// Arbitrary JSON, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "AVAILABLE",
            "SUCCESS",
            "0",
            "1",
            "standard",
            "OS::Nova::Server",
            ""
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// JSON pointers of every node of `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                pointers(child, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(
        op in 0..OPERATIONS.len(),
        status in status(),
        headers in headers(),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        check(op, &response(status, &headers, body))?;
    }

    /// Prefixes, suffixes and byte flips of the real example bodies get past
    /// the first byte far more often than random bytes.
    #[test]
    fn damaged_examples_never_panic(
        op in 0..OPERATIONS.len(),
        status in status(),
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let mut body = serde_json::to_vec(&examples()[op]).expect("serializable");
        for (at, byte) in flips {
            let i = at.index(body.len());
            body[i] = byte;
        }
        body.truncate(cut.index(body.len() + 1));
        check(op, &response(status, &[], body))?;
    }

    /// Any JSON value in place of any node of a documented example: a typed
    /// result, and a decode error's path is a real place in that body.
    #[test]
    fn spliced_json_never_panics(
        op in 0..OPERATIONS.len(),
        at in any::<prop::sample::Index>(),
        value in json(),
    ) {
        let mut body = examples()[op].clone();
        let mut all = Vec::new();
        pointers(&body, String::new(), &mut all);
        let pointer = at.get(&all).clone();
        if let Some(node) = body.pointer_mut(&pointer) {
            *node = value;
        }
        let status = if OPERATIONS[op].0 == "CreateSnapshot" { 201 } else { 200 };
        check(op, &response(status, &[], serde_json::to_vec(&body).expect("serializable")))?;
    }
}

// ---------------------------------------------------------------------------
// Requests.

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}

/// Build and check the URI: `template` segments (with `{}` for parameters)
/// against the path, each parameter decoding back to its value, and each
/// `(name, value)` present in the query.
fn check_request<O: Operation>(
    request: &O,
    template: &[&str],
    params: &[&str],
    query: &[(&str, &str)],
) -> Result<(), TestCaseError> {
    let built = match request.build_request() {
        Ok(b) => b,
        // Refusals are typed and name a parameter (or the URI's length).
        Err(BuildError::Validation(e)) => {
            prop_assert!(e.to_string().contains(e.parameter));
            return Ok(());
        }
        Err(BuildError::PathParameter { parameter, .. }) => {
            prop_assert!(params.iter().any(|p| matches!(*p, "" | "." | "..")), "{}", parameter);
            return Ok(());
        }
        Err(other) => return Err(TestCaseError::fail(format!("{}: {other}", O::INFO.name))),
    };
    let uri: http::Uri = built
        .uri()
        .to_string()
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let segments: Vec<&str> = uri.path().split('/').skip(1).collect();
    prop_assert_eq!(segments.len(), template.len(), "{}", uri);
    let mut next = params.iter();
    for (seg, want) in segments.iter().zip(template) {
        if *want == "{}" {
            let value = next.next().expect("a value per placeholder");
            prop_assert_eq!(&decode(seg), value);
        } else {
            prop_assert_eq!(seg, want);
        }
    }
    let pairs: Vec<(String, String)> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    for (name, value) in query {
        prop_assert!(
            pairs.iter().any(|(k, v)| k == name && v == value),
            "{} = {:?} missing from {}",
            name,
            value,
            uri
        );
    }
    Ok(())
}

/// Any string, with hostile texts mixed in more often than chance would.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "[./%?#&=a-z\\\\ \r\n]{0,8}",
        1 => prop::sample::select(vec!["", ".", "..", "../../admin", "%2e%2e", "a/b", "x?y#z", "\u{202e}", "\0"])
            .prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn path_parameters_are_one_segment(a in text(), b in text()) {
        check_request(&ShowBackupRequest::new(a.as_str(), b.as_str()), &["v3", "{}", "backups", "{}"], &[&a, &b], &[])?;
        check_request(&GetSnapshotsRequest::new(a.as_str()), &["_snapshot", "{}", "_all"], &[&a], &[])?;
        check_request(
            &GetSnapshotStatusRequest::new(a.as_str(), b.as_str()),
            &["_snapshot", "{}", "{}", "_status"],
            &[&a, &b],
            &[],
        )?;
        check_request(
            &DescribeBackupRequest::new(a.as_str(), b.as_str()),
            &["v2", "clusters", "{}", "backups", "{}"],
            &[&a, &b],
            &[],
        )?;
        check_request(
            &CreateSnapshotRequest::new(a.as_str(), b.as_str(), "snap").with_description(a.as_str()),
            &["v1.0", "{}", "clusters", "{}", "index_snapshot"],
            &[&a, &b],
            &[],
        )?;
    }

    #[test]
    fn query_values_decode_back(a in text(), b in text(), n in any::<i64>()) {
        check_request(
            &DescribeSnapshotsRequest::new().with_region_id(a.as_str()).with_disk_id(b.as_str()).with_page_number(n),
            &[""],
            &[],
            &[("RegionId", &a), ("DiskId", &b), ("Action", "DescribeSnapshots")],
        )?;
        check_request(
            &ListBackupsRequest::new().with_project_id(a.as_str()).with_start_time(b.as_str()).with_page_size(n),
            &["v2", "backups"],
            &[],
            &[("projectId", &a), ("startTime", &b)],
        )?;
    }

    #[test]
    fn css_body_round_trips(name in text(), description in text(), indices in text()) {
        let r = CreateSnapshotRequest::new("p", "c", name.as_str())
            .with_description(description.as_str())
            .with_indices(indices.as_str());
        match r.build_request() {
            Ok(built) => {
                let v: Value = serde_json::from_slice(built.body()).expect("JSON body");
                prop_assert_eq!(v["name"].as_str(), Some(name.as_str()));
                prop_assert_eq!(v["description"].as_str(), Some(description.as_str()));
                prop_assert_eq!(v["indices"].as_str(), Some(indices.as_str()));
                prop_assert_eq!(v.as_object().map(|o| o.len()), Some(3));
            }
            Err(BuildError::Validation(e)) => {
                prop_assert!(["name", "description", "indices"].contains(&e.parameter));
            }
            Err(other) => return Err(TestCaseError::fail(other.to_string())),
        }
    }
}
