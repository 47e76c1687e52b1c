//! Building a [`Model`] from a loaded spec: resolve, name, validate.
//!
//! The [`Resolver`] walks the raw spec once and collects every problem; its
//! checks live beside it by concern: [`super::typedefs`] (types, fields,
//! enums), [`super::ops`] (operations, paths, errors, pagination),
//! [`super::params`] (parameters and constraints), [`super::examples`]
//! and [`super::graph`] (recursion, reachability, `Default`).

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt as _};
use regex::Regex;

use super::graph::compute_defaultable;
use super::names::{field_name, identifier};
use super::types::{self, TypeExpr, SCALARS};
use super::*;
use crate::diag::{did_you_mean, Diagnostic};
use crate::load::{Loaded, SourceIndex};
use crate::spec::Protocol;

/// Validate and resolve a loaded spec. On failure every problem found is
/// returned, located in the source file, in source order.
pub fn build(loaded: &Loaded) -> Result<Model, Vec<Diagnostic>> {
    build_on(loaded, std::thread::available_parallelism().map_or(1, usize::from))
}

/// [`build`] on at most `max_threads` threads: types and operations are
/// resolved independently of each other, so a large spec's are spread over
/// threads. The model and the diagnostics (and their order) are the same
/// for any thread count.
pub fn build_on(loaded: &Loaded, max_threads: usize) -> Result<Model, Vec<Diagnostic>> {
    let mut b = Resolver {
        spec: &loaded.spec,
        index: &loaded.index,
        text: &loaded.text,
        diags: Vec::new(),
        type_index: HashMap::new(),
        unreferenceable: BTreeSet::new(),
        patterns: HashMap::new(),
        threads: max_threads.max(1),
    };
    let model = b.run();
    let mut located: Vec<Diagnostic> = loaded.locate_all(b.diags);
    located.sort_by(|a, b| (a.pos, &a.yaml_path).cmp(&(b.pos, &b.yaml_path)));
    if located.iter().any(Diagnostic::is_error) {
        return Err(located);
    }
    let mut model = model;
    model.warnings = located;
    Ok(model)
}

/// State of one validation run.
pub(super) struct Resolver<'a> {
    pub(super) spec: &'a spec::Spec,
    pub(super) index: &'a SourceIndex,
    /// The source text, to point inside multi-line values.
    pub(super) text: &'a str,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) type_index: HashMap<&'a str, usize>,
    /// Type keys that no type expression can name (already reported).
    pub(super) unreferenceable: BTreeSet<&'a str>,
    /// Constraint patterns compiled so far, by source: each distinct
    /// pattern is compiled once, however many parameters, defaults and
    /// examples it checks (`Err`: the compiler's message, as reported).
    pub(super) patterns: HashMap<String, Result<Regex, String>>,
    /// Threads [`Resolver::map_parallel`] may use.
    threads: usize,
}

/// Items a thread of [`Resolver::map_parallel`] takes at a time: few enough
/// that a thread the machine's other work slows down holds nobody up.
const ITEMS_PER_CLAIM: usize = 16;

/// Items below which [`Resolver::map_parallel`] stays on one thread.
const PARALLEL_FROM: usize = 128;

/// What one thread of [`Resolver::map_parallel`] produced for a run of items
/// starting at `.0`: their results and the diagnostics, in item order.
type Claimed<R> = (usize, Vec<R>, Vec<Diagnostic>);

