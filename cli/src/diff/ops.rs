//! Operation-level changes: operations added or removed, the request line,
//! output types, error codes and pagination. Parameters are in `params`.

use super::params;
use super::service::{docs_change, json};
use super::types::variant_added;
use super::{pair, Change, Kind, Severity};
use cloudsnap_codegen::model::{Model, OperationModel, PaginationModel, PaginationStyle, StreamNames};

/// Push every operation-level change from `old` to `new`.
pub(super) fn compare(old: &Model, new: &Model, out: &mut Vec<Change>) {
    // The id is the Rust stem of every generated name, so there is no
    // rename that keeps the API: match by id only.
    let p = pair(&old.operations, &new.operations, |o| o.id.clone(), |o| o.id.clone());
    for (o, n) in p.matched {
        operation(old, new, o, n, out);
    }
    for o in p.removed {
        out.push(Change::new(
            Kind::OperationRemoved,
            format!("operations.{}", o.id),
            Severity::Breaking,
            format!(
                "operation removed ({} and {} no longer exist)",
                o.request_name, o.error_code_name
            ),
        ));
    }
    for n in p.added {
        out.push(Change::new(
            Kind::OperationAdded,
            format!("operations.{}", n.id),
            Severity::Compatible,
            format!("operation added (new {} and {})", n.request_name, n.error_code_name),
        ));
    }
}

fn operation(old: &Model, new: &Model, o: &OperationModel, n: &OperationModel, out: &mut Vec<Change>) {
    let base = format!("operations.{}", n.id);
    let req = n.request_name.clone();
    if o.docs != n.docs {
        out.push(docs_change(
            format!("{base}.docs"),
            Some(&o.docs),
            Some(&n.docs),
            "operation documentation",
        ));
    }
    let line = [
        (
            "method",
            o.method.as_str().to_owned(),
            n.method.as_str().to_owned(),
            "HTTP method",
        ),
        (
            "path",
            o.path_template.clone(),
            n.path_template.clone(),
            "path template",
        ),
        ("action", o.action.clone(), n.action.clone(), "`Action`"),
    ];
    for (key, a, b, what) in line {
        if a != b {
            out.push(
                Change::new(
                    Kind::RequestLineChanged,
                    format!("{base}.{key}"),
                    Severity::Behavioural,
                    format!("{what} changed: {req} now builds a different request"),
                )
                .was(a)
                .now(b),
            );
        }
    }
    if o.success_status != n.success_status {
        out.push(
            Change::new(
                Kind::RequestLineChanged,
                format!("{base}.response.status"),
                Severity::Behavioural,
                "documented success status changed (OperationInfo.success_status; parsing accepts any 2xx either way)",
            )
            .was(o.success_status)
            .now(n.success_status),
        );
    }
    if o.idempotent != n.idempotent {
        let how = if n.idempotent { "now" } else { "no longer" };
        out.push(
            Change::new(
                Kind::IdempotencyChanged,
                format!("{base}.idempotent"),
                Severity::Behavioural,
                format!("{how} safe to retry (OperationInfo.idempotent): retrying clients change what they resend"),
            )
            .was(o.idempotent)
            .now(n.idempotent),
        );
    }
    let show = |m: &Model, t: &Option<cloudsnap_codegen::model::Ty>| {
        t.as_ref().map_or("()".to_owned(), |t| m.rust_type_name(t))
    };
    let (oo, no) = (show(old, &o.output), show(new, &n.output));
    if oo != no {
        out.push(
            Change::new(
                Kind::OutputChanged,
                format!("{base}.response.type"),
                Severity::Breaking,
                format!("output type changed (<{req} as Operation>::Output is now {no}, was {oo})"),
            )
            .was(oo)
            .now(no),
        );
    }
    if o.response_docs != n.response_docs {
        out.push(docs_change(
            format!("{base}.response.docs"),
            o.response_docs.as_ref(),
            n.response_docs.as_ref(),
            "response documentation",
        ));
    }
    params::compare(old, new, o, n, out);
    errors(o, n, out);
    if json(&o.status_codes) != json(&n.status_codes) {
        out.push(Change::new(
            Kind::DocsChanged,
            format!("{base}.status_codes"),
            Severity::None,
            "status-code table changed (not part of the generated code)",
        ));
    }
    if o.error_docs != n.error_docs {
        out.push(docs_change(
            format!("{base}.error_docs"),
            o.error_docs.as_ref(),
            n.error_docs.as_ref(),
            "error documentation",
        ));
    }
    pagination(old, new, &base, o, n, out);
    if json(&o.examples) != json(&n.examples) {
        out.push(Change::new(
            Kind::DocsChanged,
            format!("{base}.examples"),
            Severity::None,
            "examples changed (they only generate tests)",
        ));
    }
}

