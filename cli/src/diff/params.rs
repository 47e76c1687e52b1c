//! Request parameter changes: what `XRequest::new`, its `with_*` setters, its
//! public fields and its client-side validation look like before and after.

use std::fmt::Display;

use super::members::{self, Member, Owner};
use super::{pair, Change, Kind, Severity};
use cloudsnap_codegen::model::{bare, Constraints, Model, OperationModel, ParamModel};

/// Push every parameter change of one operation.
pub(super) fn compare(old: &Model, new: &Model, o: &OperationModel, n: &OperationModel, out: &mut Vec<Change>) {
    let req = n.request_name.clone();
    let base = format!("operations.{}.parameters", n.id);
    // Parameters are named by wire name in the spec; a pair left over on
    // both sides with the same Rust name is one parameter whose wire name
    // changed.
    let p = pair(&o.params, &n.params, |p| p.wire.clone(), |p| p.ident.clone());
    for (a, b) in p.matched {
        param(old, new, &req, &format!("{base}.{}", b.wire), a, b, out);
    }
    for a in p.removed {
        let id = bare(&a.ident);
        let reason = if a.required {
            format!("required parameter removed ({req}::new loses the argument `{id}`)")
        } else {
            format!("optional parameter removed ({req}::with_{id} and the field `{id}` no longer exist)")
        };
        out.push(
            Change::new(
                Kind::ParameterRemoved,
                format!("{base}.{}", a.wire),
                Severity::Breaking,
                reason,
            )
            .was(old.rust_type_name(&a.ty)),
        );
    }
    for b in p.added {
        let id = bare(&b.ident);
        let (severity, reason) = if b.required {
            (
                Severity::Breaking,
                format!("required parameter added ({req}::new gains an argument `{id}`)"),
            )
        } else {
            // `*Request` structs are #[non_exhaustive] (emit::ops).
            (
                Severity::Compatible,
                format!(
                    "optional parameter added (new setter {req}::with_{id}; {req} is #[non_exhaustive], so no struct literal can miss the field)"
                ),
            )
        };
        out.push(
            Change::new(Kind::ParameterAdded, format!("{base}.{}", b.wire), severity, reason)
                .now(new.rust_type_name(&b.ty)),
        );
    }
    match (o.request_defaultable, n.request_defaultable) {
        (true, false) => out.push(Change::new(
            Kind::DefaultImplRemoved,
            base,
            Severity::Breaking,
            format!("{req} no longer implements Default (it now has a required parameter)"),
        )),
        (false, true) => out.push(Change::new(
            Kind::DefaultImplAdded,
            base,
            Severity::Compatible,
            format!("{req} now implements Default (every parameter is optional)"),
        )),
        _ => {}
    }
}

fn param(old: &Model, new: &Model, req: &str, path: &str, a: &ParamModel, b: &ParamModel, out: &mut Vec<Change>) {
    let (ma, mb) = (Member::param(old, a), Member::param(new, b));
    let more = |out: &mut Vec<Change>| {
        placement(path, a, b, out);
        default(path, a, b, out);
        constraints(path, &a.constraints, &b.constraints, out);
    };
    members::compare(Owner::Request(req), path, &ma, &mb, more, out);
}

fn placement(path: &str, a: &ParamModel, b: &ParamModel, out: &mut Vec<Change>) {
    // As the spec spells them (`in: query`, `encoding: comma_separated`).
    let spelled = |v: serde_json::Value| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
    let show = |p: &ParamModel| {
        let at = spelled(serde_json::json!(p.location));
        match p.encoding {
            Some(e) => format!("{at} ({})", spelled(serde_json::json!(e))),
            None => at,
        }
    };
    let (sa, sb) = (show(a), show(b));
    if sa != sb {
        out.push(
            Change::new(
                Kind::ParameterPlacementChanged,
                path,
                Severity::Behavioural,
                format!("now sent in the {sb} instead of the {sa} (the Rust API is unchanged)"),
            )
            .was(sa)
            .now(sb),
        );
    }
}

