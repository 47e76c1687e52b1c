//! `cloudsnap-mock`: serve one or more specs on loopback for manual and
//! client testing.
//!
//! ```text
//! cargo run -p cloudsnap-mock -- specs/zilliz-cloud.yaml --port 8080
//! cargo run -p cloudsnap-mock -- specs/            # every spec, one port each
//! ```
//!
//! Prints each service's URL, the test credentials and the environment
//! variables to export, then `Ready.`; logs every request and its verdict
//! to stderr, and stops cleanly on Ctrl-C or SIGTERM, after
//! `--exit-after`, or after `--max-requests` answers. `--ready-file` is
//! written (atomically) once every server listens, with the same `export`
//! lines, and removed on exit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use cloudsnap_mock::{parse_duration, scheme_name, MockOptions, MockServer, Script};

/// Serve cloudsnap specs as checking mock servers on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "cloudsnap-mock", version)]
struct Cli {
    /// Spec files or directories of specs (`*.yaml`).
    #[arg(required = true)]
    specs: Vec<PathBuf>,
    /// First port; each further spec gets the next one. 0 picks free ports.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Do not log requests to stderr.
    #[arg(long)]
    quiet: bool,
    /// Once every server listens, write the `export` lines (endpoints and
    /// credentials, `. FILE` in a shell) to this file; removed on exit.
    #[arg(long, value_name = "PATH")]
    ready_file: Option<PathBuf>,
    /// Stop after this long (`500ms`, `30s`, `5m`).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    exit_after: Option<Duration>,
    /// Stop once this many requests (over all services) have been answered.
    #[arg(long, value_name = "N")]
    max_requests: Option<u64>,
    /// Serve scripted responses from this YAML or JSON file before the
    /// examples (per operation a list of status/headers/body/delay/times
    /// steps; see the crate documentation). May be given more than once.
    #[arg(long, value_name = "FILE")]
    script: Vec<PathBuf>,
    /// Serve examples verbatim instead of honouring paging parameters.
    #[arg(long)]
    no_paging: bool,
    /// Most connections served at once per service; more are answered 503.
    #[arg(long, value_name = "N", default_value_t = MockOptions::default().max_connections)]
    max_connections: usize,
    /// Close connections whose request head takes longer than this.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    header_timeout: Duration,
    /// Refuse requests (408) whose body takes longer than this to arrive.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    body_timeout: Duration,
    /// Refuse (413) request bodies larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = MockOptions::default().body_limit)]
    body_limit: usize,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let files = cloudsnap_codegen::spec_files(&cli.specs);
    if files.is_empty() {
        eprintln!("error: no spec files (*.yaml) found in the given paths");
        return ExitCode::FAILURE;
    }
    let mut scripts = Vec::new();
    for path in &cli.script {
        match Script::load(path) {
            Ok(script) => scripts.push(script),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if let Some(path) = &cli.ready_file {
        // A stale file from an earlier run must not look like readiness.
        let _ = std::fs::remove_file(path);
    }
    let mut servers = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let port = match cli.port {
            0 => 0,
            first => match u16::try_from(i).ok().and_then(|i| first.checked_add(i)) {
                Some(p) => p,
                None => {
                    eprintln!("error: not enough ports after {first} for {} specs", files.len());
                    return ExitCode::FAILURE;
                }
            },
        };
        let options = MockOptions::default()
            .with_port(port)
            .with_log(!cli.quiet)
            .with_paging(!cli.no_paging)
            .with_max_connections(cli.max_connections)
            .with_header_read_timeout(cli.header_timeout)
            .with_body_read_timeout(cli.body_timeout)
            .with_body_limit(cli.body_limit);
        match MockServer::start_with(file, options).await {
            Ok(server) => servers.push(server),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    for (script, path) in scripts.iter().zip(&cli.script) {
        let mut applied = vec![false; script.entries().len() + script.resources().len()];
        for server in &servers {
            match server.apply_script(script) {
                Ok(indices) => indices.into_iter().for_each(|i| applied[i] = true),
                Err(e) => {
                    eprintln!("error: script {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
        }
        if let Some(j) = applied.iter().skip(script.entries().len()).position(|a| !a) {
            let entry = &script.resources()[j];
            let key = match &entry.service {
                Some(service) => format!("{service}/{}", entry.resource),
                None => entry.resource.clone(),
            };
            eprintln!(
                "error: script {}: no served spec declares the resource `{key}`",
                path.display()
            );
            return ExitCode::FAILURE;
        }
        if let Some(i) = applied.iter().position(|a| !a) {
            let entry = &script.entries()[i];
            let key = match &entry.service {
                Some(service) => format!("{service}/{}", entry.operation),
                None => entry.operation.clone(),
            };
            eprintln!(
                "error: script {}: no served spec has the operation `{key}`",
                path.display()
            );
            return ExitCode::FAILURE;
        }
    }
    // Listen for Ctrl-C before announcing the servers, so that one sent as
    // soon as the banner appears is not missed.
    let interrupted = match interrupted() {
        Ok(interrupted) => interrupted,
        Err(e) => {
            eprintln!("error: cannot listen for Ctrl-C: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut exports = Vec::new();
    for server in &servers {
        exports.extend(print_banner(server));
    }
    if let Some(path) = &cli.ready_file {
        if let Err(e) = write_ready_file(path, &exports) {
            eprintln!("error: cannot write the ready file {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!("Ready.");
    println!("Press Ctrl-C to stop.");
    let reason = tokio::select! {
        () = interrupted => "interrupted".to_owned(),
        () = sleep_or_never(cli.exit_after) => format!("--exit-after {:?} elapsed", cli.exit_after.unwrap_or_default()),
        answered = answered_at_least(&servers, cli.max_requests) => format!("{answered} requests answered (--max-requests)"),
    };
    println!("Stopping: {reason}.");
    for server in servers {
        server.shutdown().await;
    }
    if let Some(path) = &cli.ready_file {
        let _ = std::fs::remove_file(path);
    }
    ExitCode::SUCCESS
}

/// Resolves after `duration`, or never without one.
async fn sleep_or_never(duration: Option<Duration>) {
    match duration {
        Some(duration) => tokio::time::sleep(duration).await,
        None => std::future::pending().await,
    }
}

/// Resolves once the servers have answered `max` requests in all (checked
/// every 10 ms), or never without a maximum; returns the count.
async fn answered_at_least(servers: &[MockServer], max: Option<u64>) -> u64 {
    let Some(max) = max else {
        return std::future::pending().await;
    };
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    loop {
        tick.tick().await;
        let answered: u64 = servers.iter().map(MockServer::answered).sum();
        if answered >= max {
            return answered;
        }
    }
}

/// Write `lines` to `path` through a temporary file and a rename, so a
/// script that sees the file sees all of it.
fn write_ready_file(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&partial, text)?;
    std::fs::rename(&partial, path)
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM; the handlers are installed when
/// this returns.
#[cfg(unix)]
fn interrupted() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn interrupted() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Print a server's banner; returns its `export` lines.
fn print_banner(server: &MockServer) -> Vec<String> {
    let name = server.service_name();
    println!("{name}: {} at {}", server.title(), server.url());
    println!("  operations: {}", server.operations().join(", "));
    let schemes: Vec<&str> = server.auth_schemes().iter().map(|s| scheme_name(*s)).collect();
    println!("  auth: {}", schemes.join(", "));
    let endpoint_var = format!("CLOUDSNAP_{}_ENDPOINT", name.replace('.', "_").to_ascii_uppercase());
    let mut exports = vec![format!("export {endpoint_var}={}", server.url())];
    let mut seen = Vec::new();
    for scheme in server.auth_schemes() {
        for (var, value) in server.credentials().env_vars(*scheme) {
            if !seen.contains(&var) {
                seen.push(var);
                exports.push(format!("export {var}={value}"));
            }
        }
    }
    for line in &exports {
        println!("  {line}");
    }
    println!();
    exports
}
