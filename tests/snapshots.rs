//! The generated code of every spec, guarded by an insta snapshot in
//! `generated/`: a spec change shows up as a readable diff of the Rust API.
//! After changing a spec run `cargo insta review` (or `cargo insta accept`).

use std::path::Path;

#[test]
fn generated_code_matches_snapshots() {
    let files = cloudsnap_codegen::spec_files(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")]);
    assert!(files.len() >= 5, "expected the five shipped specs, found {files:?}");
    for file in files {
        let generated = cloudsnap_codegen::generate_file(&file).unwrap_or_else(|diags| {
            let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
            panic!("{} is invalid:\n{}", file.display(), text.join("\n"))
        });
        let name = format!("{}_{}", generated.vendor, generated.service);
        insta::with_settings!({ snapshot_path => "../generated", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, generated.code);
        });
    }
}

#[test]
fn generation_is_deterministic() {
    let files = cloudsnap_codegen::spec_files(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")]);
    for file in files {
        let a = cloudsnap_codegen::generate_file(&file).map(|g| g.code).ok();
        let b = cloudsnap_codegen::generate_file(&file).map(|g| g.code).ok();
        assert!(a.is_some(), "{} does not generate", file.display());
        assert_eq!(a, b, "{} generates different bytes on a second run", file.display());
    }
}
