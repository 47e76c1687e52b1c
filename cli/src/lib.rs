//! cloudsnap-codegen-cli: the maintainers' tool around the generator
//! library (`cloudsnap-codegen`).
//!
//! The binary `cloudsnap-codegen` has the subcommands `check`, `generate`,
//! `diff`, `audit` and `schema`; this library holds the parts that are worth
//! testing on their own: [`diff`] (what a spec change does to the generated
//! API) and [`audit`] (a spec against its source document).

pub mod audit;
pub mod diff;

use std::path::{Path, PathBuf};

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
