//! `cloudsnap call` and `cloudsnap services` as a binary, against the mock
//! server over TCP. Expectations come from the specs (their examples) and
//! the generated tables, not from values written here.

mod common;

use common::{dyn_service, run, scalars, spec_files, Mock};
use serde_json::{json, Map, Value};

/// Each spec's examples that have both a request and a success response.
fn examples(spec: &std::path::Path) -> Vec<(String, Map<String, Value>, Value)> {
    let checked = cloudsnap_codegen::check_file(spec).unwrap_or_else(|d| panic!("{} is valid: {d:?}", spec.display()));
    let mut out = Vec::new();
    for op in &checked.model.operations {
        for ex in &op.examples {
            let (Some(request), Some(response)) = (&ex.request, &ex.response) else {
                continue;
            };
            if !(200..300).contains(&response.status) {
                continue;
            }
            let params: Map<String, Value> = request.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            let body = serde_json::from_str(&response.body).unwrap_or(Value::Null);
            out.push((op.id.clone(), params, body));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_calls_by_wire_and_rust_name_and_prints_the_example_values() {
    let mut calls = 0;
    for spec in spec_files() {
        let service = dyn_service(&spec);
        let mock = Mock::start(&spec, false).await;
        for (operation, params, body) in examples(&spec) {
            let wire = mock
                .run(&[
                    "call",
                    service.feature,
                    &operation,
                    "--params-json",
                    &Value::Object(params.clone()).to_string(),
                    "--json",
                ])
                .await;
            wire.expect(0);
            let output = wire.json();
            // Every value printed is one the example response holds.
            let (mut printed, mut sent) = (Vec::new(), Vec::new());
            scalars(&output, &mut printed);
            scalars(&body, &mut sent);
            assert!(!printed.is_empty() || sent.is_empty(), "{operation}: nothing printed");
            for value in &printed {
                assert!(
                    sent.contains(value),
                    "{operation}: `{value}` is not in the example response {body}"
                );
            }

            // The same call by Rust names, parameters as `--param` where they
            // are strings and in `--params-json` otherwise.
            let op = service.operation(&operation).expect("the operation is in the table");
            let mut args = vec![
                "call".to_owned(),
                service.feature.to_owned(),
                op.rust_name.to_owned(),
                "--json".into(),
            ];
            let mut rest = Map::new();
            for (name, value) in &params {
                let rust = op
                    .param(name)
                    .expect("example parameters are the operation's")
                    .rust_name;
                match value {
                    Value::String(s) if !s.contains(',') => args.extend(["--param".to_owned(), format!("{rust}={s}")]),
                    other => {
                        rest.insert(rust.to_owned(), other.clone());
                    }
                }
            }
            args.extend(["--params-json".to_owned(), Value::Object(rest).to_string()]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let rust = mock.run(&args).await;
            rust.expect(0);
            assert_eq!(rust.json(), output, "{operation}: by Rust names");
            calls += 2;
        }
        assert!(
            mock.server.requests().iter().all(|r| r.accepted()),
            "{}: the mock refused a request",
            spec.display()
        );
        mock.server.shutdown().await;
    }
    assert!(
        calls >= 2 * spec_files().len(),
        "every spec has at least one callable example"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_output_is_the_typed_response() {
    use cloudsnap::runtime::Operation;
    use cloudsnap::zilliz::cloud::DescribeBackupRequest;

    let spec = common::root().join("specs/zilliz-cloud.yaml");
    let (operation, params, body) = examples(&spec)
        .into_iter()
        .find(|(op, ..)| op == DescribeBackupRequest::INFO.name)
        .expect("DescribeBackup has an example");
    let typed = DescribeBackupRequest::parse_response(&http_response(&body)).expect("the example parses");
    let mock = Mock::start(&spec, false).await;
    let run = mock
        .run(&[
            "call",
            "zilliz-cloud",
            &operation,
            "--params-json",
            &Value::Object(params).to_string(),
            "--json",
        ])
        .await;
    run.expect(0);
    assert_eq!(run.json(), serde_json::to_value(&typed).expect("output serializes"));
    // Human output is the same JSON, pretty-printed.
    let pretty = mock
        .run(&[
            "call",
            "zilliz",
            &operation,
            "--params-json",
            &serde_json::to_string(
                &examples(&spec)
                    .into_iter()
                    .find(|(o, ..)| *o == operation)
                    .expect("example")
                    .1,
            )
            .expect("JSON"),
        ])
        .await;
    pretty.expect(0);
    assert!(pretty.stdout.lines().count() > 1, "pretty JSON spans lines");
    assert_eq!(pretty.json(), run.json());
    mock.server.shutdown().await;
}

fn http_response(body: &Value) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(body.to_string().into_bytes())
        .expect("a response")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_operations_and_parameters_are_usage_errors_listing_the_valid_names() {
    let spec = common::root().join("specs/zilliz-cloud.yaml");
    let service = dyn_service(&spec);
    let mock = Mock::start(&spec, true).await;

    let run = mock.run(&["call", service.feature, "NoSuchOperation"]).await;
    run.expect(2);
    for op in service.operations {
        assert!(run.stderr.contains(op.wire_name), "{}", run.stderr);
        assert!(run.stderr.contains(op.rust_name), "{}", run.stderr);
    }

    let op = service
        .operations
        .iter()
        .find(|op| !op.params.is_empty())
        .expect("an operation with parameters");
    let run = mock
        .run(&[
            "call",
            service.feature,
            op.wire_name,
            "--param",
            "no_such_param=1",
            "--json",
        ])
        .await;
    run.expect(2);
    assert!(run.stderr.contains("no_such_param"), "{}", run.stderr);
    for p in op.params {
        assert!(run.stderr.contains(p.wire_name), "{}", run.stderr);
    }
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "usage");
    assert_eq!(error["exit_code"], 2);

    // A missing required parameter names it.
    let required = op.params.iter().find(|p| p.required);
    if let Some(required) = required {
        let run = mock.run(&["call", service.feature, op.rust_name]).await;
        run.expect(2);
        assert!(run.stderr.contains(required.wire_name), "{}", run.stderr);
    }

    // An ill-typed value names the parameter's path.
    let (op, integer) = service
        .operations
        .iter()
        .find_map(|op| {
            op.params
                .iter()
                .find(|p| p.kind == cloudsnap::client::ParamKind::Integer)
                .map(|p| (op, p))
        })
        .expect("a parameter of integer type");
    let mut args = vec!["call".to_owned(), service.feature.to_owned(), op.wire_name.to_owned()];
    for p in op.params.iter().filter(|p| p.required) {
        args.extend(["--param".to_owned(), format!("{}=x", p.wire_name)]);
    }
    args.extend(["--param".to_owned(), format!("{}=not-a-number", integer.rust_name)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = mock.run(&args).await;
    run.expect(2);
    assert!(
        run.stderr.contains(&format!("`{}`", integer.wire_name)),
        "{}",
        run.stderr
    );

    // Unknown service, malformed options: usage errors too; nothing was sent.
    mock.run(&["call", "no-such-service", "x"]).await.expect(2);
    mock.run(&["call", service.feature, op.wire_name, "--param", "novalue"])
        .await
        .expect(2);
    mock.run(&["call", service.feature, op.wire_name, "--params-json", "{not json"])
        .await
        .expect(2);
    mock.run(&["frobnicate"]).await.expect(2);
    assert!(mock.server.requests().is_empty(), "usage errors send nothing");
    mock.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_errors_exit_1_with_the_code_and_missing_credentials_exit_5() {
    let spec = common::root().join("specs/zilliz-cloud.yaml");
    let service = dyn_service(&spec);
    let op = service
        .operations
        .iter()
        .find(|op| op.params.iter().all(|p| !p.required))
        .expect("an operation without required parameters");
    let mock = Mock::start(&spec, true).await;
    // Zilliz reports errors as a non-zero `code` in its envelope.
    mock.server.enqueue(
        op.wire_name,
        cloudsnap_mock::MockResponse::json(200, &json!({"code": 80001, "message": "invalid token"})),
    );
    let run = mock.run(&["call", service.feature, op.wire_name, "--json"]).await;
    run.expect(1);
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "operation");
    assert_eq!(error["code"], "80001");
    assert_eq!(error["service_message"], "invalid token");
    assert!(run.stderr.contains("invalid token"), "{}", run.stderr);

    // Without credentials nothing is sent.
    let before = mock.server.requests().len();
    let endpoint: Vec<(String, String)> = mock
        .env
        .iter()
        .filter(|(k, _)| k.ends_with("_ENDPOINT"))
        .cloned()
        .collect();
    let run = run_with(&["call", service.feature, op.wire_name], &endpoint).await;
    run.expect(5);
    assert!(run.stderr.contains("no credentials"), "{}", run.stderr);
    assert_eq!(mock.server.requests().len(), before);

    // A refused connection is an operation failure.
    let addr = mock.server.addr();
    mock.server.shutdown().await;
    let endpoint = format!("http://{addr}");
    let run = run_with(
        &[
            "call",
            service.feature,
            op.wire_name,
            "--endpoint",
            &endpoint,
            "--request-timeout",
            "2s",
        ],
        &mock.env,
    )
    .await;
    run.expect(1);
}

async fn run_with(args: &[&str], env: &[(String, String)]) -> common::Run {
    run(args, env).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_lists_every_spec_and_its_operations() {
    let run = run(&["services", "--json"], &[]).await;
    run.expect(0);
    let listed = run.json();
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), spec_files().len(), "one entry per spec");
    for spec in spec_files() {
        let service = dyn_service(&spec);
        let entry = listed
            .iter()
            .find(|s| s["service"] == service.feature)
            .unwrap_or_else(|| panic!("{} is listed", service.feature));
        let ops: Vec<&str> = service.operations.iter().map(|op| op.wire_name).collect();
        assert_eq!(entry["operations"], json!(ops));
        let resources: Vec<&str> = (service.resources)().iter().map(|r| r.name()).collect();
        let listed_resources: Vec<&str> = entry["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .filter_map(|r| r["name"].as_str())
            .collect();
        assert_eq!(listed_resources, resources);

        // One service: every parameter by both names.
        let run = run_with(&["services", service.feature], &[]).await;
        run.expect(0);
        for op in service.operations {
            assert!(run.stdout.contains(op.wire_name), "{}", run.stdout);
            for p in op.params {
                assert!(run.stdout.contains(p.wire_name) && run.stdout.contains(p.rust_name));
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_documents_the_exit_codes() {
    let run = run(&["--help"], &[]).await;
    run.expect(0);
    for code in [
        "0  success",
        "1  the operation failed",
        "2  usage error",
        "3  wait",
        "4  wait",
        "5  credentials",
    ] {
        assert!(run.stdout.contains(code), "--help lacks `{code}`:\n{}", run.stdout);
    }
}
