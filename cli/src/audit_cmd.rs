//! `cloudsnap-codegen audit`: arguments, document lookup and exit codes.
//! Exit 0: every difference is explained; 1: an unexplained difference;
//! 2: usage or load errors (clap exits 2 on bad arguments too).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use cloudsnap_codegen::load::Loaded;
use cloudsnap_codegen_cli::audit::{self, Format, Owner, Report};

/// Help text shown after the options of `audit --help`.
pub const AFTER_HELP: &str = "\
Exit status:
  0  every difference is explained by an erratum or addition of the spec
  1  a difference no erratum explains
  2  the command could not run (bad arguments, a spec that does not load,
     a document that cannot be found or read, --doc of a document that is
     not the spec's `service.source` without --force)

Documents: each spec's `service.source` names its document, looked up in
--docs-dir, else $CLOUDSNAP_SEED_DOCS, else ../shared/seed-docs beside the
repository root.";

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Grouped, human-readable list.
    Human,
    /// A JSON array with one object per spec.
    Json,
}

/// Arguments of `audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Spec files or directories [default: specs].
    specs: Vec<PathBuf>,
    /// Audit every spec in specs/ against its `service.source` document.
    #[arg(long, conflicts_with_all = ["specs", "doc"])]
    all: bool,
    /// The document to audit against (one spec only). Without it, each
    /// spec's `service.source` is looked up in --docs-dir.
    #[arg(long, value_name = "DOCUMENT")]
    doc: Option<PathBuf>,
    /// Directory of the source documents [default: $CLOUDSNAP_SEED_DOCS, else
    /// ../shared/seed-docs beside the repository root].
    #[arg(long, value_name = "DIR")]
    docs_dir: Option<PathBuf>,
    /// Audit against --doc even when it is not the spec's `service.source`
    /// (a renamed or newer copy of it); a warning is printed first.
    #[arg(long, requires = "doc")]
    force: bool,
    /// Read the document as this format instead of detecting it.
    #[arg(long, value_enum)]
    doc_format: Option<Format>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Output,
    /// Print every name found in the document (to check a parser) instead
    /// of comparing.
    #[arg(long)]
    mentions: bool,
}

/// Run the audit; see the module docs for exit codes.
pub fn run(args: &AuditArgs) -> ExitCode {
    if args.mentions {
        return list_mentions(args);
    }
    match reports(args) {
        Ok(reports) => {
            match args.format {
                Output::Human => print!("{}", audit::report::human(&reports)),
                Output::Json => println!("{}", audit::report::json(&reports)),
            }
            let unexplained: usize = reports.iter().map(Report::unexplained).sum();
            if unexplained == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            ExitCode::from(2)
        }
    }
}

fn reports(args: &AuditArgs) -> Result<Vec<Report>, Vec<String>> {
    let format = args.doc_format;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (loaded, document) in inputs(args)? {
        match audit::audit(&loaded, &document, format) {
            Ok(r) => out.push(r),
            Err(e) => errors.push(format!("{}: {e}", loaded.file.display())),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Load every spec and find its document; all problems at once.
fn inputs(args: &AuditArgs) -> Result<Vec<(Loaded, PathBuf)>, Vec<String>> {
    let defaults = [PathBuf::from("specs")];
    let paths = if args.specs.is_empty() {
        if !defaults[0].is_dir() {
            return Err(vec![
                "no `specs` directory here: run from the repository root, or name the spec files".to_owned(),
            ]);
        }
        &defaults[..]
    } else {
        &args.specs[..]
    };
    let files = cloudsnap_codegen::spec_files(paths);
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(vec![format!("no spec files (*.yaml) found in {}", shown.join(", "))]);
    }
    if args.doc.is_some() && files.len() != 1 {
        return Err(vec![format!("--doc needs exactly one spec, got {}", files.len())]);
    }
    let docs_dir = args.docs_dir.clone().unwrap_or_else(|| {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        audit::default_docs_dir(&cwd, std::env::var("CLOUDSNAP_SEED_DOCS").ok().as_deref())
    });
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for file in &files {
        match input(file, args.doc.as_deref(), &docs_dir, args.force) {
            Ok(pair) => out.push(pair),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn input(file: &Path, doc: Option<&Path>, docs_dir: &Path, force: bool) -> Result<(Loaded, PathBuf), Vec<String>> {
    // Rendered diagnostics already start with their severity ("error: ...").
    let loaded = cloudsnap_codegen::load::load_file(file).map_err(|ds| {
        ds.iter()
            .map(|d| d.to_string().trim_start_matches("error: ").to_owned())
            .collect::<Vec<_>>()
    })?;
    let document = match doc {
        Some(d) => d.to_path_buf(),
        None => audit::source_document(docs_dir, &loaded.spec.service.source)
            .map_err(|e| vec![format!("{}: {e}", file.display())])?,
    };
    if !document.is_file() {
        let hint = if doc.is_none() {
            " (service.source looked up in --docs-dir or $CLOUDSNAP_SEED_DOCS)"
        } else {
            ""
        };
        return Err(vec![format!(
            "{}: document {} not found{hint}",
            file.display(),
            document.display()
        )]);
    }
    if let Some(d) = doc {
        let source = &loaded.spec.service.source;
        if d.file_name().is_none_or(|n| n != source.as_str()) {
            let problem = format!(
                "{}: {} is not the spec's source document `{source}` (service.source); every \
                 difference between the two documents would be reported as a gap in the spec",
                file.display(),
                d.display()
            );
            if !force {
                return Err(vec![format!(
                    "{problem}. Drop --doc to audit against `{source}` in --docs-dir, or add --force \
                     if this is a copy of it under another name"
                )]);
            }
            warn(&format!("{problem} (audited anyway: --force)"));
        }
    }
    Ok((loaded, document))
}

/// Print a `warning: ...` line to stderr.
fn warn(message: &str) {
    let style = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()))
        .bold();
    anstream::eprintln!("{style}warning{style:#}: {message}");
}

/// `--mentions`: what the parser found in each document, one per line.
fn list_mentions(args: &AuditArgs) -> ExitCode {
    let documents: Result<Vec<PathBuf>, Vec<String>> = match &args.doc {
        Some(d) => Ok(vec![d.clone()]),
        None => inputs(args).map(|pairs| pairs.into_iter().map(|(_, d)| d).collect()),
    };
    let documents = match documents {
        Ok(d) => d,
        Err(errors) => {
            errors.iter().for_each(|e| eprintln!("error: {e}"));
            return ExitCode::from(2);
        }
    };
    for document in documents {
        let text = match std::fs::read(&document) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                eprintln!("error: cannot read document {}: {e}", document.display());
                return ExitCode::from(2);
            }
        };
        let format = args.doc_format.unwrap_or_else(|| audit::detect(&document, &text));
        println!("{} ({format})", document.display());
        for m in audit::mentions(format, &text) {
            let parent = match &m.owner {
                Some(Owner::Key(k)) => format!(" in {k}"),
                _ => String::new(),
            };
            println!(
                "  {:>5}  {:<13} {}  ({}{parent})",
                m.line,
                m.kind.label(),
                m.name,
                m.context
            );
        }
    }
    ExitCode::SUCCESS
}
