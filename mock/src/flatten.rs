//! Alibaba's flattened query lists (`Tag.1.Key=..&Tag.1.Value=..`,
//! `Id.1=..&Id.2=..`): rebuilt into a JSON value guided by the parameter's
//! type, then checked like any other value.

use std::collections::BTreeMap;

use serde_json::Value;

use cloudsnap_codegen::diag::did_you_mean;
use cloudsnap_codegen::model::{Ty, TypeKind, TypeModel};

use crate::envelope::{Kind, Problem};
use crate::params::{check_json, typed, Param};

/// A value being rebuilt from flattened names.
#[derive(Debug, Default)]
enum Node {
    #[default]
    Empty,
    Leaf(Value),
    /// List items by their 1-based number.
    Items(BTreeMap<u64, Node>),
    Members(BTreeMap<String, Node>),
}

/// Check a flattened list parameter: every `Name.N[.Member...]` in `given`
/// (marked in `used`), rebuilt and checked against its type and constraints.
pub(crate) fn check(p: &Param<'_>, given: &[&(String, String)], used: &mut [bool], out: &mut Vec<Problem>) {
    let wire = &p.model.wire;
    let prefix = format!("{wire}.");
    let mut root = Node::Empty;
    let mut any = false;
    for (i, (name, value)) in given.iter().map(|pair| (&pair.0, &pair.1)).enumerate() {
        if name == wire {
            used[i] = true;
            out.push(Problem::new(
                Kind::InvalidParameter,
                format!("query parameter `{wire}` must be flattened as `{wire}.1...`, not given whole"),
            ));
            continue;
        }
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        used[i] = true;
        any = true;
        let segments: Vec<&str> = rest.split('.').collect();
        insert(p.types, &p.model.ty, &mut root, &segments, value, name, out);
    }
    let label = format!("query parameter `{wire}`");
    if !any {
        if p.model.wire_required {
            out.push(Problem::new(
                Kind::MissingParameter,
                format!("{label} (`{wire}.N...`) is required"),
            ));
        }
        return;
    }
    let value = into_value(root, &label, out);
    check_json(p, &label, &value, out);
}

fn insert(
    types: &[TypeModel],
    ty: &Ty,
    node: &mut Node,
    segments: &[&str],
    raw: &str,
    name: &str,
    out: &mut Vec<Problem>,
) {
    let bad = |m: String| Problem::new(Kind::InvalidParameter, m);
    let object_fields = |t: &Ty| match t {
        Ty::Named(i) => match &types[*i].kind {
            TypeKind::Object { fields } => Some((fields, &types[*i].rust_name)),
            TypeKind::Enum { .. } => None,
        },
        _ => None,
    };
    let Some((first, rest)) = segments.split_first() else {
        if matches!(ty, Ty::Array(_) | Ty::Map(_)) || object_fields(ty).is_some() {
            out.push(bad(format!(
                "`{name}` needs more: a list item number or a member name follows it"
            )));
            return;
        }
        match (typed(types, ty, raw), &node) {
            (Ok(v), Node::Empty) => *node = Node::Leaf(v),
            (Ok(_), _) => out.push(bad(format!("`{name}` is given more than once"))),
            (Err(e), _) => out.push(bad(format!("query parameter `{name}`: {e}"))),
        }
        return;
    };
    match ty {
        Ty::Array(inner) => {
            let Some(n) = first.parse::<u64>().ok().filter(|n| *n >= 1) else {
                out.push(bad(format!(
                    "`{name}`: `{first}` is not a list item number (1, 2, ...)"
                )));
                return;
            };
            if let Node::Empty = node {
                *node = Node::Items(BTreeMap::new());
            }
            match node {
                Node::Items(items) => insert(types, inner, items.entry(n).or_default(), rest, raw, name, out),
                _ => out.push(bad(format!(
                    "`{name}` conflicts with another parameter of the same list"
                ))),
            }
        }
        Ty::Map(inner) => {
            if let Node::Empty = node {
                *node = Node::Members(BTreeMap::new());
            }
            match node {
                Node::Members(m) => insert(
                    types,
                    inner,
                    m.entry((*first).to_owned()).or_default(),
                    rest,
                    raw,
                    name,
                    out,
                ),
                _ => out.push(bad(format!(
                    "`{name}` conflicts with another parameter of the same list"
                ))),
            }
        }
        _ => {
            let Some((fields, type_name)) = object_fields(ty) else {
                out.push(bad(format!("`{name}`: a single value takes no `.{first}`")));
                return;
            };
            let Some(field) = fields.iter().find(|f| f.wire == *first) else {
                let names: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
                let hint = did_you_mean(first, names.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                out.push(bad(format!(
                    "`{name}`: `{first}` is not a member of {type_name}{hint}; members: {}",
                    names.join(", ")
                )));
                return;
            };
            if let Node::Empty = node {
                *node = Node::Members(BTreeMap::new());
            }
            match node {
                Node::Members(m) => insert(
                    types,
                    &field.ty,
                    m.entry((*first).to_owned()).or_default(),
                    rest,
                    raw,
                    name,
                    out,
                ),
                _ => out.push(bad(format!(
                    "`{name}` conflicts with another parameter of the same list"
                ))),
            }
        }
    }
}

/// The rebuilt JSON value; list items must be numbered 1, 2, ... without gaps.
fn into_value(node: Node, label: &str, out: &mut Vec<Problem>) -> Value {
    match node {
        Node::Empty => Value::Null,
        Node::Leaf(v) => v,
        Node::Items(items) => {
            let numbers: Vec<u64> = items.keys().copied().collect();
            if numbers.iter().zip(1..).any(|(n, expected)| *n != expected) {
                let listed: Vec<String> = numbers.iter().map(u64::to_string).collect();
                out.push(Problem::new(
                    Kind::InvalidParameter,
                    format!(
                        "{label}: list items must be numbered 1, 2, 3, ... without gaps (got {})",
                        listed.join(", ")
                    ),
                ));
            }
            Value::Array(items.into_values().map(|n| into_value(n, label, out)).collect())
        }
        Node::Members(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, n)| {
                    let v = into_value(n, label, out);
                    (k, v)
                })
                .collect(),
        ),
    }
}
