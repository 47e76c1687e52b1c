//! Broken and hostile responses fed to every operation's real parser
//! (`Operation::parse_response`): each must give the typed output or a typed
//! error that names the operation and, for decode errors, the JSON path.
//! Nothing may panic or overflow the stack, and bodies of tens of megabytes
//! must parse (nothing here is timed).
//!
//! The documented example bodies from `specs/` are the starting point; each
//! case edits one thing in them, so a failure points at exactly one cause.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use cloudsnap::runtime::{ErrorCode, Operation, ResponseError, ServiceError};
use serde_json::{json, Value};

use cloudsnap::aliyun::ecs::DescribeSnapshotsRequest;
use cloudsnap::aliyun::elasticsearch::{GetSnapshotStatusRequest, GetSnapshotsRequest};
use cloudsnap::huawei::cbr::ShowBackupRequest;
use cloudsnap::huawei::css::{CreateSnapshotRequest, ListSnapshotsRequest};
use cloudsnap::zilliz::cloud::{DescribeBackupRequest, ListBackupsRequest};

/// Run `$check::<Op>()` for every generated operation; the list is checked
/// against the specs by `every_operation_is_covered`.
macro_rules! each_operation {
    ($check:ident) => {{
        $check::<DescribeSnapshotsRequest>();
        $check::<GetSnapshotsRequest>();
        $check::<GetSnapshotStatusRequest>();
        $check::<ShowBackupRequest>();
        $check::<CreateSnapshotRequest>();
        $check::<ListSnapshotsRequest>();
        $check::<ListBackupsRequest>();
        $check::<DescribeBackupRequest>();
    }};
}

const COVERED: &[&str] = &[
    "DescribeSnapshots",
    "GetSnapshots",
    "GetSnapshotStatus",
    "ShowBackup",
    "CreateSnapshot",
    "ListSnapshots",
    "ListBackups",
    "DescribeBackup",
];

/// `(operation id, status, body)` of every response example in `specs/`.
fn examples() -> &'static [(String, u16, String)] {
    static EXAMPLES: OnceLock<Vec<(String, u16, String)>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
        let mut out = Vec::new();
        for file in cloudsnap_codegen::spec_files(&[dir]) {
            let g = cloudsnap_codegen::generate_file(&file).unwrap_or_else(|d| panic!("{}: {d:?}", file.display()));
            for op in &g.model.operations {
                for ex in &op.examples {
                    if let Some(r) = &ex.response {
                        out.push((op.id.clone(), r.status, r.body.clone()));
                    }
                }
            }
        }
        out
    })
}

/// The first documented success example of `O`, as a JSON value.
fn example<O: Operation>() -> (u16, Value) {
    let (_, status, body) = examples()
        .iter()
        .find(|(id, status, _)| id == O::INFO.name && (200..300).contains(status))
        .unwrap_or_else(|| panic!("{} has no success example", O::INFO.name));
    (*status, serde_json::from_str(body).expect("examples are valid JSON"))
}

fn response(status: u16, body: impl Into<Vec<u8>>) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.into())
        .expect("valid status")
}

fn parse<O: Operation>(status: u16, body: impl Into<Vec<u8>>) -> Result<O::Output, ResponseError<O::ErrorCode>> {
    O::parse_response(&response(status, body))
}

fn parse_value<O: Operation>(status: u16, body: &Value) -> Result<O::Output, ResponseError<O::ErrorCode>> {
    parse::<O>(status, serde_json::to_vec(body).expect("serializable"))
}

fn ok<O: Operation>(status: u16, body: &Value) -> O::Output
where
    O::Output: std::fmt::Debug,
{
    parse_value::<O>(status, body).unwrap_or_else(|e| panic!("{}: {body} should parse: {e}", O::INFO.name))
}

/// Assert a `Decode` error at `path`, naming the operation and status both in
/// the fields and in the message; return the message.
fn decode_error<O: Operation>(status: u16, body: impl Into<Vec<u8>>, path: &str) -> String
where
    O::Output: std::fmt::Debug,
{
    let err = parse::<O>(status, body).expect_err("must not parse");
    let text = err.to_string();
    match err {
        ResponseError::Decode {
            operation,
            status: s,
            path: p,
            message,
        } => {
            assert_eq!(operation, O::INFO.name);
            assert_eq!(s, status, "{text}");
            assert_eq!(p, path, "{text}");
            assert!(text.starts_with(&format!("{}: ", O::INFO.name)), "{text}");
            assert!(text.contains(&format!("HTTP {status}")), "{text}");
            assert!(text.contains(&format!("`{path}`")), "{text}");
            message
        }
        other => panic!("{}: expected a decode error at {path}, got {other:?}", O::INFO.name),
    }
}

fn decode_error_value<O: Operation>(status: u16, body: &Value, path: &str) -> String
where
    O::Output: std::fmt::Debug,
{
    decode_error::<O>(status, serde_json::to_vec(body).expect("serializable"), path)
}

/// Assert an `UnexpectedStatus` error; return the quoted body start.
fn unexpected_status<O: Operation>(status: u16, body: impl Into<Vec<u8>>) -> String
where
    O::Output: std::fmt::Debug,
{
    match parse::<O>(status, body).expect_err("must not parse") {
        e @ ResponseError::UnexpectedStatus { .. } => {
            let text = e.to_string();
            let ResponseError::UnexpectedStatus {
                operation,
                status: s,
                body_start,
            } = e
            else {
                unreachable!()
            };
            assert_eq!(operation, O::INFO.name);
            assert_eq!(s, status);
            assert!(
                text.starts_with(&format!("{} failed with HTTP {status}", O::INFO.name)),
                "{text}"
            );
            body_start
        }
        other => panic!("{}: expected UnexpectedStatus, got {other:?}", O::INFO.name),
    }
}

