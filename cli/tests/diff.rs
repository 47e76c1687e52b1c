//! `diff`: every kind of spec change gets the severity the generated Rust
//! earns it. Each case edits a small base spec and asserts the exact set of
//! changes found, so a missed change and a spurious one both fail.

#[path = "diff/cli.rs"]
mod cli;
#[path = "diff/facts.rs"]
mod facts;

use std::path::Path;

use cloudsnap_codegen::model::Model;
use cloudsnap_codegen_cli::diff::{self, Change, Kind, Severity, SpecDiff};
use Kind::*;
use Severity::{Behavioural, Breaking, Compatible, None as NoChange};

/// A service with two operations, two structs and an enum: enough to touch
/// every rule.
pub const BASE: &str = r#"service:
  id: things
  vendor: acme
  title: Acme things
  source: things.md
  protocol: rest_json
  endpoints:
    - {template: "https://things.{region}.example.com", docs: Regional endpoint.}
  auth: [bearer]
  error_envelope: huawei
operations:
  GetThing:
    docs: Gets a thing.
    method: GET
    path: /v1/things/{thing_id}
    parameters:
      - {name: thing_id, in: path, type: string, required: true, docs: ID of the thing.}
      - {name: tenant, in: query, type: string, required: true}
      - {name: verbose, in: query, type: boolean, default: false}
      - {name: name, in: query, type: string, constraints: {max_length: 64}}
      - {name: mode, in: query, type: Mode}
    response: {status: 200, type: Thing}
    errors:
      - {status: 404, code: Thing.NotFound, message: The thing does not exist.}
  ListThings:
    docs: Lists things.
    method: GET
    path: /v1/things
    parameters:
      - {name: page, in: query, type: integer, constraints: {minimum: 1}}
      - {name: size, in: query, type: integer, constraints: {minimum: 1, maximum: 100}}
    response: {status: 200, type: ThingPage}
    pagination:
      - {style: page_number, page_param: page, page_size: size, total_field: total, items: things, first_page: 1}
types:
  Thing:
    docs: A thing.
    fields:
      id: {type: string, required: true, docs: ID of the thing.}
      size: {type: integer}
      mode: {type: Mode}
  ThingPage:
    docs: One page of things.
    fields:
      total: {type: integer}
      things: {type: array<Thing>}
  Mode:
    docs: How a thing runs.
    values:
      - {value: FAST, docs: Quickly.}
      - {value: SLOW}
"#;

/// Load and validate a spec text, or fail the test with its diagnostics.
pub fn model(text: &str) -> Model {
    let loaded = cloudsnap_codegen::load::load_str(Path::new("t.yaml"), text)
        .unwrap_or_else(|d| panic!("spec does not load:\n{}", render(&d)));
    cloudsnap_codegen::generate(&loaded)
        .unwrap_or_else(|d| panic!("spec does not validate:\n{}\n{text}", render(&d)))
        .model
}

fn render(diags: &[cloudsnap_codegen::diag::Diagnostic]) -> String {
    diags.iter().map(ToString::to_string).collect()
}

