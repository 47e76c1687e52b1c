//! The model stage spreads a large spec's types and operations over
//! threads (`model::build_on`); the model and the diagnostics, in their
//! order, must not depend on how many threads did the work.

#[path = "../benches/synth/mod.rs"]
mod synth;

use std::path::Path;

use cloudsnap_codegen::{load, model};

/// Enough operations (and five types each) for every thread count below to
/// split both stages.
const OPS: usize = 400;

fn load(text: &str) -> load::Loaded {
    load::load_str(Path::new("synthetic.yaml"), text).unwrap_or_else(|d| panic!("does not load: {d:?}"))
}

/// The model (or the diagnostics) as text, for comparing runs.
fn built(loaded: &load::Loaded, threads: usize) -> String {
    match model::build_on(loaded, threads) {
        Ok(m) => format!("{m:#?}"),
        Err(d) => format!("{d:#?}"),
    }
}

#[test]
fn valid_spec_models_the_same_on_any_thread_count() {
    let loaded = load(&synth::spec_yaml(OPS));
    let one = built(&loaded, 1);
    assert!(model::build_on(&loaded, 1).is_ok(), "the synthetic spec must be valid");
    for threads in [2, 3, 8] {
        assert!(built(&loaded, threads) == one, "{threads} threads: another model");
    }
}

#[test]
fn broken_spec_reports_the_same_diagnostics_in_the_same_order_on_any_thread_count() {
    let mut text = synth::spec_yaml(OPS);
    // Problems in many operations and types, some on the same line (so the
    // order among equal positions counts too): a pattern that does not
    // compile in every operation, unknown types and bad names in some.
    text = text.replace("'^[0-9a-f]{32}$'", "'^[0-9a-f]{32$'");
    for i in (3..OPS).step_by(37) {
        let id = synth::op_id(i);
        text = text.replacen(&format!("type: {id}Response\n"), &format!("type: {id}Respons\n"), 1);
        text = text.replacen(
            &format!("  {id}Item:\n"),
            &format!("  {id}Item:\n    case_insensitive: true\n"),
            1,
        );
    }
    for i in (5..OPS).step_by(41) {
        let id = synth::op_id(i);
        text = text.replacen(&format!("  {id}:\n"), &format!("  {}:\n", id.to_lowercase()), 1);
    }
    let loaded = load(&text);
    let one = model::build_on(&loaded, 1).expect_err("the spec is broken");
    let errors = one.iter().filter(|d| d.is_error()).count();
    assert!(errors > OPS, "expected problems in every operation, got {errors}");
    let one = format!("{one:#?}");
    for threads in [2, 3, 8] {
        assert!(built(&loaded, threads) == one, "{threads} threads: other diagnostics");
    }
}
