//! `cloudsnap-codegen`: check specs, generate clients, print the spec schema.

use std::collections::HashMap;
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
    about = "Check cloudsnap API specs and generate Rust clients from them",
    after_help = "Run from the repository root (the default spec directory is `specs`). Each command's \
                  exit status is in its own help (`cloudsnap-codegen help COMMAND`); 2 always means the \
                  command could not run (bad arguments, no spec files, ...).\n\nDiagnostics are coloured \
                  when stderr is a terminal; NO_COLOR turns colour off and CLICOLOR_FORCE turns it on."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate specs and print a summary.
    #[command(after_help = CHECK_HELP)]
    Check {
        /// Spec files or directories [default: specs].
        paths: Vec<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Write the formatted Rust module of every spec to DIR/VENDOR/SERVICE.rs.
    #[command(after_help = GENERATE_HELP)]
    Generate {
        /// Spec files or directories [default: specs].
        paths: Vec<PathBuf>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the JSON Schema of the spec format.
    #[command(after_help = "Exit status: 0 (the schema is built in; it cannot fail).")]
    Schema,
    /// Compare the Rust API two versions of a spec generate and classify
    /// every change (breaking, behavioural, compatible, none).
    #[command(after_help = cloudsnap_codegen_cli::diff::AFTER_HELP)]
    Diff(cloudsnap_codegen_cli::diff::DiffArgs),
    /// Compare specs with the vendor documents they were transcribed from.
    #[command(after_help = audit_cmd::AFTER_HELP)]
    Audit(AuditArgs),
}

/// Exit codes of `check`.
const CHECK_HELP: &str = "\
Exit status:
  0  every spec is valid (warnings are printed, and allowed)
  1  a spec has errors, or warnings under --deny-warnings
  2  the command could not run (bad arguments, a path that does not exist,
     no spec files, no `specs` directory here)";

/// Exit codes of `generate`.
const GENERATE_HELP: &str = "\
Nothing is written unless every spec is valid; files are replaced
atomically.

Exit status:
  0  every module was written
  1  a spec has errors (nothing written)
  2  the command could not run (bad arguments, no spec files, output not
     writable)";

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check { paths, deny_warnings } => check(&paths, deny_warnings),
        Command::Generate { paths, out } => generate(&paths, &out),
        Command::Audit(args) => audit_cmd::run(&args),
        Command::Schema => {
            println!("{}", cloudsnap_codegen::schema_json());
            ExitCode::SUCCESS
        }
        Command::Diff(args) => {
            let code = cloudsnap_codegen_cli::diff::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
            ExitCode::from(code)
        }
    }
}

fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let defaults = [PathBuf::from("specs")];
    cloudsnap_codegen::spec_files(if paths.is_empty() { &defaults } else { paths })
}

/// Exit status 1: a spec is invalid.
const SPEC_ERRORS: u8 = 1;
/// Exit status 2: the command could not run.
const CANNOT_RUN: u8 = 2;

/// Print a diagnostic to stderr, coloured when stderr wants colour
/// (`anstream` strips the styles for pipes, files and NO_COLOR).
fn report(d: &Diagnostic) {
    anstream::eprintln!("{}", d.render(true));
}

/// Print the closing `error: ...` line.
fn fail(message: &str) {
    let style = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::BrightRed.into()))
        .bold();
    anstream::eprintln!("{style}error{style:#}: {message}");
}

/// Generate every spec, reporting all diagnostics of all files (one broken
/// file does not stop the others from being checked). `Err` with the exit
/// status if any spec failed.
fn generate_all(paths: &[PathBuf], deny_warnings: bool) -> Result<Vec<Generated>, u8> {
    run_all(paths, deny_warnings, cloudsnap_codegen::generate_file, |g| {
        (&g.vendor, &g.service, &g.warnings)
    })
}

/// Validate every spec (load and model, no emitting), reporting like
/// [`generate_all`].
fn check_all(paths: &[PathBuf], deny_warnings: bool) -> Result<Vec<cloudsnap_codegen::Checked>, u8> {
    run_all(paths, deny_warnings, cloudsnap_codegen::check_file, |c| {
        (&c.vendor, &c.service, &c.warnings)
    })
}

/// Run `step` on every spec file, reporting all diagnostics of all files.
/// `meta` gives a result's vendor, service and warnings.
fn run_all<T>(
    paths: &[PathBuf],
    deny_warnings: bool,
    step: fn(&Path) -> Result<T, Vec<Diagnostic>>,
    meta: fn(&T) -> (&String, &String, &Vec<Diagnostic>),
) -> Result<Vec<T>, u8> {
    if paths.is_empty() && !Path::new("specs").is_dir() {
        fail("no `specs` directory here: run from the repository root, or name the spec files");
        return Err(CANNOT_RUN);
    }
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        fail(&format!("{} does not exist", missing.display()));
        return Err(CANNOT_RUN);
    }
    let files = files(paths);
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        fail(&format!("no spec files (*.yaml) found in {}", shown.join(", ")));
        return Err(CANNOT_RUN);
    }
    let (mut errors, mut warnings, mut failed) = (0, 0, 0);
    let mut out = Vec::new();
    let mut modules: HashMap<(String, String), PathBuf> = HashMap::new();
    for file in &files {
        match step(file) {
            Ok(g) => {
                let (vendor, service, found) = meta(&g);
                found.iter().for_each(report);
                warnings += found.len();
                failed += usize::from(deny_warnings && !found.is_empty());
                let module = (vendor.clone(), service.clone());
                if let Some(first) = modules.get(&module) {
                    report(&duplicate_module(file, first, &module));
                    errors += 1;
                    failed += 1;
                    continue;
                }
                modules.insert(module, file.clone());
                out.push(g);
            }
            Err(diags) => {
                diags.iter().for_each(report);
                let e = diags.iter().filter(|d| d.is_error()).count();
                errors += e;
                warnings += diags.len() - e;
                failed += 1;
            }
        }
    }
    let summary = cloudsnap_codegen::diag::summary(errors, warnings, failed, files.len());
    if errors > 0 {
        fail(&summary);
        return Err(SPEC_ERRORS);
    }
    if deny_warnings && warnings > 0 {
        fail(&format!("{summary}, denied by --deny-warnings"));
        return Err(SPEC_ERRORS);
    }
    Ok(out)
}

/// Two specs that would generate the same module.
fn duplicate_module(file: &Path, first: &Path, (vendor, id): &(String, String)) -> Diagnostic {
    let d = Diagnostic::error(
        "service.id",
        format!("module `{vendor}::{id}` is already generated from {}", first.display()),
    )
    .with_hint("give each spec its own `service.vendor` and `service.id`");
    match cloudsnap_codegen::load::load_file(file) {
        Ok(loaded) => loaded.locate(d),
        Err(_) => d.locate(file, "", None),
    }
}

fn check(paths: &[PathBuf], deny_warnings: bool) -> ExitCode {
    let all = match check_all(paths, deny_warnings) {
        Ok(all) => all,
        Err(code) => return ExitCode::from(code),
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
    let all = match generate_all(paths, false) {
        Ok(all) => all,
        Err(code) => {
            fail(&format!("nothing written to {}", out.display()));
            return ExitCode::from(code);
        }
    };
    let files: Vec<(PathBuf, &str)> = all
        .iter()
        .map(|g| (out.join(&g.vendor).join(format!("{}.rs", g.service)), g.code.as_str()))
        .collect();
    match cloudsnap_codegen_cli::write_atomically(&files) {
        Ok(()) => {
            for (path, _) in &files {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            fail(&e);
            ExitCode::from(CANNOT_RUN)
        }
    }
}
