//! The doc coverage audit on small documents in every format
//! (`tests/audit/widget.*`), all describing the spec `tests/audit/widget.yaml`
//! plus a `weight` field the spec lacks.

use std::path::{Path, PathBuf};
use std::process::Command;

use cloudsnap_codegen::load::{self, Loaded};
use cloudsnap_codegen_cli::audit::{self, Format, Kind, Report};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/audit").join(name)
}

fn spec_with(extra: &str) -> Loaded {
    let path = fixture("widget.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture spec") + extra;
    load::load_str(&path, &text).unwrap_or_else(|d| panic!("fixture spec does not load: {d:?}"))
}

fn run(doc: &str, extra: &str) -> Report {
    audit::audit(&spec_with(extra), &fixture(doc), None).expect("fixture document")
}

/// (kind, name, lines) of every name the document has and the spec lacks.
fn doc_only(r: &Report) -> Vec<(Kind, String, Vec<usize>)> {
    r.differences
        .missing_from_spec
        .iter()
        .map(|d| (d.kind, d.name.clone(), d.seen.iter().map(|s| s.line).collect()))
        .collect()
}

fn spec_only(r: &Report) -> Vec<(Kind, String, String)> {
    r.differences
        .missing_from_document
        .iter()
        .map(|d| (d.kind, d.name.clone(), d.path.clone()))
        .collect()
}

const WEIGHT_ERRATUM: &str = r#"
errata:
  - kind: erratum
    at: types.Widget
    document: "The widget table lists `weight`, which the service never sends."
    resolution: Left out.
"#;

#[test]
fn formats_are_detected_from_name_then_content() {
    let cases = [
        ("widget.rst", Format::Rst),
        ("widget.html", Format::Html),
        ("widget.mdx", Format::Markdown),
        ("widget.txt", Format::Text),
    ];
    for (name, format) in cases {
        let text = std::fs::read_to_string(fixture(name)).expect("fixture");
        assert_eq!(audit::detect(&fixture(name), &text), format, "{name}");
        // The content alone points the same way.
        assert_eq!(
            audit::detect(Path::new("document"), &text),
            format,
            "{name} without extension"
        );
    }
    assert_eq!(audit::detect(Path::new("x.html.md"), "# T\n"), Format::Html);
    assert_eq!(
        audit::detect(Path::new("x.md"), "<table><tr><th>Parameter</th></tr></table>"),
        Format::Html
    );
}

#[test]
fn rst_grid_and_simple_tables_enumerations_and_examples() {
    let r = run("widget.rst", "");
    assert_eq!(doc_only(&r), vec![(Kind::Name, "weight".to_owned(), vec![43])]);
    assert_eq!(spec_only(&r), vec![]);
    assert_eq!(r.unexplained(), 1);
    let text = std::fs::read_to_string(fixture("widget.rst")).expect("fixture");
    let values: Vec<(String, usize)> = audit::mentions(Format::Rst, &text)
        .into_iter()
        .filter(|m| m.kind == Kind::EnumValue)
        .map(|m| (m.name, m.line))
        .collect();
    assert_eq!(values, vec![("red".to_owned(), 37), ("blue".to_owned(), 39)]);
}

#[test]
fn html_tables_captions_and_pre_blocks() {
    let r = run("widget.html", "");
    assert_eq!(
        doc_only(&r),
        vec![
            (Kind::Name, "weight".to_owned(), vec![21]),
            (Kind::ErrorCode, "WID.0404".to_owned(), vec![35]),
        ]
    );
    assert_eq!(spec_only(&r), vec![]);
    let text = std::fs::read_to_string(fixture("widget.html")).expect("fixture");
    let id = audit::mentions(Format::Html, &text)
        .into_iter()
        .find(|m| m.name == "id" && m.context.starts_with("Table 2"))
        .expect("the id row");
    // Found as element text on its own line, not in the `id="p1"` attribute.
    assert_eq!(id.line, 18);
}

