//! Parameter checks: every documented parameter in its location, with its
//! type, constraints and query encoding; unknown query parameters and body
//! members; the JSON body shape.

use serde_json::Value;

use cloudsnap_codegen::diag::did_you_mean;
use cloudsnap_codegen::model::{check_value, ParamModel, Ty, TypeKind, TypeModel};
use cloudsnap_codegen::model::{Encoding, Location};
use cloudsnap_runtime::validate::ConstraintKind;
use cloudsnap_runtime::Protocol;

use crate::envelope::{Kind, Problem};
use crate::flatten;
use crate::incoming::Incoming;
use crate::service::Service;

/// Query parameters a protocol adds to every request, besides the
/// operation's own: Alibaba's RPC common and signature parameters, and
/// Elasticsearch's common options.
fn common_parameters(protocol: Protocol) -> &'static [&'static str] {
    match protocol {
        Protocol::AliyunRpc => &[
            "Action",
            "Version",
            "Format",
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp",
            "SecurityToken",
        ],
        Protocol::Elasticsearch => &["pretty", "human", "error_trace", "filter_path"],
        Protocol::RestJson => &[],
    }
}

/// What a check needs to know about one parameter.
pub(crate) struct Param<'a> {
    /// All named types of the spec.
    pub types: &'a [TypeModel],
    /// The parameter.
    pub model: &'a ParamModel,
    /// Its compiled pattern, if it has one.
    pub pattern: Option<&'a regex::Regex>,
}

/// Check every parameter of operation `op` in `inc`; `path_values` are the
/// decoded path parameters the router captured.
pub(crate) fn check(
    service: &Service,
    op: usize,
    path_values: &[(usize, String)],
    inc: &Incoming,
    out: &mut Vec<Problem>,
) {
    let operation = &service.model.operations[op];
    let rpc = service.protocol == Protocol::AliyunRpc;
    // RPC parameters may come in the query or a form body.
    let given: Vec<&(String, String)> = if rpc {
        inc.rpc_params().collect()
    } else {
        inc.query.iter().collect()
    };
    let mut used = vec![false; given.len()];
    for (index, model) in operation.params.iter().enumerate() {
        let p = Param {
            types: &service.model.types,
            model,
            pattern: service.patterns[op][index].as_ref(),
        };
        match model.location {
            Location::Path => match path_values.iter().find(|(i, _)| *i == index) {
                Some((_, value)) => check_text(&p, &format!("path parameter `{}`", model.wire), value, out),
                None => missing(&p, &format!("path parameter `{}`", model.wire), out),
            },
            Location::Header => check_header(&p, inc, out),
            Location::Query if model.encoding == Some(Encoding::Flattened) => {
                flatten::check(&p, &given, &mut used, out);
            }
            Location::Query => check_query(&p, &given, &mut used, out),
            Location::Body => {}
        }
    }
    if rpc {
        check_rpc_common(service, inc, out);
    }
    let common = common_parameters(service.protocol);
    let documented: Vec<&str> = operation
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| p.wire.as_str())
        .collect();
    for ((name, _), _) in given.iter().zip(&used).filter(|(_, used)| !**used) {
        if common.contains(&name.as_str()) {
            continue;
        }
        let hint = did_you_mean(name, documented.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        out.push(Problem::new(
            Kind::InvalidParameter,
            format!(
                "unknown query parameter `{name}`{hint}: {} does not take it",
                operation.id
            ),
        ));
    }
    check_body(service, op, inc, out);
}

fn missing(p: &Param<'_>, label: &str, out: &mut Vec<Problem>) {
    if p.model.wire_required {
        out.push(Problem::new(Kind::MissingParameter, format!("{label} is required")));
    }
}

