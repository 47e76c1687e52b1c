//! The `cloudsnap-mock` binary: serves a directory of specs, prints URLs,
//! credentials and variables, logs verdicts to stderr, stops on Ctrl-C.

#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use cloudsnap::auth::SigningContext;
use cloudsnap::runtime::{AuthScheme, Operation};
use cloudsnap::zilliz::cloud::ListBackupsRequest;
use cloudsnap_mock::TestCredentials;

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
    assert!(rest.contains("Stopping."), "{rest}");
    assert!(
        stderr.contains("[zilliz.cloud] GET /v2/backups -> 200 ListBackups (bearer): accepted"),
        "{stderr}"
    );
}
