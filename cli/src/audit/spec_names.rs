//! The names a spec holds, each with its YAML path, and the names the spec
//! covers implicitly (envelopes, authentication headers).

use cloudsnap_codegen::load::Loaded;
use cloudsnap_codegen::spec::SuccessEnvelope;

use super::mention::Kind;

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
}

/// Every parameter, field, list wrapper, enum value, error code and status
/// code of the spec, in file order.
pub fn collect(loaded: &Loaded) -> Vec<SpecName> {
    let spec = &loaded.spec;
    let mut out = Vec::new();
    let mut push = |kind: Kind, name: &str, path: String| {
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
        });
    };
    for (id, op) in &spec.operations {
        for (i, p) in op.parameters.iter().enumerate() {
            push(Kind::Name, &p.name, format!("operations.{id}.parameters[{i}]"));
        }
        for (i, s) in op.status_codes.iter().enumerate() {
            push(
                Kind::StatusCode,
                &s.status.to_string(),
                format!("operations.{id}.status_codes[{i}]"),
            );
        }
        for (i, e) in op.errors.iter().enumerate() {
            push(Kind::ErrorCode, &e.code, format!("operations.{id}.errors[{i}]"));
        }
    }
    for (name, ty) in &spec.types {
        for (field, f) in ty.fields.iter().flatten() {
            push(Kind::Name, field, format!("types.{name}.fields.{field}"));
            if let Some(w) = &f.wrapper {
                push(Kind::Name, w, format!("types.{name}.fields.{field}.wrapper"));
            }
        }
        for (i, v) in ty.values.iter().flatten().enumerate() {
            push(Kind::EnumValue, &v.value, format!("types.{name}.values[{i}]"));
        }
    }
    out
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
