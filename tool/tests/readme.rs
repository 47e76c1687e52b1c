//! The README's operator instructions, as a new user runs them: every
//! `target/debug/cloudsnap ...` line of the "Command line for operators"
//! block runs through bash, unchanged but for the binary's path, against
//! mock servers of every spec with the environment the mock's ready file
//! exports and the `--script` files the block's mock line names, and must
//! succeed; a line that reports a failure with `|| echo "exit status $?"`
//! must print the failure-state status of `wait`.

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

    let mock_line = block
        .lines()
        .find(|l| l.starts_with("target/debug/cloudsnap-mock "))
        .expect("the block starts the mock");
    let scripts: Vec<cloudsnap_mock::Script> = mock_line
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0] == "--script")
        .map(|w| cloudsnap_mock::Script::load(common::root().join(w[1])).expect("the README's script loads"))
        .collect();
    let mut mocks = Vec::new();
    let mut env = Vec::new();
    for spec in spec_files() {
        let mock = Mock::start(&spec, true).await;
        for script in &scripts {
            mock.server.apply_script(script).expect("the script applies");
        }
        env.extend(mock.env.clone());
        mocks.push(mock);
    }
    let bin = env!("CARGO_BIN_EXE_cloudsnap");
    let (mut ran, mut failures) = (0, 0);
    for line in block.lines().filter(|l| l.starts_with("target/debug/cloudsnap ")) {
        let command = line.replacen("target/debug/cloudsnap", bin, 1);
        let run = common::run_program("/bin/bash", &["-c", &command], &env).await;
        assert_eq!(run.code, 0, "`{line}` failed:\n{}\n{}", run.stdout, run.stderr);
        if line.contains("|| echo \"exit status $?\"") {
            assert!(line.contains(" wait "), "{line}");
            assert!(
                run.stdout.contains("exit status 3"),
                "`{line}`:\n{}\n{}",
                run.stdout,
                run.stderr
            );
            failures += 1;
        }
        ran += 1;
    }
    assert!(ran >= 4, "the block has the tool's commands");
    assert!(failures >= 1, "the block shows a wait that ends in a failure state");
    for mock in mocks {
        assert!(mock.server.requests().iter().all(|r| r.accepted()));
        mock.server.shutdown().await;
    }
}
