//! Every structural problem of a spec file at once.
//!
//! serde stops at the first unknown key, missing key or wrong value type, so
//! a file with three typos would take three runs to fix. This pass walks the
//! YAML tree against the JSON Schema that schemars derives from the same
//! `spec` types serde reads (so the two cannot drift) and reports every such
//! problem, each at its YAML path. It understands the subset of JSON Schema
//! that schemars emits for those types: `$ref`, `type`, `properties`,
//! `required`, `additionalProperties`, `items`, `anyOf`/`oneOf` and `const`.

use std::sync::OnceLock;

use serde_json::{Map, Value as Schema};
use serde_yaml::Value;

use crate::diag::did_you_mean;

/// A structural problem: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// YAML path of the node.
    pub path: String,
    /// True when the problem is the key at `path` (unknown key), not its value.
    pub at_key: bool,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

fn root() -> &'static Schema {
    static ROOT: OnceLock<Schema> = OnceLock::new();
    ROOT.get_or_init(|| schemars::schema_for!(crate::spec::Spec).as_value().clone())
}

/// Structural problems of a parsed YAML document, in document order.
pub(crate) fn check(doc: &Value) -> Vec<Problem> {
    let mut w = Walker {
        root: root(),
        out: Vec::new(),
    };
    w.walk(w.root, doc, "", "the spec file");
    w.out
}

/// Every YAML tag (`!custom value`) in a document, and every merge key
/// (`<<`): the spec format has neither, and serde would ignore a tag or
/// read a merge key as an ordinary one. Iterative, in document order.
pub(crate) fn tags_and_merges(doc: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &Value)> = vec![(String::new(), doc)];
    while let Some((path, v)) = stack.pop() {
        match v {
            Value::Tagged(t) => {
                out.push(Problem {
                    path: path.clone(),
                    at_key: false,
                    message: format!("unknown YAML tag `{}`", t.tag),
                    hint: Some(
                        "remove the tag: spec values are plain YAML (quote a value that starts with `!`)".to_owned(),
                    ),
                });
                stack.push((path, &t.value));
            }
            Value::Mapping(m) => {
                let mut children = Vec::new();
                for (k, v) in m {
                    let key = key_text(k);
                    let child = join(&path, &key);
                    if key == "<<" {
                        out.push(Problem {
                            path: child.clone(),
                            at_key: true,
                            message: "YAML merge keys (`<<`) are not supported".to_owned(),
                            hint: Some(
                                "write the keys out in full; an alias (`*name`) can stand for a whole value".to_owned(),
                            ),
                        });
                    }
                    children.push((child, v));
                }
                stack.extend(children.into_iter().rev());
            }
            Value::Sequence(items) => {
                stack.extend(items.iter().enumerate().rev().map(|(i, v)| (format!("{path}[{i}]"), v)));
            }
            _ => {}
        }
    }
    out
}

struct Walker<'s> {
    root: &'s Schema,
    out: Vec<Problem>,
}

/// What a YAML value is, in words.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing (null)".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Sequence(_) => "a list".to_owned(),
        Value::Mapping(_) => "a mapping".to_owned(),
        Value::Tagged(t) => format!("a value tagged `{}`", t.tag),
    }
}

/// Whether `v` is an instance of the JSON Schema type `ty`.
fn is_type(v: &Value, ty: &str) -> bool {
    match (ty, v) {
        ("null", Value::Null) | ("boolean", Value::Bool(_)) | ("string", Value::String(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        ("number", Value::Number(_)) => true,
        // serde_yaml reads any plain scalar into a string field (`resolution:
        // 200.` is the text "200."), so this pass must not reject it.
        ("string", Value::Number(_) | Value::Bool(_)) => true,
        ("array", Value::Sequence(_)) | ("object", Value::Mapping(_)) => true,
        _ => false,
    }
}

fn type_words(ty: &str) -> &str {
    match ty {
        "array" => "a list",
        "object" => "a mapping",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "`true` or `false`",
        other => other,
    }
}

/// The hint for a value of the wrong YAML type.
fn type_hint(want: &str, got: &Value) -> Option<String> {
    Some(match (want, got) {
        ("array", Value::String(s)) => format!("write a list, e.g. `[{s}]`, or one `- item` per line"),
        ("array", Value::Mapping(_)) => "write a list: one `- ...` entry per item".to_owned(),
        ("boolean", Value::String(_)) => {
            "write `true` or `false` (YAML 1.2 reads `yes`, `no`, `on` and `off` as strings)".to_owned()
        }
        ("integer" | "number", Value::String(s)) if s.trim().parse::<f64>().is_ok() => {
            "write the number without quotes".to_owned()
        }
        ("string", Value::Number(_) | Value::Bool(_)) => "quote the value to make it a string".to_owned(),
        ("object", _) => "write a mapping of `key: value` lines".to_owned(),
        _ => return None,
    })
}

/// The name a schema `$defs` entry has in the spec format's own words.
fn what(def: &str) -> String {
    match def {
        "TypeDef" => return "a type".to_owned(),
        "Spec" => return "the spec file".to_owned(),
        _ => {}
    }
    let article = if def.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    let words: String = def
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let space = (i > 0 && c.is_ascii_uppercase()).then_some(' ');
            space.into_iter().chain(std::iter::once(c.to_ascii_lowercase()))
        })
        .collect();
    format!("{article} {words}")
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "~".to_owned(),
        other => describe(other),
    }
}