fn check_query(p: &Param<'_>, given: &[&(String, String)], used: &mut [bool], out: &mut Vec<Problem>) {
    let label = format!("query parameter `{}`", p.model.wire);
    let hits: Vec<usize> = (0..given.len()).filter(|i| given[*i].0 == p.model.wire).collect();
    for i in &hits {
        used[*i] = true;
    }
    match hits.as_slice() {
        [] => missing(p, &label, out),
        [one] => check_text(p, &label, &given[*one].1, out),
        many => out.push(Problem::new(
            Kind::InvalidParameter,
            format!("{label} is given {} times; it takes one value", many.len()),
        )),
    }
}

fn check_header(p: &Param<'_>, inc: &Incoming, out: &mut Vec<Problem>) {
    let label = format!("header `{}`", p.model.wire);
    let Ok(name) = http::HeaderName::from_bytes(p.model.wire.as_bytes()) else {
        return;
    };
    let values: Vec<_> = inc.headers.get_all(&name).iter().collect();
    match values.as_slice() {
        [] => missing(p, &label, out),
        [one] => match one.to_str() {
            Ok(text) => check_text(p, &label, text, out),
            Err(_) => out.push(Problem::new(Kind::InvalidParameter, format!("{label} is not text"))),
        },
        many => out.push(Problem::new(
            Kind::InvalidParameter,
            format!("{label} is given {} times", many.len()),
        )),
    }
}

