//! Property tests of the generator (proptest).
//!
//! 1. Random *valid* specs (random type, field, parameter and enum names with
//!    odd casing, keywords and std/prelude names; nested objects, arrays,
//!    maps, open enums, wrappers, constraints, every parameter location and
//!    encoding, error tables) always generate: the output parses with
//!    `syn::parse_file`, and generating twice is byte-identical.
//! 2. A handful of them, plus one spec made of the nastiest names, are
//!    written into a scratch crate that depends on `cloudsnap` by path and
//!    compiled with `cargo check` under `#![deny(warnings, missing_docs)]`.
//! 3. Arbitrary text, and mutations of the real specs, fed to the loader and
//!    generator never panic.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use cloudsnap_codegen::model::{field_name, identifier, type_name};
use cloudsnap_codegen::spec::{
    AuthScheme, Constraints, Encoding, Endpoint, ErrorCode, ErrorEnvelope, Field, Location, Method, Operation,
    Parameter, Protocol, Response, Service, Spec, SuccessEnvelope, TypeDef,
};
use indexmap::IndexMap;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// Names chosen to break naive code generators: keywords (raw and reserved),
/// prelude and std names, names the generated code itself uses for locals,
/// generics and traits, odd casing and underscores.
const NASTY: &[&str] = &[
    "type",
    "match",
    "async",
    "await",
    "dyn",
    "gen",
    "try",
    "yield",
    "abstract",
    "union",
    "fn",
    "mod",
    "ref",
    "self",
    "Self",
    "super",
    "crate",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "Serialize",
    "Deserialize",
    "From",
    "Into",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "http",
    "cloudsnap",
    "Unknown",
    "SERVICE",
    "INFO",
    "Output",
    "ErrorCode",
    "Operation",
    "value",
    "v",
    "b",
    "s",
    "f",
    "other",
    "deserializer",
    "serializer",
    "response",
    "request",
    "new",
    "validate",
    "build_request",
    "parse_response",
    "as_str",
    "VALUES",
    "_",
    "__",
    "_x",
    "x_",
    "getHTTPResponseCode",
    "XMLHttpRequest",
    "snake_case_Name",
    "ALLCAPS",
    "mixed_Case__x",
    "a1",
    "A1b2",
    "with_x",
    "x",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z][a-zA-Z0-9_]{0,8}",
        2 => select(NASTY).prop_map(str::to_owned),
    ]
}

/// Enum wire values: anything a vendor sends, including what cannot be an
/// identifier (the spec then needs `rust_name`).
fn enum_value() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        select(vec![
            "0",
            "1",
            "OS::Nova::Server",
            "in-progress",
            "IN_PROGRESS",
            "a b",
            "",
            "Unknown",
            "é",
            "self"
        ])
        .prop_map(str::to_owned),
        ".{0,6}",
    ]
}

