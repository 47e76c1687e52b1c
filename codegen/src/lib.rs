//! cloudsnap-codegen: YAML API specs in, formatted Rust clients out.
//!
//! Data flows one way: [`load`] (YAML -> raw [`spec`]) -> [`model`]
//! (validated, names decided) -> [`emit`] (token streams) -> format
//! (prettyplease). [`generate`] runs the whole pipeline for one spec and is
//! what both `build.rs` and the snapshot tests call.

pub mod diag;
pub mod load;
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
