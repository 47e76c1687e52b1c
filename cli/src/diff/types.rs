//! Named type changes: structs (fields, `Default`) and open enums (variants).

use super::members::{self, Member, Owner};
use super::service::docs_change;
use super::{pair, Change, Kind, Severity};
use cloudsnap_codegen::model::{bare, EnumValueModel, FieldModel, Model, TypeKind, TypeModel};

/// Push every named-type change from `old` to `new`.
pub(super) fn compare(old: &Model, new: &Model, out: &mut Vec<Change>) {
    // Matched by spec key; a key that changed while the Rust name stayed is
    // the same Rust type.
    let p = pair(&old.types, &new.types, |t| t.key.clone(), |t| t.rust_name.clone());
    for (a, b) in p.matched {
        ty(old, new, a, b, out);
    }
    for a in p.removed {
        out.push(
            Change::new(
                Kind::TypeRemoved,
                format!("types.{}", a.key),
                Severity::Breaking,
                format!("type removed ({} no longer exists)", a.rust_name),
            )
            .was(&a.rust_name),
        );
    }
    for b in p.added {
        out.push(
            Change::new(
                Kind::TypeAdded,
                format!("types.{}", b.key),
                Severity::Compatible,
                format!("type added (new {})", b.rust_name),
            )
            .now(&b.rust_name),
        );
    }
}

fn ty(old: &Model, new: &Model, a: &TypeModel, b: &TypeModel, out: &mut Vec<Change>) {
    let path = format!("types.{}", b.key);
    if a.key != b.key {
        out.push(
            Change::new(
                Kind::TypeKeyChanged,
                path.clone(),
                Severity::None,
                format!(
                    "spec key changed from `{}`; the Rust name {} is unchanged",
                    a.key, b.rust_name
                ),
            )
            .was(&a.key)
            .now(&b.key),
        );
    }
    if a.rust_name != b.rust_name {
        out.push(
            Change::new(
                Kind::TypeRenamed,
                path.clone(),
                Severity::Breaking,
                format!(
                    "Rust name changed from {} to {}: every use of the old name stops compiling",
                    a.rust_name, b.rust_name
                ),
            )
            .was(&a.rust_name)
            .now(&b.rust_name),
        );
    }
    if a.docs != b.docs {
        out.push(docs_change(
            format!("{path}.docs"),
            a.docs.as_ref(),
            b.docs.as_ref(),
            "type documentation",
        ));
    }
    match (&a.kind, &b.kind) {
        (TypeKind::Object { fields: fa }, TypeKind::Object { fields: fb }) => {
            fields(old, new, &path, b, fa, fb, out);
            match (a.defaultable, b.defaultable) {
                (true, false) => out.push(Change::new(
                    Kind::DefaultImplRemoved,
                    path,
                    Severity::Breaking,
                    format!(
                        "{} no longer implements Default (a required field has no default)",
                        b.rust_name
                    ),
                )),
                (false, true) => out.push(Change::new(
                    Kind::DefaultImplAdded,
                    path,
                    Severity::Compatible,
                    format!("{} now implements Default", b.rust_name),
                )),
                _ => {}
            }
        }
        (
            TypeKind::Enum {
                values: va,
                case_insensitive: ca,
            },
            TypeKind::Enum {
                values: vb,
                case_insensitive: cb,
            },
        ) => {
            values(&path, &b.rust_name, va, vb, out);
            if ca != cb {
                let how = if *cb { "now" } else { "no longer" };
                out.push(
                    Change::new(
                        Kind::EnumCaseChanged,
                        format!("{path}.case_insensitive"),
                        Severity::Behavioural,
                        format!("incoming values are {how} matched ignoring ASCII case"),
                    )
                    .was(ca)
                    .now(cb),
                );
            }
        }
        (ka, kb) => out.push(
            Change::new(
                Kind::TypeKindChanged,
                path,
                Severity::Breaking,
                format!("{} changed from {} to {}", b.rust_name, kind(ka), kind(kb)),
            )
            .was(kind(ka))
            .now(kind(kb)),
        ),
    }
}

fn kind(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Object { .. } => "a struct",
        TypeKind::Enum { .. } => "an enum",
    }
}

fn field_ty(m: &Model, f: &FieldModel) -> String {
    Member::field(m, f).full_ty()
}

