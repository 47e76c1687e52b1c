//! `specs/schema.json` is derived from the spec types; it must not drift.

#[test]
fn published_schema_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/schema.json");
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    let current = cloudsnap_codegen::schema_json();
    assert!(
        published.trim_end() == current.trim_end(),
        "specs/schema.json is not up to date; run `cargo codegen schema > specs/schema.json`"
    );
}

#[test]
fn every_shipped_spec_validates() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let files = cloudsnap_codegen::spec_files(&[dir]);
    assert_eq!(files.len(), 5, "{files:?}");
    for f in files {
        if let Err(diags) = cloudsnap_codegen::generate_file(&f) {
            let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
            panic!("{}:\n{}", f.display(), text.join("\n"));
        }
    }
}
