//! cloudsnap-codegen: YAML API specs in, formatted Rust clients out.
//!
//! Data flows one way: [`load`] (YAML -> raw [`spec`]) -> [`model`]
//! (validated, names decided) -> [`emit`] (token streams) -> [`format`](mod@format)
//! (text). [`generate`] runs the whole pipeline for one spec in the layout
//! people read (prettyplease: the snapshot tests, `generate --out`);
//! [`generate_file_with`] with [`Layout::Compact`] is what `build.rs` runs:
//! the same tokens, printed without building a syntax tree.

pub mod diag;
pub mod emit;
pub mod format;
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

use diag::Diagnostic;
pub use format::{compact, compact_into, format, format_files, format_parts, Layout};

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

/// Run the whole pipeline on one spec file: load -> model -> emit -> format
/// (the pretty layout).
pub fn generate_file(path: &Path) -> Result<Generated, Vec<Diagnostic>> {
    generate_file_with(path, Layout::Pretty)
}

/// Run the whole pipeline on one spec file, printing in `layout`
/// (`build.rs` uses [`Layout::Compact`]).
pub fn generate_file_with(path: &Path, layout: Layout) -> Result<Generated, Vec<Diagnostic>> {
    let loaded = load::load_file(path)?;
    generate_with(&loaded, layout)
}

/// Load a spec from text and generate it as `build.rs` does (compact
/// layout; `file` is used in diagnostics only): what the benchmarks time
/// end to end.
pub fn generate_str(file: &Path, text: &str) -> Result<Generated, Vec<Diagnostic>> {
    let loaded = load::load_str(file, text)?;
    generate_with(&loaded, Layout::Compact)
}

/// Model, emit and format an already loaded spec in the pretty layout.
/// Byte-identical output for the same input.
pub fn generate(loaded: &load::Loaded) -> Result<Generated, Vec<Diagnostic>> {
    generate_with(loaded, Layout::Pretty)
}

/// Model, emit and print an already loaded spec in `layout`. Both layouts
/// are the same tokens (see [`format`](mod@format)); byte-identical output for the same
/// input.
pub fn generate_with(loaded: &load::Loaded, layout: Layout) -> Result<Generated, Vec<Diagnostic>> {
    let model = model::build(loaded)?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    // The module and its tests in one pool of threads (no wait between them).
    let files: [(usize, format::PartFn); 2] = [
        (emit::part_count(&model), emit::module_part),
        (model.operations.len(), emit::tests::operation_part),
    ];
    let [code, tests]: [String; 2] = format_files(&model, &files, cores, layout)
        .map_err(|e| vec![internal(loaded, e)])?
        .try_into()
        .map_err(|_| {
            vec![internal(
                loaded,
                "format_files returned another number of files".to_owned(),
            )]
        })?;
    Ok(Generated {
        vendor: model.service.vendor.clone(),
        service: model.service.id.clone(),
        code,
        tests,
        warnings: model.warnings.clone(),
        model,
    })
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
