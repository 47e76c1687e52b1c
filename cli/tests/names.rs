//! The name table: generated names are decided once, in the model, and
//! `diff` reports when one changes.
//! `cargo test -p cloudsnap-codegen-cli --test names`

use std::path::Path;

use cloudsnap_codegen::model::Model;
use cloudsnap_codegen_cli::diff::{self, Kind, Severity};

const HEAD: &str =
    "service:\n  id: names\n  vendor: test\n  title: Names\n  source: names.md\n  protocol: rest_json\n  \
    endpoints: [{ template: \"https://names.{region}.example.com\" }]\n  auth: [bearer]\n  error_envelope: huawei\n";

const TOKEN: &str =
    "      - { style: next_token, token_param: marker, token_field: next, page_size: limit, items: items }\n";
const PAGE: &str =
    "      - { style: page_number, page_param: page, page_size: limit, total_field: total, items: items, first_page: 1 }\n";

fn spec(pagination: &[&str]) -> String {
    format!(
        "{HEAD}operations:\n  ListThings:\n    docs: Lists things.\n    method: GET\n    path: /v1/things\n    parameters:\n      \
         - {{ name: marker, in: query, type: string }}\n      - {{ name: page, in: query, type: integer }}\n      \
         - {{ name: limit, in: query, type: integer }}\n    response: {{ status: 200, type: Page }}\n    pagination:\n{}\
         types:\n  Page:\n    fields:\n      items: {{ type: array<string> }}\n      next: {{ type: string }}\n      \
         total: {{ type: integer }}\n",
        pagination.concat()
    )
}

fn model(text: &str) -> Model {
    let loaded = cloudsnap_codegen::load::load_str(Path::new("names.yaml"), text).expect("loads");
    cloudsnap_codegen::model::build(&loaded).expect("valid")
}

fn streams(m: &Model) -> Vec<String> {
    let mut v: Vec<String> = m.operations[0]
        .streams
        .iter()
        .flat_map(|s| [s.pages.clone(), s.items.clone()])
        .collect();
    v.sort();
    v
}

#[test]
fn swapping_pagination_styles_renames_nothing() {
    let (a, b) = (model(&spec(&[TOKEN, PAGE])), model(&spec(&[PAGE, TOKEN])));
    assert_eq!(streams(&a), streams(&b));
    let changes = diff::compare(&a, &b);
    assert!(
        !changes.iter().any(|c| c.kind == Kind::StreamMethodRenamed),
        "{changes:?}"
    );
}

#[test]
fn a_stream_method_rename_is_reported_as_breaking() {
    // With only page numbers the streams have no suffix; adding a token
    // style moves them to `_by_page_number`.
    let (a, b) = (model(&spec(&[PAGE])), model(&spec(&[PAGE, TOKEN])));
    let op = &a.operations[0];
    assert_eq!(op.streams[0].pages, format!("{}_pages", op.method_name));
    let changes = diff::compare(&a, &b);
    let renamed: Vec<_> = changes.iter().filter(|c| c.kind == Kind::StreamMethodRenamed).collect();
    assert_eq!(renamed.len(), 2, "{changes:?}");
    let renamed_from: Vec<&str> = renamed.iter().filter_map(|c| c.old.as_deref()).collect();
    for s in &a.operations[0].streams {
        assert!(renamed_from.contains(&s.pages.as_str()) && renamed_from.contains(&s.items.as_str()));
    }
    assert!(renamed.iter().all(|c| c.severity == Severity::Breaking));
}

#[test]
fn emitted_code_uses_the_name_table() {
    let loaded = cloudsnap_codegen::load::load_str(Path::new("names.yaml"), &spec(&[PAGE, TOKEN])).expect("loads");
    let g = cloudsnap_codegen::generate(&loaded).expect("generates");
    let op = &g.model.operations[0];
    for name in [&op.request_name, &op.error_code_name]
        .into_iter()
        .chain(op.streams.iter().flat_map(|s| [&s.pages, &s.items]))
    {
        assert!(g.code.contains(name.as_str()), "{name} not in the generated code");
    }
    assert!(g.code.contains(&format!("pub async fn {}(", op.method_name)));
}