impl<'a> Resolver<'a> {
    pub(super) fn error(&mut self, path: impl Into<String>, msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(path, msg));
        self.diags.last_mut().expect("just pushed")
    }

    pub(super) fn warn(&mut self, path: impl Into<String>, msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::warning(path, msg));
        self.diags.last_mut().expect("just pushed")
    }

    pub(super) fn hint(d: &mut Diagnostic, h: impl Into<String>) {
        d.hint = Some(h.into());
    }

    /// `f` over `items` (with the item's index), on several threads when
    /// there are many: each thread resolves with a resolver of its own
    /// (same spec and type index, its own diagnostics), claiming runs of
    /// [`ITEMS_PER_CLAIM`] items; the results come back in item order and
    /// the diagnostics are appended in item order too, so everything is as
    /// if the items had been resolved one after the other on this resolver.
    /// `f` must only read the spec, report diagnostics and note
    /// unreferenceable type keys (the state merged back here).
    pub(super) fn map_parallel<T, R, F>(&mut self, items: &[T], f: F) -> Vec<R>
    where
        T: Sync,
        R: Send,
        F: Fn(&mut Resolver<'a>, usize, &T) -> R + Sync,
    {
        let threads = self.threads.min(items.len().div_ceil(PARALLEL_FROM / 2)).max(1);
        if threads == 1 || items.len() < PARALLEL_FROM {
            return items.iter().enumerate().map(|(i, item)| f(self, i, item)).collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = |mut r: Resolver<'a>| -> (Vec<Claimed<R>>, BTreeSet<&'a str>) {
            let mut claimed = Vec::new();
            loop {
                let start = next.fetch_add(ITEMS_PER_CLAIM, std::sync::atomic::Ordering::Relaxed);
                if start >= items.len() {
                    break;
                }
                let end = (start + ITEMS_PER_CLAIM).min(items.len());
                let results = (start..end).map(|i| f(&mut r, i, &items[i])).collect();
                claimed.push((start, results, std::mem::take(&mut r.diags)));
            }
            (claimed, r.unreferenceable)
        };
        let workers: Vec<Resolver<'a>> = (0..threads).map(|_| self.worker()).collect();
        let done: Vec<(Vec<Claimed<R>>, BTreeSet<&'a str>)> = std::thread::scope(|scope| {
            let mut workers = workers.into_iter();
            let mine = workers.next();
            let handles: Vec<_> = workers.map(|r| scope.spawn(|| work(r))).collect();
            let mut done: Vec<_> = mine.map(&work).into_iter().collect();
            for h in handles {
                match h.join() {
                    Ok(d) => done.push(d),
                    // A bug in a check: fail as the one-thread run would.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            done
        });
        let mut claimed: Vec<Claimed<R>> = Vec::new();
        for (runs, unreferenceable) in done {
            claimed.extend(runs);
            self.unreferenceable.extend(unreferenceable);
        }
        claimed.sort_by_key(|c| c.0);
        let mut out = Vec::with_capacity(items.len());
        for (_, results, diags) in claimed {
            out.extend(results);
            self.diags.extend(diags);
        }
        out
    }

    /// A resolver for another thread: the same spec and type index, no
    /// diagnostics yet.
    fn worker(&self) -> Resolver<'a> {
        Resolver {
            spec: self.spec,
            index: self.index,
            text: self.text,
            diags: Vec::new(),
            type_index: self.type_index.clone(),
            unreferenceable: BTreeSet::new(),
            patterns: HashMap::new(),
            threads: 1,
        }
    }

    /// A constraint pattern, compiled (once per distinct pattern); `Err`
    /// holds the last line of the compiler's message, without `error: `.
    pub(super) fn pattern(&mut self, source: &str) -> Result<&Regex, &str> {
        if !self.patterns.contains_key(source) {
            let compiled = Regex::new(source).map_err(|e| {
                let text = e.to_string();
                let last = text.lines().last().unwrap_or_default().trim();
                last.strip_prefix("error: ").unwrap_or(last).to_owned()
            });
            self.patterns.insert(source.to_owned(), compiled);
        }
        match self.patterns.get(source) {
            Some(Ok(re)) => Ok(re),
            Some(Err(message)) => Err(message),
            None => Err("the pattern cache lost an entry"),
        }
    }

    /// The problems of a JSON value (an example or a default) with the
    /// constraints, in the runtime's words (`has 12 characters; the
    /// document allows at most 10`), to follow the value's name. A pattern
    /// that does not compile is reported elsewhere and checks nothing here.
    pub(super) fn constraint_problems(&mut self, c: &Constraints, v: &Value) -> Vec<String> {
        let compiled = c.pattern.as_deref().and_then(|p| self.pattern(p).ok());
        c.violations(v, compiled).into_iter().map(|v| v.problem).collect()
    }

    fn run(&mut self) -> Model {
        let service = self.check_service();
        self.check_common_errors();
        for (i, key) in self.spec.types.keys().enumerate() {
            self.type_index.insert(key.as_str(), i);
        }
        let mut types = self.build_types();
        self.check_type_names(&types);
        self.check_field_examples(&types);
        // An infinitely large type is also infinitely deep: one report.
        if !self.check_recursion(&types) {
            self.check_nesting(&types);
        }
        compute_defaultable(&mut types);
        let operations = self.build_operations(&types);
        let resources = self.build_resources(&types, &operations);
        self.check_reachability();
        self.check_errata();
        Model {
            service,
            types,
            operations,
            errata: self.spec.errata.clone(),
            resources,
            warnings: Vec::new(),
        }
    }

    /// Checks `service` and resolves it (endpoint templates parsed once).
    fn check_service(&mut self) -> ServiceModel {
        let s = &self.spec.service;
        let mut endpoints = Vec::new();
        for (key, value) in [("id", &s.id), ("vendor", &s.vendor)] {
            match identifier(value) {
                Ok(ident) if ident.starts_with("r#") => {
                    let d = self.error(
                        format!("service.{key}"),
                        format!("`{value}` is a Rust keyword and cannot name a module"),
                    );
                    Self::hint(d, format!("use another name, e.g. `{value}_api`"));
                }
                Ok(_) if field_name(value) == *value => {}
                _ => {
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
            } else {
                match placeholders(t) {
                    Err(()) if t.contains("{{") => {
                        let d = self.error(path, format!("`{{{{...}}}}` in `{t}` is not a placeholder"));
                        Self::hint(d, "placeholders take single braces: `{region}`");
                    }
                    Err(()) => {
                        let d = self.error(path, format!("unbalanced `{{` `}}` in `{t}`"));
                        Self::hint(d, "every `{` needs a `}` around a non-empty placeholder name");
                    }
                    Ok(parts) => {
                        if let Some(problem) = unfillable(&parts) {
                            let d = self.error(path, format!("no client configuration can fill `{t}`: {problem}"));
                            Self::hint(
                                d,
                                "placeholders are filled by `ClientConfig::region` / `endpoint_variable` with letters, digits, `-`, `_` and `.`; put them in the host name (or the port), named like identifiers",
                            );
                        }
                        endpoints.push(EndpointModel {
                            template: t.clone(),
                            parts,
                            docs: e.docs.clone(),
                        });
                    }
                }
            }
        }
        if s.auth.is_empty() {
            self.error("service.auth", "at least one authentication scheme is needed");
        }
        for (i, a) in s.auth.iter().enumerate() {
            if let Some(first) = s.auth[..i].iter().position(|b| b == a) {
                let d = self.error(
                    format!("service.auth[{i}]"),
                    format!("authentication scheme `{}` is listed twice", a.spec_name()),
                );
                Self::hint(
                    d,
                    format!("first listed at service.auth[{first}]; each scheme gives one constructor, list it once"),
                );
            }
        }
        if !is_plain_file_name(&s.source) {
            let d = self.error("service.source", format!("`{}` is not a plain file name", s.source));
            Self::hint(
                d,
                "`source` names a file in the seed-docs folder: no `/`, `\\`, `..`, drive or leading `.`",
            );
        }
        ServiceModel {
            id: s.id.clone(),
            vendor: s.vendor.clone(),
            title: s.title.clone(),
            docs: s.docs.clone(),
            source: s.source.clone(),
            protocol: s.protocol,
            api_version: s.api_version.clone(),
            endpoints,
            auth: s.auth.clone(),
            error_envelope: s.error_envelope,
            success_envelope: s.success_envelope,
            lenient_scalars: s.lenient_scalars,
        }
    }

    /// Parse and resolve a type expression at the YAML path `path()` (only
    /// built for a diagnostic); `None` (after reporting why) if it cannot be.
    pub(super) fn resolve(&mut self, expr: &str, path: impl Fn() -> String) -> Option<Ty> {
        let parsed = match types::parse(expr) {
            Ok(p) => p,
            Err(msg) => {
                let d = self.error(path(), msg);
                Self::hint(
                    d,
                    "scalars are string, integer, int32, number, boolean, json; collections array<T> and map<T>",
                );
                return None;
            }
        };
        self.lower(&parsed, &path)
    }

    fn lower(&mut self, t: &TypeExpr, path: &dyn Fn() -> String) -> Option<Ty> {
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
                    let d = self.error(path(), format!("unknown type `{name}`"));
                    Self::hint(d, hint);
                    return None;
                }
            },
        })
    }

    /// `at` must name a node of this spec, so a finding cannot drift away
    /// from what it is about.
    fn check_errata(&mut self) {
        let spec = self.spec;
        for (i, e) in spec.errata.iter().enumerate() {
            if e.at.trim().is_empty() {
                let d = self.error(
                    format!("errata[{i}].at"),
                    "an erratum must say where it applies; `at` is empty",
                );
                Self::hint(
                    d,
                    "`at` is the YAML path of a node, e.g. `types.BackupDetail.fields.provider_id`; for the whole service use `service`",
                );
            } else if !self.index.exists(&e.at) {
                let index = self.index;
                let hint = match nearest_node(index, &e.at) {
                    Some((ancestor, children)) if !children.is_empty() => format!(
                        "`{ancestor}` exists and holds {}; `at` is the YAML path of a node, e.g. `types.BackupDetail.fields.provider_id`",
                        children.join(", ")
                    ),
                    _ => "`at` is the YAML path of a node, e.g. `types.BackupDetail.fields.provider_id` or `operations.ShowBackup.parameters[0]`".to_owned(),
                };
                let d = self.error(
                    format!("errata[{i}].at"),
                    format!("`{}` is not a path in this spec", e.at),
                );
                Self::hint(d, hint);
            }
        }
    }
}

