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

/// The declared `rust-version` must be true of the locked dependency graph:
/// no package in it (normal and build dependencies of the published crates,
/// as resolved in `Cargo.lock`) may need a newer compiler. When a
/// `cargo update` pulls in a package that needs more, this fails and names
/// it; raise `rust-version` in the workspace manifest (and the README) or
/// pin the package back.
#[test]
fn declared_rust_version_covers_the_locked_dependencies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO"))
        // Not `--offline`: metadata reads the manifest of every package in
        // the lock file, including other platforms' (Windows-only crates a
        // Linux build never downloads), so it may need to fetch them.
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    // `1.89` and `1.89.0` are the same version.
    let version = |v: &str| -> [u32; 3] {
        let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
        [(); 3].map(|()| parts.next().unwrap_or(0))
    };
    let packages = meta["packages"].as_array().expect("packages");
    let declared = packages
        .iter()
        .find(|p| p["name"] == "cloudsnap")
        .and_then(|p| p["rust_version"].as_str())
        .expect("cloudsnap declares rust-version");
    // Dev-only crates (criterion, proptest, insta ...) do not reach users.
    let published = ["cloudsnap", "cloudsnap-runtime", "cloudsnap-codegen"];
    let resolve = &meta["resolve"]["nodes"];
    let mut reach: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = packages
        .iter()
        .filter(|p| published.contains(&p["name"].as_str().unwrap_or_default()))
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .collect();
    while let Some(id) = stack.pop() {
        if !reach.insert(id.clone()) {
            continue;
        }
        let node = resolve
            .as_array()
            .and_then(|n| n.iter().find(|n| n["id"] == id.as_str()));
        for dep in node.and_then(|n| n["deps"].as_array()).into_iter().flatten() {
            let user_facing = dep["dep_kinds"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k["kind"] != "dev"));
            if user_facing {
                stack.push(dep["pkg"].as_str().unwrap_or_default().to_owned());
            }
        }
    }
    let too_new: Vec<String> = packages
        .iter()
        .filter(|p| reach.contains(p["id"].as_str().unwrap_or_default()))
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > version(declared)).then(|| format!("{} {} needs {needs}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "rust-version {declared} is not true of Cargo.lock: {too_new:?}"
    );
}
