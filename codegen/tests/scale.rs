//! Graph checks stay linear: long chains and rings of types are checked in
//! a fraction of a second (the recursion check used to be a DFS from every
//! type that cloned its trail on every edge: 3,000 chained types took 4 s,
//! 6,000 took 58 s, 12,000 did not finish), and nothing recursive can
//! overflow the stack however long the chain.
//!
//! `cargo test -p cloudsnap-codegen --test scale` (debug build; the limits
//! below are generous for a shared machine, the release figures are far
//! lower).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use cloudsnap_codegen::diag::Diagnostic;

const HEAD: &str =
    "service:\n  id: scale\n  vendor: test\n  title: Scale\n  source: scale.md\n  protocol: rest_json\n  \
    endpoints: [{ template: \"https://scale.{region}.example.com\" }]\n  auth: [bearer]\n  error_envelope: huawei\n\
    operations:\n  ShowRoot:\n    docs: Shows the root.\n    method: GET\n    path: /v1/root\n    \
    response: { status: 200, type: T0 }\ntypes:\n";

/// `n` types, `T{i}` holding `T{next(i)}` in a field of type `field(T)`.
fn spec(n: usize, next: impl Fn(usize) -> Option<usize>, field: &str) -> String {
    let mut y = String::from(HEAD);
    for i in 0..n {
        let _ = write!(y, "  T{i}:\n    fields:\n      id: {{ type: string }}\n");
        if let Some(j) = next(i) {
            let ty = field.replace('T', &format!("T{j}"));
            let _ = writeln!(y, "      next: {{ type: \"{ty}\" }}");
        }
    }
    y
}

/// Model the spec; the diagnostics and how long modelling took.
fn check(text: &str) -> (Vec<Diagnostic>, Duration) {
    let loaded = cloudsnap_codegen::load::load_str(Path::new("scale.yaml"), text).expect("loads");
    let start = Instant::now();
    let diags = match cloudsnap_codegen::model::build(&loaded) {
        Ok(m) => m.warnings,
        Err(d) => d,
    };
    (diags, start.elapsed())
}

const LIMIT: Duration = Duration::from_secs(3);

#[test]
fn a_chain_of_12000_types_is_checked_quickly_and_reported_once() {
    let n = 12_000;
    let (diags, took) = check(&spec(n, |i| (i + 1 < n).then_some(i + 1), "T"));
    assert!(took < LIMIT, "{n} chained types took {took:?}");
    // Far deeper than any output rustc can prove `Send` for: one error, at
    // the outermost type.
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].yaml_path, "types.T0");
    assert!(
        errors[0].message.contains(&format!(
            "more than the {} the generated code can have",
            cloudsnap_codegen::model::MAX_NESTING
        )),
        "{}",
        errors[0].message
    );
}

#[test]
fn a_by_value_ring_of_5000_types_is_one_recursion_error() {
    let n = 5_000;
    let (diags, took) = check(&spec(n, |i| Some((i + 1) % n), "T"));
    assert!(took < LIMIT, "a ring of {n} types took {took:?}");
    let recursion: Vec<&Diagnostic> = diags.iter().filter(|d| d.message.contains("contains itself")).collect();
    assert_eq!(recursion.len(), 1, "{recursion:?}");
    assert_eq!(recursion[0].yaml_path, "types.T0.fields.next.type");
}

#[test]
fn a_ring_through_lists_is_not_recursion_but_is_too_deep() {
    // `array<T>` breaks the infinite size, but rustc's `Send` proof still
    // walks every member of the ring.
    let n = 3_000;
    let (diags, took) = check(&spec(n, |i| Some((i + 1) % n), "array<T>"));
    assert!(took < LIMIT, "a ring of {n} types took {took:?}");
    assert!(
        !diags.iter().any(|d| d.message.contains("contains itself")),
        "{diags:?}"
    );
    assert!(diags.iter().any(|d| d.message.contains("levels of types")), "{diags:?}");
}

#[test]
fn a_wide_tree_of_12000_types_is_valid_and_quick() {
    // T{i} holds T{2i+1}: depth about log2(12000), well within the limit.
    let n = 12_000;
    let (diags, took) = check(&spec(n, |i| (2 * i + 1 < n).then_some(2 * i + 1), "array<T>"));
    assert!(took < LIMIT, "{n} types took {took:?}");
    assert!(!diags.iter().any(Diagnostic::is_error), "{diags:?}");
}

#[test]
fn a_small_ring_through_lists_is_valid() {
    let (diags, _) = check(&spec(10, |i| Some((i + 1) % 10), "array<T>"));
    assert!(!diags.iter().any(Diagnostic::is_error), "{diags:?}");
}

#[path = "../benches/synth/mod.rs"]
#[allow(dead_code)]
mod synth;

/// Not a test: writes a synthetic valid spec of about
/// `CLOUDSNAP_SYNTH_MB` MB (default 50) to `CLOUDSNAP_SYNTH_OUT`, for
/// measuring `check` on a large spec:
///
/// ```sh
/// CLOUDSNAP_SYNTH_OUT=/tmp/synth50.yaml cargo test --release -p cloudsnap-codegen --test scale -- --ignored write_synthetic_spec
/// cargo build --release -p cloudsnap-codegen && /usr/bin/time -v target/release/cloudsnap-codegen check /tmp/synth50.yaml
/// ```
#[test]
#[ignore]
fn write_synthetic_spec() {
    let Ok(out) = std::env::var("CLOUDSNAP_SYNTH_OUT") else {
        return;
    };
    let mb: usize = std::env::var("CLOUDSNAP_SYNTH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let per_op = synth::spec_yaml(100).len() / 100;
    let ops = (mb * 1_000_000).div_ceil(per_op);
    let text = synth::spec_yaml(ops);
    std::fs::write(&out, &text).expect("writable");
    println!("wrote {out}: {ops} operations, {} bytes", text.len());
}
