//! The scaling benchmark's synthetic specs are valid specs of the promised
//! size: if the generator started rejecting them (or they drifted), the
//! benchmark would measure an early error exit instead of real work.

#[path = "../benches/synth/mod.rs"]
mod synth;

use std::path::Path;

#[test]
fn synthetic_spec_is_valid_and_sized_as_documented() {
    for n in [1, 4, 10, 37] {
        let text = synth::spec_yaml(n);
        let loaded = cloudsnap_codegen::load::load_str(Path::new("synthetic.yaml"), &text).unwrap_or_else(|d| {
            panic!("{n} ops: does not load:\n{}", render(&d));
        });
        let generated = cloudsnap_codegen::generate(&loaded).unwrap_or_else(|d| {
            panic!("{n} ops: does not generate:\n{}", render(&d));
        });
        assert!(
            generated.warnings.is_empty(),
            "{n} ops: unexpected warnings:\n{}",
            render(&generated.warnings)
        );
        let s = cloudsnap_codegen::summarize(&generated.model);
        assert_eq!(s.operations, n);
        assert_eq!(s.types, n * synth::TYPES_PER_OP + synth::SHARED_TYPES);
        assert_eq!(
            s.enum_values,
            n * (synth::STATUS_VALUES.len() + 2) + synth::REGIONS.len()
        );
        assert_eq!(s.parameters, (0..n).map(synth::params_of).sum::<usize>());
        assert_eq!(s.errata, n.div_ceil(10));
        let examples: usize = generated.model.operations.iter().map(|o| o.examples.len()).sum();
        assert_eq!(examples, n);
        // Every operation yields a request and a response example test.
        assert_eq!(generated.tests.matches("#[test]").count(), 2 * n);
    }
}

#[test]
fn synthetic_operations_cover_every_shape() {
    let ids: Vec<String> = (0..4).map(synth::op_id).collect();
    assert_eq!(ids, ["ListBackup0", "ShowSnapshot1", "CreateVault2", "UpdatePolicy3"]);
}

fn render(d: &[cloudsnap_codegen::diag::Diagnostic]) -> String {
    d.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Formatting part by part, on several threads, gives exactly the bytes of
/// formatting the whole file at once, in both layouts.
#[test]
fn formatting_by_parts_matches_whole_file() {
    use cloudsnap_codegen::{compact, emit, format, format_parts, Layout};
    let text = synth::spec_yaml(40);
    let loaded = cloudsnap_codegen::load::load_str(Path::new("synthetic.yaml"), &text).expect("loads");
    let model = cloudsnap_codegen::model::build(&loaded).expect("valid");
    for layout in [Layout::Pretty, Layout::Compact] {
        let print = |ts| match layout {
            Layout::Pretty => format(ts).expect("formats"),
            Layout::Compact => compact(ts),
        };
        let whole = print(emit::module(&model));
        let whole_tests = print(emit::tests::example_tests(&model));
        for threads in [1, 2, 3] {
            let code =
                format_parts(&model, emit::part_count(&model), emit::module_part, threads, layout).expect("formats");
            assert!(code == whole, "{layout:?}: module differs with {threads} threads");
            let tests = format_parts(
                &model,
                model.operations.len(),
                emit::tests::operation_part,
                threads,
                layout,
            )
            .expect("formats");
            assert!(tests == whole_tests, "{layout:?}: tests differ with {threads} threads");
        }
    }
}

/// A large spec is parsed into the typed spec on a second thread while its
/// positions are indexed; the diagnostics are the ones a small spec gets.
#[test]
fn large_specs_report_the_same_problems_as_small_ones() {
    let broken = |n: usize, problem: &str| {
        // The problem goes at the top, so it is at the same line whatever
        // the size.
        let text = format!("{problem}{}", synth::spec_yaml(n));
        let diags =
            cloudsnap_codegen::load::load_str(Path::new("synthetic.yaml"), &text).expect_err("the spec is broken");
        diags
            .iter()
            .map(|d| {
                // A duplicate is reported at the second key, whose line grows
                // with the spec: the line only when it is the first.
                let at = d.pos.map(|p| (p.line == 1, p.column));
                (d.message.clone(), d.yaml_path.clone(), at, d.hint.clone())
            })
            .collect::<Vec<_>>()
    };
    // 100 operations is past the size from which loading uses two threads.
    assert!(synth::spec_yaml(100).len() > 512 * 1024);
    for problem in [
        // An unknown top-level key (the typed parse finds it).
        "bogus_section: 1\n",
        // A duplicate key (the index finds it).
        "errata: []\n",
        // A YAML syntax error.
        "service: [unclosed\n",
    ] {
        let small = broken(2, problem);
        assert!(!small.is_empty(), "{problem:?}");
        assert_eq!(broken(100, problem), small, "{problem:?}");
    }
}

/// `load_str` reads a synthetic spec from its one YAML parse; the typed
/// spec is the one serde_yaml reads from the same text.
#[test]
fn one_parse_reads_the_spec_serde_yaml_reads() {
    for n in [1, 10, 50] {
        let text = synth::spec_yaml(n);
        let loaded = cloudsnap_codegen::load::load_str(Path::new("synth.yaml"), &text).expect("valid");
        let by_serde_yaml: cloudsnap_codegen::spec::Spec = serde_yaml::from_str(&text).expect("valid");
        assert_eq!(
            format!("{:?}", loaded.spec),
            format!("{by_serde_yaml:?}"),
            "{n} operations"
        );
    }
}
