//! The README's operator instructions, as a new user runs them: every
//! `target/debug/cloudsnap ...` line of the "Command line for operators"
//! block runs through bash, unchanged but for the binary's path, against
//! mock servers of every spec with the environment the mock's ready file
//! exports, and must succeed.

mod common;

use common::{spec_files, Mock};

fn operator_block() -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let section = readme
        .split("\n## Command line for operators")
        .nth(1)
        .expect("the README has the operators' section");
    let block = section.split("```sh\n").nth(1).expect("a sh block");
    block.split("\n```").next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_commands_run_against_the_mock() {
    let block = operator_block();
    // The mock line the README gives must use the flags the tests rely on.
    assert!(
        block.contains("cloudsnap-mock specs/") && block.contains("--ready-file"),
        "{block}"
    );

    let mut mocks = Vec::new();
    let mut env = Vec::new();
    for spec in spec_files() {
        let mock = Mock::start(&spec, true).await;
        env.extend(mock.env.clone());
        mocks.push(mock);
    }
    let bin = env!("CARGO_BIN_EXE_cloudsnap");
    let mut ran = 0;
    for line in block.lines().filter(|l| l.starts_with("target/debug/cloudsnap ")) {
        let command = line.replacen("target/debug/cloudsnap", bin, 1);
        let run = common::run_program("/bin/bash", &["-c", &command], &env).await;
        assert_eq!(run.code, 0, "`{line}` failed:\n{}\n{}", run.stdout, run.stderr);
        ran += 1;
    }
    assert!(ran >= 4, "the block has the tool's commands");
    for mock in mocks {
        assert!(mock.server.requests().iter().all(|r| r.accepted()));
        mock.server.shutdown().await;
    }
}
