//! What a request parameter and a struct field have in common, compared in
//! one place: wire name, Rust name, type, `Option` or not, deprecation,
//! documentation and example. Each is a member of a generated struct (the
//! `*Request` or an object type); what differs is only how the change
//! reads to its users, which [`Owner`] words. Parameter-only changes
//! (placement, default, constraints) are in `params`.

use cloudsnap_codegen::model::{bare, Deprecation, FieldModel, Model, ParamModel};
use serde_json::Value;

use super::service::docs_change;
use super::{maybe_option, Change, Kind, Severity};

/// The struct a member belongs to.
#[derive(Clone, Copy)]
pub(super) enum Owner<'a> {
    /// A `*Request` (its name): members are set through `new` or `with_*`.
    Request(&'a str),
    /// An object type (its Rust name): members are read from responses.
    Object(&'a str),
}

/// One member as the generated code has it.
pub(super) struct Member<'a> {
    /// The wire name as a message shows it (`` `size` ``, or with its list
    /// wrapper).
    wire_shown: String,
    /// The wire name as `old`/`new` report it.
    wire_value: String,
    /// Rust name without the raw prefix.
    ident: &'a str,
    /// Rust type without `Option`.
    ty: String,
    /// `Option<T>`.
    optional: bool,
    deprecated: Option<&'a Deprecation>,
    docs: Option<&'a String>,
    example: Option<&'a Value>,
}

impl<'a> Member<'a> {
    /// A request parameter of model `m`.
    pub(super) fn param(m: &Model, p: &'a ParamModel) -> Self {
        Member {
            wire_shown: format!("`{}`", p.wire),
            wire_value: p.wire.clone(),
            ident: bare(&p.ident),
            ty: m.rust_type_name(&p.ty),
            optional: !p.required,
            deprecated: p.deprecated.as_ref(),
            docs: p.docs.as_ref(),
            example: p.example.as_ref(),
        }
    }

    /// A struct field of model `m`.
    pub(super) fn field(m: &Model, f: &'a FieldModel) -> Self {
        let shown = match &f.wrapper {
            Some(w) => format!("`{}` wrapped in `{w}`", f.wire),
            None => format!("`{}`", f.wire),
        };
        Member {
            wire_value: shown.clone(),
            wire_shown: shown,
            ident: bare(&f.ident),
            ty: m.rust_type_name(&f.ty),
            optional: f.optional,
            deprecated: f.deprecated.as_ref(),
            docs: f.docs.as_ref(),
            example: f.example.as_ref(),
        }
    }

    /// The Rust type with its `Option`.
    pub(super) fn full_ty(&self) -> String {
        maybe_option(self.ty.clone(), self.optional)
    }
}

/// Push the changes of one member matched on both sides; `more` pushes the
/// owner's own changes (a parameter's placement, default and constraints)
/// after the type and before the deprecation.
pub(super) fn compare(
    owner: Owner<'_>,
    path: &str,
    a: &Member<'_>,
    b: &Member<'_>,
    more: impl FnOnce(&mut Vec<Change>),
    out: &mut Vec<Change>,
) {
    let (ia, ib) = (a.ident, b.ident);
    if a.wire_shown != b.wire_shown {
        let (kind, verb) = match owner {
            Owner::Request(_) => (Kind::ParameterWireNameChanged, "sent"),
            Owner::Object(_) => (Kind::FieldWireChanged, "serialized"),
        };
        out.push(
            Change::new(
                kind,
                path,
                Severity::Behavioural,
                format!(
                    "{verb} as {} instead of {} (the Rust API is unchanged)",
                    b.wire_shown, a.wire_shown
                ),
            )
            .was(&a.wire_value)
            .now(&b.wire_value),
        );
    }
    if ia != ib {
        let (kind, reason) = match owner {
            Owner::Request(req) => (
                Kind::ParameterRenamed,
                if b.optional {
                    format!("Rust name changed (the field `{ia}` and {req}::with_{ia} become `{ib}` and with_{ib})")
                } else {
                    format!("Rust name changed (the field and the {req}::new argument `{ia}` become `{ib}`)")
                },
            ),
            Owner::Object(name) => (
                Kind::FieldRenamed,
                format!("Rust name changed from {name}::{ia} to {name}::{ib}"),
            ),
        };
        out.push(Change::new(kind, path, Severity::Breaking, reason).was(ia).now(ib));
    }
    match owner {
        Owner::Request(req) => request_shape(req, path, a, b, out),
        Owner::Object(name) => object_shape(name, path, a, b, out),
    }
    more(&mut *out);
    match owner {
        Owner::Request(req) => request_deprecation(req, path, a, b, out),
        Owner::Object(_) => deprecation(
            path,
            Severity::None,
            "deprecated (documentation only: fields carry no #[deprecated] attribute)",
            a.deprecated,
            b.deprecated,
            out,
        ),
    }
    let what = match owner {
        Owner::Request(_) => "parameter",
        Owner::Object(_) => "field",
    };
    if a.docs != b.docs {
        out.push(docs_change(
            format!("{path}.docs"),
            a.docs,
            b.docs,
            &format!("{what} documentation"),
        ));
    }
    if a.example != b.example {
        let mut c = Change::new(
            Kind::DocsChanged,
            format!("{path}.example"),
            Severity::None,
            "example changed",
        );
        c.old = a.example.map(|v| v.to_string());
        c.new = b.example.map(|v| v.to_string());
        out.push(c);
    }
}