/// The closest existing ancestor of `path` in the file, with the names of
/// its children, for a path that names nothing.
fn nearest_node(index: &SourceIndex, path: &str) -> Option<(String, Vec<String>)> {
    let mut p = path;
    loop {
        let cut = p.rfind(['.', '['])?;
        p = &p[..cut];
        if index.exists(p) {
            let mut children: Vec<String> = index.children(p).into_iter().map(|c| format!("`{c}`")).collect();
            children.sort();
            children.dedup();
            children.truncate(8);
            return Some((p.to_owned(), children));
        }
    }
}

/// Split `a{b}c` into text and placeholders; `Err` on unbalanced braces.
pub(super) fn placeholders(t: &str) -> Result<Vec<TemplatePart>, ()> {
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
            out.push(TemplatePart::Literal(rest[..open].to_owned()));
        }
        out.push(TemplatePart::Placeholder(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(TemplatePart::Literal(rest.to_owned()));
    }
    Ok(out)
}

/// Whether a spec's `source` is a plain file name that cannot leave the
/// documents folder it is joined onto: no separators, no `.`/`..`, no
/// leading dot, no drive prefix, no control characters.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
        && name.trim() == name
}

/// Why no configuration can fill an endpoint template, if none can: the
/// client fills placeholders with values of letters, digits, `-`, `_` and
/// `.` (see `ClientConfig::endpoint_variable`), so a template whose
/// placeholders are not identifiers, or that is not a host (and port) once
/// they are filled, never gives a usable endpoint.
fn unfillable(parts: &[TemplatePart]) -> Option<String> {
    let mut filled = String::new();
    for part in parts {
        match part {
            TemplatePart::Literal(t) => filled.push_str(t),
            TemplatePart::Placeholder(name) => {
                let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !ident {
                    return Some(format!("the placeholder `{{{name}}}` is not an identifier"));
                }
                filled.push('1');
            }
        }
    }
    let authority = filled.split_once("://").map_or("", |x| x.1);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !host_ok || !port_ok {
        return Some("the filled template is not `scheme://host[:port]`".to_owned());
    }
    None
}
