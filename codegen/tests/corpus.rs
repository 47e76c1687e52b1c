//! The broken-spec corpus: one small YAML file per mistake in
//! `tests/corpus/`, each with an insta snapshot of what the generator says
//! about it (plain rendering, as in a log or a pipe).
//!
//! A file that validates cleanly fails the test: each one is there to prove
//! that a mistake is caught. Files named `warn_*` must give warnings and no
//! errors; every other file must give at least one error.
//!
//! Add a case: write `tests/corpus/<what_it_breaks>.yaml` starting with a
//! `# ...` line saying what it tests, run `cargo test -p cloudsnap-codegen
//! --test corpus`, and review the new snapshot with `cargo insta review`.

use std::path::{Path, PathBuf};

use cloudsnap_codegen::diag::{self, Diagnostic};

/// Corpus files, relative to the crate root (where cargo runs the test), so
/// the paths in the snapshots do not depend on the checkout.
fn corpus() -> Vec<PathBuf> {
    let dir = Path::new("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every diagnostic for one spec file: errors, or the warnings of a spec
/// that is otherwise valid.
fn diagnostics(path: &Path) -> Vec<Diagnostic> {
    match cloudsnap_codegen::generate_file(path) {
        Ok(g) => g.warnings,
        Err(d) => d,
    }
}

/// A corpus file as text. The encoding cases are not UTF-8: they are read
/// in the encoding they are in (UTF-16 by its byte order mark, else UTF-8
/// with invalid bytes replaced).
fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("readable");
    match bytes.strip_prefix(&[0xFF, 0xFE]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(&bytes).into_owned(),
    }
}

#[test]
fn corpus_is_large_enough_and_documented() {
    let files = corpus();
    assert!(files.len() >= 50, "only {} corpus files", files.len());
    for f in &files {
        let text = read_text(f);
        assert!(
            text.starts_with("# ") && text.lines().next().is_some_and(|l| l.len() > 10),
            "{} must start with a `# ...` line saying what it tests",
            f.display()
        );
    }
}

#[test]
fn every_broken_spec_is_caught_and_its_diagnostic_snapshotted() {
    let mut wrong = Vec::new();
    for path in corpus() {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name")
            .to_owned();
        let diags = diagnostics(&path);
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;
        let expect_warnings_only = name.starts_with("warn_");
        if diags.is_empty() {
            wrong.push(format!("{name}: validates cleanly, but is in the broken-spec corpus"));
        } else if expect_warnings_only && errors > 0 {
            wrong.push(format!(
                "{name}: a warn_ case must give warnings only, got {errors} errors"
            ));
        } else if !expect_warnings_only && errors == 0 {
            wrong.push(format!(
                "{name}: gives only warnings; name it warn_... or make it an error"
            ));
        }
        for d in &diags {
            if d.pos.is_none() && !name.starts_with("empty") {
                wrong.push(format!("{name}: a diagnostic without a position: {}", d.message));
            }
            if d.message.contains("internal generator error") {
                wrong.push(format!("{name}: the generator failed internally: {}", d.message));
            }
        }
        let text = read_text(&path);
        let what = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("# ")
            .to_owned();
        let mut rendered: String = diags.iter().map(|d| format!("{d}\n")).collect();
        rendered.push_str(&diag::summary(errors, warnings, 1, 1));
        insta::with_settings!({
            description => what,
            omit_expression => true,
            snapshot_path => "corpus/snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