fn service_error<O: Operation>(status: u16, body: &Value) -> ServiceError<O::ErrorCode>
where
    O::Output: std::fmt::Debug,
{
    match parse_value::<O>(status, body).expect_err("must not parse") {
        ResponseError::Service(e) => {
            assert_eq!(e.operation, O::INFO.name);
            assert_eq!(e.status, status);
            let text = e.to_string();
            assert!(
                text.starts_with(&format!("{} failed with HTTP {status}: ", O::INFO.name)),
                "{text}"
            );
            e
        }
        other => panic!("{}: expected a service error, got {other:?}", O::INFO.name),
    }
}

/// Replace the value at a JSON pointer.
/// A value that `values` (an enum's `VALUES`) does not list, starting from
/// `candidate`: tests must not depend on which values a spec lists today,
/// so a compatible spec edit that adds `candidate` leaves them green.
fn unlisted(values: &[&str], candidate: &str) -> String {
    let mut v = candidate.to_owned();
    while values.iter().any(|known| known.eq_ignore_ascii_case(&v)) {
        v.push_str("_X");
    }
    v
}

/// A listed value in another case (for case-sensitive enums), if the enum
/// lists one whose upper case is not listed too.
fn in_other_case(values: &[&str]) -> Option<String> {
    values
        .iter()
        .map(|v| v.to_ascii_uppercase())
        .find(|up| !values.contains(&up.as_str()))
}

fn with(mut v: Value, pointer: &str, new: Value) -> Value {
    *v.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = new;
    v
}

/// Remove the member at a JSON pointer.
fn without(mut v: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a member pointer");
    let obj = v.pointer_mut(parent).and_then(Value::as_object_mut).expect("an object");
    assert!(obj.remove(key).is_some(), "no {pointer}");
    v
}

/// Add a member to the object at a JSON pointer.
fn add(mut v: Value, pointer: &str, key: &str, new: Value) -> Value {
    let obj = v
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .expect("an object");
    obj.insert(key.to_owned(), new);
    v
}

/// Where the output lives in a success body (`/data` for Zilliz).
fn root<O: Operation>() -> (&'static str, &'static str) {
    match O::INFO.service.success_envelope {
        cloudsnap::runtime::SuccessEnvelope::Zilliz => ("/data", "data"),
        _ => ("", "."),
    }
}

/// A path below `prefix`, spelled as serde_path_to_error spells it.
fn join(prefix: &str, path: &str) -> String {
    if prefix == "." {
        path.to_owned()
    } else if path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}.{path}")
    }
}

#[test]
fn every_operation_is_covered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let mut in_specs = BTreeSet::new();
    for file in cloudsnap_codegen::spec_files(&[dir]) {
        let g = cloudsnap_codegen::generate_file(&file).expect("valid spec");
        in_specs.extend(g.model.operations.iter().map(|o| o.id.clone()));
    }
    let in_specs: BTreeSet<&str> = in_specs.iter().map(String::as_str).collect();
    let covered: BTreeSet<&str> = COVERED.iter().copied().collect();
    assert_eq!(covered, in_specs, "update each_operation! and COVERED");
    let mut names = Vec::new();
    macro_rules! name {
        ($($op:ty),*) => {$(names.push(<$op as Operation>::INFO.name);)*};
    }
    name!(
        DescribeSnapshotsRequest,
        GetSnapshotsRequest,
        GetSnapshotStatusRequest,
        ShowBackupRequest,
        CreateSnapshotRequest,
        ListSnapshotsRequest,
        ListBackupsRequest,
        DescribeBackupRequest
    );
    assert_eq!(names, COVERED);
}

// ---------------------------------------------------------------------------
// Cases that apply to every operation.

fn documented_example_parses<O: Operation>()
where
    O::Output: std::fmt::Debug,
{
    let (status, body) = example::<O>();
    ok::<O>(status, &body);
}

#[test]
fn documented_examples_parse() {
    each_operation!(documented_example_parses);
}

fn unknown_members_are_ignored<O: Operation>()
where
    O::Output: std::fmt::Debug + PartialEq,
{
    let (status, body) = example::<O>();
    let baseline = ok::<O>(status, &body);
    let (ptr, _) = root::<O>();
    let noisy = add(
        body.clone(),
        ptr,
        "x-new-member",
        json!({"nested": [1, "two", null, {"deeper": [true]}], "n": 1.5e300}),
    );
    let noisy = add(noisy, "", "unrelated_top_level", json!(null));
    assert_eq!(ok::<O>(status, &noisy), baseline, "{}", O::INFO.name);
}

#[test]
fn unknown_members_are_ignored_everywhere() {
    each_operation!(unknown_members_are_ignored);
}

/// Every strict prefix of the example body is a decode error that names the
/// operation (a truncated transfer); none panics.
fn truncated_bodies_fail<O: Operation>()
where
    O::Output: std::fmt::Debug,
{
    let (status, body) = example::<O>();
    let text = serde_json::to_string(&body).expect("serializable");
    for cut in 0..text.len() {
        let prefix = &text.as_bytes()[..cut];
        match parse::<O>(status, prefix.to_vec()) {
            Err(ResponseError::Decode { operation, message, .. }) => {
                assert_eq!(operation, O::INFO.name);
                assert!(
                    message.contains("EOF") || message.contains("expected") || message.contains("missing"),
                    "{}: cut {cut}: {message}",
                    O::INFO.name
                );
            }
            other => panic!("{}: prefix of {cut} bytes: {other:?}", O::INFO.name),
        }
    }
}

#[test]
fn truncated_json_is_a_decode_error() {
    each_operation!(truncated_bodies_fail);
}

