//! `cloudsnap-codegen`: check specs, generate clients, print the spec schema.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod audit_cmd;
use audit_cmd::AuditArgs;
use cloudsnap_codegen::diag::Diagnostic;
use cloudsnap_codegen::Generated;

#[derive(Parser)]
#[command(
    name = "cloudsnap-codegen",
    version,
    about = "Check cloudsnap API specs and generate Rust clients from them"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate specs and print a summary.
    Check {
        /// Spec files or directories [default: specs].
        paths: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Write the formatted Rust module of every spec to DIR/<vendor>/<service>.rs.
    Generate {
        /// Spec files or directories [default: specs].
        paths: Vec<PathBuf>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the JSON Schema of the spec format.
    Schema,
    /// Compare specs with the vendor documents they were transcribed from.
    Audit(AuditArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check { paths, deny_warnings } => check(&paths, deny_warnings),
        Command::Generate { paths, out } => generate(&paths, &out),
        Command::Audit(args) => audit_cmd::run(&args),
        Command::Schema => {
            println!("{}", cloudsnap_codegen::schema_json());
            ExitCode::SUCCESS
        }
    }
}

fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let defaults = [PathBuf::from("specs")];
    cloudsnap_codegen::spec_files(if paths.is_empty() { &defaults } else { paths })
}

/// Generate every spec; report all diagnostics. `None` if any spec failed.
fn generate_all(paths: &[PathBuf], deny_warnings: bool) -> Option<Vec<Generated>> {
    let files = files(paths);
    if files.is_empty() {
        eprintln!("error: no spec files (*.yaml) found in {paths:?}");
        return None;
    }
    let mut ok = true;
    let mut out = Vec::new();
    let report = |d: &Diagnostic| eprintln!("{d}");
    for file in files {
        match cloudsnap_codegen::generate_file(&file) {
            Ok(g) => {
                g.warnings.iter().for_each(report);
                ok &= !deny_warnings || g.warnings.is_empty();
                out.push(g);
            }
            Err(diags) => {
                diags.iter().for_each(report);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn check(paths: &[PathBuf], deny_warnings: bool) -> ExitCode {
    let Some(all) = generate_all(paths, deny_warnings) else {
        eprintln!("error: check failed");
        return ExitCode::FAILURE;
    };
    let mut totals = [0usize; 6];
    println!(
        "{:<28} {:>4} {:>6} {:>6} {:>7} {:>7}",
        "service", "ops", "params", "types", "values", "errata"
    );
    for g in &all {
        let s = cloudsnap_codegen::summarize(&g.model);
        let row = [
            s.operations,
            s.parameters,
            s.types,
            s.enum_values,
            s.errata,
            g.warnings.len(),
        ];
        for (t, v) in totals.iter_mut().zip(row) {
            *t += v;
        }
        println!(
            "{:<28} {:>4} {:>6} {:>6} {:>7} {:>7}",
            format!("{}::{}", g.vendor, g.service),
            s.operations,
            s.parameters,
            s.types,
            s.enum_values,
            s.errata
        );
    }
    println!(
        "{:<28} {:>4} {:>6} {:>6} {:>7} {:>7}",
        format!("{} services", all.len()),
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        totals[4]
    );
    println!("ok: {} warnings", totals[5]);
    ExitCode::SUCCESS
}

fn generate(paths: &[PathBuf], out: &Path) -> ExitCode {
    // Nothing is written unless every spec is valid.
    let Some(all) = generate_all(paths, false) else {
        eprintln!("error: nothing written to {}", out.display());
        return ExitCode::FAILURE;
    };
    let files: Vec<(PathBuf, &str)> = all
        .iter()
        .map(|g| (out.join(&g.vendor).join(format!("{}.rs", g.service)), g.code.as_str()))
        .collect();
    match cloudsnap_codegen::write_atomically(&files) {
        Ok(()) => {
            for (path, _) in &files {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