fn fields(
    old: &Model,
    new: &Model,
    path: &str,
    t: &TypeModel,
    fa: &[FieldModel],
    fb: &[FieldModel],
    out: &mut Vec<Change>,
) {
    let name = &t.rust_name;
    let p = pair(fa, fb, |f| f.wire.clone(), |f| f.ident.clone());
    for (a, b) in p.matched {
        field(old, new, &format!("{path}.fields.{}", b.wire), name, a, b, out);
    }
    for a in p.removed {
        out.push(
            Change::new(
                Kind::FieldRemoved,
                format!("{path}.fields.{}", a.wire),
                Severity::Breaking,
                format!("field removed ({name}::{} no longer exists)", bare(&a.ident)),
            )
            .was(field_ty(old, a)),
        );
    }
    for b in p.added {
        let id = bare(&b.ident);
        // Object structs are #[non_exhaustive] and built with `new` and
        // `with_*` (emit::structs, emit::constructors).
        let (severity, reason) = if !b.optional {
            (
                Severity::Breaking,
                format!("required field added ({name}::new gains an argument `{id}`)"),
            )
        } else {
            (
                Severity::Compatible,
                format!(
                    "optional field added (new {name}::{id} and {name}::with_{id}; {name} is #[non_exhaustive], so no struct literal can miss it)"
                ),
            )
        };
        out.push(
            Change::new(Kind::FieldAdded, format!("{path}.fields.{}", b.wire), severity, reason).now(field_ty(new, b)),
        );
    }
}

fn field(old: &Model, new: &Model, path: &str, name: &str, a: &FieldModel, b: &FieldModel, out: &mut Vec<Change>) {
    let (ma, mb) = (Member::field(old, a), Member::field(new, b));
    members::compare(Owner::Object(name), path, &ma, &mb, |_| {}, out);
}

fn values(path: &str, name: &str, va: &[EnumValueModel], vb: &[EnumValueModel], out: &mut Vec<Change>) {
    let p = pair(va, vb, |v| v.wire.clone(), |v| v.ident.clone());
    for (a, b) in p.matched {
        let vpath = format!("{path}.values.{}", b.wire);
        if a.wire != b.wire {
            out.push(
                Change::new(
                    Kind::EnumValueWireChanged,
                    vpath.clone(),
                    Severity::Behavioural,
                    format!(
                        "{name}::{} now stands for `{}` instead of `{}` on the wire",
                        b.ident, b.wire, a.wire
                    ),
                )
                .was(&a.wire)
                .now(&b.wire),
            );
        }
        if a.ident != b.ident {
            out.push(
                Change::new(
                    Kind::EnumVariantRenamed,
                    vpath.clone(),
                    Severity::Breaking,
                    format!("variant renamed from {name}::{} to {name}::{}", a.ident, b.ident),
                )
                .was(&a.ident)
                .now(&b.ident),
            );
        }
        members::deprecation(
            &vpath,
            Severity::None,
            "deprecated (documentation only: variants carry no #[deprecated] attribute)",
            a.deprecated.as_ref(),
            b.deprecated.as_ref(),
            out,
        );
        if a.docs != b.docs {
            out.push(docs_change(
                format!("{vpath}.docs"),
                a.docs.as_ref(),
                b.docs.as_ref(),
                "value documentation",
            ));
        }
    }
    for a in p.removed {
        out.push(
            Change::new(
                Kind::EnumValueRemoved,
                format!("{path}.values.{}", a.wire),
                Severity::Breaking,
                format!(
                    "value removed ({name}::{} no longer exists; `{}` now arrives as {name}::Unknown)",
                    a.ident, a.wire
                ),
            )
            .was(&a.wire),
        );
    }
    for b in p.added {
        let (severity, reason) = variant_added(name, &b.ident, &b.wire);
        out.push(
            Change::new(
                Kind::EnumValueAdded,
                format!("{path}.values.{}", b.wire),
                severity,
                format!("value added ({reason})"),
            )
            .now(&b.wire),
        );
    }
}

/// Severity and reason of a new variant in an open enum (named types and
/// `*ErrorCode` enums are emitted the same way).
/// (Open enums are #[non_exhaustive]: emit::enums.)
pub(super) fn variant_added(name: &str, variant: &str, wire: &str) -> (Severity, String) {
    (
        Severity::Behavioural,
        format!(
            "new variant {name}::{variant}: code still compiles (the enum is open and #[non_exhaustive]), \
             but `{wire}` used to arrive as {name}::Unknown and now arrives as the new variant"
        ),
    )
}