#[test]
fn mdx_fences_pipe_tables_and_definition_lists() {
    let r = run("widget.mdx", "");
    assert_eq!(doc_only(&r), vec![(Kind::Name, "weight".to_owned(), vec![36])]);
    assert_eq!(spec_only(&r), vec![]);
    let text = std::fs::read_to_string(fixture("widget.mdx")).expect("fixture");
    let names: Vec<String> = audit::mentions(Format::Markdown, &text)
        .into_iter()
        .map(|m| m.name)
        .collect();
    // Front matter and a `Note:` list item mention nothing; `${BASE_URL}` is the host.
    for absent in ["title", "description", "Note", "BASE_URL", "TOKEN"] {
        assert!(!names.contains(&absent.to_owned()), "{absent} in {names:?}");
    }
}

#[test]
fn alibaba_plain_text_rows_bullets_and_error_codes() {
    let r = run("widget.txt", "");
    assert_eq!(
        doc_only(&r),
        vec![
            (Kind::Name, "weight".to_owned(), vec![40, 55]),
            (Kind::ErrorCode, "Widget.NotFound".to_owned(), vec![62]),
        ]
    );
    // The page has no status-code table.
    assert_eq!(
        spec_only(&r),
        vec![(
            Kind::StatusCode,
            "200".to_owned(),
            "operations.ShowWidget.status_codes[0]".to_owned()
        )]
    );
    let text = std::fs::read_to_string(fixture("widget.txt")).expect("fixture");
    let values: Vec<String> = audit::mentions(Format::Text, &text)
        .into_iter()
        .filter(|m| m.kind == Kind::EnumValue)
        .map(|m| m.name)
        .collect();
    assert_eq!(values, ["red", "blue"]);
}

#[test]
fn an_erratum_that_cites_the_name_explains_it() {
    for doc in ["widget.rst", "widget.html", "widget.mdx"] {
        let r = run(doc, WEIGHT_ERRATUM);
        let weight = &r.differences.missing_from_spec[0];
        assert_eq!(weight.name, "weight");
        let by = weight
            .explained_by
            .as_ref()
            .unwrap_or_else(|| panic!("{doc}: not explained"));
        assert_eq!((by.index, by.at.as_str()), (0, "types.Widget"));
        // The HTML page also has an error code the spec lacks.
        let expected = usize::from(doc == "widget.html");
        assert_eq!(r.unexplained(), expected, "{doc}");
    }
}

#[test]
fn an_erratum_about_something_else_does_not_explain() {
    let unrelated = r#"
errata:
  - kind: addition
    at: types.Widget
    document: The document gives no weight unit for `size_gb`.
    resolution: Gigabytes.
"#;
    let r = run("widget.rst", unrelated);
    assert_eq!(r.unexplained(), 1);
    assert!(r.differences.missing_from_spec[0].explained_by.is_none());
}

#[test]
fn spec_names_the_document_lacks_need_an_erratum_at_their_path() {
    let extra_value = "      - { value: green }\n";
    let r = run("widget.rst", extra_value);
    assert_eq!(
        spec_only(&r),
        vec![(Kind::EnumValue, "green".to_owned(), "types.Color.values[2]".to_owned())]
    );
    let explained = format!(
        "{extra_value}{}",
        r#"
errata:
  - kind: addition
    at: types.Color.values[2]
    document: Only red and blue are listed.
    resolution: The service also sends green.
  - kind: erratum
    at: types.Widget
    document: "`weight` is listed but never sent."
    resolution: Left out.
"#
    );
    assert_eq!(run("widget.rst", &explained).unexplained(), 0);
}