fn errors(o: &OperationModel, n: &OperationModel, out: &mut Vec<Change>) {
    let base = format!("operations.{}.errors", n.id);
    let enum_name = n.error_code_name.clone();
    let p = pair(&o.errors, &n.errors, |e| e.code.clone(), |e| e.ident.clone());
    for (a, b) in p.matched {
        let path = format!("{base}.{}", b.code);
        if a.code != b.code {
            out.push(
                Change::new(
                    Kind::EnumValueWireChanged,
                    path.clone(),
                    Severity::Behavioural,
                    format!(
                        "{enum_name}::{} now stands for the code `{}` instead of `{}`",
                        b.ident, b.code, a.code
                    ),
                )
                .was(&a.code)
                .now(&b.code),
            );
        }
        if a.ident != b.ident {
            out.push(
                Change::new(
                    Kind::ErrorCodeRenamed,
                    path.clone(),
                    Severity::Breaking,
                    format!(
                        "variant renamed from {enum_name}::{} to {enum_name}::{}",
                        a.ident, b.ident
                    ),
                )
                .was(&a.ident)
                .now(&b.ident),
            );
        }
        if a.status != b.status {
            out.push(
                Change::new(
                    Kind::ErrorCodeStatusChanged,
                    path.clone(),
                    Severity::Behavioural,
                    format!("{enum_name}::{}.documented_status() changes", b.ident),
                )
                .was(a.status)
                .now(b.status),
            );
        }
        if a.message != b.message || a.docs != b.docs {
            out.push(Change::new(
                Kind::DocsChanged,
                path,
                Severity::None,
                "error code documentation changed",
            ));
        }
    }
    for a in p.removed {
        out.push(
            Change::new(
                Kind::ErrorCodeRemoved,
                format!("{base}.{}", a.code),
                Severity::Breaking,
                format!(
                    "error code removed ({enum_name}::{} no longer exists; the code now arrives as Unknown)",
                    a.ident
                ),
            )
            .was(&a.code),
        );
    }
    for b in p.added {
        let (severity, reason) = variant_added(&enum_name, &b.ident, &b.code);
        out.push(
            Change::new(
                Kind::ErrorCodeAdded,
                format!("{base}.{}", b.code),
                severity,
                format!("error code added ({reason})"),
            )
            .now(&b.code),
        );
    }
}

fn pagination(old: &Model, new: &Model, base: &str, o: &OperationModel, n: &OperationModel, out: &mut Vec<Change>) {
    let style = |p: &PaginationModel| style_name(p.style);
    let p = pair(&o.pages, &n.pages, style, style);
    for (a, b) in p.matched {
        let (ja, jb) = (pager(old, o, a), pager(new, n, b));
        if ja != jb {
            out.push(
                Change::new(
                    Kind::PaginationChanged,
                    format!("{base}.pagination.{}", style(b)),
                    Severity::Behavioural,
                    "pagination changed: pages are requested or detected differently",
                )
                .was(ja)
                .now(jb),
            );
        }
    }
    // Stream method names, as the model's name table decided them.
    let streams = |m: &OperationModel| -> Vec<(PaginationStyle, StreamNames)> {
        m.pages.iter().map(|p| p.style).zip(m.streams.iter().cloned()).collect()
    };
    let (old_streams, new_streams) = (streams(o), streams(n));
    for (style, was) in &old_streams {
        if let Some((_, now)) = new_streams.iter().find(|(s, _)| s == style) {
            for (a, b) in [(&was.pages, &now.pages), (&was.items, &now.items)] {
                if a != b {
                    let name = style_name(*style);
                    out.push(
                        Change::new(
                            Kind::StreamMethodRenamed,
                            format!("{base}.pagination.{name}"),
                            Severity::Breaking,
                            format!("stream method renamed (Client::{a} is now Client::{b})"),
                        )
                        .was(a)
                        .now(b),
                    );
                }
            }
        }
    }
    for a in p.removed {
        out.push(
            Change::new(
                Kind::PaginationRemoved,
                format!("{base}.pagination.{}", style(a)),
                Severity::Breaking,
                "pagination style removed (its stream methods no longer exist)",
            )
            .was(pager(old, o, a)),
        );
    }
    for b in p.added {
        out.push(
            Change::new(
                Kind::PaginationAdded,
                format!("{base}.pagination.{}", style(b)),
                Severity::Compatible,
                "pagination style added (new stream methods)",
            )
            .now(pager(new, n, b)),
        );
    }
}

/// A pagination style as its spec key spells it.
fn style_name(style: PaginationStyle) -> String {
    json(&style).as_str().unwrap_or_default().to_owned()
}

/// What a generated pager sends and reads, by wire name: the resolved
/// pagination of `op` in `m`.
fn pager(m: &Model, op: &OperationModel, p: &PaginationModel) -> serde_json::Value {
    let fields = m.output_fields(op);
    let param = |i: Option<usize>| i.map(|i| op.params[i].wire.clone());
    let field = |f: Option<(usize, bool)>| f.map(|(i, _)| fields[i].wire.clone());
    serde_json::json!({
        "style": style_name(p.style),
        "items": fields[p.items].wire,
        "page_size": param(p.page_size),
        "token_param": param(p.token_param),
        "token_field": field(p.token_field),
        "page_param": param(p.page_param),
        "total_field": field(p.total_field),
        "first_page": p.first_page,
    })
}