/// A scalar type expression, or a named enum.
#[derive(Debug, Clone)]
enum Scalar {
    Plain(&'static str),
    Enum(usize),
}

#[derive(Debug, Clone)]
enum Shape {
    Scalar(Scalar),
    Json,
    /// An object type, by index among the objects.
    Object(usize),
    Array(Box<Shape>),
    Map(Box<Shape>),
}

fn scalar(enums: usize) -> impl Strategy<Value = Scalar> {
    let plain = select(vec!["string", "integer", "int32", "number", "boolean"]).prop_map(Scalar::Plain);
    if enums == 0 {
        plain.boxed()
    } else {
        prop_oneof![3 => plain, 1 => (0..enums).prop_map(Scalar::Enum)].boxed()
    }
}

/// A field or body shape; objects are referenced directly only "forward"
/// (higher index) so no struct contains itself, and through arrays and maps
/// in any direction, including itself.
fn shape(enums: usize, objects: usize, this: usize) -> BoxedStrategy<Shape> {
    let leaf = prop_oneof![
        4 => scalar(enums).prop_map(Shape::Scalar),
        1 => Just(Shape::Json),
    ];
    let leaf = if objects > this + 1 {
        prop_oneof![4 => leaf, 1 => (this + 1..objects).prop_map(Shape::Object)].boxed()
    } else {
        leaf.boxed()
    };
    let any_object = (0..objects.max(1)).prop_map(Shape::Object);
    prop_oneof![
        5 => leaf.clone(),
        1 => prop_oneof![leaf.clone(), any_object.clone()].prop_map(|s| Shape::Array(Box::new(s))),
        1 => prop_oneof![leaf, any_object].prop_map(|s| Shape::Map(Box::new(s))),
    ]
    .boxed()
}

/// A field's wire name, shape and flag bits (required, nullable, wrapper, docs).
type FieldDraft = (String, Shape, u8);

/// The raw random material of one spec; `build` turns it into a valid spec.
#[derive(Debug, Clone)]
struct Draft {
    vendor: String,
    service: String,
    protocol: Protocol,
    zilliz: bool,
    enums: Vec<(String, bool, Vec<String>)>,
    objects: Vec<(String, Vec<FieldDraft>)>,
    operations: Vec<OpDraft>,
}

#[derive(Debug, Clone)]
struct OpDraft {
    id: String,
    method: Method,
    params: Vec<(String, u8, Shape, u8)>,
    output: Option<usize>,
    status: u16,
    errors: Vec<String>,
}

fn draft() -> impl Strategy<Value = Draft> {
    (0usize..4, 1usize..5).prop_flat_map(|(n_enums, n_objects)| {
        let enums = prop::collection::vec(
            (word(), any::<bool>(), prop::collection::vec(enum_value(), 1..6)),
            n_enums,
        );
        let objects: Vec<_> = (0..n_objects)
            .map(|i| {
                (
                    word(),
                    prop::collection::vec((word(), shape(n_enums, n_objects, i), any::<u8>()), 0..7),
                )
            })
            .collect();
        let op = (
            word(),
            select(vec![
                Method::Get,
                Method::Post,
                Method::Put,
                Method::Delete,
                Method::Patch,
                Method::Head,
            ]),
            prop::collection::vec((word(), any::<u8>(), shape(n_enums, n_objects, 0), any::<u8>()), 0..7),
            prop::option::of(0..n_objects),
            select(vec![200u16, 201, 202, 204]),
            prop::collection::vec(enum_value(), 0..4),
        )
            .prop_map(|(id, method, params, output, status, errors)| OpDraft {
                id,
                method,
                params,
                output,
                status,
                errors,
            });
        (
            word(),
            word(),
            select(vec![Protocol::RestJson, Protocol::AliyunRpc, Protocol::Elasticsearch]),
            any::<bool>(),
            enums,
            objects,
            prop::collection::vec(op, 1..4),
        )
            .prop_map(
                |(vendor, service, protocol, zilliz, enums, objects, operations)| Draft {
                    vendor,
                    service,
                    protocol,
                    zilliz,
                    enums,
                    objects,
                    operations,
                },
            )
    })
}

/// Keep `name` if `ok`, else a fallback that certainly is.
fn or(name: String, ok: bool, fallback: String) -> String {
    if ok {
        name
    } else {
        fallback
    }
}

/// A fallback name `{prefix}{i}`, lengthened until `taken` says it is free.
/// Generated words can spell any fixed fallback (`V1`, `field_2`, `Enum0`),
/// so a fallback that is not checked against the names already used can
/// itself collide, and the draft would be an invalid spec.
fn fresh(prefix: &str, i: usize, taken: impl Fn(&str) -> bool) -> String {
    let mut name = format!("{prefix}{i}");
    while taken(&name) {
        name.push('x');
    }
    name
}

fn valid_ident(name: &str) -> bool {
    identifier(name).is_ok()
}

/// A snake_case module name: lowercase, not a keyword of any kind.
fn module_name(word: &str, fallback: &str) -> String {
    let n = field_name(word);
    let ok = identifier(&n).is_ok_and(|i| i == n) && n == word && !n.starts_with('_');
    or(n, ok, fallback.to_owned())
}

/// Turn a draft into a spec the model accepts, renaming only where the
/// spec format requires (`rust_name` for values that cannot be identifiers,
/// fresh names on collisions), so odd names still reach the generator.
fn build(d: &Draft) -> Spec {
    let rpc = d.protocol == Protocol::AliyunRpc;
    let mut type_names: BTreeSet<String> = BTreeSet::new();
    let mut key_for = |word: &str, i: usize, what: &str| {
        let ok = word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !["string", "integer", "int32", "number", "boolean", "json"].contains(&word)
            && valid_ident(&type_name(word))
            && !type_names.contains(&type_name(word));
        let key = or(
            word.to_owned(),
            ok,
            fresh(what, i, |n| type_names.contains(&type_name(n))),
        );
        type_names.insert(type_name(&key));
        key
    };
    let enum_keys: Vec<String> = d
        .enums
        .iter()
        .enumerate()
        .map(|(i, e)| key_for(&e.0, i, "Enum"))
        .collect();
    let object_keys: Vec<String> = d
        .objects
        .iter()
        .enumerate()
        .map(|(i, o)| key_for(&o.0, i, "Object"))
        .collect();

    let expr = |s: &Shape| -> String {
        fn go(s: &Shape, enums: &[String], objects: &[String]) -> String {
            match s {
                Shape::Scalar(Scalar::Plain(p)) => (*p).to_owned(),
                Shape::Scalar(Scalar::Enum(i)) => enums[*i].clone(),
                Shape::Json => "json".to_owned(),
                Shape::Object(i) => objects[*i].clone(),
                Shape::Array(inner) => format!("array<{}>", go(inner, enums, objects)),
                Shape::Map(inner) => format!("map<{}>", go(inner, enums, objects)),
            }
        }
        go(s, &enum_keys, &object_keys)
    };

    let mut types = IndexMap::new();
    for (i, (_, ci, values)) in d.enums.iter().enumerate() {
        let mut seen_wire = BTreeSet::new();
        let mut seen_ident = BTreeSet::new();
        let mut list = Vec::new();
        for (j, v) in values.iter().enumerate() {
            let folded = if *ci { v.to_ascii_lowercase() } else { v.clone() };
            if !seen_wire.insert(folded) {
                continue;
            }
            let derived = type_name(v);
            let rust_name = if valid_ident(&derived) && derived != "Unknown" && !seen_ident.contains(&derived) {
                None
            } else {
                Some(fresh("V", j, |n| seen_ident.contains(n)))
            };
            seen_ident.insert(rust_name.clone().unwrap_or(derived));
            list.push(cloudsnap_codegen::spec::EnumValue {
                value: v.clone(),
                docs: Some(format!("Value `{j}`.")),
                deprecated: None,
                rust_name,
            });
        }
        types.insert(
            enum_keys[i].clone(),
            TypeDef {
                docs: Some("An enum.".to_owned()),
                fields: None,
                values: Some(list),
                case_insensitive: *ci,
                standalone: true,
                rust_name: None,
            },
        );
    }
    for (i, (_, fields)) in d.objects.iter().enumerate() {
        let mut seen = BTreeSet::new();
        let mut out = IndexMap::new();
        for (j, (wire, s, flags)) in fields.iter().enumerate() {
            let ident = field_name(wire);
            let wire = or(
                wire.clone(),
                valid_ident(&ident) && !seen.contains(&ident),
                fresh("field_", j, |n| seen.contains(&field_name(n))),
            );
            seen.insert(field_name(&wire));
            let is_array = matches!(s, Shape::Array(_));
            let required = flags & 1 == 1;
            let wrapper = (is_array && !required && flags & 6 == 6).then(|| "Item".to_owned());
            out.insert(
                wire,
                Field {
                    ty: expr(s),
                    required,
                    nullable: flags & 8 == 8,
                    docs: (flags & 16 == 0).then(|| "A field with `code`, <angle brackets> and [links].".to_owned()),
                    example: None,
                    deprecated: None,
                    wrapper,
                    rust_name: None,
                    lenient: None,
                    format: None,
                },
            );
        }
        types.insert(
            object_keys[i].clone(),
            TypeDef {
                docs: Some("An object.".to_owned()),
                fields: Some(out),
                values: None,
                case_insensitive: false,
                standalone: true,
                rust_name: None,
            },
        );
    }

    // The generated client names a method after each operation, so ids whose
    // snake case Rust cannot name (`Super`) or that the client already uses
    // (`Config`, `WithX`) are invalid specs; the model rejects them.
    let client_method_ok = |id: &str| {
        let snake = heck::AsSnakeCase(id).to_string();
        cloudsnap_codegen::model::identifier(&snake).is_ok()
            && !cloudsnap_codegen::model::RESERVED_METHODS.contains(&snake.as_str())
            && !snake.starts_with("with_")
    };
    let mut operations = IndexMap::new();
    for (k, op) in d.operations.iter().enumerate() {
        let derived = type_name(&op.id);
        let suffixes_free = ["Request", "ErrorCode", "Error"]
            .iter()
            .all(|s| !type_names.contains(&format!("{derived}{s}")));
        let id = or(
            derived.clone(),
            valid_ident(&derived)
                && type_name(&derived) == derived
                && suffixes_free
                && client_method_ok(&derived)
                && !operations.contains_key(&derived),
            fresh("Operation", k, |n| {
                operations.contains_key(n)
                    || type_names.contains(n)
                    || ["Request", "ErrorCode", "Error"]
                        .iter()
                        .any(|s| type_names.contains(&format!("{n}{s}")))
            }),
        );
        let method = if rpc { Method::Get } else { op.method };
        let body_ok = matches!(method, Method::Post | Method::Put | Method::Patch);
        let mut params = Vec::new();
        let mut seen_wire = BTreeSet::new();
        let mut seen_ident = BTreeSet::new();
        let mut path = String::new();
        for (j, (wire, loc, s, flags)) in op.params.iter().enumerate() {
            let ident = field_name(wire);
            let fresh_ident = valid_ident(&ident) && !seen_ident.contains(&ident) && !seen_wire.contains(wire);
            let wire = or(
                wire.clone(),
                fresh_ident,
                fresh("param_", j, |n| {
                    seen_ident.contains(&field_name(n)) || seen_wire.contains(n)
                }),
            );
            seen_ident.insert(field_name(&wire));
            seen_wire.insert(wire.clone());
            let scalar_shape = match s {
                Shape::Scalar(sc) => Shape::Scalar(sc.clone()),
                _ => Shape::Scalar(Scalar::Plain("string")),
            };
            let mut location = match loc % 4 {
                0 => Location::Path,
                1 => Location::Query,
                2 => Location::Header,
                _ => Location::Body,
            };
            if rpc || (location == Location::Body && !body_ok) {
                location = Location::Query;
            }
            let (ty, encoding) = match location {
                Location::Path | Location::Header => (scalar_shape, None),
                Location::Body => (s.clone(), None),
                Location::Query => match s {
                    Shape::Scalar(_) => (s.clone(), None),
                    Shape::Array(inner) if matches!(**inner, Shape::Scalar(_)) => {
                        let enc = [Encoding::Comma, Encoding::Json, Encoding::Flattened][usize::from(flags % 3)];
                        (s.clone(), Some(enc))
                    }
                    Shape::Array(_) => (
                        s.clone(),
                        Some([Encoding::Json, Encoding::Flattened][usize::from(flags % 2)]),
                    ),
                    _ => (s.clone(), Some(Encoding::Json)),
                },
            };
            let constraints = (flags & 32 == 32).then(|| match &ty {
                Shape::Scalar(Scalar::Plain("string")) => Constraints {
                    min_length: Some(1),
                    max_length: Some(u64::from(*flags)),
                    pattern: Some(
                        ["^[a-z][a-z0-9_-]*$", "^[^<>]*$", "^\\d+$", ".*"][usize::from(flags % 4)].to_owned(),
                    ),
                    ..Default::default()
                },
                Shape::Scalar(Scalar::Plain("integer" | "int32")) => Constraints {
                    minimum: Some(-i64::from(*flags)),
                    maximum: Some(i64::from(*flags) * 1000),
                    ..Default::default()
                },
                Shape::Array(_) => Constraints {
                    min_items: Some(0),
                    max_items: Some(u64::from(*flags)),
                    ..Default::default()
                },
                _ => Constraints::default(),
            });
            if location == Location::Path {
                path.push_str(&format!("/seg{j}/{{{wire}}}"));
            }
            params.push(Parameter {
                name: wire,
                location,
                ty: expr(&ty),
                required: location == Location::Path || flags & 64 == 64,
                docs: Some("A parameter: `x` <y> & z.".to_owned()),
                default: None,
                example: None,
                constraints,
                deprecated: None,
                encoding,
                rust_name: None,
                from_client: None,
            });
        }
        let path = if rpc {
            "/".to_owned()
        } else if path.is_empty() {
            format!("/v1/{}", field_name(&id))
        } else {
            path
        };
        let mut codes = BTreeSet::new();
        let mut variants = BTreeSet::new();
        let mut errors = Vec::new();
        for (j, code) in op.errors.iter().enumerate() {
            if !codes.insert(code.clone()) {
                continue;
            }
            let derived = type_name(code);
            let rust_name = if valid_ident(&derived) && derived != "Unknown" && !variants.contains(&derived) {
                None
            } else {
                Some(fresh("E", j, |n| variants.contains(n)))
            };
            variants.insert(rust_name.clone().unwrap_or(derived));
            errors.push(ErrorCode {
                status: 400 + j as u16,
                code: code.clone(),
                message: Some("A message.".to_owned()),
                docs: None,
                rust_name,
            });
        }
        operations.insert(
            id.clone(),
            Operation {
                docs: format!("Operation {id}.\nSecond line with `code`."),
                method,
                path,
                action: None,
                idempotent: None,
                parameters: params,
                response: Response {
                    status: op.status,
                    ty: op.output.map(|i| object_keys[i].clone()),
                    docs: None,
                },
                status_codes: Vec::new(),
                errors,
                error_docs: None,
                pagination: Vec::new(),
                examples: Vec::new(),
            },
        );
    }

    Spec {
        service: Service {
            id: module_name(&d.service, "svc"),
            vendor: module_name(&d.vendor, "vendor"),
            title: "A generated service".to_owned(),
            docs: Some("Made by a property test.".to_owned()),
            source: "generated.md".to_owned(),
            protocol: d.protocol,
            api_version: rpc.then(|| "2014-05-26".to_owned()),
            endpoints: vec![Endpoint {
                template: "https://{region}.example.com".to_owned(),
                docs: None,
            }],
            auth: vec![AuthScheme::Bearer, AuthScheme::HuaweiAksk],
            // Half the services declare a common error, which every
            // operation's error-code enum then lists.
            common_errors: if d.operations.len() % 2 == 1 {
                serde_json::from_value(serde_json::json!([{"status": 429, "code": "Gateway.ThrottledCommon"}]))
                    .expect("a common error row")
            } else {
                Vec::new()
            },
            error_envelope: [
                ErrorEnvelope::Aliyun,
                ErrorEnvelope::Huawei,
                ErrorEnvelope::Zilliz,
                ErrorEnvelope::Elasticsearch,
            ][d.operations.len() % 4],
            success_envelope: if d.zilliz {
                SuccessEnvelope::Zilliz
            } else {
                SuccessEnvelope::Plain
            },
            // Half the services read scalars in either spelling, so the
            // compiled samples cover the tolerant readers too.
            lenient_scalars: d.operations.len() % 2 == 1,
        },
        operations,
        types,
        errata: Vec::new(),
        resources: Default::default(),
    }
}

/// Render as YAML and run the whole pipeline from text, as `build.rs` does.
fn generate(spec: &Spec) -> Result<(String, cloudsnap_codegen::Generated), String> {
    let yaml = serde_yaml::to_string(spec).map_err(|e| e.to_string())?;
    let loaded = cloudsnap_codegen::load::load_str(Path::new("prop.yaml"), &yaml)
        .map_err(|d| format!("{yaml}\n{}", render(&d)))?;
    let g = cloudsnap_codegen::generate(&loaded).map_err(|d| format!("{yaml}\n{}", render(&d)))?;
    Ok((yaml, g))
}

fn render(diagnostics: &[cloudsnap_codegen::diag::Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn valid_specs_generate_parseable_deterministic_code(d in draft()) {
        let spec = build(&d);
        let (yaml, first) = generate(&spec).map_err(TestCaseError::fail)?;
        syn::parse_file(&first.code).map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        syn::parse_file(&first.tests).map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        let (_, second) = generate(&spec).map_err(TestCaseError::fail)?;
        prop_assert!(first.code == second.code, "not deterministic:\n{}", yaml);
        prop_assert!(first.tests == second.tests);
    }

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in prop_oneof![any::<String>(), "[a-z:{}\\[\\],\"' \n-]{0,200}"]) {
        if let Ok(loaded) = cloudsnap_codegen::load::load_str(Path::new("any.yaml"), &text) {
            let _ = cloudsnap_codegen::generate(&loaded);
        }
    }

    /// Line deletions, duplications and byte edits of the real specs reach
    /// far deeper than random text: every stage runs, and none panics.
    #[test]
    fn mutated_real_specs_never_panic(
        file in 0usize..5,
        edits in prop::collection::vec((any::<Index>(), 0u8..4, any::<Index>()), 1..6),
    ) {
        let files = cloudsnap_codegen::spec_files(&[root().join("specs")]);
        let text = std::fs::read_to_string(&files[file % files.len()]).expect("spec");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let tokens = ["", "{", "}", "[", "- ", ": ", "type: string", "required: true", "&a", "*a", "!!binary", "~", "\t"];
        for (at, kind, what) in edits {
            let i = at.index(lines.len());
            match kind {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                2 => { let t = *what.get(&tokens); lines[i].push_str(t); }
                _ => { let t = *what.get(&tokens); lines[i] = format!("{t}{}", lines[i].trim_start()); }
            }
            if lines.is_empty() { break; }
        }
        let mutated = lines.join("\n");
        if let Ok(loaded) = cloudsnap_codegen::load::load_str(Path::new("mutated.yaml"), &mutated) {
            let _ = cloudsnap_codegen::generate(&loaded);
        }
    }
}

/// Found by reading the model while writing the generator above: a keyword
/// vendor or service id passed the module-name check, and `build.rs` then
/// wrote `pub mod type`, which does not compile.
#[test]
fn keyword_module_names_are_diagnosed() {
    let mut runner = TestRunner::deterministic();
    let base = build(&draft().new_tree(&mut runner).expect("a draft").current());
    for keyword in ["type", "match", "async", "fn", "mod", "dyn", "try"] {
        for which in ["vendor", "id"] {
            let mut spec = base.clone();
            if which == "vendor" {
                spec.service.vendor = keyword.to_owned();
            } else {
                spec.service.id = keyword.to_owned();
            }
            let err = generate(&spec).expect_err("a keyword module name");
            assert!(
                err.contains(&format!(
                    "error: `{keyword}` is a Rust keyword and cannot name a module"
                )),
                "{err}"
            );
            assert!(
                err.contains(&format!("service.{which}")) || err.contains(&format!("{which}: {keyword}")),
                "{err}"
            );
        }
    }
}

use common::root;

/// The nastiest names in one spec, so the compile check always sees them.
fn nasty_draft() -> Draft {
    let names = |from: usize, n: usize| NASTY.iter().cycle().skip(from).take(n).map(|s| s.to_string());
    let all_shapes = [
        Shape::Scalar(Scalar::Plain("string")),
        Shape::Scalar(Scalar::Enum(0)),
        Shape::Json,
        Shape::Object(1),
        Shape::Array(Box::new(Shape::Object(0))),
        Shape::Map(Box::new(Shape::Scalar(Scalar::Enum(1)))),
        Shape::Array(Box::new(Shape::Scalar(Scalar::Plain("integer")))),
    ];
    let fields = |from: usize| {
        names(from, NASTY.len())
            .zip(all_shapes.iter().cycle())
            .enumerate()
            .map(|(i, (n, s))| (n, s.clone(), i as u8))
            .collect()
    };
    // The last object may refer to objects only through a collection.
    fn indirect(fields: Vec<FieldDraft>) -> Vec<FieldDraft> {
        let wrap = |s: Shape| match s {
            Shape::Object(i) => Shape::Array(Box::new(Shape::Object(i))),
            other => other,
        };
        fields.into_iter().map(|(n, s, f)| (n, wrap(s), f)).collect()
    }
    Draft {
        vendor: "vendor".to_owned(),
        service: "nasty".to_owned(),
        protocol: Protocol::RestJson,
        zilliz: true,
        enums: vec![
            (
                "Option".to_owned(),
                false,
                // Regressions: a lone CR and a text-direction control in a
                // wire value once made doc comments that do not compile.
                names(0, 40)
                    .chain(["0", "1", "\r", "a\r\nb", "\u{202e}", "\u{2066}x"].map(str::to_owned))
                    .collect(),
            ),
            ("Result".to_owned(), true, names(40, 40).collect()),
        ],
        objects: vec![
            ("String".to_owned(), fields(0)),
            ("Vec".to_owned(), indirect(fields(7))),
        ],
        operations: (0..4)
            .map(|k| OpDraft {
                id: ["Some", "Default", "Box", "Operation"][k].to_owned(),
                method: [Method::Post, Method::Get, Method::Put, Method::Patch][k],
                params: names(k * 11, 24)
                    .zip(all_shapes.iter().cycle())
                    .enumerate()
                    .map(|(i, (n, s))| (n, i as u8, s.clone(), (i * 37) as u8))
                    .collect(),
                output: Some(k % 2),
                status: 200,
                errors: names(k * 5, 8).collect(),
            })
            .collect(),
    }
}

/// Write generated modules into a scratch crate that depends on `cloudsnap`
/// by path, the way `build.rs` mounts them, and `cargo check` it.
fn cargo_check(modules: &[cloudsnap_codegen::Generated]) -> Result<(), String> {
    let dir = common::scratch_crate("proptest-compile", modules, false)?;
    common::cargo(&dir, &["check", "--quiet", "--lib"]).map(drop)
}

/// Compiles the nasty-names spec and the first few random valid specs of a
/// fixed seed (the same ones on every run). Slow the first time (it builds
/// `cloudsnap`'s dependencies into a scratch target dir), seconds after that.
#[test]
fn a_sample_of_generated_specs_compiles() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let strategy = draft();
    let mut drafts = vec![nasty_draft()];
    for _ in 0..4 {
        drafts.push(strategy.new_tree(&mut runner).expect("a draft").current());
    }
    let mut modules = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, d) in drafts.iter().enumerate() {
        let mut spec = build(d);
        // Distinct module paths inside the one scratch crate.
        spec.service.id = format!("{}_{i}", spec.service.id);
        let (yaml, g) = generate(&spec).unwrap_or_else(|e| panic!("{e}"));
        assert!(seen.insert((g.vendor.clone(), g.service.clone())), "{yaml}");
        modules.push(g);
    }
    if let Err(e) = cargo_check(&modules) {
        panic!("generated code does not compile:\n{e}");
    }
}

