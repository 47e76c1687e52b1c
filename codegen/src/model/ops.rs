//! Operations: ids, paths, parameters in context, error tables, pagination.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt as _};

use super::names::{
    self, error_code_name, example_test_stem, identifier, is_ascii_identifier, pattern_static_name, request_name,
    stream_names, type_identifier, type_name, RESERVED_ITEMS, RESERVED_METHODS,
};
use super::params::typed_constraints;
use super::resolve::{placeholders, Resolver};
use super::*;
use crate::diag::did_you_mean;
use crate::spec::{Location, Method, Protocol};

impl Resolver<'_> {
    pub(super) fn build_operations(&mut self, types: &[TypeModel]) -> Vec<OperationModel> {
        let spec = self.spec;
        let reserved: HashMap<&str, &str> = types.iter().map(|t| (t.rust_name.as_str(), t.key.as_str())).collect();
        if let Some(key) = reserved.get("Client") {
            let d = self.error(
                format!("types.{key}"),
                format!("type `{key}` collides with the generated `Client`"),
            );
            Self::hint(d, "rename the type or set its `rust_name`");
        }
        let ops: Vec<(&String, &spec::Operation)> = spec.operations.iter().collect();
        let built = self.map_parallel(&ops, |r, _, (id, op)| r.operation(id, op, types, &reserved));
        let out: Vec<OperationModel> = built.into_iter().flatten().collect();
        self.check_client_methods(&out);
        self.check_module_items(types, &out);
        self.check_test_names(&out);
        out
    }

    /// One operation: its generated names checked, then resolved
    /// (`reserved`: the Rust names of the types, by name).
    fn operation(
        &mut self,
        id: &str,
        op: &spec::Operation,
        types: &[TypeModel],
        reserved: &HashMap<&str, &str>,
    ) -> Option<OperationModel> {
        let path = format!("operations.{id}");
        // `method_name`, with its check kept.
        let snake = names::snake_case(id);
        let (method, nameable) = match identifier(&snake) {
            Ok(method) => (method, true),
            Err(_) => (snake, false),
        };
        if !nameable {
            let d = self.error(
                path.clone(),
                format!("operation `{id}` would become the method `{method}`, which Rust cannot name"),
            );
            Self::hint(
                d,
                "rename the operation id (the wire `action` can keep the vendor's name)",
            );
        } else if RESERVED_METHODS.contains(&method.as_str()) || method.starts_with("with_") {
            let d = self.error(
                path.clone(),
                format!("operation `{id}` would become `Client::{method}`, which the generated client already defines"),
            );
            Self::hint(
                d,
                "rename the operation id (the wire `action` can keep the vendor's name)",
            );
        }
        if identifier(id).is_err() || type_name(id) != *id {
            let d = self.error(path.clone(), format!("operation id `{id}` is not UpperCamelCase"));
            Self::hint(d, format!("use `{}`", type_name(id)));
        }
        let names = OperationNames {
            method,
            request: request_name(id),
            error_code: error_code_name(id),
        };
        for (generated, what) in [(&names.request, "request type"), (&names.error_code, "error-code enum")] {
            if let Some(key) = reserved.get(generated.as_str()) {
                let d = self.error(
                    format!("types.{key}"),
                    format!("type `{key}` has the Rust name `{generated}`, which the {what} of operation `{id}` takes"),
                );
                Self::hint(d, "rename the type or set its `rust_name`");
            }
        }
        self.build_operation(&path, id, names, op, types)
    }

    /// The one collision check over every item the generated module
    /// defines at its top level: types, request types, error-code enums,
    /// pattern statics, list-wrapper modules and the fixed items, compared
    /// after case conversion, exactly as rustc sees them (spec names that
    /// differ, such as wrapper keys `Snapshot` and `snapshot`, or operation
    /// and parameter names whose SHOUTY_SNAKE forms meet, can still become
    /// one Rust name). Collisions the more specific checks above already
    /// report (types vs requests and `Client`) are not reported twice.
    fn check_module_items(&mut self, types: &[TypeModel], ops: &[OperationModel]) {
        // (generated name, where it comes from)
        let mut items: Vec<(&str, Origin<'_>)> = Vec::new();
        for t in types {
            items.push((&t.rust_name, Origin::Type(t)));
        }
        for op in ops {
            items.push((&op.request_name, Origin::Request(op)));
            items.push((&op.error_code_name, Origin::ErrorCodes(op)));
            for (i, p) in op.params.iter().enumerate() {
                if let Some(s) = &p.pattern_static {
                    items.push((s, Origin::Pattern(op, i)));
                }
            }
        }
        let mut wrappers: Vec<&str> = Vec::new();
        for t in types {
            if let TypeKind::Object { fields } = &t.kind {
                for f in fields {
                    if let (Some(key), Some(module)) = (&f.wrapper, &f.wrapper_module) {
                        if !wrappers.contains(&key.as_str()) {
                            wrappers.push(key);
                            items.push((module, Origin::Wrapper(t, f)));
                        }
                    }
                }
            }
        }
        let mut owners: HashMap<&str, usize> = HashMap::with_capacity(items.len() + RESERVED_ITEMS.len());
        for fixed in RESERVED_ITEMS {
            owners.insert(names::bare(fixed), usize::MAX);
        }
        for (i, &(name, origin)) in items.iter().enumerate() {
            match owners.get(names::bare(name)) {
                None => {
                    owners.insert(names::bare(name), i);
                }
                Some(&first) => {
                    // Types against types (`check_type_names`), and types
                    // against requests, error codes or `Client` (above), are
                    // reported where they are found.
                    let is_type = |o: Origin<'_>| matches!(o, Origin::Type(_));
                    let already = first == usize::MAX && name == "Client"
                        || (first != usize::MAX && (is_type(items[first].1) || is_type(origin)));
                    if already {
                        continue;
                    }
                    let other = if first == usize::MAX {
                        format!(
                            "the generated `{}`",
                            RESERVED_ITEMS.iter().find(|r| fold(r) == fold(name)).unwrap_or(&"")
                        )
                    } else {
                        format!("{} (`{}`)", items[first].1.what(), items[first].0)
                    };
                    let d = self.error(
                        origin.path(),
                        format!("{} becomes `{name}`, which collides with {other}", origin.what()),
                    );
                    Self::hint(d, "rename one of them (types, fields and parameters take `rust_name`)");
                }
            }
        }
    }

    /// Example test functions of all operations share one namespace.
    fn check_test_names(&mut self, ops: &[OperationModel]) {
        let mut owners: HashMap<&str, (&str, usize)> = HashMap::new();
        for op in ops {
            for (e, tests) in op.example_tests.iter().enumerate() {
                for name in tests.request.iter().chain(&tests.response) {
                    let path = || format!("operations.{}.examples[{e}].name", op.id);
                    if !is_ascii_identifier(name) {
                        let d = self.error(
                            path(),
                            format!("the example's test function `{name}` is not an ASCII Rust identifier"),
                        );
                        Self::hint(d, "name examples with ASCII letters, digits, spaces or `_`");
                        break;
                    }
                    if let Some((other, oe)) = owners.insert(name, (&op.id, e)) {
                        if other != op.id {
                            let d = self.error(
                                path(),
                                format!(
                                    "the example's test function `{name}` is also generated for `{other}` examples[{oe}]"
                                ),
                            );
                            Self::hint(d, "rename one of the examples");
                        }
                    }
                }
            }
        }
    }

    /// Stream methods (`list_backups_pages`) must not collide with an
    /// operation's own method (an operation called `ListBackupsPages`).
    fn check_client_methods(&mut self, ops: &[OperationModel]) {
        let mut owners: HashMap<String, &str> = ops
            .iter()
            .map(|o| (names::bare(&o.method_name).to_owned(), o.id.as_str()))
            .collect();
        for op in ops {
            for s in &op.streams {
                for name in [&s.pages, &s.items] {
                    if let Some(other) = owners.insert(name.clone(), &op.id) {
                        let d = self.error(
                            format!("operations.{other}"),
                            format!(
                                "`Client::{name}` is generated both for `{other}` and for pagination of `{}`",
                                op.id
                            ),
                        );
                        Self::hint(d, "rename one of the operations");
                    }
                }
            }
        }
    }

    fn build_operation(
        &mut self,
        opath: &str,
        id: &str,
        names: OperationNames,
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
            if p.location == Location::Header {
                let lower = p.name.to_ascii_lowercase();
                if let Some(first) = op.parameters[..i]
                    .iter()
                    .position(|q| q.location == Location::Header && q.name.to_ascii_lowercase() == lower)
                {
                    let d = self.error(
                        format!("{path}.name"),
                        format!(
                            "header `{}` is already parameters[{first}] (`{}`): header names ignore case",
                            p.name, op.parameters[first].name
                        ),
                    );
                    Self::hint(d, "remove one of them");
                    continue;
                }
            }
            let ident = if p.name.is_empty() {
                let d = self.error(format!("{path}.name"), "parameter with an empty name");
                Self::hint(d, "write the parameter's wire name as the document gives it");
                String::new()
            } else {
                self.ident_for(
                    (&|| format!("{path}.name"), &|| format!("{path}.rust_name")),
                    &p.name,
                    p.rust_name.as_deref(),
                    &mut seen_ident,
                    "parameter",
                )
            };
            let ty = match self.resolve(&p.ty, || format!("{path}.type")) {
                Some(ty) => {
                    self.check_param(&path, p, &ty, op.method, rpc, types);
                    ty
                }
                // Reported; the parameter stays so the path template and
                // examples are not also reported as missing it.
                None => Ty::Json,
            };
            let pattern_static = p
                .constraints
                .as_ref()
                .and_then(|c| c.pattern.as_ref())
                .map(|_| pattern_static_name(id, &ident));
            params.push(ParamModel {
                wire: p.name.clone(),
                ident,
                location: p.location,
                ty,
                required: p.required && p.from_client.is_none(),
                wire_required: p.required,
                docs: p.docs.clone(),
                default: p.default.clone(),
                example: p.example.clone(),
                constraints: typed_constraints(p.constraints.as_ref()),
                deprecated: p.deprecated.clone(),
                encoding: p.encoding,
                pattern_static,
                from_client: p.from_client.clone(),
            });
        }
        let path_parts = self.parse_path(opath, &op.path, &params, rpc);
        let (output, output_ok) = match &op.response.ty {
            Some(t) => match self.resolve(t, || format!("{opath}.response.type")) {
                Some(ty) => (Some(ty), true),
                None => (None, false),
            },
            None => (None, true),
        };
        if !(100..600).contains(&op.response.status) {
            self.error(
                format!("{opath}.response.status"),
                format!("{} is not an HTTP status", op.response.status),
            );
        }
        let errors = self.build_errors(opath, &op.errors, &self.spec.service.common_errors);
        let mut pages = Vec::new();
        if output_ok {
            let fields = object_fields(types, output.as_ref());
            let (resolved, problems) = super::paging::resolve(opath, &op.pagination, &params, fields);
            self.diags.extend(problems);
            pages = resolved;
        }
        let styles: Vec<spec::PaginationStyle> = pages.iter().map(|p: &PaginationModel| p.style).collect();
        let streams = styles
            .iter()
            .map(|&style| {
                let (pages, items) = stream_names(id, &styles, style);
                StreamNames { pages, items }
            })
            .collect();
        let s = &self.spec.service;
        let example_tests = op
            .examples
            .iter()
            .map(|ex| {
                let stem = example_test_stem(&s.vendor, &s.id, id, &ex.name);
                ExampleTests {
                    request: ex.request.as_ref().map(|_| format!("{stem}_request")),
                    response: ex.response.as_ref().map(|_| format!("{stem}_response")),
                }
            })
            .collect();
        let mut model = OperationModel {
            id: id.to_owned(),
            method_name: names.method,
            request_name: names.request,
            error_code_name: names.error_code,
            streams,
            example_tests,
            docs: op.docs.clone(),
            method: op.method,
            path_template: op.path.clone(),
            path: path_parts,
            action: op.action.clone().unwrap_or_else(|| id.to_owned()),
            idempotent: op.idempotent.unwrap_or(matches!(op.method, Method::Get | Method::Head)),
            request_defaultable: params.iter().all(|p| !p.required),
            params,
            success_status: op.response.status,
            response_docs: op.response.docs.clone(),
            output,
            status_codes: op.status_codes.clone(),
            errors,
            error_docs: op.error_docs.clone(),
            pages,
            examples: Vec::new(),
        };
        self.check_examples(opath, op, &model, types, output_ok);
        model.examples = op.examples.clone();
        Some(model)
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
            Err(()) if template.contains("{{") => {
                let d = self.error(
                    ppath,
                    format!("`{{{{...}}}}` in path `{template}` is not a placeholder"),
                );
                Self::hint(
                    d,
                    "placeholders take single braces: write `{name}`, naming a parameter with `in: path`",
                );
                return Vec::new();
            }
            Err(()) => {
                self.error(ppath, format!("unbalanced `{{` `}}` in path `{template}`"));
                return Vec::new();
            }
        };
        let mut parts = Vec::new();
        let mut used = BTreeSet::new();
        for piece in pieces {
            match piece {
                TemplatePart::Literal(t) => parts.push(PathPart::Literal(t)),
                TemplatePart::Placeholder(name) => {
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
                        None if params.iter().any(|p| p.wire == name) => {
                            let (i, p) = params
                                .iter()
                                .enumerate()
                                .find(|(_, p)| p.wire == name)
                                .expect("just found");
                            let location = serde_json::to_value(p.location)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default();
                            let d = self.error(
                                ppath.clone(),
                                format!(
                                    "placeholder `{{{name}}}` names parameters[{i}], which is `in: {location}`, not in the path"
                                ),
                            );
                            Self::hint(
                                d,
                                format!("set `in: path` on parameters[{i}], or remove `{{{name}}}` from the path"),
                            );
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

    /// `service.common_errors` on their own, once, before any operation
    /// (so a spec without operations gets them checked too): each row as
    /// [`Self::check_error_row`] checks it, codes listed twice, and rows
    /// whose variants collide. Operations then only report collisions of
    /// their own rows with common ones.
    pub(super) fn check_common_errors(&mut self) {
        let common = &self.spec.service.common_errors;
        let mut codes: HashMap<&str, usize> = HashMap::new();
        let mut idents: HashMap<String, &str> = HashMap::new();
        for (i, e) in common.iter().enumerate() {
            let path = format!("service.common_errors[{i}]");
            if let Some(first) = codes.get(e.code.as_str()) {
                let d = self.error(format!("{path}.code"), format!("duplicate error code `{}`", e.code));
                Self::hint(
                    d,
                    format!("first listed at service.common_errors[{first}]; merge the rows"),
                );
                continue;
            }
            codes.insert(&e.code, i);
            let (ident, at) = self.check_error_row(&path, e);
            if let Some(first) = idents.get(&ident) {
                let d = self.error(
                    at,
                    format!(
                        "error codes `{}` and `{first}` both become the variant `{ident}`",
                        e.code
                    ),
                );
                Self::hint(d, "set `rust_name` on one of them");
            } else {
                idents.insert(ident, &e.code);
            }
        }
    }

    /// Checks one error row's status and variant name; returns the variant
    /// name and the YAML path that spells it.
    fn check_error_row(&mut self, path: &str, e: &spec::ErrorCode) -> (String, String) {
        if !(400..600).contains(&e.status) {
            let d = self.error(
                format!("{path}.status"),
                format!("{} is not an HTTP error status", e.status),
            );
            Self::hint(d, "error codes come with a 4xx or 5xx status");
        }
        let (ident, at) = error_row_ident(path, e);
        if let Err(p) = type_identifier(&ident) {
            let d = self.error(at.clone(), format!("error code `{}`: {}", e.code, p.explain(&ident)));
            Self::hint(
                d,
                "set `rust_name` to an UpperCamelCase variant name, e.g. `InvalidParameter`",
            );
        } else if ident == "Unknown" {
            let d = self.error(
                at.clone(),
                format!(
                    "error code `{}` becomes the variant `Unknown`, which holds codes the spec does not list",
                    e.code
                ),
            );
            Self::hint(d, "set `rust_name`, e.g. `UnknownCode`");
        }
        (ident, at)
    }

    /// The operation's error codes: its own rows, then the service's
    /// common errors it does not list itself. The common rows were checked
    /// by [`Self::check_common_errors`]; here only a collision between an
    /// own row and a common one is reported (for this operation).
    fn build_errors(&mut self, opath: &str, errors: &[spec::ErrorCode], common: &[spec::ErrorCode]) -> Vec<ErrorModel> {
        let mut out = Vec::new();
        let mut codes: HashMap<&str, usize> = HashMap::new();
        // Variant name -> (code, whether an own row holds it).
        let mut idents: HashMap<String, (String, bool)> = HashMap::new();
        let own = errors
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("{opath}.errors[{i}]"), e, true));
        let shared = common
            .iter()
            .enumerate()
            .filter(|(_, e)| !errors.iter().any(|o| o.code == e.code))
            .map(|(i, e)| (format!("service.common_errors[{i}]"), e, false));
        let rows: Vec<(String, &spec::ErrorCode, bool)> = own.chain(shared).collect();
        for (i, (path, e, is_own)) in rows.iter().enumerate() {
            let (path, e, is_own) = (path.as_str(), *e, *is_own);
            if let Some(first) = codes.get(e.code.as_str()) {
                if is_own {
                    let d = self.error(format!("{path}.code"), format!("duplicate error code `{}`", e.code));
                    Self::hint(d, format!("first listed at {}; merge the rows", rows[*first].0));
                }
                continue;
            }
            codes.insert(&e.code, i);
            let (ident, at) = if is_own {
                self.check_error_row(path, e)
            } else {
                error_row_ident(path, e)
            };
            match idents.get(&ident) {
                // Two common rows: reported once, by `check_common_errors`.
                Some((_, false)) if !is_own => {}
                Some((first, _)) => {
                    let d = self.error(
                        at,
                        format!(
                            "error codes `{}` and `{first}` both become the variant `{ident}`{}",
                            e.code,
                            if is_own {
                                String::new()
                            } else {
                                format!(" in `{opath}`")
                            }
                        ),
                    );
                    Self::hint(d, "set `rust_name` on one of them");
                }
                None => {
                    idents.insert(ident.clone(), (e.code.clone(), is_own));
                }
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
}

/// The generated names of an operation, decided (and checked) once.
struct OperationNames {
    /// The client method ([`names::method_name`]).
    method: String,
    /// [`request_name`].
    request: String,
    /// [`error_code_name`].
    error_code: String,
}

/// Where an item of the generated module comes from (see
/// `check_module_items`), described only for a diagnostic.
#[derive(Clone, Copy)]
enum Origin<'m> {
    Type(&'m TypeModel),
    Request(&'m OperationModel),
    ErrorCodes(&'m OperationModel),
    /// The pattern static of parameter `.1`.
    Pattern(&'m OperationModel, usize),
    /// The helper module of a field's list wrapper.
    Wrapper(&'m TypeModel, &'m FieldModel),
}

impl Origin<'_> {
    /// The YAML path of the spec text the name comes from.
    fn path(self) -> String {
        match self {
            Origin::Type(t) => format!("types.{}", t.key),
            Origin::Request(op) | Origin::ErrorCodes(op) => format!("operations.{}", op.id),
            Origin::Pattern(op, i) => format!("operations.{}.parameters[{i}].constraints.pattern", op.id),
            Origin::Wrapper(t, f) => format!("types.{}.fields.{}.wrapper", t.key, f.wire),
        }
    }

    /// What the item is, in a message.
    fn what(self) -> String {
        match self {
            Origin::Type(t) => format!("type `{}`", t.key),
            Origin::Request(op) => format!("the request type of `{}`", op.id),
            Origin::ErrorCodes(op) => format!("the error codes of `{}`", op.id),
            Origin::Pattern(op, i) => format!("the pattern of `{}` in `{}`", op.params[i].wire, op.id),
            Origin::Wrapper(_, f) => format!("the list wrapper `{}`", f.wrapper.as_deref().unwrap_or_default()),
        }
    }
}

/// A name as rustc compares it (`r#type` is `type`).
fn fold(name: &str) -> String {
    names::bare(name).to_owned()
}

/// The variant name of an error row (`rust_name`, else the code in
/// UpperCamelCase) and the YAML path that spells it.
fn error_row_ident(path: &str, e: &spec::ErrorCode) -> (String, String) {
    match &e.rust_name {
        Some(name) => (name.clone(), format!("{path}.rust_name")),
        None => (type_name(&e.code), format!("{path}.code")),
    }
}
