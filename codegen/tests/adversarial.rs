//! Valid but nasty specs (`tests/adversarial/*.yaml`, plus a generated one
//! with many operations) must generate code that compiles, whose example
//! tests pass and whose doctests pass: `check` accepting a spec is a promise
//! that its output builds. Keywords and std names, names that differ only
//! in case, nesting at the limits, prose full of code blocks, odd wrapper
//! keys, hundreds of operations.
//!
//! Slow the first time (it builds `cloudsnap`'s dependencies into a scratch
//! target dir shared with `properties.rs`), a minute or so after that.
//! `cargo test -p cloudsnap-codegen --test adversarial`

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn adversarial_files() -> Vec<PathBuf> {
    cloudsnap_codegen::spec_files(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial")])
}

/// Many operations with examples, pagination in both orders, patterns and
/// error tables: every per-operation name (methods, streams, statics,
/// request and error-code types, test functions) many times over.
fn many_operations(count: usize) -> String {
    let mut y = String::from(
        "service:\n  id: many\n  vendor: adv\n  title: Many operations\n  source: many.md\n  protocol: rest_json\n  \
         endpoints: [{ template: \"https://many.{region}.example.com\" }]\n  auth: [bearer]\n  error_envelope: huawei\noperations:\n",
    );
    for i in 0..count {
        let styles = [
            "      - { style: next_token, token_param: marker, token_field: next, page_size: limit, items: items }\n",
            "      - { style: page_number, page_param: page, page_size: limit, total_field: total, items: items, first_page: 1 }\n",
        ];
        let (a, b) = if i % 2 == 0 {
            (styles[0], styles[1])
        } else {
            (styles[1], styles[0])
        };
        let _ = write!(
            y,
            "  ListThings{i}:\n    docs: Lists things, number {i}.\n    method: GET\n    path: /v1/things{i}\n    parameters:\n      \
             - {{ name: marker, in: query, type: string, constraints: {{ pattern: \"^[a-z0-9]*$\" }} }}\n      \
             - {{ name: page, in: query, type: int32 }}\n      - {{ name: limit, in: query, type: integer }}\n    \
             response: {{ status: 200, type: Page }}\n    errors:\n      - {{ status: 404, code: Things.NotFound }}\n    \
             pagination:\n{a}{b}    examples:\n      - name: first page\n        \
             request: {{ method: GET, path: /v1/things{i}, query: {{ limit: \"10\" }}, params: {{ limit: 10 }} }}\n        \
             response: {{ status: 200, body: '{{\"items\": [\"a\"], \"next\": \"n\", \"total\": 1}}' }}\n"
        );
    }
    y.push_str(
        "types:\n  Page:\n    fields:\n      items: { type: array<string> }\n      next: { type: string }\n      total: { type: integer }\n",
    );
    y
}

#[test]
fn accepted_adversarial_specs_compile_and_their_examples_and_doctests_pass() {
    let mut modules = Vec::new();
    let mut failures = Vec::new();
    for file in adversarial_files() {
        match cloudsnap_codegen::generate_file(&file) {
            Ok(g) => modules.push(g),
            Err(d) => failures.push(format!(
                "{} is meant to be valid:\n{}",
                file.display(),
                d.iter().map(|d| d.to_string()).collect::<String>()
            )),
        }
    }
    let many = many_operations(300);
    match cloudsnap_codegen::load::load_str(Path::new("many.yaml"), &many).and_then(|l| cloudsnap_codegen::generate(&l))
    {
        Ok(g) => modules.push(g),
        Err(d) => failures.push(d.iter().map(|d| d.to_string()).collect()),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        modules.len() >= 5,
        "expected the adversarial specs, found {}",
        modules.len()
    );
    let dir = common::scratch_crate("adversarial-compile", &modules, true).expect("scratch crate");
    if let Err(e) = common::cargo(&dir, &["test", "--quiet", "--no-fail-fast"]) {
        panic!("generated code of an accepted spec does not build or its tests fail:\n{e}");
    }
}

/// The many-operations spec swaps its two pagination styles on every other
/// operation; the stream names must not depend on the order.
#[test]
fn stream_names_do_not_depend_on_pagination_order() {
    let loaded = cloudsnap_codegen::load::load_str(Path::new("many.yaml"), &many_operations(2)).expect("loads");
    let model = cloudsnap_codegen::model::build(&loaded).expect("valid");
    let names = |i: usize| -> Vec<(String, String)> {
        let op = &model.operations[i];
        let mut v: Vec<(String, String)> = op
            .pages
            .iter()
            .zip(&op.streams)
            .map(|(p, s)| {
                (
                    format!("{:?}", p.style),
                    s.pages.replace(&format!("things{i}"), "things"),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        model.operations[0].pages[0].style,
        cloudsnap_codegen::spec::PaginationStyle::NextToken
    );
    assert_eq!(
        model.operations[1].pages[0].style,
        cloudsnap_codegen::spec::PaginationStyle::PageNumber
    );
    assert_eq!(names(0), names(1));
}
