//! Every spec in `specs/` is a cargo feature of the same name, on by default.
//! `build.rs` generates a service only when its feature is enabled, so a
//! spec without a feature would silently never be compiled.

use std::collections::BTreeSet;
use std::path::Path;

/// The `name = [...]` lines of the `[features]` table, as (name, members).
fn features(manifest: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut in_features = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let members = value
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(',')
            .map(|m| m.trim().trim_matches('"').to_owned())
            .filter(|m| !m.is_empty())
            .collect();
        out.push((name.trim().to_owned(), members));
    }
    out
}

#[test]
fn every_spec_has_a_default_feature() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("read Cargo.toml");
    let features = features(&manifest);
    let declared: BTreeSet<&str> = features.iter().map(|(n, _)| n.as_str()).collect();
    let default: BTreeSet<&str> = features
        .iter()
        .find(|(n, _)| n == "default")
        .map(|(_, m)| m.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let specs = cloudsnap_codegen::spec_files(&[root.join("specs")]);
    assert!(specs.len() >= 5, "expected the shipped specs, found {specs:?}");
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).expect("UTF-8 file name");
        assert!(
            declared.contains(stem),
            "specs/{stem}.yaml has no cargo feature `{stem}` in Cargo.toml; add `{stem} = []`"
        );
        assert!(
            default.contains(stem),
            "feature `{stem}` is not in `default`, so `cargo test --workspace` would not test it"
        );
    }
}

#[test]
fn feature_table_parser_reads_lists() {
    let parsed =
        features("[package]\nname = \"x\"\n[features]\ndefault = [\"a-b\", \"c\"]\na-b = []\n# note\nc = []\n");
    assert_eq!(
        parsed,
        vec![
            ("default".to_owned(), vec!["a-b".to_owned(), "c".to_owned()]),
            ("a-b".to_owned(), vec![]),
            ("c".to_owned(), vec![]),
        ]
    );
}
