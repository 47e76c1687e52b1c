//! Running the `cloudsnap` binary against mock servers started in process.

#![allow(dead_code)] // Each test file uses part of this.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cloudsnap::client::DynService;
use cloudsnap_mock::{MockOptions, MockServer};
use serde_json::Value;

/// The repository root (specs live there).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every spec file the repository ships.
pub fn spec_files() -> Vec<PathBuf> {
    cloudsnap_codegen::spec_files(&[root().join("specs")])
}

/// The call-by-name table of the service a spec file generates, by its
/// feature name (the file stem).
pub fn dyn_service(spec: &Path) -> &'static DynService {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    [
        &cloudsnap::aliyun::ecs::DYNAMIC,
        &cloudsnap::aliyun::elasticsearch::DYNAMIC,
        &cloudsnap::huawei::cbr::DYNAMIC,
        &cloudsnap::huawei::css::DYNAMIC,
        &cloudsnap::zilliz::cloud::DYNAMIC,
    ]
    .into_iter()
    .find(|s| s.feature == stem)
    .unwrap_or_else(|| panic!("no generated service for {}", spec.display()))
}

/// A mock server for one spec, and the environment that points the tool at
/// it (endpoint override and the test credentials), as its banner prints.
pub struct Mock {
    pub server: MockServer,
    pub env: Vec<(String, String)>,
}

impl Mock {
    /// Serve `spec` (examples verbatim when `paging` is off).
    pub async fn start(spec: &Path, paging: bool) -> Mock {
        let server = MockServer::start_with(spec, MockOptions::default().with_log(false).with_paging(paging))
            .await
            .expect("mock server starts");
        let name = server.service_name().replace('.', "_").to_ascii_uppercase();
        let mut env = vec![(format!("CLOUDSNAP_{name}_ENDPOINT"), server.url())];
        for scheme in server.auth_schemes() {
            for (var, value) in server.credentials().env_vars(*scheme) {
                env.push((var.to_owned(), value));
            }
        }
        Mock { server, env }
    }

    /// Run the tool with this mock's environment.
    pub async fn run(&self, args: &[&str]) -> Run {
        run(args, &self.env).await
    }
}

/// What one run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// Assert the exit status, showing the output otherwise.
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit status\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Run `cloudsnap ARGS` with only `env` (and an empty HOME, so no
/// credentials file or proxy setting of the machine is read).
pub async fn run(args: &[&str], env: &[(String, String)]) -> Run {
    run_program(env!("CARGO_BIN_EXE_cloudsnap"), args, env).await
}

/// Run `program ARGS` as [`run`] runs the tool.
pub async fn run_program(program: &str, args: &[&str], env: &[(String, String)]) -> Run {
    let program = program.to_owned();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let env = env.to_vec();
    tokio::task::spawn_blocking(move || {
        let home = std::env::temp_dir().join(format!("cloudsnap-tool-test-home-{}", std::process::id()));
        std::fs::create_dir_all(&home).expect("temporary HOME");
        let out: Output = Command::new(&program)
            .args(&args)
            .env_clear()
            .env("HOME", &home)
            .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
            .env("NO_COLOR", "1")
            .envs(env)
            .output()
            .expect("the cloudsnap binary runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    })
    .await
    .expect("the runner thread")
}

/// Every scalar in `value` (strings, numbers and booleans, each also as
/// text, so that a lenient `"40"` matches `40`).
pub fn scalars(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| scalars(v, out)),
        Value::Object(map) => map.values().for_each(|v| scalars(v, out)),
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Null => {}
    }
}