const PROXY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn proxy_pages<O: Operation>()
where
    O::Output: std::fmt::Debug,
{
    let m = decode_error::<O>(200, PROXY_PAGE, ".");
    assert!(m.contains("expected value at line 1 column 1"), "{m}");
    let quoted = unexpected_status::<O>(502, PROXY_PAGE);
    assert_eq!(quoted, PROXY_PAGE, "a short page is quoted whole");
    // A long page is quoted up to a limit, never whole.
    let long = format!("<html>{}</html>", "<p>gateway timeout</p>".repeat(10_000));
    let quoted = unexpected_status::<O>(504, long.clone());
    assert!(quoted.len() < 1024 && quoted.ends_with("...") && long.starts_with(quoted.trim_end_matches("...")));
}

#[test]
fn html_from_a_proxy_is_a_typed_error() {
    each_operation!(proxy_pages);
}

fn empty_bodies<O: Operation>()
where
    O::Output: std::fmt::Debug,
{
    let m = decode_error::<O>(200, Vec::new(), ".");
    assert!(m.contains("EOF while parsing a value"), "{m}");
    assert_eq!(unexpected_status::<O>(500, Vec::new()), "(empty body)");
    assert_eq!(unexpected_status::<O>(503, "   \n"), "   \n");
    // A redirect the transport did not follow is not a success either.
    assert_eq!(unexpected_status::<O>(302, Vec::new()), "(empty body)");
}

#[test]
fn empty_bodies_are_typed_errors() {
    each_operation!(empty_bodies);
}

fn non_utf8<O: Operation>()
where
    O::Output: std::fmt::Debug,
{
    // Raw binary: not JSON at all.
    let binary = vec![0xff, 0xfe, 0x00, 0x80, b'{'];
    decode_error::<O>(200, binary.clone(), ".");
    let quoted = unexpected_status::<O>(500, binary);
    assert!(quoted.contains('\u{fffd}'), "lossy quote: {quoted:?}");
    // An invalid UTF-8 sequence inside a string member that the output type
    // ignores is skipped unread (serde_json does not validate what it
    // ignores; no invalid text can reach a `String`).
    let (status, body) = example::<O>();
    let (ptr, _) = root::<O>();
    let marked = add(body, ptr, "zz_binary", json!("MARK"));
    let mut bytes = serde_json::to_vec(&marked).expect("serializable");
    let at = bytes.windows(4).position(|w| w == b"MARK").expect("marker");
    bytes[at..at + 4].copy_from_slice(&[0xc3, 0x28, 0xa0, 0xa1]);
    parse::<O>(status, bytes).expect("ignored bytes are not decoded");
}

/// Invalid UTF-8 inside a typed string member: a decode error at that member.
fn non_utf8_in_typed_member<O: Operation>(pointer: &str, path: &str)
where
    O::Output: std::fmt::Debug,
{
    let (status, body) = example::<O>();
    let marked = with(body, pointer, json!("MARK"));
    let mut bytes = serde_json::to_vec(&marked).expect("serializable");
    let at = bytes.windows(4).position(|w| w == b"MARK").expect("marker");
    bytes[at..at + 4].copy_from_slice(&[b'a', 0xff, 0xfe, b'z']);
    let m = decode_error::<O>(status, bytes, path);
    assert!(m.contains("invalid unicode code point"), "{m}");
}

#[test]
fn non_utf8_in_typed_members_names_the_member() {
    non_utf8_in_typed_member::<ShowBackupRequest>("/backup/children/0/name", "backup.children[0].name");
    non_utf8_in_typed_member::<CreateSnapshotRequest>("/backup/name", "backup.name");
    non_utf8_in_typed_member::<ListSnapshotsRequest>("/backups/0/name", "backups[0].name");
    non_utf8_in_typed_member::<DescribeSnapshotsRequest>(
        "/Snapshots/Snapshot/0/Status",
        "Snapshots.Snapshot[0].Status",
    );
    non_utf8_in_typed_member::<GetSnapshotsRequest>("/snapshots/0/snapshot", "snapshots[0].snapshot");
    non_utf8_in_typed_member::<GetSnapshotStatusRequest>("/snapshots/0/uuid", "snapshots[0].uuid");
    non_utf8_in_typed_member::<ListBackupsRequest>("/data/backups/0/backupName", "data.backups[0].backupName");
    non_utf8_in_typed_member::<DescribeBackupRequest>("/data/clusterName", "data.clusterName");
}

#[test]
fn non_utf8_bodies_are_typed_errors() {
    each_operation!(non_utf8);
}

fn wrong_root_types<O: Operation>()
where
    O::Output: std::fmt::Debug + PartialEq,
{
    let (status, _) = example::<O>();
    let (_, prefix) = root::<O>();
    let envelope = |inner: &str| {
        if prefix == "data" {
            format!("{{\"code\":0,\"data\":{inner}}}")
        } else {
            inner.to_owned()
        }
    };
    for (body, what) in [
        ("\"backup\"", "invalid type: string \"backup\", expected struct"),
        ("42", "invalid type: integer `42`, expected struct"),
        ("-1.5e300", "invalid type: floating point"),
        ("true", "invalid type: boolean `true`, expected struct"),
        ("null", "invalid type: null, expected struct"),
    ] {
        let m = decode_error::<O>(status, envelope(body), prefix);
        assert!(m.contains(what), "{m}");
    }
    // A JSON array is not an object either: generated types read objects
    // only (serde's derive also took an array of the fields in declaration
    // order, which no vendor sends and which would fill fields by accident).
    for body in ["[true, true, true]", "[]", "[{}]"] {
        match parse::<O>(status, envelope(body).into_bytes()) {
            Err(ResponseError::Decode { path, message, .. }) => {
                assert_eq!(path, prefix, "{}: {body}", O::INFO.name);
                assert!(
                    message.contains("invalid type: sequence, expected struct"),
                    "{}: {body}: {message}",
                    O::INFO.name
                );
            }
            other => panic!("{}: {body}: {other:?}", O::INFO.name),
        }
    }
}