/// Check a parameter given as text (path, header, or one query value),
/// decoding its `json` or `comma` encoding first.
pub(crate) fn check_text(p: &Param<'_>, label: &str, raw: &str, out: &mut Vec<Problem>) {
    let value = match p.model.encoding {
        Some(Encoding::Json) => serde_json::from_str(raw).map_err(|e| format!("{} is not JSON text ({e})", show(raw))),
        Some(Encoding::Comma) => {
            let inner = match &p.model.ty {
                Ty::Array(inner) => inner.as_ref(),
                other => other,
            };
            raw.split(',')
                .map(|item| typed(p.types, inner, item))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        _ => typed(p.types, &p.model.ty, raw),
    };
    match value {
        Ok(value) => check_json(p, label, &value, out),
        Err(e) => out.push(Problem::new(Kind::InvalidParameter, format!("{label}: {e}"))),
    }
}

/// Check a parameter's value: its type (enum values included) and every
/// documented constraint.
pub(crate) fn check_json(p: &Param<'_>, label: &str, value: &Value, out: &mut Vec<Problem>) {
    let mut problems = Vec::new();
    check_value(p.types, &p.model.ty, value, label, &mut problems);
    out.extend(problems.into_iter().map(|m| Problem::new(Kind::InvalidParameter, m)));
    for v in p.model.constraints.violations(value, p.pattern) {
        let message = match (v.kind, value) {
            // Show the value a pattern rejects, as the service's own error does.
            (ConstraintKind::Pattern, Value::String(s)) => format!("{label}: {} {}", show(s), v.problem),
            _ => format!("{label} {}", v.problem),
        };
        out.push(Problem::new(Kind::InvalidParameter, message));
    }
}

/// A value as text for a message: quoted, and cut when long.
pub(crate) fn show(s: &str) -> String {
    const LIMIT: usize = 80;
    if s.chars().count() > LIMIT {
        format!("`{}...`", s.chars().take(LIMIT).collect::<String>())
    } else {
        format!("`{s}`")
    }
}

/// Parse one textual value as `ty`: numbers and booleans from their text,
/// enum values as strings (checked later), anything structured as JSON.
pub(crate) fn typed(types: &[TypeModel], ty: &Ty, raw: &str) -> Result<Value, String> {
    match ty {
        Ty::String => Ok(Value::String(raw.to_owned())),
        Ty::Integer => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{} is not an integer", show(raw))),
        Ty::Int32 => raw
            .parse::<i32>()
            .map(Value::from)
            .map_err(|_| format!("{} is not a 32-bit integer", show(raw))),
        Ty::Number => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{} is not a number", show(raw))),
        Ty::Boolean => match raw {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{} is not a boolean (`true` or `false`)", show(raw))),
        },
        Ty::Named(i) if matches!(types[*i].kind, TypeKind::Enum { .. }) => Ok(Value::String(raw.to_owned())),
        _ => serde_json::from_str(raw).map_err(|e| format!("{} is not JSON text ({e})", show(raw))),
    }
}

/// Alibaba RPC's own parameters: `Version` must be the spec's API version
/// and `Format` must ask for JSON (the mock answers JSON only; without
/// `Format` the real service answers XML).
fn check_rpc_common(service: &Service, inc: &Incoming, out: &mut Vec<Problem>) {
    let find = |name: &str| {
        inc.rpc_params()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .next()
    };
    let version = find("Version").or_else(|| inc.header("x-acs-version"));
    match (version, service.model.service.api_version.as_deref()) {
        (None, Some(_)) => out.push(Problem::new(
            Kind::MissingParameter,
            "`Version` is missing: give it in the query, the form body or the `x-acs-version` header",
        )),
        (Some(got), Some(want)) if got != want => out.push(Problem::new(
            Kind::InvalidParameter,
            format!("`Version={got}` is not supported: this service's API version is `{want}`"),
        )),
        _ => {}
    }
    match find("Format") {
        Some(f) if f.eq_ignore_ascii_case("json") => {}
        Some(f) => out.push(Problem::new(
            Kind::InvalidParameter,
            format!("`Format={f}`: the mock answers JSON only; send `Format=JSON`"),
        )),
        None => out.push(Problem::new(
            Kind::InvalidParameter,
            "`Format` is missing: the service would answer XML; send `Format=JSON`",
        )),
    }
}

fn check_body(service: &Service, op: usize, inc: &Incoming, out: &mut Vec<Problem>) {
    let operation = &service.model.operations[op];
    let params: Vec<(usize, &ParamModel)> = operation
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == Location::Body)
        .collect();
    if params.is_empty() {
        let form_rpc = service.protocol == Protocol::AliyunRpc && inc.has_form_body();
        if !inc.body.is_empty() && !form_rpc {
            out.push(Problem::new(
                Kind::InvalidParameter,
                format!("{} takes no body, but {} bytes were sent", operation.id, inc.body.len()),
            ));
        }
        return;
    }
    if inc.body.is_empty() {
        for (_, p) in params.iter().filter(|(_, p)| p.wire_required) {
            out.push(Problem::new(
                Kind::MissingParameter,
                format!("body member `{}` is required (the body is empty)", p.wire),
            ));
        }
        return;
    }
    match cloudsnap_runtime::wire::media_type(&inc.headers) {
        Some(m) if m.eq_ignore_ascii_case("application/json") => {}
        other => out.push(Problem::new(
            Kind::InvalidParameter,
            format!(
                "the body must be sent as `Content-Type: application/json`, not {}",
                other.map(show).unwrap_or_else(|| "without a Content-Type".to_owned())
            ),
        )),
    }
    let body: Value = match serde_json::from_slice(&inc.body) {
        Ok(v) => v,
        Err(e) => {
            out.push(Problem::new(
                Kind::InvalidParameter,
                format!("the body is not JSON: {e}"),
            ));
            return;
        }
    };
    let Value::Object(members) = body else {
        out.push(Problem::new(Kind::InvalidParameter, "the body must be a JSON object"));
        return;
    };
    for (index, model) in &params {
        let label = format!("body member `{}`", model.wire);
        let p = Param {
            types: &service.model.types,
            model,
            pattern: service.patterns[op][*index].as_ref(),
        };
        match members.get(&model.wire) {
            None => missing(&p, &label, out),
            Some(Value::Null) if model.wire_required => out.push(Problem::new(
                Kind::MissingParameter,
                format!("{label} is required, not null"),
            )),
            Some(value) => check_json(&p, &label, value, out),
        }
    }
    let documented: Vec<&str> = params.iter().map(|(_, p)| p.wire.as_str()).collect();
    for name in members.keys().filter(|k| !documented.contains(&k.as_str())) {
        let hint = did_you_mean(name, documented.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        out.push(Problem::new(
            Kind::InvalidParameter,
            format!("unknown body member `{name}`{hint}: {} does not take it", operation.id),
        ));
    }
}