#[test]
fn a_field_in_the_wrong_type_is_reported() {
    // `weight` on the response wrapper, not on Widget where the tables put it.
    let misplaced = "      weight: { type: integer }\n";
    let text = std::fs::read_to_string(fixture("widget.yaml"))
        .expect("fixture")
        .replace(
            "      widget: { type: Widget }\n",
            &format!("      widget: {{ type: Widget }}\n{misplaced}"),
        );
    let loaded = load::load_str(&fixture("widget.yaml"), &text).expect("spec loads");
    let r = audit::audit(&loaded, &fixture("widget.rst"), None).expect("document");
    let weight = &r.differences.missing_from_spec[0];
    assert_eq!(weight.name, "weight");
    assert_eq!(weight.note.as_deref(), Some("the spec has it, but not in Widget"));
}

#[test]
fn docs_dir_defaults_beside_the_repository() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    let from_codegen = audit::default_docs_dir(Path::new(env!("CARGO_MANIFEST_DIR")), None);
    assert_eq!(from_codegen, repo.join("../shared/seed-docs"));
    assert_eq!(audit::default_docs_dir(repo, Some("/docs")), PathBuf::from("/docs"));
    assert_eq!(
        audit::default_docs_dir(repo, Some("")),
        repo.join("../shared/seed-docs")
    );
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cloudsnap-codegen"))
        .arg("audit")
        .args(args)
        .output()
        .expect("run cloudsnap-codegen")
}

