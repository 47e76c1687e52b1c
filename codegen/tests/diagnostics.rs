//! Broken specs get precise diagnostics: the YAML path, a position and a hint.

use std::path::Path;

use cloudsnap_codegen::diag::Diagnostic;

const HEAD: &str = "service:
  id: t
  vendor: v
  title: T
  source: t.md
  protocol: rest_json
  endpoints: [{template: \"https://t.{region}.example.com\"}]
  auth: [bearer]
  error_envelope: huawei
";

fn errors(body: &str) -> Vec<Diagnostic> {
    let text = format!("{HEAD}{body}");
    let loaded = match cloudsnap_codegen::load::load_str(Path::new("t.yaml"), &text) {
        Ok(l) => l,
        Err(d) => return d,
    };
    match cloudsnap_codegen::generate(&loaded) {
        Ok(_) => Vec::new(),
        Err(d) => d.into_iter().filter(Diagnostic::is_error).collect(),
    }
}

fn one(body: &str, path: &str, message: &str, hint: &str) {
    let errs = errors(body);
    let found = errs.iter().find(|d| d.yaml_path == path && d.message.contains(message));
    let d = found.unwrap_or_else(|| panic!("no error at {path} containing {message:?}; got {errs:#?}"));
    assert!(d.pos.is_some(), "{d:?}");
    assert!(d.hint.as_deref().unwrap_or_default().contains(hint), "hint of {d:?}");
}

const OP: &str = "operations:
  Get:
    docs: d
    method: GET
    path: /v1/{id}
    parameters:
      - {name: id, in: path, type: string, required: true}
    response: {status: 200, type: Out}
";

#[test]
fn misspelled_type_reference_suggests_the_right_one() {
    one(
        &format!("{OP}types:\n  Out:\n    fields:\n      a: {{type: Otu}}\n"),
        "types.Out.fields.a.type",
        "unknown type `Otu`",
        "did you mean `Out`?",
    );
}

#[test]
fn misspelled_key_suggests_the_right_one() {
    one(
        &format!("{OP}types:\n  Out:\n    fields:\n      a: {{type: string, requird: true}}\n"),
        "types.Out.fields.a.requird",
        "unknown key `requird`",
        "did you mean `required`?",
    );
}

#[test]
fn names_colliding_after_renaming_are_errors() {
    one(
        &format!(
            "{OP}types:\n  Out:\n    fields:\n      backupId: {{type: string}}\n      backup_id: {{type: string}}\n"
        ),
        "types.Out.fields.backup_id",
        "both become the Rust name `backup_id`",
        "rust_name",
    );
}

#[test]
fn placeholder_without_parameter_is_an_error() {
    let body = OP.replace("path: /v1/{id}", "path: /v1/{id}/{other}");
    one(
        &format!("{body}types:\n  Out:\n    fields: {{}}\n"),
        "operations.Get.path",
        "`{other}` has no path parameter",
        "add a parameter",
    );
}

#[test]
fn body_on_get_is_an_error() {
    let body = OP.replace(
        "required: true}",
        "required: true}\n      - {name: b, in: body, type: string}",
    );
    one(
        &format!("{body}types:\n  Out:\n    fields: {{}}\n"),
        "operations.Get.parameters[1].in",
        "GET requests cannot have a body",
        "in: query",
    );
}

#[test]
fn direct_recursion_is_an_error() {
    one(
        &format!("{OP}types:\n  Out:\n    fields:\n      next: {{type: Out}}\n"),
        "types.Out.fields.next.type",
        "contains itself (Out -> next: Out)",
        "array<...>",
    );
}

#[test]
fn contradictory_constraints_and_bad_regex_are_errors() {
    let body = OP.replace(
        "required: true}",
        "required: true}\n      - {name: q, in: query, type: string, constraints: {min_length: 5, max_length: 2, pattern: \"([a-z\"}}",
    );
    let text = format!("{body}types:\n  Out:\n    fields: {{}}\n");
    one(
        &text,
        "operations.Get.parameters[1].constraints.min_length",
        "is above `max_length`",
        "swap",
    );
    one(
        &text,
        "operations.Get.parameters[1].constraints.pattern",
        "invalid regular expression",
        "regex",
    );
}

#[test]
fn example_that_does_not_match_its_type_is_an_error() {
    let body = format!(
        "{OP}    examples:\n      - name: e\n        response: {{status: 200, body: '{{\"a\": \"x\", \"zz\": 1}}'}}\ntypes:\n  Out:\n    fields:\n      a: {{type: integer}}\n"
    );
    let errs = errors(&body);
    assert!(
        errs.iter().any(|d| d.message.contains("$.a: expected an integer")),
        "{errs:#?}"
    );
    assert!(
        errs.iter().any(|d| d.message.contains("`zz` is not a field of Out")),
        "{errs:#?}"
    );
}

#[test]
fn all_errors_are_reported_together() {
    let body = format!(
        "{OP}types:\n  Out:\n    fields:\n      a: {{type: Nope}}\n      b: {{type: Nada}}\n  E:\n    values: []\n"
    );
    assert!(errors(&body).len() >= 3, "{:#?}", errors(&body));
}

#[test]
fn rendering_shows_file_line_caret_path_and_hint() {
    let errs = errors(&format!("{OP}types:\n  Out:\n    fields:\n      a: {{type: Otu}}\n"));
    let text = errs[0].to_string();
    assert!(
        text.starts_with("error: unknown type `Otu`\n  --> t.yaml:21:"),
        "{text}"
    );
    assert!(text.contains("|       a: {type: Otu}\n"), "{text}");
    assert!(text.contains("= at: types.Out.fields.a.type"), "{text}");
    assert!(text.contains("= help: did you mean `Out`?"), "{text}");
}
