//! The `cloudsnap-mock` binary: serves a directory of specs, prints URLs,
//! credentials and variables, logs verdicts to stderr, stops on Ctrl-C;
//! readiness file and line, lifetime options, response scripts, paging
//! and connection options from the command line.

#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use cloudsnap::auth::SigningContext;
use cloudsnap::runtime::{AuthScheme, Operation};
use cloudsnap::zilliz::cloud::ListBackupsRequest;
use cloudsnap_mock::{TestCredentials, API_KEY};
use serde_json::Value;

/// Kills the child if the test fails before it is stopped.
struct Guard(Option<Child>);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[tokio::test]
async fn serves_a_directory_and_stops_on_ctrl_c() {
    let specs = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let child = Command::new(env!("CARGO_BIN_EXE_cloudsnap-mock"))
        .arg(&specs)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut guard = Guard(Some(child));
    let child = guard.0.as_mut().expect("child");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut banner = Vec::new();
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).expect("reads") > 0,
            "exited early: {banner:?}"
        );
        if line.starts_with("Press Ctrl-C") {
            break;
        }
        if line.trim_end() == "Ready." {
            continue;
        }
        banner.push(line.trim_end().to_owned());
    }
    let urls: Vec<&str> = banner.iter().filter_map(|l| l.split(" at ").nth(1)).collect();
    assert_eq!(urls.len(), 5, "{banner:#?}");
    let zilliz = banner
        .iter()
        .find(|l| l.starts_with("zilliz.cloud: "))
        .and_then(|l| l.split(" at ").nth(1))
        .expect("zilliz banner")
        .to_owned();
    assert!(
        banner.contains(&"  export ZILLIZ_API_KEY=cloudsnap-test-api-key".to_owned()),
        "{banner:#?}"
    );
    assert!(
        banner.contains(&format!("  export CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT={zilliz}")),
        "{banner:#?}"
    );
    assert!(
        banner.contains(&"  export HUAWEICLOUD_SDK_AK=cloudsnap-test-ak".to_owned()),
        "{banner:#?}"
    );

    let request = ListBackupsRequest::new().build_request().expect("builds");
    let (mut parts, body) = request.into_parts();
    parts.uri = format!("{zilliz}{}", parts.uri).parse().expect("uri");
    let mut request = http::Request::from_parts(parts, body);
    TestCredentials::default()
        .signer(AuthScheme::Bearer)
        .sign(&mut request, &SigningContext::now())
        .expect("signs");
    let got = common::send(request).await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert!(ListBackupsRequest::parse_response(&got.response()).is_ok());

    // Ctrl-C, to this child only, by its process id.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("the binary exits");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("reads");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("reads");
    guard.0 = None;
    assert!(exit.success(), "{exit:?}\n{stderr}");
    assert!(rest.contains("Stopping: interrupted."), "{rest}");
    assert!(
        stderr.contains("[zilliz.cloud] GET /v2/backups -> 200 ListBackups (bearer): accepted"),
        "{stderr}"
    );
}

fn zilliz_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/zilliz-cloud.yaml")
}