/// `BASE` with each `(from, to)` replaced once; every `from` must occur.
pub fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_owned();
    for (from, to) in edits {
        assert!(text.contains(from), "edit target not found: {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// Assert that going from `before` edits to `after` edits finds exactly
/// `expect` (kind, path, severity), in any order.
fn case(name: &str, before: &[(&str, &str)], after: &[(&str, &str)], expect: &[(Kind, &str, Severity)]) {
    let found = diff::compare(&model(&edit(before)), &model(&edit(after)));
    let mut got: Vec<(Kind, String, Severity)> = found.iter().map(|c| (c.kind, c.path.clone(), c.severity)).collect();
    let mut want: Vec<(Kind, String, Severity)> = expect.iter().map(|(k, p, s)| (*k, p.to_string(), *s)).collect();
    let key = |x: &(Kind, String, Severity)| format!("{:?} {} {:?}", x.0, x.1, x.2);
    got.sort_by_key(key);
    want.sort_by_key(key);
    assert_eq!(got, want, "case `{name}`; changes found:\n{found:#?}");
    for c in &found {
        assert!(!c.reason.is_empty(), "case `{name}`: empty reason in {c:?}");
    }
}

const P: &str = "operations.GetThing.parameters";

#[test]
fn identical_specs_have_no_changes() {
    assert_eq!(diff::compare(&model(BASE), &model(BASE)), Vec::<Change>::new());
    for file in cloudsnap_codegen::spec_files(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")]) {
        let text = std::fs::read_to_string(&file).expect("shipped spec is readable");
        assert_eq!(
            diff::compare(&model(&text), &model(&text)),
            Vec::<Change>::new(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn request_parameters() {
    let thing_id = "      - {name: thing_id, in: path, type: string, required: true, docs: ID of the thing.}\n";
    let required = format!("{thing_id}      - {{name: region_id, in: query, type: string, required: true}}\n");
    let optional = format!("{thing_id}      - {{name: region_id, in: query, type: string}}\n");
    case(
        "required added",
        &[],
        &[(thing_id, &required)],
        &[(ParameterAdded, &format!("{P}.region_id"), Breaking)],
    );
    case(
        "optional added",
        &[],
        &[(thing_id, &optional)],
        &[(ParameterAdded, &format!("{P}.region_id"), Compatible)],
    );
    case(
        "required added where all were optional",
        &[],
        &[(
            "      - {name: page, in: query,",
            "      - {name: owner, in: query, type: string, required: true}\n      - {name: page, in: query,",
        )],
        &[
            (ParameterAdded, "operations.ListThings.parameters.owner", Breaking),
            (DefaultImplRemoved, "operations.ListThings.parameters", Breaking),
        ],
    );
    case(
        "removed",
        &[],
        &[(
            "      - {name: verbose, in: query, type: boolean, default: false}\n",
            "",
        )],
        &[(ParameterRemoved, &format!("{P}.verbose"), Breaking)],
    );
    case(
        "optional to required",
        &[],
        &[(
            "{name: name, in: query, type: string,",
            "{name: name, in: query, type: string, required: true,",
        )],
        &[(ParameterNowRequired, &format!("{P}.name"), Breaking)],
    );
    case(
        "required to optional",
        &[],
        &[(
            "{name: tenant, in: query, type: string, required: true}",
            "{name: tenant, in: query, type: string}",
        )],
        &[(ParameterNowOptional, &format!("{P}.tenant"), Breaking)],
    );
    case(
        "type changed",
        &[],
        &[(
            "{name: mode, in: query, type: Mode}",
            "{name: mode, in: query, type: string}",
        )],
        &[(ParameterTypeChanged, &format!("{P}.mode"), Breaking)],
    );
    case(
        "rust name changed",
        &[],
        &[(
            "{name: tenant, in: query, type: string, required: true}",
            "{name: tenant, in: query, type: string, required: true, rust_name: owner}",
        )],
        &[(ParameterRenamed, &format!("{P}.tenant"), Breaking)],
    );
    case(
        "wire name changed, rust name kept",
        &[],
        &[("{name: tenant, in: query,", "{name: Tenant, in: query,")],
        &[(ParameterWireNameChanged, &format!("{P}.Tenant"), Behavioural)],
    );
    case(
        "wire and rust name changed: a different parameter",
        &[],
        &[("{name: tenant, in: query,", "{name: owner, in: query,")],
        &[
            (ParameterRemoved, &format!("{P}.tenant"), Breaking),
            (ParameterAdded, &format!("{P}.owner"), Breaking),
        ],
    );
    case(
        "moved to a header",
        &[],
        &[("{name: verbose, in: query,", "{name: verbose, in: header,")],
        &[(ParameterPlacementChanged, &format!("{P}.verbose"), Behavioural)],
    );
    case(
        "documented default changed",
        &[],
        &[("default: false}", "default: true}")],
        &[(DefaultChanged, &format!("{P}.verbose.default"), Behavioural)],
    );
    case(
        "default documented for the first time",
        &[],
        &[(
            "{name: tenant, in: query, type: string, required: true}",
            "{name: tenant, in: query, type: string, required: true, default: all}",
        )],
        &[(DefaultChanged, &format!("{P}.tenant.default"), NoChange)],
    );
    case(
        "deprecated optional parameter",
        &[],
        &[("default: false}", "default: false, deprecated: {note: Gone soon.}}")],
        &[(Deprecated, &format!("{P}.verbose"), Compatible)],
    );
    case(
        "deprecated required parameter",
        &[],
        &[(
            "type: string, required: true}",
            "type: string, required: true, deprecated: {note: Gone soon.}}",
        )],
        &[(Deprecated, &format!("{P}.tenant"), NoChange)],
    );
    case(
        "docs only",
        &[],
        &[("docs: ID of the thing.}", "docs: The thing's ID.}")],
        &[(DocsChanged, &format!("{P}.thing_id.docs"), NoChange)],
    );
}

#[test]
fn constraints() {
    let l = "operations.ListThings.parameters";
    case(
        "max_length lowered",
        &[],
        &[("max_length: 64", "max_length: 32")],
        &[(
            ConstraintTightened,
            &format!("{P}.name.constraints.max_length"),
            Behavioural,
        )],
    );
    case(
        "max_length raised",
        &[],
        &[("max_length: 64", "max_length: 128")],
        &[(
            ConstraintLoosened,
            &format!("{P}.name.constraints.max_length"),
            Compatible,
        )],
    );
    case(
        "pattern added",
        &[],
        &[("{max_length: 64}", "{max_length: 64, pattern: \"^[a-z]+$\"}")],
        &[(
            ConstraintTightened,
            &format!("{P}.name.constraints.pattern"),
            Behavioural,
        )],
    );
    case(
        "pattern changed",
        &[("{max_length: 64}", "{max_length: 64, pattern: \"^[a-z]+$\"}")],
        &[("{max_length: 64}", "{max_length: 64, pattern: \"^[a-z0-9]+$\"}")],
        &[(ConstraintChanged, &format!("{P}.name.constraints.pattern"), Behavioural)],
    );
    case(
        "minimum raised",
        &[],
        &[("{minimum: 1}}", "{minimum: 2}}")],
        &[(
            ConstraintTightened,
            &format!("{l}.page.constraints.minimum"),
            Behavioural,
        )],
    );
    case(
        "maximum removed",
        &[],
        &[("{minimum: 1, maximum: 100}", "{minimum: 1}")],
        &[(ConstraintLoosened, &format!("{l}.size.constraints.maximum"), Compatible)],
    );
}

#[test]
fn operations() {
    let o = "operations.GetThing";
    case(
        "operation added",
        &[],
        &[("  ListThings:\n", "  DeleteThing:\n    docs: Deletes a thing.\n    method: DELETE\n    path: /v1/things/{thing_id}\n    parameters:\n      - {name: thing_id, in: path, type: string, required: true}\n    response: {status: 204}\n  ListThings:\n")],
        &[(OperationAdded, "operations.DeleteThing", Compatible)],
    );
    let list_start = BASE.find("  ListThings:\n").expect("ListThings in BASE");
    let list_end = BASE.find("types:\n").expect("types in BASE");
    let page_type = "  ThingPage:\n    docs: One page of things.\n    fields:\n      total: {type: integer}\n      things: {type: array<Thing>}\n";
    case(
        "operation removed (and its now unused output type)",
        &[],
        &[(&BASE[list_start..list_end], ""), (page_type, "")],
        &[
            (OperationRemoved, "operations.ListThings", Breaking),
            (TypeRemoved, "types.ThingPage", Breaking),
        ],
    );
    case(
        "method changed",
        &[],
        &[(
            "    method: GET\n    path: /v1/things/{thing_id}",
            "    method: PUT\n    path: /v1/things/{thing_id}",
        )],
        &[
            (RequestLineChanged, &format!("{o}.method"), Behavioural),
            (IdempotencyChanged, &format!("{o}.idempotent"), Behavioural),
        ],
    );
    case(
        "path changed",
        &[],
        &[("path: /v1/things/{thing_id}", "path: /v2/things/{thing_id}")],
        &[(RequestLineChanged, &format!("{o}.path"), Behavioural)],
    );
    case(
        "success status changed",
        &[],
        &[("{status: 200, type: Thing}", "{status: 201, type: Thing}")],
        &[(RequestLineChanged, &format!("{o}.response.status"), Behavioural)],
    );
    case(
        "output type changed",
        &[],
        &[("{status: 200, type: Thing}", "{status: 200, type: ThingPage}")],
        &[(OutputChanged, &format!("{o}.response.type"), Breaking)],
    );
    case(
        "docs only",
        &[],
        &[("docs: Gets a thing.", "docs: Gets one thing.")],
        &[(DocsChanged, &format!("{o}.docs"), NoChange)],
    );
    case(
        "pagination changed",
        &[],
        &[("first_page: 1}", "first_page: 0}")],
        &[(
            PaginationChanged,
            "operations.ListThings.pagination.page_number",
            Behavioural,
        )],
    );
}

#[test]
fn error_codes() {
    let e = "operations.GetThing.errors";
    let row = "      - {status: 404, code: Thing.NotFound, message: The thing does not exist.}\n";
    case(
        "error code added",
        &[],
        &[(row, "      - {status: 404, code: Thing.NotFound, message: The thing does not exist.}\n      - {status: 403, code: Thing.Forbidden}\n")],
        &[(ErrorCodeAdded, &format!("{e}.Thing.Forbidden"), Behavioural)],
    );
    case(
        "error code removed",
        &[],
        &[(row, "")],
        &[(ErrorCodeRemoved, &format!("{e}.Thing.NotFound"), Breaking)],
    );
    case(
        "documented status changed",
        &[],
        &[(
            "{status: 404, code: Thing.NotFound",
            "{status: 410, code: Thing.NotFound",
        )],
        &[(ErrorCodeStatusChanged, &format!("{e}.Thing.NotFound"), Behavioural)],
    );
    case(
        "variant renamed",
        &[],
        &[(
            "message: The thing does not exist.}",
            "message: The thing does not exist., rust_name: Missing}",
        )],
        &[(ErrorCodeRenamed, &format!("{e}.Thing.NotFound"), Breaking)],
    );
    case(
        "message only",
        &[],
        &[("The thing does not exist.", "No such thing.")],
        &[(DocsChanged, &format!("{e}.Thing.NotFound"), NoChange)],
    );
}

#[test]
fn structs() {
    let t = "types.Thing";
    case(
        "type added",
        &[],
        &[(
            "  Mode:\n",
            "  Extra:\n    standalone: true\n    fields:\n      a: {type: string}\n  Mode:\n",
        )],
        &[(TypeAdded, "types.Extra", Compatible)],
    );
    case(
        "type renamed: every use changes type too",
        &[],
        &[(
            "  Thing:\n    docs: A thing.",
            "  Thing:\n    rust_name: Widget\n    docs: A thing.",
        )],
        &[
            (TypeRenamed, t, Breaking),
            (OutputChanged, "operations.GetThing.response.type", Breaking),
            (FieldTypeChanged, "types.ThingPage.fields.things", Breaking),
        ],
    );
    case(
        "spec key changed, Rust name kept",
        &[],
        &[
            (
                "  Thing:\n    docs: A thing.",
                "  ThingV2:\n    rust_name: Thing\n    docs: A thing.",
            ),
            ("type: Thing}", "type: ThingV2}"),
            ("array<Thing>", "array<ThingV2>"),
        ],
        &[(TypeKeyChanged, "types.ThingV2", NoChange)],
    );
    case(
        "field added",
        &[],
        &[(
            "      size: {type: integer}\n",
            "      size: {type: integer}\n      color: {type: string}\n",
        )],
        &[(FieldAdded, &format!("{t}.fields.color"), Compatible)],
    );
    case(
        "required field added",
        &[],
        &[(
            "      size: {type: integer}\n",
            "      size: {type: integer}\n      color: {type: string, required: true}\n",
        )],
        &[(FieldAdded, &format!("{t}.fields.color"), Breaking)],
    );
    case(
        "field removed",
        &[],
        &[("      size: {type: integer}\n", "")],
        &[(FieldRemoved, &format!("{t}.fields.size"), Breaking)],
    );
    case(
        "field type changed",
        &[],
        &[("size: {type: integer}", "size: {type: string}")],
        &[(FieldTypeChanged, &format!("{t}.fields.size"), Breaking)],
    );
    case(
        "response field required to optional",
        &[],
        &[("id: {type: string, required: true,", "id: {type: string,")],
        &[(FieldNowOptional, &format!("{t}.fields.id"), Breaking)],
    );
    case(
        "field optional to required",
        &[],
        &[("size: {type: integer}", "size: {type: integer, required: true}")],
        &[(FieldNowRequired, &format!("{t}.fields.size"), Breaking)],
    );
    case(
        "required field without a default: Default is lost",
        &[],
        &[(
            "      mode: {type: Mode}\n  ThingPage",
            "      mode: {type: Mode, required: true}\n  ThingPage",
        )],
        &[
            (FieldNowRequired, &format!("{t}.fields.mode"), Breaking),
            (DefaultImplRemoved, t, Breaking),
        ],
    );
    case(
        "field renamed",
        &[],
        &[("size: {type: integer}", "size: {type: integer, rust_name: bytes}")],
        &[(FieldRenamed, &format!("{t}.fields.size"), Breaking)],
    );
    case(
        "field wire name changed",
        &[],
        &[("      size: {type: integer}", "      Size: {type: integer}")],
        &[(FieldWireChanged, &format!("{t}.fields.Size"), Behavioural)],
    );
    case(
        "field deprecated (docs only)",
        &[],
        &[(
            "size: {type: integer}",
            "size: {type: integer, deprecated: {note: Use bytes.}}",
        )],
        &[(Deprecated, &format!("{t}.fields.size"), NoChange)],
    );
    let extra = |body: &str| format!("  Extra:\n    standalone: true\n{body}  Mode:\n");
    case(
        "struct became an enum",
        &[("  Mode:\n", &extra("    fields:\n      a: {type: string}\n"))],
        &[("  Mode:\n", &extra("    values:\n      - {value: A}\n"))],
        &[(TypeKindChanged, "types.Extra", Breaking)],
    );
}

#[test]
fn enums() {
    let m = "types.Mode";
    case(
        "value added",
        &[],
        &[("      - {value: SLOW}", "      - {value: SLOW}\n      - {value: IDLE}")],
        &[(EnumValueAdded, &format!("{m}.values.IDLE"), Behavioural)],
    );
    case(
        "value removed",
        &[],
        &[("      - {value: SLOW}\n", "")],
        &[(EnumValueRemoved, &format!("{m}.values.SLOW"), Breaking)],
    );
    case(
        "variant renamed",
        &[],
        &[("{value: SLOW}", "{value: SLOW, rust_name: Sluggish}")],
        &[(EnumVariantRenamed, &format!("{m}.values.SLOW"), Breaking)],
    );
    case(
        "wire value changed, variant kept",
        &[],
        &[("{value: SLOW}", "{value: slow}")],
        &[(EnumValueWireChanged, &format!("{m}.values.slow"), Behavioural)],
    );
    case(
        "case-insensitive matching switched on",
        &[],
        &[(
            "    docs: How a thing runs.\n",
            "    docs: How a thing runs.\n    case_insensitive: true\n",
        )],
        &[(EnumCaseChanged, &format!("{m}.case_insensitive"), Behavioural)],
    );
    case(
        "value deprecated",
        &[],
        &[("{value: SLOW}", "{value: SLOW, deprecated: {note: Use FAST.}}")],
        &[(Deprecated, &format!("{m}.values.SLOW"), NoChange)],
    );
    case(
        "value docs",
        &[],
        &[("docs: Quickly.", "docs: Fast.")],
        &[(DocsChanged, &format!("{m}.values.FAST.docs"), NoChange)],
    );
}

#[test]
fn service() {
    let endpoint = "    - {template: \"https://things.{region}.example.com\", docs: Regional endpoint.}\n";
    let second = "    - {template: \"https://things.example.com\"}\n";
    let two = format!("{endpoint}{second}");
    let swapped = format!("{second}{endpoint}");
    case(
        "endpoint added",
        &[],
        &[(endpoint, &two)],
        &[(EndpointAdded, "service.endpoints", Compatible)],
    );
    case(
        "endpoint removed",
        &[(endpoint, &two)],
        &[],
        &[(EndpointRemoved, "service.endpoints", Behavioural)],
    );
    case(
        "endpoints reordered",
        &[(endpoint, &two)],
        &[(endpoint, &swapped)],
        &[(EndpointsReordered, "service.endpoints", Behavioural)],
    );
    case(
        "endpoint docs",
        &[],
        &[("docs: Regional endpoint.", "docs: The regional endpoint.")],
        &[(
            DocsChanged,
            "service.endpoints.https://things.{region}.example.com",
            NoChange,
        )],
    );
    case(
        "auth added",
        &[],
        &[("auth: [bearer]", "auth: [bearer, basic]")],
        &[(AuthAdded, "service.auth", Compatible)],
    );
    case(
        "auth removed",
        &[("auth: [bearer]", "auth: [bearer, basic]")],
        &[],
        &[(AuthRemoved, "service.auth", Behavioural)],
    );
    case(
        "auth preference changed",
        &[("auth: [bearer]", "auth: [bearer, basic]")],
        &[("auth: [bearer]", "auth: [basic, bearer]")],
        &[(AuthReordered, "service.auth", Behavioural)],
    );
    case(
        "api version added",
        &[],
        &[(
            "  auth: [bearer]\n",
            "  auth: [bearer]\n  api_version: \"2024-01-01\"\n",
        )],
        &[(ApiVersionChanged, "service.api_version", Behavioural)],
    );
    case(
        "error envelope",
        &[],
        &[("error_envelope: huawei", "error_envelope: zilliz")],
        &[(EnvelopeChanged, "service.error_envelope", Behavioural)],
    );
    case(
        "vendor changed: the module moves",
        &[],
        &[("vendor: acme", "vendor: acme_corp")],
        &[(ModuleMoved, "service", Breaking)],
    );
    case(
        "title",
        &[],
        &[("title: Acme things", "title: Acme Things")],
        &[(DocsChanged, "service.title", NoChange)],
    );
    case(
        "errata added",
        &[],
        &[(
            "types:\n",
            "errata:\n  - {kind: addition, at: service.auth, document: Silent., resolution: Bearer.}\ntypes:\n",
        )],
        &[(DocsChanged, "errata", NoChange)],
    );
}

/// Several changes of every severity at once, as one release might bring.
fn release() -> SpecDiff {
    let new = edit(&[
        ("{name: verbose, in: query, type: boolean, default: false}", "{name: verbose, in: query, type: boolean, default: false}\n      - {name: region_id, in: query, type: string, required: true}\n      - {name: label, in: query, type: string}"),
        ("max_length: 64", "max_length: 32"),
        ("message: The thing does not exist.}\n", "message: The thing does not exist.}\n      - {status: 403, code: Thing.Forbidden}\n"),
        ("      - {value: SLOW}", "      - {value: SLOW}\n      - {value: IDLE}"),
        ("      size: {type: integer}\n", ""),
        ("docs: Gets a thing.", "docs: Gets one thing."),
    ]);
    SpecDiff {
        old: Some("HEAD~1:specs/acme-things.yaml".to_owned()),
        new: Some("specs/acme-things.yaml".to_owned()),
        service: "acme::things".to_owned(),
        changes: diff::compare(&model(BASE), &model(&new)),
    }
}

#[test]
fn human_report() {
    let unchanged = SpecDiff {
        old: Some("HEAD~1:specs/other.yaml".to_owned()),
        new: Some("specs/other.yaml".to_owned()),
        service: "acme::other".to_owned(),
        changes: Vec::new(),
    };
    let text = diff::human(&[release(), unchanged]);
    assert!(text.contains(
        "BREAKING     operations.GetThing.parameters.region_id: required parameter added (GetThingRequest::new gains an argument `region_id`)"
    ));
    insta::assert_snapshot!(text);
}

#[test]
fn json_report() {
    let text = diff::json(&[release()]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["format"], "cloudsnap-diff/1");
    assert_eq!(v["highest"], "breaking");
    let change = &v["specs"][0]["changes"][0];
    let keys: Vec<&str> = change.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["kind", "path", "severity", "reason", "old", "new"]);
    insta::assert_snapshot!(text);
}

#[test]
fn real_spec_edits() {
    // Edits are made on the parsed spec, with names and values chosen to be
    // new to it, so that a compatible edit of the real spec (a value, a
    // field, a constraint added) cannot make this test fail.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/zilliz-cloud.yaml");
    let old = std::fs::read_to_string(&path).expect("zilliz spec");
    let mut spec = cloudsnap_codegen::load::load_str(&path, &old)
        .unwrap_or_else(|d| panic!("{}", render(&d)))
        .spec;
    let fresh = |taken: &dyn Fn(&str) -> bool, base: &str| {
        let mut name = base.to_owned();
        while taken(&name) {
            name.push('X');
        }
        name
    };

    let op = spec.operations.get_mut("ListBackups").expect("ListBackups");
    let param = op
        .parameters
        .iter_mut()
        .find(|p| p.name == "projectId")
        .expect("projectId");
    let constraints = param.constraints.get_or_insert_with(Default::default);
    constraints.max_length = Some(constraints.max_length.map_or(64, |n| n / 2));

    let status = spec.types.get_mut("BackupStatus").expect("BackupStatus");
    let values = status.values.as_mut().expect("an enum");
    let value = fresh(&|v| values.iter().any(|e| e.value.eq_ignore_ascii_case(v)), "DELETING");
    values.push(serde_json::from_value(serde_json::json!({"value": value, "docs": "Being deleted."})).expect("value"));

    let detail = spec.types.get_mut("BackupDetail").expect("BackupDetail");
    let fields = detail.fields.as_mut().expect("an object");
    let field = fresh(&|f| fields.contains_key(f), "storageClass");
    fields.insert(
        field.clone(),
        serde_json::from_value(serde_json::json!({"type": "string", "docs": "Storage class."})).expect("field"),
    );

    // JSON is YAML: the edited spec goes through the same loader.
    let new = serde_json::to_string_pretty(&spec).expect("serializes");
    let changes = diff::compare(&model(&old), &model(&new));
    let got: Vec<(Kind, &str, Severity)> = changes.iter().map(|c| (c.kind, c.path.as_str(), c.severity)).collect();
    assert_eq!(
        got,
        [
            (
                ConstraintTightened,
                "operations.ListBackups.parameters.projectId.constraints.max_length",
                Behavioural
            ),
            (
                FieldAdded,
                format!("types.BackupDetail.fields.{field}").as_str(),
                Compatible
            ),
            (
                EnumValueAdded,
                format!("types.BackupStatus.values.{value}").as_str(),
                Behavioural
            ),
        ]
    );
}