#[test]
fn cli_exit_codes_and_json_output() {
    let spec = fixture("widget.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let rst = fixture("widget.rst");
    let rst = rst.to_str().expect("utf-8 path");

    let out = cli(&[spec, "--doc", rst]);
    assert_eq!(out.status.code(), Some(1), "unexplained difference");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("in document, missing from spec: 1"), "{text}");
    assert!(
        text.contains("name `weight`: document line 43 (Table 3 Widget)"),
        "{text}"
    );

    let out = cli(&[spec, "--doc", rst, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(json[0]["unexplained"], 1);
    assert_eq!(json[0]["format"], "rst");
    assert_eq!(json[0]["missing_from_spec"][0]["name"], "weight");
    assert_eq!(json[0]["missing_from_spec"][0]["seen"][0]["line"], 43);

    // Forcing the wrong format finds nothing to compare, so the spec's names
    // all look undocumented.
    let out = cli(&[spec, "--doc", rst, "--doc-format", "text"]);
    assert_eq!(out.status.code(), Some(1));

    let out = cli(&[spec, "--doc", "/nonexistent/widget.rst"]);
    assert_eq!(out.status.code(), Some(2), "missing document");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not found"));

    let out = cli(&[spec, "--docs-dir", "/nonexistent"]);
    assert_eq!(out.status.code(), Some(2), "service.source not in the docs dir");

    let out = cli(&["--all", "--doc", rst]);
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn cli_exit_zero_when_everything_is_explained() {
    let dir = std::env::temp_dir().join(format!("cloudsnap-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let text = std::fs::read_to_string(fixture("widget.yaml")).expect("fixture") + WEIGHT_ERRATUM;
    let spec = dir.join("widget.yaml");
    std::fs::write(&spec, text).expect("write spec");
    // No --doc: `service.source` (widget.rst) is looked up in --docs-dir.
    let docs = fixture("");
    let out = cli(&[
        spec.to_str().expect("utf-8"),
        "--docs-dir",
        docs.to_str().expect("utf-8"),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn broken_json_examples_still_give_their_keys() {
    // Missing commas, a trailing comma, `...` and a `]` closing a `{`, as in
    // the vendors' examples.
    let doc = "Response:\n\n```\n{\n  \"Snapshots\": {\n    {\n      \"total\":1\n      \"failed\" : 0\n      \"ok\": 1,\n    },\n    ...\n  ]\n}\n```\n";
    let keys: Vec<(String, usize)> = audit::mentions(Format::Markdown, doc)
        .into_iter()
        .filter(|m| m.kind == Kind::Name)
        .map(|m| (m.name, m.line))
        .collect();
    let expected = [("Snapshots", 5), ("total", 7), ("failed", 8), ("ok", 9)];
    assert_eq!(keys, expected.map(|(k, l)| (k.to_owned(), l)));
}

#[test]
fn keys_under_a_map_field_are_data_not_names() {
    // `indices` is a map keyed by index name: `.kibana` and `logs` are data.
    let spec = spec_with("  Stats:\n    standalone: true\n    fields:\n      indices: { type: \"map<Widget>\" }\n");
    let doc = "```json\n{\"indices\": {\"logs\": {\"id\": \"w-1\"}}}\n```\n";
    let r = audit::audit_text(&spec, Path::new("doc.md"), doc, Format::Markdown);
    let names: Vec<String> = r.differences.missing_from_spec.iter().map(|d| d.name.clone()).collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_spec_field_the_document_shows_only_elsewhere_is_reported() {
    // The document has `project_id` (a path parameter), never as a Widget field.
    let text = std::fs::read_to_string(fixture("widget.yaml"))
        .expect("fixture")
        .replace(
            "      size_gb: { type: integer }\n",
            "      size_gb: { type: integer }\n      project_id: { type: string }\n",
        );
    let loaded = load::load_str(&fixture("widget.yaml"), &text).expect("spec loads");
    let r = audit::audit(&loaded, &fixture("widget.rst"), None).expect("document");
    let extra = &r.differences.missing_from_document;
    assert_eq!(extra.len(), 1, "{extra:?}");
    assert_eq!(extra[0].path, "types.Widget.fields.project_id");
    assert_eq!(
        extra[0].note.as_deref(),
        Some("the document mentions it, but never in Widget's table or examples")
    );
}

#[test]
fn every_parser_survives_every_document_cut_anywhere() {
    // Documents arrive as they were received: truncated tables, unclosed
    // fences and tags must give fewer mentions, never a panic.
    for name in ["widget.rst", "widget.html", "widget.mdx", "widget.txt"] {
        let text = std::fs::read_to_string(fixture(name)).expect("fixture");
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(11).collect();
        for format in [Format::Rst, Format::Html, Format::Markdown, Format::Text] {
            for &cut in &cuts {
                let _ = audit::mentions(format, &text[..cut]);
                let _ = audit::mentions(format, &text[cut..]);
            }
        }
    }
}

#[test]
fn envelope_names_count_only_at_the_top_of_a_body() {
    // The spec's huawei error envelope covers a top-level `error_code`, but
    // not a `message` field inside the widget.
    let doc = "```json\n{\"error_code\": \"E1\", \"widget\": {\"id\": \"w-1\", \"message\": \"hi\"}}\n```\n";
    let r = audit::audit_text(&spec_with(""), Path::new("doc.md"), doc, Format::Markdown);
    let names: Vec<String> = r.differences.missing_from_spec.iter().map(|d| d.name.clone()).collect();
    assert_eq!(names, ["message"]);
}

/// A name the document lists as a new request parameter is missing from the
/// spec even when the spec has a response field of that name (issue 12: a
/// new query parameter `projectId` went unnoticed because a response has a
/// `projectId`). The field is taken from the spec model, not hard-coded.
#[test]
fn a_new_request_parameter_named_like_a_response_field_is_missing() {
    let loaded = spec_with("");
    let op_params: Vec<&str> = loaded
        .spec
        .operations
        .values()
        .flat_map(|op| op.parameters.iter().map(|p| p.name.as_str()))
        .collect();
    // A field of a response type that is no request parameter.
    let field = loaded.spec.types["Widget"]
        .fields
        .iter()
        .flatten()
        .map(|(name, _)| name.as_str())
        .find(|name| !op_params.contains(name))
        .expect("Widget has a field that is no parameter")
        .to_owned();
    for (doc, format, row) in [
        // Alibaba's plain-text layout: a Request parameters row.
        (
            "widget.txt",
            Format::Text,
            format!("{field}stringNo\n\nOnly widgets with this value.\n\nx\n"),
        ),
        // A Huawei page: a query parameter table with a caption.
        (
            "widget.html",
            Format::Html,
            format!(
                "<table>\n<caption>Table 9 Query Parameters</caption>\n<thead><tr><th>Parameter</th><th>Mandatory</th></tr></thead>\n<tbody><tr><td>{field}</td><td>No</td></tr></tbody>\n</table>\n"
            ),
        ),
    ] {
        let text = std::fs::read_to_string(fixture(doc)).expect("fixture");
        let before = audit::audit_text(&loaded, &fixture(doc), &text, format);
        assert!(
            !doc_only(&before).iter().any(|(_, name, _)| *name == field),
            "{doc}: {:?}",
            doc_only(&before)
        );
        // The new row goes right after the request table's last row.
        let anchor = match format {
            Format::Text => "The widget ID.\n\nw-1\n",
            _ => "</table>\n",
        };
        let at = text.find(anchor).expect("anchor in fixture") + anchor.len();
        let edited = format!("{}{row}{}", &text[..at], &text[at..]);
        let after = audit::audit_text(&loaded, &fixture(doc), &edited, format);
        let missing = after
            .differences
            .missing_from_spec
            .iter()
            .find(|d| d.name == field)
            .unwrap_or_else(|| panic!("{doc}: `{field}` not reported: {:?}", doc_only(&after)));
        assert_eq!(missing.kind, Kind::Name, "{doc}");
        assert_eq!(
            missing.note.as_deref(),
            Some("the spec has it, but not as a request parameter"),
            "{doc}"
        );
        assert!(missing.explained_by.is_none(), "{doc}");
        assert_eq!(after.unexplained(), before.unexplained() + 1, "{doc}");
    }
}

/// The other direction: a path parameter of the spec that the document
/// shows only as a response field is missing from the document.
#[test]
fn a_spec_parameter_the_document_shows_only_in_a_response_is_missing() {
    let loaded = spec_with("");
    let text = std::fs::read_to_string(fixture("widget.txt")).expect("fixture");
    let param = loaded.spec.operations["ShowWidget"].parameters[1].name.clone();
    // Rename the request row, and show the name as a response row instead.
    let request_row = format!("{param}stringYes");
    assert!(text.contains(&request_row), "fixture lists {param}");
    let edited = text
        .replace(&request_row, "other_idstringYes")
        .replace("size_gbinteger", &format!("{param}string\n\nx\n\nsize_gbinteger"));
    let r = audit::audit_text(&loaded, &fixture("widget.txt"), &edited, Format::Text);
    let missing = r
        .differences
        .missing_from_document
        .iter()
        .find(|d| d.kind == Kind::Name && d.name == param)
        .unwrap_or_else(|| panic!("{param} not reported: {:?}", spec_only(&r)));
    assert_eq!(
        missing.note.as_deref(),
        Some("the document mentions it, but only as a response field")
    );
}

#[test]
fn doc_that_is_not_the_specs_source_is_refused_unless_forced() {
    let spec = fixture("widget.yaml");
    let spec = spec.to_str().expect("utf-8 path");
    let source = spec_with("").spec.service.source;
    // Another document of the fixture set, not the spec's source.
    let other = ["widget.html", "widget.mdx", "widget.txt", "widget.rst"]
        .into_iter()
        .find(|d| *d != source)
        .expect("another fixture");
    let other = fixture(other);
    let other = other.to_str().expect("utf-8 path");

    let out = cli(&[spec, "--doc", other]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("is not the spec's source document `{source}`")),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "no report: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = cli(&[spec, "--doc", other, "--force"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("warning: "), "{err}");
    assert!(err.contains("audited anyway"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");

    // --force means nothing without --doc.
    assert_eq!(cli(&[spec, "--force"]).status.code(), Some(2));
}