#[test]
fn wrong_root_types_are_decode_errors() {
    each_operation!(wrong_root_types);
}

fn trailing_garbage<O: Operation>()
where
    O::Output: std::fmt::Debug,
{
    let (status, body) = example::<O>();
    let mut bytes = serde_json::to_vec(&body).expect("serializable");
    bytes.extend_from_slice(b" {\"second\": \"document\"}");
    let m = decode_error::<O>(status, bytes, ".");
    assert!(m.contains("trailing data"), "{m}");
}

#[test]
fn trailing_data_is_a_decode_error() {
    each_operation!(trailing_garbage);
}

/// JSON nested far beyond serde_json's recursion limit (128), at the root,
/// inside an ignored member, and as an error body: a typed error, never a
/// stack overflow.
fn deep_nesting<O: Operation>()
where
    O::Output: std::fmt::Debug + PartialEq,
{
    let depth = 100_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let (status, _) = example::<O>();
    let (_, prefix) = root::<O>();
    let envelope = |inner: &str| {
        if prefix == "data" {
            format!("{{\"code\":0,\"data\":{inner}}}")
        } else {
            inner.to_owned()
        }
    };
    // A struct accepts an array of its fields (see `wrong_root_types`), so
    // the error is at the first element, whose type does not match.
    let err = parse::<O>(status, envelope(&deep).into_bytes()).expect_err("must not parse");
    let text = err.to_string();
    match err {
        ResponseError::Decode { operation, path, .. } => {
            assert_eq!(operation, O::INFO.name);
            assert!(path.starts_with(&join(prefix, "[0]")) || path == prefix, "{text}");
        }
        other => panic!("{other:?}"),
    }
    // Inside a member the output type ignores, serde_json skips the value
    // iteratively: no recursion, so it parses like the plain example.
    let (status, body) = example::<O>();
    let baseline = ok::<O>(status, &body);
    let (ptr, _) = root::<O>();
    let text = serde_json::to_string(&add(body.clone(), ptr, "ignored", json!("DEEP"))).expect("serializable");
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    for nested in [&deep, &objects] {
        let out = parse::<O>(status, text.replacen("\"DEEP\"", nested, 1).into_bytes()).expect("skipped");
        assert_eq!(out, baseline);
    }
    let quoted = unexpected_status::<O>(500, deep);
    assert!(quoted.starts_with("[[[[") && quoted.ends_with("..."));
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    each_operation!(deep_nesting);
}

/// Megabytes of JSON in a member the output type ignores (35 MB over the
/// seven operations): parsed, and the output equals the plain example's.
fn huge_ignored_member<O: Operation>()
where
    O::Output: std::fmt::Debug + PartialEq,
{
    let (status, body) = example::<O>();
    let baseline = ok::<O>(status, &body);
    let (ptr, _) = root::<O>();
    let item = r#"{"id":"6df2b54c-dd62-4059-a07c-1b8f24f2725d","size":40,"tags":["a","b"]},"#;
    let n = 5_000_000 / item.len(); // 5 MB per operation, 35 MB in all
    let mut array = String::with_capacity(n * item.len() + 2);
    array.push('[');
    for _ in 0..n {
        array.push_str(item);
    }
    array.pop();
    array.push(']');
    let marker = add(body, ptr, "zz_bulk", json!("BULK"));
    let text = serde_json::to_string(&marker).expect("serializable");
    let huge = text.replacen("\"BULK\"", &array, 1);
    assert!(huge.len() > 4_900_000);
    let out = parse::<O>(status, huge.into_bytes()).expect("parses");
    assert_eq!(out, baseline);
}

#[test]
fn huge_bodies_parse() {
    each_operation!(huge_ignored_member);
}

