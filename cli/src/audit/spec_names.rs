//! The names a spec holds, each with its YAML path, and the names the spec
//! covers implicitly (envelopes, authentication headers).

use std::collections::BTreeSet;

use cloudsnap_codegen::load::Loaded;
use cloudsnap_codegen::spec::{Spec, SuccessEnvelope};

use super::mention::{Kind, Usage};

/// One name in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecName {
    /// What it is.
    pub kind: Kind,
    /// Wire name, enum value, error code or status.
    pub name: String,
    /// YAML path of the node (`types.BackupDetail.fields.id`).
    pub path: String,
    /// 1-based line in the spec file.
    pub line: Option<usize>,
    /// How the spec uses the name: operation parameters are
    /// [`Usage::Request`]; a field is [`Usage::Request`] or
    /// [`Usage::Response`] when its type is reachable only from request
    /// parameters or only from responses, [`Usage::Unknown`] otherwise.
    pub usage: Usage,
}

/// Every parameter, field, list wrapper, enum value, error code and status
/// code of the spec, in file order.
pub fn collect(loaded: &Loaded) -> Vec<SpecName> {
    let spec = &loaded.spec;
    let request = reachable(
        spec,
        spec.operations
            .values()
            .flat_map(|op| op.parameters.iter().map(|p| p.ty.as_str())),
    );
    let response = reachable(
        spec,
        spec.operations.values().filter_map(|op| op.response.ty.as_deref()),
    );
    let field_usage = |ty: &str| match (request.contains(ty), response.contains(ty)) {
        (true, false) => Usage::Request,
        (false, true) => Usage::Response,
        _ => Usage::Unknown,
    };
    let mut out = Vec::new();
    let mut push = |kind: Kind, name: &str, path: String, usage: Usage| {
        let line = loaded
            .index
            .key(&path)
            .or_else(|| loaded.index.find(&path))
            .map(|p| p.line);
        out.push(SpecName {
            kind,
            name: name.to_owned(),
            path,
            line,
            usage,
        });
    };
    for (id, op) in &spec.operations {
        for (i, p) in op.parameters.iter().enumerate() {
            push(
                Kind::Name,
                &p.name,
                format!("operations.{id}.parameters[{i}]"),
                Usage::Request,
            );
        }
        for (i, s) in op.status_codes.iter().enumerate() {
            push(
                Kind::StatusCode,
                &s.status.to_string(),
                format!("operations.{id}.status_codes[{i}]"),
                Usage::Unknown,
            );
        }
        for (i, e) in op.errors.iter().enumerate() {
            push(
                Kind::ErrorCode,
                &e.code,
                format!("operations.{id}.errors[{i}]"),
                Usage::Unknown,
            );
        }
    }
    for (name, ty) in &spec.types {
        let usage = field_usage(name);
        for (field, f) in ty.fields.iter().flatten() {
            push(Kind::Name, field, format!("types.{name}.fields.{field}"), usage);
            if let Some(w) = &f.wrapper {
                push(Kind::Name, w, format!("types.{name}.fields.{field}.wrapper"), usage);
            }
        }
        for (i, v) in ty.values.iter().flatten().enumerate() {
            push(
                Kind::EnumValue,
                &v.value,
                format!("types.{name}.values[{i}]"),
                Usage::Unknown,
            );
        }
    }
    out
}

/// The named types reachable from the type expressions `roots`
/// (`array<Tag>`, `map<string, Backup>`, `Snapshot`), through object fields.
fn reachable<'a>(spec: &'a Spec, roots: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&'a str> = roots.collect();
    while let Some(expr) = todo.pop() {
        for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            let Some((name, ty)) = spec.types.get_key_value(word) else {
                continue;
            };
            if seen.insert(name.as_str()) {
                todo.extend(ty.fields.iter().flatten().map(|(_, f)| f.ty.as_str()));
            }
        }
    }
    seen
}

/// Names the spec covers without listing them: the members of its success
/// and error envelopes and the headers of its authentication schemes (the
/// spec format keeps those out of `parameters`). A document that mentions
/// them is not missing anything; they are never reported as absent from a
/// document either.
pub fn implied(loaded: &Loaded) -> Vec<&'static str> {
    let service = &loaded.spec.service;
    let mut out: Vec<&'static str> = Vec::new();
    if service.success_envelope == SuccessEnvelope::Zilliz {
        out.extend(["code", "data"]);
    }
    let fields = service.error_envelope.fields();
    out.extend([fields.code, fields.message, fields.request_id].into_iter().flatten());
    if let Some(nested) = fields.nested {
        out.extend([nested.member, nested.code, nested.message]);
    }
    out.extend(fields.other);
    for scheme in &service.auth {
        let info = scheme.info();
        out.extend(info.headers.iter().chain(info.query));
        // Every signature covers the Host header, which the client sets.
        out.push("host");
    }
    out
}