fn default(path: &str, a: &ParamModel, b: &ParamModel, out: &mut Vec<Change>) {
    let (severity, reason) = match (&a.default, &b.default) {
        (None, None) => return,
        (Some(x), Some(y)) if x == y => return,
        (Some(_), Some(_)) => (
            Severity::Behavioural,
            "documented server default changed: callers that leave it unset now get the new default (the client never sends defaults)",
        ),
        (None, Some(_)) => (
            Severity::None,
            "server default documented (documentation only; the client never sends defaults)",
        ),
        (Some(_), None) => (
            Severity::None,
            "server default no longer documented (documentation only; the client never sends defaults)",
        ),
    };
    let mut c = Change::new(Kind::DefaultChanged, format!("{path}.default"), severity, reason);
    c.old = a.default.as_ref().map(|v| v.to_string());
    c.new = b.default.as_ref().map(|v| v.to_string());
    out.push(c);
}

/// Client-side validation: a tighter limit rejects requests that used to be
/// sent, a looser one rejects nothing new.
fn constraints(path: &str, a: &Constraints, b: &Constraints, out: &mut Vec<Change>) {
    let path = format!("{path}.constraints");
    bound(&path, "min_length", a.length.min, b.length.min, Bound::Lower, out);
    bound(&path, "max_length", a.length.max, b.length.max, Bound::Upper, out);
    bound(&path, "minimum", a.range.min, b.range.min, Bound::Lower, out);
    bound(&path, "maximum", a.range.max, b.range.max, Bound::Upper, out);
    bound(&path, "min_items", a.items.min, b.items.min, Bound::Lower, out);
    bound(&path, "max_items", a.items.max, b.items.max, Bound::Upper, out);
    let path = format!("{path}.pattern");
    let change = match (&a.pattern, &b.pattern) {
        (None, None) => return,
        (Some(x), Some(y)) if x == y => return,
        (None, Some(p)) => tightened(path, format!("pattern `{p}` added")),
        (Some(p), None) => loosened(path, format!("pattern `{p}` removed")),
        (Some(_), Some(_)) => Change::new(
            Kind::ConstraintChanged,
            path,
            Severity::Behavioural,
            "pattern changed: values that matched the old pattern may be rejected before sending",
        ),
    };
    let mut change = change;
    change.old = a.pattern.clone();
    change.new = b.pattern.clone();
    out.push(change);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    Lower,
    Upper,
}

fn bound<T: Ord + Copy + Display>(
    path: &str,
    name: &str,
    a: Option<T>,
    b: Option<T>,
    side: Bound,
    out: &mut Vec<Change>,
) {
    let path = format!("{path}.{name}");
    let change = match (a, b) {
        (x, y) if x == y => return,
        (None, Some(n)) => tightened(path, format!("`{name}` {n} added")),
        (Some(o), None) => loosened(path, format!("`{name}` {o} removed")),
        (Some(o), Some(n)) => {
            let raised = n > o;
            let what = format!("`{name}` {} from {o} to {n}", if raised { "raised" } else { "lowered" });
            if raised == (side == Bound::Lower) {
                tightened(path, what)
            } else {
                loosened(path, what)
            }
        }
        (None, None) => return,
    };
    let mut change = change;
    change.old = a.map(|v| v.to_string());
    change.new = b.map(|v| v.to_string());
    out.push(change);
}

fn tightened(path: String, what: String) -> Change {
    Change::new(
        Kind::ConstraintTightened,
        path,
        Severity::Behavioural,
        format!("{what}: requests that passed client-side validation may now be rejected before sending"),
    )
}

fn loosened(path: String, what: String) -> Change {
    Change::new(
        Kind::ConstraintLoosened,
        path,
        Severity::Compatible,
        format!("{what}: every value accepted before is still accepted"),
    )
}