/// A spec whose output type `T0` holds a chain of `len` types, the last of
/// which has a field of type `leaf`.
fn chain_spec(len: usize, leaf: &str) -> String {
    let mut y = String::from(
        "service:\n  id: deep\n  vendor: prop\n  title: Deep\n  source: deep.md\n  protocol: rest_json\n  \
         endpoints: [{ template: \"https://deep.{region}.example.com\" }]\n  auth: [bearer]\n  error_envelope: huawei\n\
         operations:\n  ShowDeep:\n    docs: Shows it.\n    method: GET\n    path: /v1/deep\n    \
         response: { status: 200, type: T0 }\ntypes:\n",
    );
    for i in 0..len {
        let next = if i + 1 < len {
            format!("T{}", i + 1)
        } else {
            leaf.to_owned()
        };
        y.push_str(&format!(
            "  T{i}:\n    fields:\n      id: {{ type: string }}\n      next: {{ type: \"{next}\" }}\n"
        ));
    }
    y
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Type expressions of any depth are checked without recursion: too
    /// deep is one clear error, never a stack overflow; at or under the
    /// limit they generate.
    #[test]
    fn type_expression_depth_is_bounded(depth in prop_oneof![0usize..40, 40usize..4000], map in any::<bool>()) {
        let open = if map { "map<" } else { "array<" };
        let expr = format!("{}string{}", open.repeat(depth), ">".repeat(depth));
        let text = chain_spec(1, &expr);
        let loaded = cloudsnap_codegen::load::load_str(Path::new("deep.yaml"), &text).expect("loads");
        let limit = cloudsnap_codegen::model::MAX_TYPE_EXPRESSION_DEPTH;
        match cloudsnap_codegen::generate(&loaded) {
            Ok(g) => {
                prop_assert!(depth <= limit, "depth {depth} accepted");
                syn::parse_file(&g.code).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            Err(d) => {
                prop_assert!(depth > limit, "depth {depth} rejected: {}", render(&d));
                prop_assert!(d.iter().all(|d| d.pos.is_some()));
                prop_assert!(d.iter().any(|d| d.message.contains("nests more than")), "{}", render(&d));
            }
        }
    }

    /// Chains of types of any length: accepted exactly when the nesting
    /// (two levels per struct: the struct and its `Option` field) is within
    /// the limit rustc's `Send` proof allows, rejected with one positioned
    /// error otherwise, and never a panic or a hang.
    #[test]
    fn type_chains_are_bounded(len in prop_oneof![1usize..60, 60usize..3000]) {
        let text = chain_spec(len, "string");
        let loaded = cloudsnap_codegen::load::load_str(Path::new("chain.yaml"), &text).expect("loads");
        let limit = cloudsnap_codegen::model::MAX_NESTING;
        match cloudsnap_codegen::model::build(&loaded) {
            Ok(_) => prop_assert!(2 * len <= limit, "a chain of {len} accepted"),
            Err(d) => {
                prop_assert!(2 * len > limit, "a chain of {len} rejected: {}", render(&d));
                prop_assert_eq!(d.len(), 1, "{}", render(&d));
                prop_assert!(d[0].pos.is_some());
            }
        }
    }
}
