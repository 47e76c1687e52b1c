//! Building a [`Model`] from a loaded spec: resolve, name, validate.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::names::{field_name, identifier, type_name};
use super::types::{self, TypeExpr, SCALARS};
use super::values;
use super::*;
use crate::diag::{did_you_mean, Diagnostic};
use crate::load::Loaded;
use crate::spec::{Encoding, Location, Method, Protocol, SuccessEnvelope};

/// Validate and resolve a loaded spec. On failure every problem found is
/// returned, located in the source file.
pub fn build(loaded: &Loaded) -> Result<Model, Vec<Diagnostic>> {
    let mut b = Builder {
        spec: &loaded.spec,
        index: &loaded.index,
        diags: Vec::new(),
        type_index: HashMap::new(),
    };
    let model = b.run();
    let located: Vec<Diagnostic> = b.diags.into_iter().map(|d| loaded.locate(d)).collect();
    let (errors, warnings): (Vec<_>, Vec<_>) = located.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        let mut model = model;
        model.warnings = warnings;
        Ok(model)
    } else {
        let mut all = errors;
        all.extend(warnings);
        all.sort_by(|a, b| (a.pos, &a.yaml_path).cmp(&(b.pos, &b.yaml_path)));
        Err(all)
    }
}

struct Builder<'a> {
    spec: &'a spec::Spec,
    index: &'a crate::load::SourceIndex,
    diags: Vec<Diagnostic>,
    type_index: HashMap<&'a str, usize>,
}

/// Methods whose requests may carry a body.
fn allows_body(m: Method) -> bool {
    matches!(m, Method::Post | Method::Put | Method::Patch)
}