fn error_envelopes<O: Operation>()
where
    O::Output: std::fmt::Debug,
{
    // A code the operation does not list (common errors included), derived
    // from the model so that a spec documenting it keeps this test green.
    let unlisted = |candidate: &str| {
        let mut code = candidate.to_owned();
        while !format!("{:?}", O::ErrorCode::from_code(&code)).starts_with("Unknown(") {
            code.push('9');
        }
        code
    };
    let body = match O::INFO.service.error_envelope {
        cloudsnap::runtime::ErrorEnvelope::Aliyun => {
            json!({"RequestId": "req-1", "HostId": "ecs.aliyuncs.com", "Code": unlisted("Throttling.Tenant"), "Message": "slow down"})
        }
        cloudsnap::runtime::ErrorEnvelope::Huawei => {
            json!({"error_code": unlisted("CBR.0000"), "error_msg": "slow down", "request_id": "req-1"})
        }
        cloudsnap::runtime::ErrorEnvelope::Zilliz => {
            json!({"code": unlisted("80000").parse::<u64>().unwrap_or(80000), "message": "slow down", "requestId": "req-1"})
        }
        cloudsnap::runtime::ErrorEnvelope::Elasticsearch => {
            json!({"error": {"type": unlisted("throttled"), "reason": "slow down"}, "status": 429})
        }
    };
    let e = service_error::<O>(429, &body);
    assert_eq!(e.message.as_deref(), Some("slow down"));
    assert_eq!(
        e.code.as_str(),
        e.raw_code,
        "an undocumented code arrives as Unknown with its text"
    );
    assert!(format!("{:?}", e.code).starts_with("Unknown("), "{:?}", e.code);
    // An error body that is not the vendor's envelope keeps the status.
    let quoted = unexpected_status::<O>(404, br#"{"detail": "not here"}"#.to_vec());
    assert!(quoted.contains("not here"));
}

#[test]
fn error_envelopes_are_service_errors() {
    each_operation!(error_envelopes);
}

// ---------------------------------------------------------------------------
// Huawei CBR ShowBackup.

type Cbr = ShowBackupRequest;

#[test]
fn cbr_unknown_enum_values_are_kept() {
    use cloudsnap::huawei::cbr::{BackupStatus, ImageType, ResourceType, SupportedRestoreMode};
    let status_value = unlisted(BackupStatus::VALUES, "frozen");
    let resource = unlisted(ResourceType::VALUES, "OS::Nova::Future");
    let upper = in_other_case(BackupStatus::VALUES).expect("a lower-case status");
    let mode = unlisted(SupportedRestoreMode::VALUES, "teleport");
    let (status, body) = example::<Cbr>();
    let body = with(body, "/backup/status", json!(status_value));
    let body = with(body, "/backup/resource_type", json!(resource));
    let body = with(body, "/backup/image_type", json!(""));
    let body = with(body, "/backup/children/0/status", json!(upper));
    let body = with(body, "/backup/extend_info/supported_restore_mode", json!(mode));
    let out = ok::<Cbr>(status, &body);
    let b = &out.backup;
    assert_eq!(b.status, Some(BackupStatus::Unknown(status_value)));
    assert_eq!(b.resource_type, Some(ResourceType::Unknown(resource)));
    assert_eq!(b.image_type, Some(ImageType::Unknown(String::new())));
    let children = b.children.as_ref().expect("children");
    assert_eq!(
        children[0].status,
        Some(BackupStatus::Unknown(upper)),
        "case-sensitive enum"
    );
    let info = b.extend_info.as_ref().expect("extend_info");
    assert_eq!(info.supported_restore_mode, Some(SupportedRestoreMode::Unknown(mode)));
}

#[test]
fn cbr_unknown_nested_members_are_ignored() {
    let (status, body) = example::<Cbr>();
    let baseline = ok::<Cbr>(status, &body);
    let noisy = add(body, "/backup/children/0", "new_field", json!({"x": [1, 2]}));
    let noisy = add(noisy, "/backup/extend_info", "future", json!(null));
    assert_eq!(ok::<Cbr>(status, &noisy), baseline);
}

#[test]
fn cbr_nulls() {
    let (status, body) = example::<Cbr>();
    for pointer in [
        "/backup/name",
        "/backup/children",
        "/backup/extend_info",
        "/backup/resource_size",
        "/backup/status",
        "/backup/children/0/extend_info/progress",
    ] {
        ok::<Cbr>(status, &with(body.clone(), pointer, Value::Null));
    }
    let out = ok::<Cbr>(status, &with(body.clone(), "/backup/children", Value::Null));
    assert_eq!(out.backup.children, None);
    for (pointer, path) in [
        ("/backup", "backup"),
        ("/backup/id", "backup.id"),
        ("/backup/children/0/id", "backup.children[0].id"),
    ] {
        let m = decode_error_value::<Cbr>(status, &with(body.clone(), pointer, Value::Null), path);
        assert!(m.contains("invalid type: null"), "{m}");
    }
}

/// `children` is the one recursive type: nested past serde_json's recursion
/// limit it is a decode error at the deepest path reached, not a crash.
#[test]
fn cbr_children_nested_past_the_recursion_limit() {
    let (status, _) = example::<Cbr>();
    let nest = |depth: usize| {
        let mut s = String::from("{\"backup\":");
        for i in 0..depth {
            s.push_str(&format!("{{\"id\":\"b{i}\",\"children\":["));
        }
        s.push_str(&"]}".repeat(depth));
        s.push('}');
        s
    };
    // Each level is an object and an array: 62 levels fit in the limit of 128.
    let out = parse::<Cbr>(status, nest(62)).expect("within the limit");
    assert_eq!(out.backup.id, "b0");
    let depth = 50_000;
    let err = parse::<Cbr>(status, nest(depth)).expect_err("too deep");
    let text = err.to_string();
    match err {
        ResponseError::Decode {
            operation,
            path,
            message,
            ..
        } => {
            assert_eq!(operation, "ShowBackup");
            assert!(path.starts_with("backup.children[0].children[0]."), "{text}");
            assert!(message.contains("recursion limit exceeded"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cbr_missing_required_members() {
    let (status, body) = example::<Cbr>();
    let m = decode_error_value::<Cbr>(status, &without(body.clone(), "/backup"), ".");
    assert!(m.contains("missing field `backup`"), "{m}");
    let m = decode_error_value::<Cbr>(status, &without(body.clone(), "/backup/id"), "backup");
    assert!(m.contains("missing field `id`"), "{m}");
    let m = decode_error_value::<Cbr>(status, &without(body, "/backup/children/0/id"), "backup.children[0]");
    assert!(m.contains("missing field `id`"), "{m}");
}

#[test]
fn cbr_wrong_types_name_the_path() {
    let (status, body) = example::<Cbr>();
    for (pointer, value, path, expected) in [
        // The spec documents no string-for-number tolerance for CBR.
        (
            "/backup/children/0/resource_size",
            json!("40"),
            "backup.children[0].resource_size",
            "expected i64",
        ),
        (
            "/backup/enterprise_project_id",
            json!(0),
            "backup.enterprise_project_id",
            "expected a string",
        ),
        (
            "/backup/extend_info/bootable",
            json!("true"),
            "backup.extend_info.bootable",
            "expected a boolean",
        ),
        (
            "/backup/status",
            json!(1),
            "backup.status",
            "invalid type: integer `1`, expected a string",
        ),
        ("/backup/children", json!({}), "backup.children", "expected a sequence"),
        (
            "/backup/resource_size",
            json!(1.5),
            "backup.resource_size",
            "invalid type: floating point",
        ),
        (
            "/backup/resource_size",
            json!(18446744073709551615u64),
            "backup.resource_size",
            "expected i64",
        ),
    ] {
        let m = decode_error_value::<Cbr>(status, &with(body.clone(), pointer, value), path);
        assert!(m.contains(expected), "{path}: {m}");
    }
}

// ---------------------------------------------------------------------------
// Huawei CSS CreateSnapshot.

type Css = CreateSnapshotRequest;

#[test]
fn css_documented_string_times_arrive_as_numbers() {
    // Table 4 types startTime/endTime as String, the example sends numbers;
    // the spec keeps the example's integer and marks both `lenient`, so the
    // table's string form reads as the same value, and a string that holds
    // no integer is a decode error naming the member.
    let (status, body) = example::<Css>();
    let out = ok::<Css>(status, &body);
    assert_eq!(out.backup.start_time, Some(1533009767542));
    let as_string = ok::<Css>(status, &with(body.clone(), "/backup/startTime", json!("1533009767542")));
    assert_eq!(as_string, out);
    let m = decode_error_value::<Css>(
        status,
        &with(body.clone(), "/backup/startTime", json!("2018-07-31")),
        "backup.startTime",
    );
    assert!(
        m.contains("invalid value: string \"2018-07-31\", expected an integer, or a string holding one"),
        "{m}"
    );
    let m = decode_error_value::<Css>(status, &with(body, "/backup/endTime", json!(0.5)), "backup.endTime");
    assert!(m.contains("expected an integer"), "{m}");
}

#[test]
fn css_enum_values() {
    use cloudsnap::huawei::css::BackupType;
    let (status, body) = example::<Css>();
    let unknown = unlisted(BackupType::VALUES, "2");
    let out = ok::<Css>(status, &with(body.clone(), "/backup/backupType", json!(unknown)));
    assert_eq!(out.backup.backup_type, Some(BackupType::Unknown(unknown)));
    // "0"/"1" are strings on the wire; a bare number is not documented.
    let m = decode_error_value::<Css>(
        status,
        &with(body.clone(), "/backup/backupType", json!(1)),
        "backup.backupType",
    );
    assert!(m.contains("expected a string"), "{m}");
    let out = ok::<Css>(status, &with(body.clone(), "/backup/updated", Value::Null));
    assert_eq!(out.backup.updated, None);
    let out = ok::<Css>(status, &with(body.clone(), "/backup/datastore", Value::Null));
    assert_eq!(out.backup.datastore, None);
    let m = decode_error_value::<Css>(status, &without(body.clone(), "/backup/id"), "backup");
    assert!(m.contains("missing field `id`"), "{m}");
    let m = decode_error_value::<Css>(
        status,
        &with(body, "/backup/datastore/type", json!(["x"])),
        "backup.datastore.type",
    );
    assert!(m.contains("invalid type: sequence, expected a string"), "{m}");
}

// ---------------------------------------------------------------------------
// Alibaba ECS DescribeSnapshots.

type Ecs = DescribeSnapshotsRequest;

#[test]
fn ecs_enums_open_and_case_insensitive() {
    use cloudsnap::aliyun::ecs::{SnapshotCategory, SnapshotStatus, SourceDiskType};
    let mystery = unlisted(SnapshotStatus::VALUES, "Mystery");
    let (status, body) = example::<Ecs>();
    let body = with(body, "/Snapshots/Snapshot/0/Status", json!(mystery));
    let body = with(body, "/Snapshots/Snapshot/0/SourceDiskType", json!("DATA"));
    let body = with(body, "/Snapshots/Snapshot/0/Category", json!("STANDARD"));
    let out = ok::<Ecs>(status, &body);
    let snap = &out.snapshots.as_ref().expect("snapshots")[0];
    assert_eq!(snap.status, Some(SnapshotStatus::Unknown(mystery)));
    assert_eq!(
        snap.source_disk_type,
        Some(SourceDiskType::Data),
        "documented as case-insensitive"
    );
    assert_eq!(
        snap.category,
        Some(SnapshotCategory::Standard),
        "case-insensitive per errata"
    );
}

#[test]
fn ecs_list_wrappers() {
    let (status, body) = example::<Ecs>();
    let out = ok::<Ecs>(status, &with(body.clone(), "/Snapshots", Value::Null));
    assert_eq!(out.snapshots, None);
    let out = ok::<Ecs>(status, &with(body.clone(), "/Snapshots", json!({})));
    assert_eq!(
        out.snapshots,
        Some(Vec::new()),
        "a wrapper without its key is an empty list"
    );
    let out = ok::<Ecs>(status, &with(body.clone(), "/Snapshots/Snapshot", Value::Null));
    assert_eq!(
        out.snapshots,
        Some(Vec::new()),
        "a null list inside a wrapper is an empty list"
    );
    let noisy = add(body.clone(), "/Snapshots", "Marker", json!({"x": 1}));
    assert_eq!(ok::<Ecs>(status, &noisy), ok::<Ecs>(status, &body));
    // The bare array the response table suggests is not what the wire sends.
    let bare = body["Snapshots"]["Snapshot"].clone();
    let m = decode_error_value::<Ecs>(status, &with(body.clone(), "/Snapshots", bare), "Snapshots");
    assert!(m.contains("invalid type: sequence"), "{m}");
    let m = decode_error_value::<Ecs>(
        status,
        &with(body, "/Snapshots/Snapshot", json!("x")),
        "Snapshots.Snapshot",
    );
    assert!(m.contains("expected a sequence"), "{m}");
}

#[test]
fn ecs_paths_go_through_wrappers() {
    let (status, body) = example::<Ecs>();
    let m = decode_error_value::<Ecs>(
        status,
        &with(body.clone(), "/Snapshots/Snapshot/0/SnapshotId", Value::Null),
        "Snapshots.Snapshot[0].SnapshotId",
    );
    assert!(m.contains("invalid type: null"), "{m}");
    let m = decode_error_value::<Ecs>(
        status,
        &with(body.clone(), "/Snapshots/Snapshot/0/Tags/Tag/0/TagKey", json!({})),
        "Snapshots.Snapshot[0].Tags.Tag[0].TagKey",
    );
    assert!(m.contains("expected a string, number or boolean"), "{m}");
    // ECS reads scalars as Alibaba's Tea runtime does (`lenient_scalars`):
    // a number where the document says String, and the reverse, parse ...
    let out = ok::<Ecs>(
        status,
        &with(body.clone(), "/Snapshots/Snapshot/0/SourceDiskSize", json!(2000)),
    );
    let snapshots = out.snapshots.expect("snapshots");
    assert_eq!(snapshots[0].source_disk_size.as_deref(), Some("2000"));
    let out = ok::<Ecs>(status, &with(body.clone(), "/TotalCount", json!("1")));
    assert_eq!(out.total_count, Some(1));
    // ... and a string that holds no number is still a located decode error.
    let m = decode_error_value::<Ecs>(status, &with(body.clone(), "/TotalCount", json!("one")), "TotalCount");
    assert!(m.contains("expected an integer, or a string holding one"), "{m}");
    let m = decode_error_value::<Ecs>(status, &without(body, "/RequestId"), ".");
    assert!(m.contains("missing field `RequestId`"), "{m}");
}

#[test]
fn ecs_huge_list_parses() {
    let (status, body) = example::<Ecs>();
    let one = body["Snapshots"]["Snapshot"][0].clone();
    let n = 25_000;
    let many = with(body, "/Snapshots/Snapshot", Value::Array(vec![one; n]));
    let bytes = serde_json::to_vec(&many).expect("serializable");
    assert!(bytes.len() > 20_000_000, "{} bytes", bytes.len());
    let out = parse::<Ecs>(status, bytes).expect("parses");
    assert_eq!(out.snapshots.map(|s| s.len()), Some(n));
    // A type error at the very end still names its exact position.
    let (status, body) = example::<Ecs>();
    let one = body["Snapshots"]["Snapshot"][0].clone();
    let mut items = vec![one; 5_000];
    items[4_999]["RetentionDays"] = json!("forever");
    let bad = with(body, "/Snapshots/Snapshot", Value::Array(items));
    decode_error_value::<Ecs>(status, &bad, "Snapshots.Snapshot[4999].RetentionDays");
}

// ---------------------------------------------------------------------------
// Alibaba Elasticsearch GetSnapshots / GetSnapshotStatus.

#[test]
fn es_get_snapshots() {
    use cloudsnap::aliyun::elasticsearch::SnapshotState;
    type Op = GetSnapshotsRequest;
    let (status, body) = example::<Op>();
    let paused = unlisted(SnapshotState::VALUES, "PAUSED");
    let out = ok::<Op>(status, &with(body.clone(), "/snapshots/0/state", json!(paused)));
    assert_eq!(
        out.snapshots.expect("snapshots")[0].state,
        Some(SnapshotState::Unknown(paused))
    );
    let m = decode_error_value::<Op>(status, &without(body.clone(), "/snapshots/0/snapshot"), "snapshots[0]");
    assert!(m.contains("missing field `snapshot`"), "{m}");
    let failures = json!([{"index": "logs", "shard_id": "3", "reason": null}]);
    let m = decode_error_value::<Op>(
        status,
        &with(body.clone(), "/snapshots/0/failures", failures),
        "snapshots[0].failures[0].shard_id",
    );
    assert!(m.contains("expected i64"), "{m}");
    let failures = json!([{"index": "logs", "shard_id": 3, "reason": null, "extra": {}}]);
    let out = ok::<Op>(status, &with(body.clone(), "/snapshots/0/failures", failures));
    assert_eq!(
        out.snapshots.expect("snapshots")[0].failures.as_ref().map(Vec::len),
        Some(1)
    );
    let m = decode_error_value::<Op>(
        status,
        &with(body, "/snapshots/0/indices", json!("a,b")),
        "snapshots[0].indices",
    );
    assert!(m.contains("expected a sequence"), "{m}");
}

#[test]
fn es_get_snapshot_status_maps() {
    use cloudsnap::aliyun::elasticsearch::ShardSnapshotStage;
    type Op = GetSnapshotStatusRequest;
    let (status, body) = example::<Op>();
    let index = body["snapshots"][0]["indices"]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .expect("an index");
    let stage = format!("/snapshots/0/indices/{index}/shards/0/stage");
    let copying = unlisted(ShardSnapshotStage::VALUES, "COPYING");
    let out = ok::<Op>(status, &with(body.clone(), &stage, json!(copying)));
    let snap = &out.snapshots.expect("snapshots")[0];
    let shards = snap.indices.as_ref().expect("indices")[&index]
        .shards
        .as_ref()
        .expect("shards");
    assert_eq!(shards["0"].stage, Some(ShardSnapshotStage::Unknown(copying)));
    let m = decode_error_value::<Op>(
        status,
        &with(body.clone(), &stage, json!(4)),
        &format!("snapshots[0].indices.{index}.shards.0.stage"),
    );
    assert!(m.contains("expected a string"), "{m}");
    // A map member that is not an object is an error at that key.
    let m = decode_error_value::<Op>(
        status,
        &with(body, &format!("/snapshots/0/indices/{index}/shards"), json!({"1": 7})),
        &format!("snapshots[0].indices.{index}.shards.1"),
    );
    assert!(m.contains("invalid type: integer `7`"), "{m}");
}

// ---------------------------------------------------------------------------
// Zilliz ListBackups / DescribeBackup.

#[test]
fn zilliz_code_with_http_200_is_a_service_error() {
    fn check<O: Operation>()
    where
        O::Output: std::fmt::Debug,
    {
        let e = service_error::<O>(
            200,
            &json!({"code": 80020, "message": "cluster not exist", "requestId": "r-9"}),
        );
        assert_eq!(e.raw_code, "80020");
        assert_eq!(e.message.as_deref(), Some("cluster not exist"));
        assert_eq!(e.request_id.as_deref(), Some("r-9"));
        assert!(e.to_string().contains("cluster not exist (request id r-9)"), "{e}");
        // A string code (undocumented, but seen from gateways) must not hide
        // the message behind a decode error.
        let e = service_error::<O>(200, &json!({"code": "90001", "message": "bad key"}));
        assert_eq!((e.raw_code.as_str(), e.message.as_deref()), ("90001", Some("bad key")));
        // A non-zero code with a body that is no error envelope.
        let body = json!({"code": {"nested": true}, "data": {}});
        match parse_value::<O>(200, &body) {
            Err(ResponseError::UnexpectedStatus {
                status: 200, operation, ..
            }) => assert_eq!(operation, O::INFO.name),
            other => panic!("{other:?}"),
        }
        // code 0 without data, or with null data.
        let m = decode_error_value::<O>(200, &json!({"code": 0}), "data");
        assert!(m.contains("invalid type: null"), "{m}");
        decode_error_value::<O>(200, &json!({"code": 0, "data": null}), "data");
        // The request id header is used when the body has none.
        let r = http::Response::builder()
            .status(200)
            .header("x-request-id", "hdr-1")
            .body(br#"{"code":1,"message":"m"}"#.to_vec())
            .expect("response");
        match O::parse_response(&r) {
            Err(ResponseError::Service(e)) => assert_eq!(e.request_id.as_deref(), Some("hdr-1")),
            other => panic!("{other:?}"),
        }
    }
    check::<ListBackupsRequest>();
    check::<DescribeBackupRequest>();
}

#[test]
fn zilliz_data_paths_and_enums() {
    use cloudsnap::zilliz::cloud::{BackupStatus, CreationMethod};
    type Op = ListBackupsRequest;
    let (status, body) = example::<Op>();
    let deleting = unlisted(BackupStatus::VALUES, "DELETING");
    let lower = CreationMethod::VALUES
        .iter()
        .map(|v| v.to_ascii_lowercase())
        .find(|low| !CreationMethod::VALUES.contains(&low.as_str()))
        .expect("an upper-case creation method");
    let body2 = with(body.clone(), "/data/backups/0/status", json!(deleting));
    let body2 = with(body2, "/data/backups/0/creationMethod", json!(lower));
    let out = ok::<Op>(status, &body2);
    let b = &out.backups.expect("backups")[0];
    assert_eq!(b.status, Some(BackupStatus::Unknown(deleting)));
    assert_eq!(
        b.creation_method,
        Some(CreationMethod::Unknown(lower)),
        "case-sensitive"
    );
    let m = decode_error_value::<Op>(
        status,
        &without(body.clone(), "/data/backups/0/backupId"),
        "data.backups[0]",
    );
    assert!(m.contains("missing field `backupId`"), "{m}");
    let m = decode_error_value::<Op>(status, &with(body.clone(), "/data/count", json!("10")), "data.count");
    assert!(m.contains("expected i64"), "{m}");
    let m = decode_error_value::<Op>(
        status,
        &with(body, "/data/backups/0/size", json!(-0.5)),
        "data.backups[0].size",
    );
    assert!(m.contains("floating point"), "{m}");

    type Describe = DescribeBackupRequest;
    let (status, body) = example::<Describe>();
    let m = decode_error_value::<Describe>(
        status,
        &with(body.clone(), "/data/backupId", Value::Null),
        "data.backupId",
    );
    assert!(m.contains("invalid type: null"), "{m}");
    let out = ok::<Describe>(status, &with(body, "/data/collections", Value::Null));
    assert_eq!(out.collections, None);
}

#[test]
fn error_codes_from_the_document_become_variants() {
    use cloudsnap::aliyun::ecs::DescribeSnapshotsErrorCode;
    let body = json!({"RequestId": "r", "Code": "InvalidTagCount", "Message": "too many"});
    let e = service_error::<Ecs>(400, &body);
    assert_eq!(e.code, DescribeSnapshotsErrorCode::InvalidTagCount);
    assert_eq!(e.code.documented_status(), Some(400));
    assert_eq!(e.request_id.as_deref(), Some("r"));
    // Code as a number, message missing: still a service error.
    let e = service_error::<Ecs>(500, &json!({"Code": 500}));
    assert_eq!((e.raw_code.as_str(), e.message), ("500", None));
}

/// Not a test but a rerunnable measurement (nothing is asserted on time):
/// parse time of an ECS list of 2,500 to 40,000 snapshots, each size as a
/// ratio to the smallest. Linear parsing gives ratios near 2, 4, 8, 16.
///
/// `cargo test --release --test hostile_responses -- --ignored --nocapture scaling`
#[test]
#[ignore = "a measurement; run it by hand"]
fn scaling() {
    let (status, body) = example::<Ecs>();
    let one = body["Snapshots"]["Snapshot"][0].clone();
    let mut baseline = None;
    for n in [2_500usize, 5_000, 10_000, 20_000, 40_000] {
        let bytes = serde_json::to_vec(&with(
            body.clone(),
            "/Snapshots/Snapshot",
            Value::Array(vec![one.clone(); n]),
        ))
        .expect("serializable");
        let best = (0..5)
            .map(|_| {
                let start = std::time::Instant::now();
                parse::<Ecs>(status, bytes.clone()).expect("parses");
                start.elapsed()
            })
            .min()
            .expect("five runs");
        let base = *baseline.get_or_insert(best);
        println!(
            "{n:>6} snapshots, {:>5.1} MB: best of 5 {:>8.1} ms, {:>5.2}x the smallest",
            bytes.len() as f64 / 1e6,
            best.as_secs_f64() * 1e3,
            best.as_secs_f64() / base.as_secs_f64()
        );
    }
}
