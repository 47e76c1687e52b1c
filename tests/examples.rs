//! Every example in every spec, as a test of the generated code.
//!
//! `build.rs` turns each example into a `#[test]` (see
//! `cloudsnap_codegen::emit::tests`) that calls one of the two checks below.

use std::collections::BTreeMap;

use cloudsnap::runtime::{Operation, SuccessEnvelope};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

include!(concat!(env!("OUT_DIR"), "/example_tests.rs"));

/// Build the request from the example's parameters and compare it with the
/// documented method, path, full query, listed headers and body.
pub fn check_request<R: Operation + DeserializeOwned>(
    origin: &str,
    params: &str,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: Option<&str>,
) {
    let request: R =
        serde_json::from_str(params).unwrap_or_else(|e| panic!("{origin}: params do not fit the request type: {e}"));
    let http = request
        .build_request()
        .unwrap_or_else(|e| panic!("{origin}: cannot build: {e}"));
    assert_eq!(http.method().as_str(), method, "{origin}: method");
    assert_eq!(http.uri().path(), path, "{origin}: path");

    let mut actual: Vec<(String, String)> = http
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    let mut expected: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    actual.sort();
    expected.sort();
    assert_eq!(actual, expected, "{origin}: query");

    for (name, value) in headers {
        let got = http.headers().get(*name).map(|v| v.to_str().unwrap_or("<not text>"));
        assert_eq!(got, Some(*value), "{origin}: header {name}");
    }
    match body {
        Some(text) => {
            let want: Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{origin}: expected body is not JSON: {e}"));
            let got: Value =
                serde_json::from_slice(http.body()).unwrap_or_else(|e| panic!("{origin}: built body is not JSON: {e}"));
            assert_eq!(got, want, "{origin}: body");
        }
        None => assert!(http.body().is_empty(), "{origin}: unexpected body"),
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Parse the example body through the operation's real response parser, then
/// serialize the output and compare it with the body as a JSON value. A
/// `null` member may come back absent (an `Option::None` is not serialized);
/// nothing else may differ, so every field in an example must be in the spec.
pub fn check_response<R: Operation>(origin: &str, status: u16, body: &str)
where
    R::Output: Serialize,
{
    let response = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap_or_else(|e| panic!("{origin}: invalid example status: {e}"));
    let output = R::parse_response(&response).unwrap_or_else(|e| panic!("{origin}: does not parse: {e}"));
    let mut expected: Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{origin}: example is not JSON: {e}"));
    if R::INFO.service.success_envelope == SuccessEnvelope::Zilliz {
        expected = expected.get("data").cloned().unwrap_or(Value::Null);
    }
    let expected = without_nulls(expected);
    let actual = serde_json::to_value(&output).unwrap_or_else(|e| panic!("{origin}: cannot serialize: {e}"));
    assert_eq!(sorted(&actual), sorted(&expected), "{origin}: round trip");
}

/// Drop object members whose value is `null`, recursively.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// A key-sorted rendering, so a failure diff is readable whatever the map order.
fn sorted(v: &Value) -> String {
    fn canon(v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let sorted: BTreeMap<_, _> = map.iter().map(|(k, v)| (k.clone(), canon(v))).collect();
                Value::Object(sorted.into_iter().collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(canon).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string_pretty(&canon(v)).unwrap_or_default()
}