/// A fresh path in the temporary directory for this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudsnap-mock-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn spawn(args: &[&str]) -> Guard {
    let child = Command::new(env!("CARGO_BIN_EXE_cloudsnap-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    Guard(Some(child))
}

/// Wait (at most 60 s: the binary may still be loading under load) until
/// `path` exists, then read it.
fn wait_for_file(path: &Path, guard: &mut Guard) -> String {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        let child = guard.0.as_mut().expect("child");
        if let Ok(Some(status)) = child.try_wait() {
            panic!("exited before it was ready: {status:?}: {}", output(guard).1);
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no ready file");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Wait (at most 20 s) for the child to exit on its own.
fn wait_for_exit(guard: &mut Guard) -> ExitStatus {
    let start = Instant::now();
    loop {
        let child = guard.0.as_mut().expect("child");
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the binary did not stop by itself"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Stdout and stderr of an exited child.
fn output(guard: &mut Guard) -> (String, String) {
    let mut child = guard.0.take().expect("child");
    let _ = child.kill();
    let _ = child.wait();
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    (out, err)
}

/// The value of `export NAME=value` in a ready file.
fn exported(ready: &str, name: &str) -> String {
    let prefix = format!("export {name}=");
    ready
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {name} in {ready}"))
        .to_owned()
}

/// GET on Zilliz with the test API key: status and JSON body.
async fn zilliz_get(base: &str, path: &str) -> (u16, http::HeaderMap, Value) {
    let response = common::client()
        .get(format!("{base}{path}"))
        .header("authorization", format!("Bearer {API_KEY}"))
        .send()
        .await
        .expect("answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body");
    (status, headers, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn backups(page: &Value) -> usize {
    page["data"]["backups"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_ready_file_then_max_requests_end_the_run_without_sleeps() {
    let ready = scratch("ready-max.env");
    let spec = zilliz_spec();
    let mut guard = spawn(&[
        spec.to_str().expect("utf-8"),
        "--ready-file",
        ready.to_str().expect("utf-8"),
        "--max-requests",
        "3",
    ]);
    let text = wait_for_file(&ready, &mut guard);
    let url = exported(&text, "CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT");
    assert_eq!(exported(&text, "ZILLIZ_API_KEY"), API_KEY);
    // Paging is honoured: three backups per page, none repeated.
    let (status, _, first) = zilliz_get(&url, "/v2/backups?pageSize=3&currentPage=1").await;
    assert_eq!((status, backups(&first)), (200, 3), "{first}");
    let (_, _, second) = zilliz_get(&url, "/v2/backups?pageSize=3&currentPage=2").await;
    assert_ne!(first["data"]["backups"][0], second["data"]["backups"][0]);
    let (status, _, _) = zilliz_get(&url, "/v2/backups").await;
    assert_eq!(status, 200);
    let exit = wait_for_exit(&mut guard);
    let (out, err) = output(&mut guard);
    assert!(exit.success(), "{exit:?} {err}");
    assert!(out.contains("\nReady.\n"), "{out}");
    assert!(out.contains("Stopping: 3 requests answered (--max-requests)."), "{out}");
    assert!(!ready.exists(), "the ready file is removed on exit");
}

#[tokio::test]
async fn exit_after_stops_the_server_and_no_paging_serves_examples() {
    let ready = scratch("ready-exit.env");
    let spec = zilliz_spec();
    let started = Instant::now();
    let mut guard = spawn(&[
        spec.to_str().expect("utf-8"),
        "--ready-file",
        ready.to_str().expect("utf-8"),
        "--exit-after",
        "1500ms",
        "--no-paging",
        "--quiet",
    ]);
    let url = exported(&wait_for_file(&ready, &mut guard), "CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT");
    let (status, _, page) = zilliz_get(&url, "/v2/backups?pageSize=3&currentPage=2").await;
    assert_eq!(status, 200);
    let model = {
        let loaded = cloudsnap_codegen::load::load_file(&spec).expect("loads");
        cloudsnap_codegen::model::build(&loaded).expect("valid")
    };
    let example = model.operations[0].examples[0].response.as_ref().expect("example");
    let documented: Value = serde_json::from_str(&example.body).expect("JSON");
    assert_eq!(page, documented, "verbatim with --no-paging");
    let exit = wait_for_exit(&mut guard);
    assert!(started.elapsed() >= Duration::from_millis(1500));
    let (out, err) = output(&mut guard);
    assert!(exit.success(), "{exit:?} {err}");
    assert!(out.contains("Stopping: --exit-after 1.5s elapsed."), "{out}");
    assert!(err.is_empty(), "--quiet: {err}");
}

#[tokio::test]
async fn a_script_file_sequences_errors_and_states() {
    let script = scratch("script.yaml");
    std::fs::write(
        &script,
        "ListBackups:\n  - { status: 503, headers: { retry-after: '1' }, body: { code: 503, message: later } }\n  - { body: { code: 0, data: { count: 0, backups: [] } }, times: 2 }\nzilliz.cloud/DescribeBackup:\n  - { body: { code: 0, data: { backupId: b-1, status: CREATING } } }\n  - { body: { code: 0, data: { backupId: b-1, status: AVAILABLE } } }\n",
    )
    .expect("writes");
    let ready = scratch("ready-script.env");
    let spec = zilliz_spec();
    let mut guard = spawn(&[
        spec.to_str().expect("utf-8"),
        "--ready-file",
        ready.to_str().expect("utf-8"),
        "--script",
        script.to_str().expect("utf-8"),
        "--exit-after",
        "60s",
    ]);
    let url = exported(&wait_for_file(&ready, &mut guard), "CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT");
    let (status, headers, _) = zilliz_get(&url, "/v2/backups").await;
    assert_eq!(
        (status, headers.get("retry-after").map(|v| v.as_bytes())),
        (503, Some(&b"1"[..]))
    );
    for _ in 0..2 {
        let (status, _, body) = zilliz_get(&url, "/v2/backups").await;
        assert_eq!((status, body["data"]["count"].as_i64()), (200, Some(0)));
    }
    let (_, _, body) = zilliz_get(&url, "/v2/backups").await;
    assert!(backups(&body) > 0, "the script ran out: examples again: {body}");
    let path = "/v2/clusters/in01-3e5ad8adc38xxxx/backups/backup1_0b9d15a0ddexxxx";
    let mut states = Vec::new();
    for _ in 0..2 {
        let (_, _, body) = zilliz_get(&url, path).await;
        states.push(body["data"]["status"].as_str().unwrap_or("").to_owned());
    }
    assert_eq!(states, ["CREATING", "AVAILABLE"]);
    let (_, err) = output(&mut guard);
    assert!(err.contains("-> 503 ListBackups (bearer), scripted: accepted"), "{err}");

    // Mistakes are reported with the file and the step, before serving.
    for (text, says) in [
        ("ListBackups: [{ status: 700 }]", "ListBackups[0]: status 700"),
        (
            "NoSuchOperation: [{ status: 200 }]",
            "no served spec has the operation `NoSuchOperation`",
        ),
        (
            "zilliz.cloud/Nope: [{ status: 200 }]",
            "the spec has no operation `Nope`",
        ),
    ] {
        std::fs::write(&script, text).expect("writes");
        let out = Command::new(env!("CARGO_BIN_EXE_cloudsnap-mock"))
            .args([
                spec.to_str().expect("utf-8"),
                "--script",
                script.to_str().expect("utf-8"),
            ])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{text}: {stderr}");
        assert!(
            stderr.contains(says) && stderr.contains("script.yaml"),
            "{text}: {stderr}"
        );
    }
}

#[tokio::test]
async fn connection_cap_and_header_timeout_flags() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let ready = scratch("ready-cap.env");
    let spec = zilliz_spec();
    let mut guard = spawn(&[
        spec.to_str().expect("utf-8"),
        "--ready-file",
        ready.to_str().expect("utf-8"),
        "--max-connections",
        "1",
        "--header-timeout",
        "2s",
        "--exit-after",
        "60s",
    ]);
    let url = exported(&wait_for_file(&ready, &mut guard), "CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT");
    let addr = url.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let mut idle = tokio::net::TcpStream::connect(&addr).await.expect("connects");
    idle.write_all(b"GET /v2/backups HTTP/1.1\r\n").await.expect("writes");
    // The kernel queues connections in order, so the server accepts the
    // first (and holds it, its head unfinished, for the 2 s timeout) before
    // it sees the second.
    let mut second = tokio::net::TcpStream::connect(&addr).await.expect("connects");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), second.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut rest)).await;
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(5),
        "the slow head was cut off after {elapsed:?}"
    );
    let (_, err) = output(&mut guard);
    assert!(err.contains("refused: 1 connections open (--max-connections)"), "{err}");
}