/// A parameter's type and whether it is required: both can change at once
/// (the constructor argument and the setter move independently of the
/// field's type).
fn request_shape(req: &str, path: &str, a: &Member<'_>, b: &Member<'_>, out: &mut Vec<Change>) {
    let (ib, ta, tb) = (b.ident, &a.ty, &b.ty);
    if ta != tb {
        out.push(
            Change::new(
                Kind::ParameterTypeChanged,
                path,
                Severity::Breaking,
                format!("type changed from {ta} to {tb} (the field and what {req} accepts for `{ib}` change type)"),
            )
            .was(ta)
            .now(tb),
        );
    }
    match (a.optional, b.optional) {
        (true, false) => out.push(
            Change::new(
                Kind::ParameterNowRequired,
                path,
                Severity::Breaking,
                format!(
                    "optional parameter became required ({req}::new gains an argument `{ib}`, with_{ib} is gone, the field changes from Option<{tb}> to {tb})"
                ),
            )
            .was("optional")
            .now("required"),
        ),
        (false, true) => out.push(
            Change::new(
                Kind::ParameterNowOptional,
                path,
                Severity::Breaking,
                format!(
                    "required parameter became optional ({req}::new loses the argument `{ib}`, so existing calls pass one argument too many; set it with the new with_{ib}; the field changes from {tb} to Option<{tb}>)"
                ),
            )
            .was("required")
            .now("optional"),
        ),
        _ => {}
    }
}

fn request_deprecation(req: &str, path: &str, a: &Member<'_>, b: &Member<'_>, out: &mut Vec<Change>) {
    let ib = b.ident;
    // Setters of deprecated optional parameters are #[deprecated] (see
    // `emit::constructors`); required parameters are constructor arguments,
    // which cannot carry the attribute.
    let (severity, what) = if b.optional {
        (
            Severity::Compatible,
            format!("deprecated ({req}::with_{ib} is #[deprecated]: callers get a warning)"),
        )
    } else {
        (
            Severity::None,
            "deprecated (documentation only: no #[deprecated] attribute is generated for it)".to_owned(),
        )
    };
    deprecation(path, severity, &what, a.deprecated, b.deprecated, out);
}

/// A field's type, with its `Option` (one change: the field's type is what
/// code reads). Its deprecation is documentation only: fields carry no
/// #[deprecated] attribute, so reading responses warns no one.
fn object_shape(name: &str, path: &str, a: &Member<'_>, b: &Member<'_>, out: &mut Vec<Change>) {
    let ib = b.ident;
    let (fa, fb) = (a.full_ty(), b.full_ty());
    if a.ty != b.ty {
        out.push(
            Change::new(
                Kind::FieldTypeChanged,
                path,
                Severity::Breaking,
                format!("type of {name}::{ib} changed from {fa} to {fb}"),
            )
            .was(fa)
            .now(fb),
        );
    } else if a.optional != b.optional {
        let (kind, reason) = if b.optional {
            (
                Kind::FieldNowOptional,
                format!("{name}::{ib} changed from {fa} to {fb}: code reading or constructing it stops compiling"),
            )
        } else {
            (
                Kind::FieldNowRequired,
                format!(
                    "{name}::{ib} changed from {fa} to {fb}: code reading or constructing it stops compiling, and bodies without it no longer parse"
                ),
            )
        };
        out.push(Change::new(kind, path, Severity::Breaking, reason).was(fa).now(fb));
    }
}

/// Push a deprecation added (with `severity`), removed, or reworded.
pub(super) fn deprecation(
    path: &str,
    severity: Severity,
    what: &str,
    a: Option<&Deprecation>,
    b: Option<&Deprecation>,
    out: &mut Vec<Change>,
) {
    let change = match (a, b) {
        (None, Some(d)) => Change::new(Kind::Deprecated, path, severity, what).now(&d.note),
        (Some(d), None) => {
            Change::new(Kind::Undeprecated, path, Severity::None, "deprecation notice removed").was(&d.note)
        }
        (Some(x), Some(y)) if x.note != y.note || x.replacement != y.replacement => Change::new(
            Kind::DocsChanged,
            format!("{path}.deprecated"),
            Severity::None,
            "deprecation notice changed",
        )
        .was(&x.note)
        .now(&y.note),
        _ => return,
    };
    out.push(change);
}