impl<'s> Walker<'s> {
    fn problem(&mut self, path: &str, at_key: bool, message: String, hint: Option<String>) {
        self.out.push(Problem {
            path: path.to_owned(),
            at_key,
            message,
            hint,
        });
    }

    /// Follow a `$ref` to its definition, with the definition's name.
    fn deref(&self, schema: &'s Schema) -> Option<(&'s Schema, &'s str)> {
        let name = schema.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
        Some((self.root.get("$defs")?.get(name)?, name))
    }

    /// Check `value` against `schema`; `owner` names the node in messages.
    fn walk(&mut self, schema: &'s Schema, value: &Value, path: &str, owner: &str) {
        if let Value::Tagged(t) = value {
            // Reported by `tags`; check what it holds.
            return self.walk(schema, &t.value, path, owner);
        }
        if let Some((def, name)) = self.deref(schema) {
            return self.walk(def, value, path, &what(name));
        }
        let Some(obj) = schema.as_object() else {
            return; // `true`: anything goes
        };
        if let Some(alts) = obj.get("anyOf").or_else(|| obj.get("oneOf")).and_then(Schema::as_array) {
            return self.alternatives(alts, value, path, owner);
        }
        if let Some(types) = obj.get("type") {
            let allowed: Vec<&str> = match types {
                Schema::String(t) => vec![t.as_str()],
                Schema::Array(ts) => ts.iter().filter_map(Schema::as_str).collect(),
                _ => Vec::new(),
            };
            if !allowed.iter().any(|t| is_type(value, t)) {
                let want = allowed.iter().find(|t| **t != "null").copied().unwrap_or("null");
                self.problem(
                    path,
                    false,
                    format!("expected {}, found {}", type_words(want), describe(value)),
                    type_hint(want, value),
                );
                return;
            }
        }
        match value {
            Value::Mapping(m) => self.mapping(obj, m, path, owner),
            Value::Sequence(items) => {
                if let Some(item) = obj.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.walk(item, v, &format!("{path}[{i}]"), owner);
                    }
                }
            }
            Value::Number(n) => {
                let (Some(lo), Some(hi)) = (
                    obj.get("minimum").and_then(Schema::as_f64),
                    obj.get("maximum").and_then(Schema::as_f64),
                ) else {
                    return;
                };
                if n.as_f64().is_some_and(|x| x < lo || x > hi) {
                    self.problem(path, false, format!("{n} is out of range {lo}..={hi}"), None);
                }
            }
            _ => {}
        }
    }

    fn mapping(&mut self, obj: &'s Map<String, Schema>, m: &serde_yaml::Mapping, path: &str, owner: &str) {
        let props = obj.get("properties").and_then(Schema::as_object);
        let extra = obj.get("additionalProperties");
        // Required keys that an unknown key is a misspelling of: reported
        // once, as the misspelling.
        let mut misspelled: Vec<&str> = Vec::new();
        let mut merged = false;
        for (k, v) in m {
            let key = key_text(k);
            let child = join(path, &key);
            if key == "<<" {
                merged = true;
                self.problem(
                    &child,
                    true,
                    "YAML merge keys (`<<`) are not supported".to_owned(),
                    Some("write the keys out in full; an alias (`*name`) can stand for a whole value".to_owned()),
                );
                continue;
            }
            match (props.and_then(|p| p.get(&key)), extra) {
                (Some(s), _) => self.walk(s, v, &child, owner),
                (None, Some(Schema::Bool(false))) => {
                    let known: Vec<&str> = props
                        .map(|p| p.keys().map(String::as_str).collect())
                        .unwrap_or_default();
                    let hint = match did_you_mean(&key, known.iter().copied()) {
                        Some(best) => {
                            misspelled.push(best);
                            format!("did you mean `{best}`?")
                        }
                        None => format!(
                            "the keys of {owner} are {}",
                            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.problem(&child, true, format!("unknown key `{key}` in {owner}"), Some(hint));
                }
                (None, Some(s)) => self.walk(s, v, &child, owner),
                (None, None) => {}
            }
        }
        let required = obj.get("required").and_then(Schema::as_array).filter(|_| !merged);
        for name in required.into_iter().flatten().filter_map(Schema::as_str) {
            let present = m.keys().any(|k| key_text(k) == name);
            if !present && !misspelled.contains(&name) {
                let hint = props
                    .and_then(|p| p.get(name))
                    .and_then(|s| self.choices(s))
                    .map(|c| format!("add `{name}: ...`, one of {c}"))
                    .unwrap_or_else(|| format!("add `{name}: ...`"));
                self.problem(path, true, format!("missing key `{name}` in {owner}"), Some(hint));
            }
        }
    }

    /// The listed values of an enum schema, as `` `a`, `b` ``.
    fn choices(&self, schema: &'s Schema) -> Option<String> {
        let schema = self.deref(schema).map_or(schema, |d| d.0);
        let alts = schema.get("oneOf").or_else(|| schema.get("enum"))?.as_array()?;
        let names: Vec<String> = alts
            .iter()
            .filter_map(|a| a.get("const").or(Some(a)).and_then(Schema::as_str))
            .map(|c| format!("`{c}`"))
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    fn alternatives(&mut self, alts: &'s [Schema], value: &Value, path: &str, owner: &str) {
        let consts: Vec<&str> = alts
            .iter()
            .filter_map(|a| a.get("const").and_then(Schema::as_str))
            .collect();
        if !consts.is_empty() && consts.len() == alts.len() {
            let ok = matches!(value, Value::String(s) if consts.contains(&s.as_str()));
            if !ok {
                let listed = consts.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
                let hint = match value {
                    Value::String(s) => match did_you_mean(s, consts.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("use one of {listed}"),
                    },
                    _ => format!("use one of {listed}"),
                };
                self.problem(
                    path,
                    false,
                    format!("{} is not one of {listed}", describe(value)),
                    Some(hint),
                );
            }
            return;
        }
        // Option<T>: `anyOf: [T, {type: null}]`.
        let non_null: Vec<&Schema> = alts
            .iter()
            .filter(|a| a.get("type").and_then(Schema::as_str) != Some("null"))
            .collect();
        if matches!(value, Value::Null) && non_null.len() < alts.len() {
            return;
        }
        if let [only] = non_null.as_slice() {
            return self.walk(only, value, path, owner);
        }
        // General case: fine if any alternative fits; else report the first's problems.
        let mut first = None;
        for alt in non_null {
            let mut sub = Walker {
                root: self.root,
                out: Vec::new(),
            };
            sub.walk(alt, value, path, owner);
            if sub.out.is_empty() {
                return;
            }
            first.get_or_insert(sub.out);
        }
        self.out.extend(first.unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<Problem> {
        check(&serde_yaml::from_str(yaml).expect("yaml"))
    }

    #[test]
    fn reports_every_unknown_and_missing_key() {
        let p = problems("service: {id: x, vendr: v}\ntypo: 1\n");
        let paths: Vec<(&str, &str)> = p.iter().map(|p| (p.path.as_str(), p.message.as_str())).collect();
        assert!(
            paths.contains(&("service.vendr", "unknown key `vendr` in a service")),
            "{p:#?}"
        );
        assert!(
            paths.contains(&("typo", "unknown key `typo` in the spec file")),
            "{p:#?}"
        );
        assert!(
            paths.contains(&("service", "missing key `title` in a service")),
            "{p:#?}"
        );
        // `vendr` is reported as a misspelling, not also as a missing `vendor`.
        assert!(
            !paths.contains(&("service", "missing key `vendor` in a service")),
            "{p:#?}"
        );
        let vendr = p.iter().find(|p| p.path == "service.vendr").expect("vendr");
        assert_eq!(vendr.hint.as_deref(), Some("did you mean `vendor`?"));
    }

    #[test]
    fn checks_types_and_enum_values() {
        let p = problems("service: {id: x, vendor: v, title: t, source: s, protocol: rest_jsn, endpoints: [], auth: bearer, error_envelope: huawei}\n");
        assert_eq!(p.len(), 2, "{p:#?}");
        assert_eq!(p[0].path, "service.protocol");
        assert_eq!(p[0].hint.as_deref(), Some("did you mean `rest_json`?"));
        assert_eq!(p[1].message, "expected a list, found the string `bearer`");
    }

    #[test]
    fn accepts_a_valid_shape() {
        let p = problems("service: {id: x, vendor: v, title: t, source: s, protocol: rest_json, endpoints: [{template: t}], auth: [bearer], error_envelope: huawei}\ntypes: {A: {fields: {a: {type: string, example: [1, {x: 2}]}}}}\n");
        assert!(p.is_empty(), "{p:#?}");
    }
}
