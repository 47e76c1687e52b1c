//! Every seed and every saved regression input through both fuzz targets,
//! without afl: a crash the fuzzer once found stays fixed.

use std::collections::BTreeSet;

#[test]
fn operations_cover_every_spec_operation() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut in_specs = BTreeSet::new();
    for file in cloudsnap_codegen::spec_files(&[dir]) {
        let g = cloudsnap_codegen::generate_file(&file).expect("valid spec");
        in_specs.extend(g.model.operations.iter().map(|o| o.id.clone()));
    }
    let listed: BTreeSet<String> = cloudsnap_fuzz::OPERATIONS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(listed, in_specs);
}

#[test]
fn seeds_run_clean() {
    for target in cloudsnap_fuzz::TARGETS {
        let seeds = cloudsnap_fuzz::seeds(target).expect("seeds");
        assert!(seeds.len() >= 5, "{target}: {} seeds", seeds.len());
        for (name, bytes) in seeds {
            let out = cloudsnap_fuzz::run(target, &bytes).expect("known target");
            // The real specs generate code, and the examples parse.
            if target == &"specs" {
                assert!(out.contains("pub const SERVICE"), "{name}: {out}");
            } else if name.ends_with("-ok.json") {
                assert!(!out.contains("cannot decode"), "{name}: {out}");
            } else {
                assert!(out.contains("failed with HTTP"), "{name}: {out}");
            }
        }
    }
}

#[test]
fn regressions_run_clean() {
    for target in cloudsnap_fuzz::TARGETS {
        for (name, bytes) in cloudsnap_fuzz::regressions(target).expect("regression dir") {
            // Returning at all is the test: these inputs once panicked or hung.
            let _ = cloudsnap_fuzz::run(target, &bytes).unwrap_or_else(|| panic!("{name}"));
        }
    }
}
