//! The `diff` subcommand: arguments, loading both sides, report, exit code.

use std::io::Write;
use std::path::PathBuf;

use super::source::{git_pairs, Source};
use super::{compare, render, service_name, Change, Kind, Severity, SpecDiff};
use cloudsnap_codegen::diag::Diagnostic;
use cloudsnap_codegen::model::Model;

/// Exit code: no change at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: a change at or above `--fail-on` was found.
pub const EXIT_FOUND: u8 = 1;
/// Exit code: bad arguments, or a spec that cannot be read or validated.
pub const EXIT_ERROR: u8 = 2;

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per change, grouped by spec, most severe first.
    Human,
    /// The JSON document described in `cloudsnap_codegen_cli::diff`.
    Json,
}

/// Arguments of `cloudsnap-codegen diff`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// Without --git: OLD and NEW, each a spec file or REV:path (the file at a
    /// git revision, read with `git show`). With --git: spec files or
    /// directories [default: specs].
    #[arg(value_name = "SPEC")]
    pub specs: Vec<String>,
    /// Compare every spec under the given paths at git revision REV with the
    /// working tree.
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when a change of this severity or a more severe one is
    /// found (none < compatible < behavioural < breaking).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = Severity::Breaking)]
    pub fail_on: Severity,
}

/// Help text shown after the options of `diff --help`.
pub const AFTER_HELP: &str = "\
Severities:
  breaking     code that compiled against the old module may stop compiling
  behavioural  still compiles, but requests or parsing may act differently
               (tightened constraint, new wire name, method, endpoint, ...)
  compatible   additions only (new operation, type, optional parameter, ...)
  none         documentation, examples, errata

Exit codes:
  0  no change at or above --fail-on (default: no breaking change)
  1  a change at or above --fail-on was found
  2  usage error, or a spec could not be read or does not validate

Examples:
  cloudsnap-codegen diff HEAD~1:specs/zilliz-cloud.yaml specs/zilliz-cloud.yaml
  cloudsnap-codegen diff --git origin/main --format json
  cloudsnap-codegen diff --git HEAD --fail-on behavioural specs/huawei-cbr.yaml";

/// Run `diff`: write the report to `stdout`, problems to `stderr`, and
/// return the exit code.
pub fn run(args: &DiffArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let pairs = match &args.git {
        Some(rev) => {
            let paths: Vec<PathBuf> = if args.specs.is_empty() {
                vec![PathBuf::from("specs")]
            } else {
                args.specs.iter().map(PathBuf::from).collect()
            };
            match git_pairs(rev, &paths) {
                Ok(p) if p.is_empty() => {
                    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                    return fail(stderr, &format!("no spec files (*.yaml) found in {}", shown.join(", ")));
                }
                Ok(p) => p,
                Err(e) => return fail(stderr, &e),
            }
        }
        None => match args.specs.as_slice() {
            [old, new] => vec![(Some(Source::parse(old)), Some(Source::parse(new)))],
            _ => {
                return fail(
                    stderr,
                    "diff needs OLD and NEW (files or REV:path), or --git REV [PATHS...]; see --help",
                )
            }
        },
    };
    let mut diffs = Vec::new();
    let mut ok = true;
    // A side that could not be read at all (missing file, git problem), as
    // opposed to one that does not validate.
    let mut unreadable = false;
    for (old, new) in &pairs {
        unreadable |= [old, new].into_iter().flatten().any(|s| s.readable().is_err());
        let mut load = |s: &Option<Source>| -> Option<Option<Model>> {
            match s.as_ref().map(Source::load) {
                None => Some(None),
                Some(Ok(m)) => Some(Some(m)),
                Some(Err(diags)) => {
                    report(stderr, &diags);
                    None
                }
            }
        };
        let (a, b) = (load(old), load(new));
        let (Some(a), Some(b)) = (a, b) else {
            ok = false;
            continue;
        };
        diffs.push(SpecDiff {
            old: old.as_ref().map(Source::label),
            new: new.as_ref().map(Source::label),
            service: b.as_ref().or(a.as_ref()).map(service_name).unwrap_or_default(),
            changes: changes(a.as_ref(), b.as_ref()),
        });
    }
    if !ok {
        let why = if unreadable {
            "diff failed: a spec could not be read (see above)"
        } else {
            "diff failed: both sides must validate (see `cloudsnap-codegen check`)"
        };
        return fail(stderr, why);
    }
    let text = match args.format {
        Format::Human => render::human(&diffs),
        Format::Json => render::json(&diffs),
    };
    if let Err(e) = stdout.write_all(text.as_bytes()) {
        return fail(stderr, &format!("cannot write the report: {e}"));
    }
    let found = diffs.iter().filter_map(SpecDiff::highest).any(|s| s >= args.fail_on);
    if found {
        EXIT_FOUND
    } else {
        EXIT_OK
    }
}

/// Changes between two sides, either of which may be missing.
fn changes(old: Option<&Model>, new: Option<&Model>) -> Vec<Change> {
    match (old, new) {
        (Some(a), Some(b)) => compare(a, b),
        (None, Some(b)) => vec![Change::new(
            Kind::ServiceAdded,
            "service",
            Severity::Compatible,
            format!("spec added (new module cloudsnap::{})", service_name(b)),
        )],
        (Some(a), None) => vec![Change::new(
            Kind::ServiceRemoved,
            "service",
            Severity::Breaking,
            format!("spec removed (module cloudsnap::{} no longer exists)", service_name(a)),
        )],
        (None, None) => Vec::new(),
    }
}

fn report(stderr: &mut dyn Write, diags: &[Diagnostic]) {
    for d in diags {
        // Nothing better to do if stderr itself is gone.
        let _ = write!(stderr, "{d}");
    }
}

fn fail(stderr: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(stderr, "error: {message}");
    EXIT_ERROR
}
