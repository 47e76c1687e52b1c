//! cloudsnap-codegen: YAML API specs in, formatted Rust clients out.
//!
//! Data flows one way: [`load`] (YAML -> raw [`spec`]) -> [`model`]
//! (validated, names decided) -> [`emit`] (token streams) -> format
//! (prettyplease). [`generate`] runs the whole pipeline for one spec and is
//! what both `build.rs` and the snapshot tests call.

#[cfg(feature = "audit")]
pub mod audit;
pub mod diag;
pub mod diff;
pub mod load;
pub mod model;
pub mod spec;

use std::path::{Path, PathBuf};

/// Expand files and directories into the sorted list of `*.yaml` spec files.
pub fn spec_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            if let Ok(entries) = std::fs::read_dir(p) {
                out.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|f| is_spec(f)));
            }
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out
}

fn is_spec(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

pub mod emit;

use diag::Diagnostic;

/// Generated Rust source for one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Vendor module name (`huawei`).
    pub vendor: String,
    /// Service module name (`cbr`).
    pub service: String,
    /// The formatted module file (inner docs first).
    pub code: String,
    /// Formatted `#[test]` functions for the spec's examples.
    pub tests: String,
    /// Warnings found while validating.
    pub warnings: Vec<Diagnostic>,
    /// The validated model, for summaries.
    pub model: model::Model,
}

/// A spec that validated: what `check` needs, without emitting anything.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Vendor module name (`huawei`).
    pub vendor: String,
    /// Service module name (`cbr`).
    pub service: String,
    /// Warnings found while validating.
    pub warnings: Vec<Diagnostic>,
    /// The validated model, for summaries.
    pub model: model::Model,
}

/// Validate one spec file: load and model only. Everything `check` reports
/// is found here; emitting and formatting cannot fail on spec content, so
/// they are skipped (they cost most of the time and memory on a large spec).
pub fn check_file(path: &Path) -> Result<Checked, Vec<Diagnostic>> {
    let loaded = load::load_file(path)?;
    let model = model::build(&loaded)?;
    Ok(Checked {
        vendor: model.service.vendor.clone(),
        service: model.service.id.clone(),
        warnings: model.warnings.clone(),
        model,
    })
}

/// Run the whole pipeline on one spec file: load -> model -> emit -> format.
pub fn generate_file(path: &Path) -> Result<Generated, Vec<Diagnostic>> {
    let loaded = load::load_file(path)?;
    generate(&loaded)
}

/// Model, emit and format an already loaded spec. Byte-identical output for
/// the same input.
pub fn generate(loaded: &load::Loaded) -> Result<Generated, Vec<Diagnostic>> {
    let model = model::build(loaded)?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let code = format_parts(&model, emit::part_count(&model), emit::module_part, cores)
        .map_err(|e| vec![internal(loaded, e)])?;
    let tests = format_parts(&model, model.operations.len(), emit::tests::operation_part, cores)
        .map_err(|e| vec![internal(loaded, e)])?;
    Ok(Generated {
        vendor: model.service.vendor.clone(),
        service: model.service.id.clone(),
        code,
        tests,
        warnings: model.warnings.clone(),
        model,
    })
}

/// Format a token stream as a Rust file with prettyplease.
pub fn format(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Parts per thread below which [`format_parts`] stays on one thread.
const PARTS_PER_THREAD: usize = 32;

/// Emit and format parts `0..count` of a file (`part(model, i)` gives the
/// tokens of part `i`) and concatenate them in order: the same bytes as
/// formatting the whole file at once, since prettyplease prints items one
/// after another. Each part's tokens and syntax tree are dropped as soon as
/// it is printed, so memory stays small however large the spec; large specs
/// are split into contiguous ranges over the available cores (token streams
/// are not `Send`, so every thread emits its own), at most `max_threads`.
pub fn format_parts(
    model: &model::Model,
    count: usize,
    part: fn(&model::Model, usize) -> proc_macro2::TokenStream,
    max_threads: usize,
) -> Result<String, String> {
    let range = |r: std::ops::Range<usize>| -> Result<String, String> {
        let mut out = String::new();
        for i in r {
            out.push_str(&format(part(model, i))?);
        }
        Ok(out)
    };
    let threads = max_threads.min(count / PARTS_PER_THREAD).max(1);
    if threads == 1 {
        return range(0..count);
    }
    let chunk = count.div_ceil(threads);
    let pieces: Vec<Result<String, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let r = (t * chunk).min(count)..((t + 1) * chunk).min(count);
                scope.spawn(move || range(r))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a formatting thread panicked".to_owned()))
            })
            .collect()
    });
    pieces.into_iter().collect::<Result<Vec<_>, _>>().map(|p| p.concat())
}

/// A generator bug surfaced as a diagnostic instead of a panic.
fn internal(loaded: &load::Loaded, message: String) -> Diagnostic {
    Diagnostic::error("", format!("internal generator error: {message}"))
        .with_hint("this is a bug in cloudsnap-codegen; please report it with the spec file")
        .locate(&loaded.file, &loaded.text, None)
}

/// Counts for the `check` summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Operations.
    pub operations: usize,
    /// Request parameters.
    pub parameters: usize,
    /// Named types.
    pub types: usize,
    /// Enum values over all enums.
    pub enum_values: usize,
    /// Errata and additions.
    pub errata: usize,
}

/// Count what a model holds.
pub fn summarize(m: &model::Model) -> Summary {
    Summary {
        operations: m.operations.len(),
        parameters: m.operations.iter().map(|o| o.params.len()).sum(),
        types: m.types.len(),
        enum_values: m
            .types
            .iter()
            .map(|t| match &t.kind {
                model::TypeKind::Enum { values, .. } => values.len(),
                model::TypeKind::Object { .. } => 0,
            })
            .sum(),
        errata: m.errata.len(),
    }
}

/// The JSON Schema of the spec format (published as `specs/schema.json`).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(spec::Spec);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// Write every file or none: each goes to a temporary sibling first and is
/// renamed into place only after all were written, so a failed or
/// interrupted run never leaves a mix of old and new output.
pub fn write_atomically(files: &[(PathBuf, &str)]) -> Result<(), String> {
    let mut staged = Vec::new();
    for (path, text) in files {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        if let Err(e) = std::fs::write(&tmp, text) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("cannot write {}: {e}", tmp.display()));
        }
        staged.push((tmp, path.clone()));
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path).map_err(|e| format!("cannot move {} into place: {e}", path.display()))?;
    }
    Ok(())
}
