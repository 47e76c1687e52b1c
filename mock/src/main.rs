//! `cloudsnap-mock`: serve one or more specs on loopback for manual and
//! client testing.
//!
//! ```text
//! cargo run -p cloudsnap-mock -- specs/zilliz-cloud.yaml --port 8080
//! cargo run -p cloudsnap-mock -- specs/            # every spec, one port each
//! ```
//!
//! Prints each service's URL, the test credentials and the environment
//! variables to export, logs every request and its verdict to stderr, and
//! stops cleanly on Ctrl-C.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use cloudsnap_mock::{scheme_name, MockOptions, MockServer};

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
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let files = cloudsnap_codegen::spec_files(&cli.specs);
    if files.is_empty() {
        eprintln!("error: no spec files (*.yaml) found in the given paths");
        return ExitCode::FAILURE;
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
        let options = MockOptions::default().with_port(port).with_log(!cli.quiet);
        match MockServer::start_with(file, options).await {
            Ok(server) => servers.push(server),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    // Listen for Ctrl-C before announcing the servers, so that one sent as
    // soon as the banner appears is not missed.
    let interrupted = match ctrl_c() {
        Ok(interrupted) => interrupted,
        Err(e) => {
            eprintln!("error: cannot listen for Ctrl-C: {e}");
            return ExitCode::FAILURE;
        }
    };
    for server in &servers {
        print_banner(server);
    }
    println!("Press Ctrl-C to stop.");
    interrupted.await;
    println!("Stopping.");
    for server in servers {
        server.shutdown().await;
    }
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C (SIGINT); the handler is installed when this returns.
#[cfg(unix)]
fn ctrl_c() -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    Ok(async move {
        signal.recv().await;
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn ctrl_c() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

fn print_banner(server: &MockServer) {
    let name = server.service_name();
    println!("{name}: {} at {}", server.title(), server.url());
    println!("  operations: {}", server.operations().join(", "));
    let schemes: Vec<&str> = server.auth_schemes().iter().map(|s| scheme_name(*s)).collect();
    println!("  auth: {}", schemes.join(", "));
    let endpoint_var = format!("CLOUDSNAP_{}_ENDPOINT", name.replace('.', "_").to_ascii_uppercase());
    println!("  export {endpoint_var}={}", server.url());
    let mut seen = Vec::new();
    for scheme in server.auth_schemes() {
        for (var, value) in server.credentials().env_vars(*scheme) {
            if !seen.contains(&var) {
                seen.push(var);
                println!("  export {var}={value}");
            }
        }
    }
    println!();
}