impl<'a> Builder<'a> {
    fn error(&mut self, path: impl Into<String>, msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(path, msg));
        self.diags.last_mut().expect("just pushed")
    }

    fn warn(&mut self, path: impl Into<String>, msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::warning(path, msg));
        self.diags.last_mut().expect("just pushed")
    }

    fn hint(d: &mut Diagnostic, h: impl Into<String>) {
        d.hint = Some(h.into());
    }

    fn run(&mut self) -> Model {
        self.check_service();
        for (i, key) in self.spec.types.keys().enumerate() {
            self.type_index.insert(key.as_str(), i);
        }
        let mut types = self.build_types();
        self.check_type_names(&types);
        self.check_direct_recursion(&types);
        compute_defaultable(&mut types);
        let operations = self.build_operations(&types);
        self.check_reachability(&types, &operations);
        self.check_errata();
        Model {
            service: self.spec.service.clone(),
            types,
            operations,
            errata: self.spec.errata.clone(),
            warnings: Vec::new(),
        }
    }

    fn check_service(&mut self) {
        let s = &self.spec.service;
        for (key, value) in [("id", &s.id), ("vendor", &s.vendor)] {
            // `build.rs` writes `pub mod {vendor}` as is, so a keyword that
            // would need `r#` cannot be a module name either.
            if identifier(value).is_ok_and(|i| i.starts_with("r#")) {
                let d = self.error(
                    format!("service.{key}"),
                    format!("`{value}` is a Rust keyword and cannot be a module name"),
                );
                Self::hint(d, format!("choose another name, e.g. `{value}_api`"));
            } else if identifier(value).is_err() || field_name(value) != *value || value.starts_with("r#") {
                let d = self.error(
                    format!("service.{key}"),
                    format!("`{value}` is not a snake_case module name"),
                );
                Self::hint(
                    d,
                    format!("use lowercase letters, digits and `_`, e.g. `{}`", field_name(value)),
                );
            }
        }
        if s.protocol == Protocol::AliyunRpc && s.api_version.is_none() {
            let d = self.error(
                "service",
                "`aliyun_rpc` services need `api_version` (sent as `Version`)",
            );
            Self::hint(d, "add `api_version: \"YYYY-MM-DD\"` from the vendor's API reference");
        }
        if s.endpoints.is_empty() {
            self.error("service.endpoints", "at least one endpoint template is needed");
        }
        for (i, e) in s.endpoints.iter().enumerate() {
            let path = format!("service.endpoints[{i}].template");
            let t = &e.template;
            let scheme_ok = t.starts_with("https://") || t.starts_with("http://");
            let after = t.split_once("://").map(|x| x.1).unwrap_or("");
            if !scheme_ok || after.is_empty() || after.contains(['/', '?', '#']) {
                let d = self.error(path, format!("`{t}` is not an endpoint template"));
                Self::hint(d, "write `https://host[:port]` with `{placeholders}`, no path or query");
            } else if placeholders(t).is_err() {
                self.error(path, format!("unbalanced `{{` `}}` in `{t}`"));
            }
        }
        if s.auth.is_empty() {
            self.error("service.auth", "at least one authentication scheme is needed");
        }
    }

    /// Parse and resolve a type expression at `path`.
    fn resolve(&mut self, expr: &str, path: &str) -> Option<Ty> {
        let parsed = match types::parse(expr) {
            Ok(p) => p,
            Err(msg) => {
                let d = self.error(path, msg);
                Self::hint(
                    d,
                    "scalars are string, integer, int32, number, boolean, json; collections array<T> and map<T>",
                );
                return None;
            }
        };
        self.lower(&parsed, path)
    }

    fn lower(&mut self, t: &TypeExpr, path: &str) -> Option<Ty> {
        Some(match t {
            TypeExpr::String => Ty::String,
            TypeExpr::Integer => Ty::Integer,
            TypeExpr::Int32 => Ty::Int32,
            TypeExpr::Number => Ty::Number,
            TypeExpr::Boolean => Ty::Boolean,
            TypeExpr::Json => Ty::Json,
            TypeExpr::Array(inner) => Ty::Array(Box::new(self.lower(inner, path)?)),
            TypeExpr::Map(inner) => Ty::Map(Box::new(self.lower(inner, path)?)),
            TypeExpr::Named(name) => match self.type_index.get(name.as_str()) {
                Some(i) => Ty::Named(*i),
                None => {
                    let candidates: Vec<&str> = self
                        .spec
                        .types
                        .keys()
                        .map(String::as_str)
                        .chain(SCALARS.iter().copied())
                        .collect();
                    let hint = match did_you_mean(name, candidates) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "define it under `types`, or use a scalar (string, integer, boolean, ...)".to_owned(),
                    };
                    let d = self.error(path, format!("unknown type `{name}`"));
                    Self::hint(d, hint);
                    return None;
                }
            },
        })
    }

    fn build_types(&mut self) -> Vec<TypeModel> {
        let spec = self.spec;
        let mut out = Vec::new();
        for (key, def) in &spec.types {
            let path = format!("types.{key}");
            let rust_name = def.rust_name.clone().unwrap_or_else(|| type_name(key));
            if let Err(p) = identifier(&rust_name) {
                let d = self.error(path.clone(), p.explain(&rust_name));
                Self::hint(d, "set `rust_name` to an UpperCamelCase identifier");
            }
            let kind = match (&def.fields, &def.values) {
                (Some(fields), None) => TypeKind::Object {
                    fields: self.build_fields(&path, fields),
                },
                (None, Some(values)) => TypeKind::Enum {
                    values: self.build_enum(&path, values, def.case_insensitive),
                    case_insensitive: def.case_insensitive,
                },
                (Some(_), Some(_)) => {
                    let d = self.error(path.clone(), format!("type `{key}` has both `fields` and `values`"));
                    Self::hint(
                        d,
                        "an object has `fields`, an enum has `values`; split it into two types",
                    );
                    TypeKind::Object { fields: Vec::new() }
                }
                (None, None) => {
                    let d = self.error(path.clone(), format!("type `{key}` has neither `fields` nor `values`"));
                    Self::hint(d, "add `fields:` for an object or `values:` for an enum");
                    TypeKind::Object { fields: Vec::new() }
                }
            };
            if def.case_insensitive && def.values.is_none() {
                self.error(
                    format!("{path}.case_insensitive"),
                    "`case_insensitive` applies to enums only",
                );
            }
            out.push(TypeModel {
                key: key.clone(),
                rust_name,
                docs: def.docs.clone(),
                kind,
                defaultable: false,
            });
        }
        out
    }

    fn build_fields(&mut self, tpath: &str, fields: &indexmap::IndexMap<String, spec::Field>) -> Vec<FieldModel> {
        let mut out: Vec<FieldModel> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (wire, f) in fields {
            let path = format!("{tpath}.fields.{wire}");
            let ident = self.ident_for(&path, wire, f.rust_name.as_deref(), &mut seen, "field");
            let ty = self.resolve(&f.ty, &format!("{path}.type"));
            if let Some(dep) = &f.deprecated {
                self.check_deprecation(&path, dep);
            }
            if f.wrapper.is_some() {
                if !matches!(ty, Some(Ty::Array(_)) | None) {
                    self.error(format!("{path}.wrapper"), "`wrapper` applies to array fields only");
                }
                if f.required {
                    let d = self.error(format!("{path}.wrapper"), "wrapped lists must be optional");
                    Self::hint(d, "remove `required: true`; vendors omit empty wrapped lists");
                }
            }
            let Some(ty) = ty else { continue };
            out.push(FieldModel {
                wire: wire.clone(),
                ident,
                ty,
                optional: !f.required || f.nullable,
                docs: f.docs.clone(),
                deprecated: f.deprecated.clone(),
                wrapper: f.wrapper.clone(),
                example: f.example.clone(),
            });
        }
        out
    }

    /// Decide and check a snake_case identifier; `seen` maps identifiers to
    /// the wire name that took them, to report collisions.
    fn ident_for(
        &mut self,
        path: &str,
        wire: &str,
        over: Option<&str>,
        seen: &mut HashMap<String, String>,
        what: &str,
    ) -> String {
        let name = over.map(str::to_owned).unwrap_or_else(|| field_name(wire));
        let ident = match identifier(&name) {
            Ok(i) => i,
            Err(p) => {
                let d = self.error(path, format!("{what} `{wire}`: {}", p.explain(&name)));
                Self::hint(d, "set `rust_name` to a snake_case identifier");
                name.clone()
            }
        };
        if let Some(first) = seen.get(&ident) {
            let d = self.error(
                path,
                format!("{what} `{wire}` and `{first}` both become the Rust name `{ident}`"),
            );
            Self::hint(d, format!("set `rust_name` on one of them, e.g. `{ident}_2`"));
        } else {
            seen.insert(ident.clone(), wire.to_owned());
        }
        ident
    }

    fn build_enum(&mut self, tpath: &str, values: &[spec::EnumValue], ci: bool) -> Vec<EnumValueModel> {
        let mut out = Vec::new();
        let mut by_ident: HashMap<String, String> = HashMap::new();
        let mut by_wire: HashMap<String, String> = HashMap::new();
        if values.is_empty() {
            self.error(format!("{tpath}.values"), "an enum needs at least one value");
        } else if values.len() == 1 {
            let d = self.warn(format!("{tpath}.values"), "enum with a single value");
            Self::hint(
                d,
                "check the document for other values; a plain `string` may fit better",
            );
        }
        for (i, v) in values.iter().enumerate() {
            let path = format!("{tpath}.values[{i}]");
            let folded = if ci {
                v.value.to_ascii_lowercase()
            } else {
                v.value.clone()
            };
            if let Some(first) = by_wire.get(&folded) {
                let how = if ci && *first != v.value {
                    " (ignoring case)"
                } else {
                    ""
                };
                self.error(
                    format!("{path}.value"),
                    format!("duplicate enum value `{}`{how}; first as `{first}`", v.value),
                );
                continue;
            }
            by_wire.insert(folded, v.value.clone());
            let name = v.rust_name.clone().unwrap_or_else(|| type_name(&v.value));
            match identifier(&name) {
                Ok(_) if name.starts_with("r#") => {}
                Ok(_) => {}
                Err(p) => {
                    let d = self.error(
                        format!("{path}.value"),
                        format!("value `{}`: {}", v.value, p.explain(&name)),
                    );
                    Self::hint(
                        d,
                        "set `rust_name` to an UpperCamelCase variant name, e.g. `V0` or `Manual`",
                    );
                }
            }
            if name == "Unknown" {
                let d = self.error(
                    format!("{path}.value"),
                    "`Unknown` is reserved for values the spec does not know",
                );
                Self::hint(d, "set `rust_name`, e.g. `UnknownValue`");
            }
            if let Some(first) = by_ident.get(&name) {
                let d = self.error(
                    format!("{path}.value"),
                    format!("values `{}` and `{first}` both become the variant `{name}`", v.value),
                );
                Self::hint(d, "set `rust_name` on one of them");
            } else {
                by_ident.insert(name.clone(), v.value.clone());
            }
            if let Some(dep) = &v.deprecated {
                self.check_deprecation(&path, dep);
            }
            out.push(EnumValueModel {
                wire: v.value.clone(),
                ident: name,
                docs: v.docs.clone(),
                deprecated: v.deprecated.clone(),
            });
        }
        out
    }

    fn check_deprecation(&mut self, path: &str, dep: &spec::Deprecation) {
        if dep.replacement.is_none() {
            let d = self.warn(format!("{path}.deprecated"), "deprecated without a replacement");
            Self::hint(d, "set `replacement` if the document names one");
        }
    }

    fn check_type_names(&mut self, types: &[TypeModel]) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for t in types {
            if let Some(first) = seen.get(t.rust_name.as_str()) {
                let d = self.error(
                    format!("types.{}", t.key),
                    format!(
                        "types `{}` and `{first}` both become the Rust type `{}`",
                        t.key, t.rust_name
                    ),
                );
                Self::hint(d, "rename one, or set `rust_name`");
            } else {
                seen.insert(&t.rust_name, &t.key);
            }
        }
    }

    /// A struct that contains itself other than through a `Vec` or map would
    /// be infinitely large.
    fn check_direct_recursion(&mut self, types: &[TypeModel]) {
        let direct: Vec<Vec<(usize, &str)>> = types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Object { fields } => fields
                    .iter()
                    .filter_map(|f| match f.ty {
                        Ty::Named(i) => Some((i, f.wire.as_str())),
                        _ => None,
                    })
                    .collect(),
                TypeKind::Enum { .. } => Vec::new(),
            })
            .collect();
        let mut reported = BTreeSet::new();
        for start in 0..types.len() {
            // Depth-first search for a path back to `start`.
            let mut stack: Vec<(usize, Vec<String>)> = vec![(start, vec![types[start].key.clone()])];
            let mut visited = BTreeSet::new();
            while let Some((node, trail)) = stack.pop() {
                for &(next, wire) in &direct[node] {
                    let mut t = trail.clone();
                    t.push(format!("{wire}: {}", types[next].key));
                    if next == start {
                        if reported.insert(start) {
                            let d = self.error(
                                format!("types.{}", types[start].key),
                                format!(
                                    "type `{}` contains itself without indirection ({})",
                                    types[start].key,
                                    t.join(" -> ")
                                ),
                            );
                            Self::hint(d, "make the recursive field an `array<...>` or `map<...>`");
                        }
                    } else if visited.insert(next) {
                        stack.push((next, t));
                    }
                }
            }
        }
    }

    fn build_operations(&mut self, types: &[TypeModel]) -> Vec<OperationModel> {
        let spec = self.spec;
        let reserved: HashMap<&str, &str> = types.iter().map(|t| (t.rust_name.as_str(), t.key.as_str())).collect();
        let mut out = Vec::new();
        for (id, op) in &spec.operations {
            let path = format!("operations.{id}");
            if identifier(id).is_err() || type_name(id) != *id {
                let d = self.error(path.clone(), format!("operation id `{id}` is not UpperCamelCase"));
                Self::hint(d, format!("use `{}`", type_name(id)));
            }
            for suffix in ["Request", "ErrorCode", "Error"] {
                let generated = format!("{id}{suffix}");
                if let Some(key) = reserved.get(generated.as_str()) {
                    let d = self.error(
                        format!("types.{key}"),
                        format!("type `{key}` collides with `{generated}`, generated for operation `{id}`"),
                    );
                    Self::hint(d, "rename the type or set its `rust_name`");
                }
            }
            if let Some(m) = self.build_operation(&path, id, op, types) {
                out.push(m);
            }
        }
        out
    }

    fn build_operation(
        &mut self,
        opath: &str,
        id: &str,
        op: &spec::Operation,
        types: &[TypeModel],
    ) -> Option<OperationModel> {
        let rpc = self.spec.service.protocol == Protocol::AliyunRpc;
        let mut params = Vec::new();
        let mut seen_ident = HashMap::new();
        let mut seen_wire: HashMap<&str, usize> = HashMap::new();
        for (i, p) in op.parameters.iter().enumerate() {
            let path = format!("{opath}.parameters[{i}]");
            if let Some(first) = seen_wire.get(p.name.as_str()) {
                let d = self.error(format!("{path}.name"), format!("duplicate parameter `{}`", p.name));
                Self::hint(d, format!("first defined at parameters[{first}]"));
                continue;
            }
            seen_wire.insert(&p.name, i);
            let ident = self.ident_for(
                &format!("{path}.name"),
                &p.name,
                p.rust_name.as_deref(),
                &mut seen_ident,
                "parameter",
            );
            let Some(ty) = self.resolve(&p.ty, &format!("{path}.type")) else {
                continue;
            };
            self.check_param(&path, p, &ty, op.method, rpc, types);
            params.push(ParamModel {
                wire: p.name.clone(),
                ident,
                location: p.location,
                ty,
                required: p.required,
                docs: p.docs.clone(),
                default: p.default.clone(),
                example: p.example.clone(),
                constraints: p.constraints.clone().unwrap_or_default(),
                deprecated: p.deprecated.clone(),
                encoding: p.encoding,
            });
        }
        let path_parts = self.parse_path(opath, &op.path, &params, rpc);
        let output = match &op.response.ty {
            Some(t) => Some(self.resolve(t, &format!("{opath}.response.type"))?),
            None => None,
        };
        if !(100..600).contains(&op.response.status) {
            self.error(
                format!("{opath}.response.status"),
                format!("{} is not an HTTP status", op.response.status),
            );
        }
        let errors = self.build_errors(opath, &op.errors);
        self.check_pagination(opath, op, &params, output.as_ref(), types);
        let mut model = OperationModel {
            id: id.to_owned(),
            docs: op.docs.clone(),
            method: op.method,
            path_template: op.path.clone(),
            path: path_parts,
            action: op.action.clone().unwrap_or_else(|| id.to_owned()),
            idempotent: op.idempotent.unwrap_or(matches!(op.method, Method::Get | Method::Head)),
            params,
            success_status: op.response.status,
            response_docs: op.response.docs.clone(),
            output,
            status_codes: op.status_codes.clone(),
            errors,
            error_docs: op.error_docs.clone(),
            pagination: op.pagination.clone(),
            examples: Vec::new(),
        };
        self.check_examples(opath, op, &model, types);
        model.examples = op.examples.clone();
        Some(model)
    }

    fn check_param(
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
                self.error(
                    format!("{path}.type"),
                    "path and header parameters must be scalars or enums",
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
        if rpc && p.location != Location::Query {
            self.error(
                format!("{path}.in"),
                "`aliyun_rpc` operations take query parameters only",
            );
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
        if let Some(c) = &p.constraints {
            self.check_constraints(&format!("{path}.constraints"), c, ty);
        }
        if let Some(dep) = &p.deprecated {
            self.check_deprecation(path, dep);
        }
        for (key, value) in [("default", &p.default), ("example", &p.example)] {
            if let Some(v) = value {
                let mut problems = Vec::new();
                values::check(types, ty, v, "$", &mut problems);
                if let Some(c) = &p.constraints {
                    problems.extend(constraint_violations(c, v));
                }
                for msg in problems {
                    let d = self.error(
                        format!("{path}.{key}"),
                        format!("{key} does not match the parameter: {msg}"),
                    );
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
                self.error(format!("{path}.{key}"), format!("`{key}` applies to {what} only"));
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
            if let Err(e) = regex::Regex::new(p) {
                let first = e.to_string().lines().last().unwrap_or_default().trim().to_owned();
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

    fn parse_path(&mut self, opath: &str, template: &str, params: &[ParamModel], rpc: bool) -> Vec<PathPart> {
        let ppath = format!("{opath}.path");
        if !template.starts_with('/') {
            let d = self.error(ppath.clone(), format!("path `{template}` does not start with `/`"));
            Self::hint(d, format!("write `/{template}`"));
        }
        if rpc && template != "/" {
            self.error(ppath.clone(), "`aliyun_rpc` operations use the path `/`");
        }
        let pieces = match placeholders(template) {
            Ok(p) => p,
            Err(()) => {
                self.error(ppath, format!("unbalanced `{{` `}}` in path `{template}`"));
                return Vec::new();
            }
        };
        let mut parts = Vec::new();
        let mut used = BTreeSet::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => parts.push(PathPart::Literal(t)),
                Piece::Hole(name) => {
                    match params
                        .iter()
                        .position(|p| p.wire == name && p.location == Location::Path)
                    {
                        Some(i) => {
                            if !used.insert(i) {
                                self.error(ppath.clone(), format!("placeholder `{{{name}}}` appears twice"));
                            }
                            parts.push(PathPart::Param(i));
                        }
                        None => {
                            let names = params
                                .iter()
                                .filter(|p| p.location == Location::Path)
                                .map(|p| p.wire.as_str());
                            let hint = match did_you_mean(&name, names) {
                                Some(best) => format!("did you mean `{{{best}}}`?"),
                                None => format!("add a parameter `{name}` with `in: path`"),
                            };
                            let d =
                                self.error(ppath.clone(), format!("placeholder `{{{name}}}` has no path parameter"));
                            Self::hint(d, hint);
                        }
                    }
                }
            }
        }
        for (i, p) in params.iter().enumerate() {
            if p.location == Location::Path && !used.contains(&i) {
                let d = self.error(
                    format!("{opath}.parameters[{i}].name"),
                    format!("path parameter `{}` is not in the path template `{template}`", p.wire),
                );
                Self::hint(d, format!("add `{{{}}}` to the path, or change `in`", p.wire));
            }
        }
        parts
    }

    fn build_errors(&mut self, opath: &str, errors: &[spec::ErrorCode]) -> Vec<ErrorModel> {
        let mut out = Vec::new();
        let mut codes: HashMap<&str, usize> = HashMap::new();
        let mut idents: HashMap<String, String> = HashMap::new();
        for (i, e) in errors.iter().enumerate() {
            let path = format!("{opath}.errors[{i}]");
            if let Some(first) = codes.get(e.code.as_str()) {
                let d = self.error(format!("{path}.code"), format!("duplicate error code `{}`", e.code));
                Self::hint(d, format!("first listed at errors[{first}]; merge the rows"));
                continue;
            }
            codes.insert(&e.code, i);
            if !(400..600).contains(&e.status) {
                self.error(
                    format!("{path}.status"),
                    format!("{} is not an HTTP error status", e.status),
                );
            }
            let ident = e.rust_name.clone().unwrap_or_else(|| type_name(&e.code));
            if let Err(p) = identifier(&ident) {
                let d = self.error(
                    format!("{path}.code"),
                    format!("error code `{}`: {}", e.code, p.explain(&ident)),
                );
                Self::hint(d, "set `rust_name` to an UpperCamelCase variant name");
            }
            if ident == "Unknown" {
                let d = self.error(
                    format!("{path}.code"),
                    "`Unknown` is reserved for codes the spec does not list",
                );
                Self::hint(d, "set `rust_name`");
            }
            if let Some(first) = idents.get(&ident) {
                let d = self.error(
                    format!("{path}.code"),
                    format!("codes `{}` and `{first}` both become `{ident}`", e.code),
                );
                Self::hint(d, "set `rust_name` on one of them");
            } else {
                idents.insert(ident.clone(), e.code.clone());
            }
            out.push(ErrorModel {
                status: e.status,
                code: e.code.clone(),
                ident,
                message: e.message.clone(),
                docs: e.docs.clone(),
            });
        }
        out
    }

    fn check_pagination(
        &mut self,
        opath: &str,
        op: &spec::Operation,
        params: &[ParamModel],
        output: Option<&Ty>,
        types: &[TypeModel],
    ) {
        use crate::spec::PaginationStyle::*;
        let fields: Vec<&FieldModel> = match output {
            Some(Ty::Named(i)) => match &types[*i].kind {
                TypeKind::Object { fields } => fields.iter().collect(),
                TypeKind::Enum { .. } => Vec::new(),
            },
            _ => Vec::new(),
        };
        for (i, p) in op.pagination.iter().enumerate() {
            let path = format!("{opath}.pagination[{i}]");
            let (need_params, need_fields): (Named<'_>, Named<'_>) = match p.style {
                NextToken => (
                    vec![("token_param", &p.token_param)],
                    vec![("token_field", &p.token_field)],
                ),
                PageNumber => (
                    vec![("page_param", &p.page_param)],
                    vec![("total_field", &p.total_field)],
                ),
            };
            for (key, value) in need_params.iter().chain([("page_size", &p.page_size)].iter()) {
                match value {
                    Some(name) if !params.iter().any(|x| x.wire == *name) => {
                        let names = params.iter().map(|x| x.wire.as_str());
                        let d = self.error(format!("{path}.{key}"), format!("no parameter `{name}`"));
                        if let Some(best) = did_you_mean(name, names) {
                            Self::hint(d, format!("did you mean `{best}`?"));
                        }
                    }
                    None if *key != "page_size" => {
                        self.error(path.clone(), format!("`{:?}` pagination needs `{key}`", p.style));
                    }
                    _ => {}
                }
            }
            let items = Some(p.items.clone());
            for (key, value) in need_fields.iter().chain([("items", &items)].iter()) {
                match value {
                    Some(name) if !fields.iter().any(|f| f.wire == *name) => {
                        let d = self.error(
                            format!("{path}.{key}"),
                            format!("the output type has no field `{name}`"),
                        );
                        if let Some(best) = did_you_mean(name, fields.iter().map(|f| f.wire.as_str())) {
                            Self::hint(d, format!("did you mean `{best}`?"));
                        }
                    }
                    None => {
                        self.error(path.clone(), format!("`{:?}` pagination needs `{key}`", p.style));
                    }
                    _ => {}
                }
            }
        }
    }

    fn check_examples(&mut self, opath: &str, op: &spec::Operation, model: &OperationModel, types: &[TypeModel]) {
        let mut names = BTreeSet::new();
        for (i, ex) in op.examples.iter().enumerate() {
            let path = format!("{opath}.examples[{i}]");
            if !names.insert(ex.name.as_str()) {
                self.error(format!("{path}.name"), format!("duplicate example name `{}`", ex.name));
            }
            if ex.request.is_none() && ex.response.is_none() {
                self.error(path.clone(), "an example needs a `request`, a `response`, or both");
            }
            if let Some(req) = &ex.request {
                self.check_example_request(&format!("{path}.request"), req, model, types);
            }
            if let Some(resp) = &ex.response {
                self.check_example_response(&format!("{path}.response"), resp, model, types);
            }
        }
    }

    fn check_example_request(
        &mut self,
        path: &str,
        req: &spec::ExampleRequest,
        model: &OperationModel,
        types: &[TypeModel],
    ) {
        for (name, value) in &req.params {
            match model.params.iter().find(|p| p.wire == *name) {
                None => {
                    let d = self.error(format!("{path}.params.{name}"), format!("no parameter `{name}`"));
                    if let Some(best) = did_you_mean(name, model.params.iter().map(|p| p.wire.as_str())) {
                        Self::hint(d, format!("did you mean `{best}`?"));
                    }
                }
                Some(p) => {
                    let mut problems = Vec::new();
                    values::check(types, &p.ty, value, "$", &mut problems);
                    problems.extend(constraint_violations(&p.constraints, value));
                    for msg in problems {
                        self.error(
                            format!("{path}.params.{name}"),
                            format!("example value does not match `{name}`: {msg}"),
                        );
                    }
                }
            }
        }
        for p in model.params.iter().filter(|p| p.required) {
            if !req.params.contains_key(&p.wire) {
                let d = self.error(
                    format!("{path}.params"),
                    format!("required parameter `{}` is missing", p.wire),
                );
                Self::hint(d, "every example request must be buildable");
            }
        }
        if req.method != model.method {
            self.error(
                format!("{path}.method"),
                format!("the operation's method is {}", model.method.as_str()),
            );
        }
        if let Some(body) = &req.body {
            if let Err(e) = serde_json::from_str::<Value>(body) {
                self.error(format!("{path}.body"), format!("body is not valid JSON: {e}"));
            }
        }
    }

    fn check_example_response(
        &mut self,
        path: &str,
        resp: &spec::ExampleResponse,
        model: &OperationModel,
        types: &[TypeModel],
    ) {
        let value: Value = match serde_json::from_str(&resp.body) {
            Ok(v) => v,
            Err(e) => {
                let d = self.error(format!("{path}.body"), format!("body is not valid JSON: {e}"));
                Self::hint(d, "put the corrected JSON here and record the fix under `errata`");
                return;
            }
        };
        if resp.status != model.success_status {
            return; // an error example; its envelope is checked by the runtime tests
        }
        let data = match self.spec.service.success_envelope {
            SuccessEnvelope::Plain => Some(&value),
            SuccessEnvelope::Zilliz => value.get("data"),
        };
        let (Some(data), Some(ty)) = (data, &model.output) else {
            if model.output.is_some() {
                self.error(format!("{path}.body"), "the success envelope has no `data` member");
            }
            return;
        };
        let mut problems = Vec::new();
        values::check(types, ty, data, "$", &mut problems);
        for msg in problems.into_iter().take(20) {
            let d = self.error(
                format!("{path}.body"),
                format!("example does not match the output type: {msg}"),
            );
            Self::hint(
                d,
                "add the field to the type (with an erratum if no table lists it), or fix the example",
            );
        }
    }

    fn check_reachability(&mut self, types: &[TypeModel], ops: &[OperationModel]) {
        let mut reached = BTreeSet::new();
        let mut stack: Vec<usize> = Vec::new();
        let push = |ty: &Ty, stack: &mut Vec<usize>| {
            let mut t = ty;
            loop {
                match t {
                    Ty::Array(inner) | Ty::Map(inner) => t = inner,
                    Ty::Named(i) => {
                        stack.push(*i);
                        break;
                    }
                    _ => break,
                }
            }
        };
        for op in ops {
            for p in &op.params {
                push(&p.ty, &mut stack);
            }
            if let Some(o) = &op.output {
                push(o, &mut stack);
            }
        }
        while let Some(i) = stack.pop() {
            if !reached.insert(i) {
                continue;
            }
            if let TypeKind::Object { fields } = &types[i].kind {
                for f in fields {
                    push(&f.ty, &mut stack);
                }
            }
        }
        for (i, t) in types.iter().enumerate() {
            let standalone = self.spec.types[&t.key].standalone;
            if !reached.contains(&i) && !standalone {
                let d = self.warn(
                    format!("types.{}", t.key),
                    format!("type `{}` is not used by any operation", t.key),
                );
                Self::hint(
                    d,
                    "remove it, or set `standalone: true` if the document defines it on its own",
                );
            }
        }
    }

    /// `at` must name a node of this spec, so a finding cannot drift away
    /// from what it is about.
    fn check_errata(&mut self) {
        let spec = self.spec;
        for (i, e) in spec.errata.iter().enumerate() {
            if !self.index.exists(&e.at) {
                let d = self.error(
                    format!("errata[{i}].at"),
                    format!("`{}` is not a path in this spec", e.at),
                );
                Self::hint(d, "use the YAML path of the node, e.g. `types.BackupDetail.fields.provider_id` or `operations.ShowBackup.parameters[0]`");
            }
        }
    }
}

/// Whether a type travels as one string in a path, header or query value.
fn is_scalar(ty: &Ty, types: &[TypeModel]) -> bool {
    match ty {
        Ty::String | Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean => true,
        Ty::Named(i) => matches!(types[*i].kind, TypeKind::Enum { .. }),
        _ => false,
    }
}

/// Which objects have only fields whose types implement `Default`.
fn compute_defaultable(types: &mut [TypeModel]) {
    // Fixed point: start optimistic for objects, knock out until stable.
    let mut ok: Vec<bool> = types
        .iter()
        .map(|t| matches!(t.kind, TypeKind::Object { .. }))
        .collect();
    loop {
        let mut changed = false;
        for i in 0..types.len() {
            if !ok[i] {
                continue;
            }
            if let TypeKind::Object { fields } = &types[i].kind {
                let all = fields.iter().all(|f| f.optional || ty_default(&f.ty, &ok));
                if !all {
                    ok[i] = false;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (t, d) in types.iter_mut().zip(ok) {
        t.defaultable = d;
    }
}

fn ty_default(ty: &Ty, ok: &[bool]) -> bool {
    match ty {
        Ty::Named(i) => ok[*i],
        _ => true,
    }
}

/// Constraint violations of a JSON value (for examples and defaults).
fn constraint_violations(c: &spec::Constraints, v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Value::String(s) = v {
        let n = s.chars().count() as u64;
        if c.min_length.is_some_and(|m| n < m) || c.max_length.is_some_and(|m| n > m) {
            out.push(format!("length {n} is outside {:?}..={:?}", c.min_length, c.max_length));
        }
        if let Some(Ok(re)) = c.pattern.as_deref().map(regex::Regex::new) {
            if !re.is_match(s) {
                out.push(format!("`{s}` does not match the pattern `{}`", re.as_str()));
            }
        }
    }
    if let Some(n) = v.as_i64() {
        if c.minimum.is_some_and(|m| n < m) || c.maximum.is_some_and(|m| n > m) {
            out.push(format!("{n} is outside {:?}..={:?}", c.minimum, c.maximum));
        }
    }
    if let Value::Array(items) = v {
        let n = items.len() as u64;
        if c.min_items.is_some_and(|m| n < m) || c.max_items.is_some_and(|m| n > m) {
            out.push(format!("{n} items is outside {:?}..={:?}", c.min_items, c.max_items));
        }
    }
    out
}

/// Spec keys paired with the names they hold.
type Named<'a> = Vec<(&'static str, &'a Option<String>)>;

enum Piece {
    Text(String),
    Hole(String),
}

/// Split `a{b}c` into text and placeholders; `Err` on unbalanced braces.
fn placeholders(t: &str) -> Result<Vec<Piece>, ()> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(());
        }
        let close = rest[open..].find('}').ok_or(())? + open;
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return Err(());
        }
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_owned()));
        }
        out.push(Piece::Hole(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    Ok(out)
}
