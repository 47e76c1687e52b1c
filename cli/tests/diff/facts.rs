//! The severity rules rest on facts about the emitted code, which the rules
//! state where they use them (see `cli/src/diff/mod.rs`). These tests
//! generate code and check each fact, so a change to the emitter that
//! changes what is breaking fails here first.

use super::{edit, BASE};

/// The facts the severity rules assume.
struct Facts {
    requests_non_exhaustive: bool,
    objects_non_exhaustive: bool,
    enums_non_exhaustive: bool,
    deprecated_setters: bool,
    deprecated_fields: bool,
    deprecated_variants: bool,
    pagination_emitted: bool,
    status_codes_emitted: bool,
}

const EMITTED: Facts = Facts {
    requests_non_exhaustive: true,
    objects_non_exhaustive: true,
    enums_non_exhaustive: true,
    deprecated_setters: true,
    deprecated_fields: false,
    deprecated_variants: false,
    pagination_emitted: true,
    status_codes_emitted: false,
};

/// The generated module of a spec text, parsed.
fn generated(text: &str) -> syn::File {
    let loaded = cloudsnap_codegen::load::load_str(std::path::Path::new("t.yaml"), text).expect("loads");
    let code = cloudsnap_codegen::generate(&loaded).expect("validates").code;
    syn::parse_file(&code).expect("generated code parses")
}

fn has(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

#[test]
fn non_exhaustive_facts_match_the_emitter() {
    let file = generated(BASE);
    let (mut requests, mut objects, mut enums) = (Vec::new(), Vec::new(), Vec::new());
    for item in &file.items {
        match item {
            syn::Item::Struct(s) if s.ident.to_string().ends_with("Request") => {
                requests.push(has(&s.attrs, "non_exhaustive"))
            }
            // The service `Client` is not data; it has private fields only.
            syn::Item::Struct(s) if s.ident == "Client" => {}
            syn::Item::Struct(s) => objects.push(has(&s.attrs, "non_exhaustive")),
            syn::Item::Enum(e) => enums.push(has(&e.attrs, "non_exhaustive")),
            _ => {}
        }
    }
    // GetThing, ListThings; Thing, ThingPage; Mode and two error-code enums.
    assert_eq!((requests.len(), objects.len(), enums.len()), (2, 2, 3));
    assert!(
        requests.iter().all(|r| *r == EMITTED.requests_non_exhaustive),
        "{requests:?}"
    );
    assert!(
        objects.iter().all(|o| *o == EMITTED.objects_non_exhaustive),
        "{objects:?}"
    );
    assert!(enums.iter().all(|e| *e == EMITTED.enums_non_exhaustive), "{enums:?}");
}

#[test]
fn deprecation_facts_match_the_emitter() {
    let file = generated(&edit(&[
        ("default: false}", "default: false, deprecated: {note: Old.}}"),
        (
            "size: {type: integer}",
            "size: {type: integer, deprecated: {note: Old.}}",
        ),
        ("{value: SLOW}", "{value: SLOW, deprecated: {note: Old.}}"),
    ]));
    let (mut setter, mut field, mut variant) = (false, false, false);
    for item in &file.items {
        match item {
            syn::Item::Impl(i) => {
                for f in &i.items {
                    match f {
                        syn::ImplItem::Fn(f) => {
                            setter |= f.sig.ident == "with_verbose" && has(&f.attrs, "deprecated");
                        }
                        // Setters are emitted through the runtime's
                        // `setter!(#[attrs] name => field: Type)` macro.
                        syn::ImplItem::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "setter") => {
                            let body = m.mac.tokens.to_string();
                            setter |= body.contains("with_verbose =>") && body.contains("deprecated");
                        }
                        _ => {}
                    }
                }
            }
            syn::Item::Struct(s) if s.ident == "Thing" => {
                field = s.fields.iter().any(|f| has(&f.attrs, "deprecated"));
            }
            syn::Item::Enum(e) if e.ident == "Mode" => {
                variant = e.variants.iter().any(|v| has(&v.attrs, "deprecated"));
            }
            _ => {}
        }
    }
    assert_eq!(setter, EMITTED.deprecated_setters);
    assert_eq!(field, EMITTED.deprecated_fields);
    assert_eq!(variant, EMITTED.deprecated_variants);
}

/// Whether removing a spec section changes the generated code.
fn emitted(section: &str) -> bool {
    assert!(BASE.contains(section), "{section:?}");
    generated(BASE) != generated(&BASE.replacen(section, "", 1))
}

#[test]
fn metadata_facts_match_the_emitter() {
    let pagination = "    pagination:\n      - {style: page_number, page_param: page, page_size: size, total_field: total, items: things, first_page: 1}\n";
    assert_eq!(emitted(pagination), EMITTED.pagination_emitted);
    let with_codes = edit(&[(
        "    response: {status: 200, type: Thing}\n",
        "    response: {status: 200, type: Thing}\n    status_codes:\n      - {status: 200, name: OK}\n",
    )]);
    let without = generated(BASE);
    assert_eq!(generated(&with_codes) != without, EMITTED.status_codes_emitted);
}
