//! `cloudsnap list`, `describe` and `wait` as a binary against the mock
//! server over TCP. Which resources, operations, ids and state values to use
//! comes from the generated declarations and the specs' examples.

mod common;

use std::path::Path;

use cloudsnap::client::{DynResource, DynService};
use cloudsnap::lifecycle::{State, ViewDecl};
use cloudsnap_mock::MockResponse;
use common::{dyn_service, scalars, spec_files, Mock};
use serde_json::{Map, Value};

/// The parameters (wire names) of the first example of `operation` that
/// has a request, and the first success response among its examples
/// (preferring one from the same example).
fn example(spec: &Path, operation: &str) -> Option<(Map<String, Value>, u16, String)> {
    let checked = cloudsnap_codegen::check_file(spec).ok()?;
    let op = checked.model.operations.iter().find(|o| o.id == operation)?;
    let success = |ex: &cloudsnap_codegen::spec::Example| {
        ex.response.as_ref().filter(|r| (200..300).contains(&r.status)).cloned()
    };
    let with_request = op.examples.iter().find(|ex| ex.request.is_some())?;
    let response = success(with_request).or_else(|| op.examples.iter().find_map(success))?;
    let params = with_request
        .request
        .as_ref()?
        .params
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some((params, response.status, response.body))
}

/// Every declared resource of every spec, with its service.
fn resources() -> Vec<(std::path::PathBuf, &'static DynService, &'static dyn DynResource)> {
    let mut out = Vec::new();
    for spec in spec_files() {
        let service = dyn_service(&spec);
        for r in (service.resources)() {
            out.push((spec.clone(), service, *r));
        }
    }
    out
}

