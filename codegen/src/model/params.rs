//! Parameters in their operation: location rules, encodings, constraints,
//! and defaults and examples that must satisfy them.

use super::resolve::Resolver;
use super::values;
use super::*;
use crate::spec::{Encoding, Location, Method};

/// Methods whose requests may carry a body.
fn allows_body(m: Method) -> bool {
    matches!(m, Method::Post | Method::Put | Method::Patch)
}

/// Whether a type travels as one string in a path, header or query value.
pub(super) fn is_scalar(ty: &Ty, types: &[TypeModel]) -> bool {
    match ty {
        Ty::String | Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean => true,
        Ty::Named(i) => matches!(types[*i].kind, TypeKind::Enum { .. }),
        _ => false,
    }
}

/// Whether `name` is an HTTP token (RFC 9110, 5.1 and 5.6.2), the only
/// thing a header name can be.
fn is_http_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl Resolver<'_> {
    fn check_header_name(&mut self, path: &str, name: &str) {
        if !is_http_token(name) {
            let d = self.error(
                format!("{path}.name"),
                format!("`{}` is not a valid HTTP header name", name.escape_debug()),
            );
            Self::hint(
                d,
                "header names are tokens: letters, digits and ! # $ % & ' * + - . ^ _ ` | ~, no spaces, quotes or control characters",
            );
        } else if cloudsnap_runtime::is_reserved_header(name) {
            let d = self.error(
                format!("{path}.name"),
                format!("the header `{name}` is set by the transport or the authentication scheme"),
            );
            Self::hint(
                d,
                "remove the parameter: the client sends this header itself (a value set here would be overwritten or break the signature)",
            );
        }
    }

    /// `from_client: VAR`: a string in the query or a header, and `VAR` a
    /// `{VAR}` of one of the service's endpoint templates (the variables a
    /// client configuration holds).
    fn check_from_client(&mut self, path: &str, p: &spec::Parameter, ty: &Ty, var: &str) {
        let at = format!("{path}.from_client");
        if !matches!(p.location, Location::Query | Location::Header) {
            let d = self.error(at.clone(), "`from_client` applies to query and header parameters only");
            Self::hint(d, "drop `from_client`, or send the parameter in the query");
        } else if *ty != Ty::String {
            let d = self.error(at.clone(), "`from_client` needs a `string` parameter");
            Self::hint(d, "a client configuration variable is a string; use `type: string`");
        }
        let placeholder = format!("{{{var}}}");
        let templates = &self.spec.service.endpoints;
        if !templates.iter().any(|e| e.template.contains(&placeholder)) {
            let known: std::collections::BTreeSet<String> = templates
                .iter()
                .flat_map(|e| {
                    e.template
                        .split('{')
                        .skip(1)
                        .filter_map(|r| r.split_once('}').map(|(v, _)| format!("`{v}`")))
                        .collect::<Vec<_>>()
                })
                .collect();
            let d = self.error(
                at,
                format!("`{var}` is no variable of the service's endpoint templates, so no client has it"),
            );
            let hint = if known.is_empty() {
                "the endpoint templates have no `{...}` variables; drop `from_client`".to_owned()
            } else {
                format!("use one of {}", known.into_iter().collect::<Vec<_>>().join(", "))
            };
            Self::hint(d, hint);
        }
    }

    pub(super) fn check_param(
        &mut self,
        path: &str,
        p: &spec::Parameter,
        ty: &Ty,
        method: Method,
        rpc: bool,
        types: &[TypeModel],
    ) {
        let scalar = is_scalar(ty, types);
        match p.location {
            Location::Body if !allows_body(method) => {
                let d = self.error(
                    format!("{path}.in"),
                    format!("{} requests cannot have a body", method.as_str()),
                );
                Self::hint(d, "use `in: query`, or change the method");
            }
            Location::Path | Location::Header if !scalar => {
                let d = self.error(
                    format!("{path}.type"),
                    "path and header parameters must be scalars or enums",
                );
                Self::hint(
                    d,
                    "use a scalar type, or move the parameter to the query with an `encoding`",
                );
            }
            Location::Path if !p.required => {
                let d = self.error(format!("{path}.required"), "path parameters are always required");
                Self::hint(d, "set `required: true`");
            }
            Location::Query if !scalar && p.encoding.is_none() => {
                let d = self.error(
                    format!("{path}.encoding"),
                    "a list or object in the query needs an `encoding`",
                );
                Self::hint(
                    d,
                    "use `flattened` (Tag.1.Key=...), `json` ([\"a\",\"b\"]) or `comma` (a,b)",
                );
            }
            _ => {}
        }
        if p.location == Location::Header {
            self.check_header_name(path, &p.name);
        }
        if rpc && p.location != Location::Query {
            let d = self.error(
                format!("{path}.in"),
                "`aliyun_rpc` operations take query parameters only",
            );
            Self::hint(d, "use `in: query`; RPC-style APIs carry every parameter in the query");
        }
        if let Some(enc) = p.encoding {
            if p.location != Location::Query {
                self.error(
                    format!("{path}.encoding"),
                    "`encoding` applies to query parameters only",
                );
            } else if !matches!(ty, Ty::Array(_)) && enc != Encoding::Json {
                self.error(
                    format!("{path}.encoding"),
                    "`flattened` and `comma` apply to array parameters only",
                );
            } else if enc == Encoding::Comma && !matches!(ty, Ty::Array(inner) if is_scalar(inner, types)) {
                self.error(format!("{path}.encoding"), "`comma` needs an array of scalars");
            }
        }
        if let Some(var) = &p.from_client {
            self.check_from_client(path, p, ty, var);
        }
        if let Some(c) = &p.constraints {
            self.check_constraints(&format!("{path}.constraints"), c, ty);
        }
        if let Some(dep) = &p.deprecated {
            self.check_deprecation(path, &format!("parameter `{}`", p.name), dep);
        }
        for (key, value) in [("default", &p.default), ("example", &p.example)] {
            if let Some(v) = value {
                let mut problems = Vec::new();
                values::check(types, ty, v, "$", &mut problems);
                let mut messages: Vec<String> = problems
                    .iter()
                    .map(|msg| format!("{key} of `{}` does not match it: {}", p.name, values::top(msg)))
                    .collect();
                let constraints = typed_constraints(p.constraints.as_ref());
                messages.extend(
                    self.constraint_problems(&constraints, v)
                        .into_iter()
                        .map(|problem| format!("{key} of `{}` {problem}", p.name)),
                );
                for message in messages {
                    let d = self.error(format!("{path}.{key}"), message);
                    Self::hint(d, "fix the value or the parameter's type/constraints");
                }
            }
        }
    }

    fn check_constraints(&mut self, path: &str, c: &spec::Constraints, ty: &Ty) {
        let is_str = matches!(ty, Ty::String);
        let is_num = matches!(ty, Ty::Integer | Ty::Int32);
        let is_arr = matches!(ty, Ty::Array(_));
        let checks = [
            ("min_length", c.min_length.is_some(), is_str, "strings"),
            ("max_length", c.max_length.is_some(), is_str, "strings"),
            ("pattern", c.pattern.is_some(), is_str, "strings"),
            ("minimum", c.minimum.is_some(), is_num, "integers"),
            ("maximum", c.maximum.is_some(), is_num, "integers"),
            ("min_items", c.min_items.is_some(), is_arr, "arrays"),
            ("max_items", c.max_items.is_some(), is_arr, "arrays"),
        ];
        for (key, present, fits, what) in checks {
            if present && !fits {
                let d = self.error(format!("{path}.{key}"), format!("`{key}` applies to {what} only"));
                Self::hint(d, "remove it, or fix the parameter's type");
            }
        }
        let pairs = [
            (
                "min_length",
                "max_length",
                c.min_length.map(|v| v as i128),
                c.max_length.map(|v| v as i128),
            ),
            (
                "minimum",
                "maximum",
                c.minimum.map(i128::from),
                c.maximum.map(i128::from),
            ),
            (
                "min_items",
                "max_items",
                c.min_items.map(|v| v as i128),
                c.max_items.map(|v| v as i128),
            ),
        ];
        for (lo_key, hi_key, lo, hi) in pairs {
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo > hi {
                    let d = self.error(
                        format!("{path}.{lo_key}"),
                        format!("`{lo_key}` ({lo}) is above `{hi_key}` ({hi})"),
                    );
                    Self::hint(d, "swap them or fix the one the document means");
                }
            }
        }
        if let Some(p) = &c.pattern {
            if let Err(first) = self.pattern(p) {
                let first = first.to_owned();
                let d = self.error(
                    format!("{path}.pattern"),
                    format!("invalid regular expression: {first}"),
                );
                Self::hint(
                    d,
                    "patterns use Rust `regex` syntax; escape `\\` as `\\\\` inside double quotes",
                );
            }
        }
    }
}

/// The typed constraints of a spec's `constraints` (none: nothing to check).
pub(super) fn typed_constraints(c: Option<&spec::Constraints>) -> Constraints {
    let Some(c) = c else {
        return Constraints::default();
    };
    Constraints {
        length: Bounds::new(c.min_length, c.max_length),
        pattern: c.pattern.clone(),
        range: Bounds::new(c.minimum, c.maximum),
        items: Bounds::new(c.min_items, c.max_items),
    }
}
