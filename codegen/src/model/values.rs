//! Checking JSON values (examples, defaults) against resolved types.

use serde_json::Value;

use super::{Ty, TypeKind, TypeModel};

/// Problems found in `value` as an instance of `ty`, each with the JSON path
/// where it occurs (`$.backup.children[0].status`).
pub fn check(types: &[TypeModel], ty: &Ty, value: &Value, path: &str, out: &mut Vec<String>) {
    check_at(types, ty, value, &At::Root(path), out);
}

/// A JSON path, spelled out only when a problem is found (most values have
/// none, and building every member's path as a `String` was most of the
/// cost of checking an example).
#[derive(Clone, Copy)]
enum At<'p> {
    /// The path the caller gave (`$`).
    Root(&'p str),
    /// `{parent}[{index}]`
    Index(&'p At<'p>, usize),
    /// `{parent}.{key}`
    Key(&'p At<'p>, &'p str),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Root(path) => f.write_str(path),
            At::Index(parent, i) => write!(f, "{parent}[{i}]"),
            At::Key(parent, key) => write!(f, "{parent}.{key}"),
        }
    }
}

fn check_at(types: &[TypeModel], ty: &Ty, value: &Value, path: &At<'_>, out: &mut Vec<String>) {
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let mismatch =
        |want: &str, out: &mut Vec<String>| out.push(format!("{path}: expected {want}, found {}", kind(value)));
    match (ty, value) {
        (_, Value::Null) => {} // nullability is checked by the caller where it matters
        (Ty::Json, _) => {}
        (Ty::String, Value::String(_)) | (Ty::Boolean, Value::Bool(_)) | (Ty::Number, Value::Number(_)) => {}
        (Ty::Integer, Value::Number(n)) if n.is_i64() => {}
        (Ty::Int32, Value::Number(n)) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {}
        (Ty::String, _) => mismatch("a string", out),
        (Ty::Boolean, _) => mismatch("a boolean", out),
        (Ty::Number, _) => mismatch("a number", out),
        (Ty::Integer | Ty::Int32, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            let which = if *ty == Ty::Int32 { "i32" } else { "i64" };
            out.push(format!("{path}: {n} is out of range for an integer ({which})"))
        }
        (Ty::Integer, _) => mismatch("an integer (i64)", out),
        (Ty::Int32, _) => mismatch("an integer (i32)", out),
        (Ty::Array(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_at(types, inner, item, &At::Index(path, i), out);
            }
        }
        (Ty::Array(_), _) => mismatch("an array", out),
        (Ty::Map(inner), Value::Object(members)) => {
            for (k, v) in members {
                check_at(types, inner, v, &At::Key(path, k), out);
            }
        }
        (Ty::Map(_), _) => mismatch("an object", out),
        (Ty::Named(i), _) => check_named(types, &types[*i], value, path, out),
    }
}

fn check_named(types: &[TypeModel], t: &TypeModel, value: &Value, path: &At<'_>, out: &mut Vec<String>) {
    match (&t.kind, value) {
        (
            TypeKind::Enum {
                values,
                case_insensitive,
            },
            Value::String(s),
        ) => {
            let known = values
                .iter()
                .any(|v| v.wire == *s || (*case_insensitive && v.wire.eq_ignore_ascii_case(s)));
            if !known {
                let listed: Vec<_> = values.iter().map(|v| format!("`{}`", v.wire)).collect();
                out.push(format!(
                    "{path}: `{s}` is not a value of {} (known: {})",
                    t.rust_name,
                    listed.join(", ")
                ));
            }
        }
        (TypeKind::Enum { .. }, _) => out.push(format!("{path}: expected a string value of {}", t.rust_name)),
        (TypeKind::Object { fields }, Value::Object(members)) => {
            for (k, v) in members {
                match fields.iter().find(|f| f.wire == *k) {
                    Some(f) => match (&f.wrapper, v) {
                        (Some(w), Value::Object(inner)) => {
                            for (ik, iv) in inner {
                                if ik == w {
                                    check_at(types, &f.ty, iv, &At::Key(&At::Key(path, k), ik), out);
                                } else {
                                    out.push(format!("{path}.{k}.{ik}: the list wrapper holds only `{w}`"));
                                }
                            }
                        }
                        (Some(w), Value::Null) => {
                            let _ = w;
                        }
                        (Some(w), _) => {
                            out.push(format!("{path}.{k}: expected a list wrapper object {{\"{w}\": [...]}}"))
                        }
                        (None, _) => check_at(types, &f.ty, v, &At::Key(path, k), out),
                    },
                    None => out.push(format!("{path}.{k}: `{k}` is not a field of {}", t.rust_name)),
                }
            }
            for f in fields.iter().filter(|f| !f.optional) {
                match members.get(&f.wire) {
                    None => out.push(format!(
                        "{path}: required field `{}` of {} is missing",
                        f.wire, t.rust_name
                    )),
                    Some(Value::Null) => out.push(format!("{path}.{}: required field is null", f.wire)),
                    Some(_) => {}
                }
            }
        }
        (TypeKind::Object { .. }, _) => out.push(format!("{path}: expected an object ({})", t.rust_name)),
    }
}

/// A problem message without the root path `$: `, for values that are not
/// objects or arrays (where `$` alone says nothing).
pub fn top(msg: &str) -> &str {
    msg.strip_prefix("$: ").unwrap_or(msg)
}