/// The id a describe example addresses, and its other parameters.
fn split_id(view: &ViewDecl, mut params: Map<String, Value>) -> Option<(String, Map<String, Value>)> {
    let (param, _) = view.id_param?;
    let id = match params.remove(param)? {
        Value::String(s) if s.trim_start().starts_with('[') => serde_json::from_str::<Vec<String>>(&s).ok()?.pop()?,
        Value::String(s) => s,
        Value::Array(ids) => ids.first()?.as_str()?.to_owned(),
        other => other.to_string(),
    };
    Some((id, params))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_shows_every_item_of_the_examples() {
    let mut listed = 0;
    for (spec, service, resource) in resources() {
        let Some(view) = resource.decl().list.as_ref() else {
            continue;
        };
        let (params, _, body) = example(&spec, view.operation).expect("the list operation has an example");
        let mock = Mock::start(&spec, false).await;
        let params = Value::Object(params).to_string();
        let run = mock
            .run(&[
                "list",
                service.feature,
                "--resource",
                resource.name(),
                "--params-json",
                &params,
                "--json",
            ])
            .await;
        run.expect(0);
        let items = run.json();
        let items = items.as_array().expect("a JSON array");
        assert!(!items.is_empty(), "{}: the example lists something", service.feature);
        let mut sent = Vec::new();
        scalars(&serde_json::from_str(&body).expect("JSON body"), &mut sent);
        for item in items {
            let id = item["id"].as_str().expect("an id");
            assert!(sent.iter().any(|s| s == id), "{id} is not in the example");
            assert!(
                item["state"].as_str().is_some_and(|s| s.parse::<State>().is_ok()),
                "{item}"
            );
            assert_eq!(item["kind"], resource.name());
        }
        // The human table shows the same ids.
        let table = mock.run(&["list", service.feature, "--params-json", &params]).await;
        table.expect(0);
        for item in items {
            assert!(
                table.stdout.contains(item["id"].as_str().unwrap_or_default()),
                "{}",
                table.stdout
            );
        }
        listed += 1;
        mock.server.shutdown().await;
    }
    assert!(listed > 0, "some resource has a list operation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describe_shows_the_resource_its_example_addresses() {
    let mut described = 0;
    for (spec, service, resource) in resources() {
        let Some(view) = resource.decl().describe.as_ref() else {
            // Declared without a describe operation: describe and wait refuse.
            let mock = Mock::start(&spec, false).await;
            let run = mock
                .run(&["wait", service.feature, "some-id", "--resource", resource.name()])
                .await;
            run.expect(2);
            assert!(run.stderr.contains("no describe operation"), "{}", run.stderr);
            mock.server.shutdown().await;
            continue;
        };
        let (params, _, _) = example(&spec, view.operation).expect("the describe operation has an example");
        let (id, rest) = split_id(view, params).expect("the example names an id");
        let mock = Mock::start(&spec, false).await;
        let rest = Value::Object(rest).to_string();
        let run = mock
            .run(&[
                "describe",
                service.feature,
                &id,
                "--resource",
                resource.name(),
                "--params-json",
                &rest,
                "--json",
            ])
            .await;
        run.expect(0);
        let summary = run.json();
        assert_eq!(summary["id"], id.as_str(), "{}", run.stdout);
        assert_eq!(summary["vendor"], service.info.vendor);

        // The id parameter is the ID argument, not a --param.
        let (param, _) = view.id_param.expect("describe views have an id parameter");
        let run = mock
            .run(&[
                "describe",
                service.feature,
                &id,
                "--params-json",
                &rest,
                "--param",
                &format!("{param}={id}"),
            ])
            .await;
        run.expect(2);
        described += 1;
        mock.server.shutdown().await;
    }
    assert!(described > 0, "some resource has a describe operation");
}

/// A resource whose describe state comes from its state field alone (no
/// field acceptors), and that maps both `from` and `to`: its spec, service,
/// describe view, example id and other parameters, and the example body
/// with its state value replaced.
struct Scripted {
    spec: std::path::PathBuf,
    service: &'static DynService,
    resource: &'static dyn DynResource,
    view: &'static ViewDecl,
    id: String,
    params: String,
    status: u16,
    body: String,
    raw: String,
}

impl Scripted {
    async fn find(states: &[State]) -> Scripted {
        for (spec, service, resource) in resources() {
            let Some(view) = resource.decl().describe.as_ref() else {
                continue;
            };
            if !view.acceptors.is_empty() || states.iter().any(|s| view.raw_for(*s).is_none()) {
                continue;
            }
            let Some((params, status, body)) = example(&spec, view.operation) else {
                continue;
            };
            let Some((id, rest)) = split_id(view, params) else {
                continue;
            };
            // The raw state the example shows, as the tool reports it.
            let mock = Mock::start(&spec, false).await;
            let run = mock
                .run(&[
                    "describe",
                    service.feature,
                    &id,
                    "--params-json",
                    &Value::Object(rest.clone()).to_string(),
                    "--json",
                ])
                .await;
            mock.server.shutdown().await;
            let Some(raw) = run.json()["raw_state"].as_str().map(str::to_owned) else {
                continue;
            };
            return Scripted {
                spec,
                service,
                resource,
                view,
                id,
                params: Value::Object(rest).to_string(),
                status,
                body,
                raw,
            };
        }
        panic!("no declared resource maps {states:?} without field acceptors");
    }

    /// The example response showing the resource in `state`.
    fn response(&self, state: State) -> MockResponse {
        let raw = self.view.raw_for(state).expect("the state is mapped");
        let body = self.body.replace(&format!("\"{}\"", self.raw), &format!("\"{raw}\""));
        MockResponse::new(self.status, body).with_header("content-type", "application/json")
    }

    async fn wait(&self, mock: &Mock, extra: &[&str]) -> common::Run {
        let mut args = vec![
            "wait",
            self.service.feature,
            &self.id,
            "--resource",
            self.resource.name(),
            "--params-json",
            &self.params,
            "--min-delay",
            "10ms",
            "--max-delay",
            "50ms",
        ];
        args.extend_from_slice(extra);
        mock.run(&args).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_ends_with_the_target_state() {
    let s = Scripted::find(&[State::Creating, State::Available]).await;
    let mock = Mock::start(&s.spec, false).await;
    for state in [State::Creating, State::Creating, State::Available] {
        mock.server.enqueue(s.view.operation, s.response(state));
    }
    let run = s.wait(&mock, &["--json"]).await;
    run.expect(0);
    let summary = run.json();
    assert_eq!(summary["state"], State::Available.as_str());
    assert_eq!(summary["id"], s.id.as_str());
    let polls = mock
        .server
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(s.view.operation))
        .count();
    assert_eq!(polls, 3, "polled until the third state");
    mock.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_exits_3_on_a_failure_state() {
    let s = Scripted::find(&[State::Creating, State::Failed]).await;
    let mock = Mock::start(&s.spec, false).await;
    for state in [State::Creating, State::Failed] {
        mock.server.enqueue(s.view.operation, s.response(state));
    }
    let run = s.wait(&mock, &["--json"]).await;
    run.expect(3);
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "failure_state");
    assert_eq!(error["exit_code"], 3);
    assert_eq!(error["last"]["state"], State::Failed.as_str());
    assert_eq!(
        error["last"]["raw_state"],
        s.view.raw_for(State::Failed).unwrap_or_default()
    );
    mock.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_exits_4_on_timeout_with_the_last_state() {
    let s = Scripted::find(&[State::Creating]).await;
    let mock = Mock::start(&s.spec, false).await;
    for _ in 0..200 {
        mock.server.enqueue(s.view.operation, s.response(State::Creating));
    }
    let run = s.wait(&mock, &["--timeout", "500ms", "--json"]).await;
    run.expect(4);
    let error = &run.json()["error"];
    assert_eq!(error["kind"], "timed_out");
    assert_eq!(error["last"]["state"], State::Creating.as_str());
    // Human form: the reason on stderr, nothing on stdout.
    let run = s.wait(&mock, &["--timeout", "200ms"]).await;
    run.expect(4);
    assert!(run.stderr.contains("timed out"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    mock.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_for_an_unknown_state_or_resource_is_a_usage_error() {
    let (spec, service, _) = resources().into_iter().next().expect("a declared resource");
    let mock = Mock::start(&spec, false).await;
    mock.run(&["wait", service.feature, "x", "--for", "sideways"])
        .await
        .expect(2);
    let run = mock
        .run(&["list", service.feature, "--resource", "no-such-resource"])
        .await;
    run.expect(2);
    for r in (service.resources)() {
        assert!(run.stderr.contains(r.name()), "{}", run.stderr);
    }
    assert!(mock.server.requests().is_empty());
    mock.server.shutdown().await;
}

/// The spinner appears only when stderr is a terminal: under a pseudo
/// terminal (util-linux `script`) the polls show, in a pipe nothing does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_shows_progress_only_on_a_terminal() {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped: no /usr/bin/script to run the tool under a pseudo terminal");
        return;
    }
    let s = Scripted::find(&[State::Creating, State::Available]).await;
    let mock = Mock::start(&s.spec, false).await;
    let args = [
        "wait",
        s.service.feature,
        &s.id,
        "--params-json",
        &s.params,
        "--min-delay",
        "200ms",
        "--max-delay",
        "200ms",
    ];
    for _ in 0..2 {
        mock.server.enqueue(s.view.operation, s.response(State::Creating));
    }
    mock.server.enqueue(s.view.operation, s.response(State::Available));
    let piped = mock.run(&args).await;
    piped.expect(0);
    assert!(
        !piped.stderr.contains("poll"),
        "no progress into a pipe: {}",
        piped.stderr
    );

    for _ in 0..2 {
        mock.server.enqueue(s.view.operation, s.response(State::Creating));
    }
    mock.server.enqueue(s.view.operation, s.response(State::Available));
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_cloudsnap"))
        .chain(args)
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    // A bare pseudo terminal is 0 columns wide; give it a real size.
    let command = format!("stty cols 120 rows 40; exec {}", quoted.join(" "));
    // indicatif (through `console`) draws only for a known terminal type.
    let mut env = mock.env.clone();
    env.push(("TERM".into(), "xterm".into()));
    let run = common::run_program("/usr/bin/script", &["-qec", &command, "/dev/null"], &env).await;
    run.expect(0);
    let creating = s.view.raw_for(State::Creating).unwrap_or_default();
    assert!(
        run.stdout.contains("poll 2") && run.stdout.contains(creating),
        "{}",
        run.stdout
    );
    mock.server.shutdown().await;
}

/// A resource the service says is missing: `describe` fails (exit 1), and
/// so does `wait` once it stops expecting the resource to appear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_resource_is_an_operation_failure() {
    let mut checked = 0;
    for (spec, service, resource) in resources() {
        let Some(view) = resource.decl().describe.as_ref() else {
            continue;
        };
        let Some((params, ..)) = example(&spec, view.operation) else {
            continue;
        };
        let Some((id, rest)) = split_id(view, params) else {
            continue;
        };
        let rest = Value::Object(rest).to_string();
        let mock = Mock::start(&spec, false).await;
        let missing = cloudsnap_mock::Script::states(resource.name(), &["not_found"; 20]);
        mock.server.apply_script(&missing).expect("the script applies");
        let args = ["--resource", resource.name(), "--params-json", &rest, "--json"];
        let mut describe = vec!["describe", service.feature, &id];
        describe.extend(args);
        let run = mock.run(&describe).await;
        run.expect(1);
        assert_eq!(run.json()["error"]["kind"], "operation", "{}", run.stdout);

        let mut wait = vec![
            "wait",
            service.feature,
            &id,
            "--min-delay",
            "10ms",
            "--max-delay",
            "10ms",
        ];
        wait.extend(args);
        mock.run(&wait).await.expect(1);
        checked += 1;
        mock.server.shutdown().await;
    }
    assert!(checked > 0);
}
