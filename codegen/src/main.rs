//! `cloudsnap-codegen`: check specs and generate clients from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cloudsnap-codegen", version, about = "Check cloudsnap API specs and generate Rust clients")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate specs and print a summary (default: every specs/*.yaml).
    Check {
        /// Spec files or directories.
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { paths } => {
            let paths = if paths.is_empty() { vec![PathBuf::from("specs")] } else { paths };
            let mut failed = false;
            for p in cloudsnap_codegen::spec_files(&paths) {
                match cloudsnap_codegen::load::load_file(&p) {
                    Ok(l) => println!("ok: {} ({} operations, {} types)", p.display(), l.spec.operations.len(), l.spec.types.len()),
                    Err(ds) => {
                        failed = true;
                        for d in ds {
                            eprintln!("{d}");
                        }
                    }
                }
            }
            if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
    }
}
