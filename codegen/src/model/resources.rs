//! Resources (`resources:`): which operations describe, list and create a
//! snapshot or backup, where its fields are, and how its states map to the
//! normalized set. Every path is resolved against the operation's output
//! type, every state value against the state field's enum, every error
//! code against the operation's documented codes.

use std::collections::BTreeSet;

use super::names::{field_name, identifier};
use super::resolve::Resolver;
use super::{FieldModel, Model, OperationModel, Ty, TypeKind, TypeModel};
use crate::diag::did_you_mean;
use crate::spec::{self, ErrorMeaning, SizeUnit, State};

/// A validated resource.
#[derive(Debug, Clone)]
pub struct ResourceModel {
    /// snake_case name (`snapshot`).
    pub name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// The describe view (the waiters poll it).
    pub describe: Option<ViewModel>,
    /// Why there is no describe operation, when the spec says so.
    pub no_describe: Option<String>,
    /// The list view.
    pub list: Option<ViewModel>,
    /// The create view.
    pub create: Option<ViewModel>,
    /// Required parameters of the describe and list operations besides the
    /// id (wire names, in order, each once).
    pub context: Vec<String>,
    /// Generated waiter methods: target state and method name.
    pub waiters: Vec<(State, String)>,
    /// The static holding the declaration (`SNAPSHOT_RESOURCE`).
    pub static_name: String,
    /// The unit struct implementing `DynResource` (`SnapshotResource`).
    pub dyn_name: String,
}

/// What one operation shows of a resource, resolved.
#[derive(Debug, Clone)]
pub struct ViewModel {
    /// Index into [`Model::operations`].
    pub op: usize,
    /// The id parameter: wire name, and whether it is a list. A describe
    /// view without one lists items (`items_is_list`) and the waiter takes
    /// the id as an argument, finding the item by its `id` field.
    pub id_param: Option<(String, bool)>,
    /// Wire path from the output to the items (wrappers included).
    pub items: Vec<String>,
    /// Whether `items` leads to an array.
    pub items_is_list: bool,
    /// Id, name, state, created at, size, progress, expiry: each a list of
    /// alternative wire paths from the item.
    pub id: Vec<Vec<String>>,
    /// Name paths.
    pub name: Vec<Vec<String>>,
    /// State paths.
    pub state: Vec<Vec<String>>,
    /// Creation time paths.
    pub created_at: Vec<Vec<String>>,
    /// Size paths.
    pub size: Vec<Vec<String>>,
    /// Unit of size.
    pub size_unit: SizeUnit,
    /// Progress paths.
    pub progress: Vec<Vec<String>>,
    /// Expiry paths.
    pub expires_at: Vec<Vec<String>>,
    /// Raw state value -> normalized state, in declaration order.
    pub states: Vec<(String, State)>,
    /// Whether the state enum is case-insensitive.
    pub states_case_insensitive: bool,
    /// Field acceptors: wire path, literal, if_state, state.
    pub field_acceptors: Vec<(Vec<String>, serde_json::Value, Option<State>, State)>,
    /// Error acceptors: code and meaning.
    pub error_acceptors: Vec<(String, ErrorMeaning)>,
}

/// Which view of a resource.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Describe,
    List,
    Create,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Describe => "describe",
            Kind::List => "list",
            Kind::Create => "create",
        }
    }
}

/// A resolved path: wire segments and the type at its end.
struct Resolved {
    wire: Vec<String>,
    ty: Ty,
}

impl Resolver<'_> {
    pub(super) fn build_resources(&mut self, types: &[TypeModel], ops: &[OperationModel]) -> Vec<super::ResourceModel> {
        let spec = self.spec;
        let mut out = Vec::new();
        let mut methods: BTreeSet<String> = ops.iter().map(|o| super::bare(&o.method_name).to_owned()).collect();
        for o in ops {
            for s in &o.streams {
                methods.insert(s.pages.clone());
                methods.insert(s.items.clone());
            }
        }
        for (name, r) in &spec.resources {
            let rpath = format!("resources.{name}");
            let ok_name = identifier(name).is_ok_and(|i| !i.starts_with("r#")) && field_name(name) == *name;
            if !ok_name {
                let d = self.error(
                    rpath.clone(),
                    format!("resource name `{name}` is not a snake_case identifier"),
                );
                Self::hint(d, format!("name it like a field, e.g. `{}`", field_name(name)));
                continue;
            }
            let mut no_describe = None;
            let describe = match &r.describe {
                Some(v) if v.none.is_some() => {
                    if v.operation.is_some()
                        || v.id.is_some()
                        || v.items.is_some()
                        || v.item.is_some()
                        || v.fields.is_some()
                    {
                        let d = self.error(
                            format!("{rpath}.describe.none"),
                            "`none` says there is no describe operation; it cannot come with `operation`, `id`, `items`, `item` or `fields`",
                        );
                        Self::hint(d, "keep either `none: <reason>` or the operation's declaration");
                    }
                    no_describe = v.none.clone();
                    None
                }
                Some(v) => self.view(types, ops, r, v, Kind::Describe, &rpath),
                None => None,
            };
            if r.describe.is_none() {
                let d = self.error(
                    rpath.clone(),
                    format!("resource `{name}` does not say how to describe one"),
                );
                Self::hint(
                    d,
                    "add `describe: { operation: ..., id: ... }`, or `describe: { none: <why the service has no such call> }`",
                );
            }
            let list = r
                .list
                .as_ref()
                .and_then(|v| self.view(types, ops, r, v, Kind::List, &rpath));
            let create = r
                .create
                .as_ref()
                .and_then(|v| self.view(types, ops, r, v, Kind::Create, &rpath));
            for (kind, v) in [(Kind::List, &r.list), (Kind::Create, &r.create)] {
                if v.as_ref().is_some_and(|v| v.none.is_some()) {
                    let d = self.error(format!("{rpath}.{}.none", kind.key()), "`none` is only for `describe`");
                    Self::hint(d, "leave the key out when the service has no such operation");
                }
            }
            let mut context: Vec<String> = Vec::new();
            for view in [&describe, &list].into_iter().flatten() {
                let op = &ops[view.op];
                for p in op.params.iter().filter(|p| p.required) {
                    let is_id = view.id_param.as_ref().is_some_and(|(w, _)| *w == p.wire);
                    if !is_id && !context.contains(&p.wire) {
                        context.push(p.wire.clone());
                    }
                }
            }
            let mut waiters = Vec::new();
            if let Some(d) = &describe {
                let reached: BTreeSet<State> = d
                    .states
                    .iter()
                    .map(|(_, s)| *s)
                    .chain(d.field_acceptors.iter().map(|a| a.3))
                    .collect();
                for s in reached {
                    // Waiting until something fails, is in an unknown state or is being
                    // created is not a wait anyone needs.
                    if matches!(s, State::Failed | State::Unknown | State::Creating) {
                        continue;
                    }
                    let method = format!("wait_until_{name}_{}", s.as_str());
                    if methods.contains(&method) {
                        let d = self.error(
                            rpath.clone(),
                            format!("the waiter `Client::{method}` collides with another client method"),
                        );
                        Self::hint(d, "rename the resource");
                    } else {
                        methods.insert(method.clone());
                        waiters.push((s, method));
                    }
                }
            }
            let camel = super::names::upper_camel_case(name);
            out.push(ResourceModel {
                name: name.clone(),
                docs: r.docs.clone(),
                describe,
                no_describe,
                list,
                create,
                context,
                waiters,
                static_name: format!("{}_RESOURCE", name.to_ascii_uppercase()),
                dyn_name: format!("{camel}Resource"),
            });
        }
        out
    }

    fn view(
        &mut self,
        types: &[TypeModel],
        ops: &[OperationModel],
        r: &spec::Resource,
        v: &spec::View,
        kind: Kind,
        rpath: &str,
    ) -> Option<ViewModel> {
        let vpath = format!("{rpath}.{}", kind.key());
        let Some(op_id) = &v.operation else {
            let d = self.error(vpath, format!("`{}` needs `operation`", kind.key()));
            Self::hint(d, "name the operation id, e.g. `operation: DescribeSnapshots`");
            return None;
        };
        let Some(op_index) = ops.iter().position(|o| o.id == *op_id) else {
            let hint = match did_you_mean(op_id, ops.iter().map(|o| o.id.as_str())) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "operations are: {}",
                    ops.iter().map(|o| format!("`{}`", o.id)).collect::<Vec<_>>().join(", ")
                ),
            };
            let d = self.error(format!("{vpath}.operation"), format!("no operation `{op_id}`"));
            Self::hint(d, hint);
            return None;
        };
        let op = &ops[op_index];
        let Some(output) = op.output.clone() else {
            let d = self.error(
                format!("{vpath}.operation"),
                format!("`{op_id}` has an empty response; it shows no {}", kind.key()),
            );
            Self::hint(d, "name an operation whose response has a type");
            return None;
        };
        let mut broken = false;
        // The id parameter.
        let id_param = match (&v.id, kind) {
            (Some(id), Kind::Describe) => match op.params.iter().find(|p| p.wire == *id) {
                Some(p) => match &p.ty {
                    Ty::String => Some((p.wire.clone(), false)),
                    Ty::Array(inner) if **inner == Ty::String => Some((p.wire.clone(), true)),
                    _ => {
                        let d = self.error(
                            format!("{vpath}.id"),
                            format!("the id parameter `{id}` must be a string or a list of strings"),
                        );
                        Self::hint(d, "name the parameter that carries the resource's id");
                        broken = true;
                        None
                    }
                },
                None => {
                    let names: Vec<&str> = op.params.iter().map(|p| p.wire.as_str()).collect();
                    let hint = match did_you_mean(id, names.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("`{op_id}` has the parameters {}", quote_list(&names)),
                    };
                    let d = self.error(format!("{vpath}.id"), format!("`{op_id}` has no parameter `{id}`"));
                    Self::hint(d, hint);
                    broken = true;
                    None
                }
            },
            // Without an id parameter the describe output must be a list in
            // which the waiter finds the item by its id field (CSS
            // `ListSnapshots`); checked once the items are known.
            (None, Kind::Describe) => None,
            (Some(_), _) => {
                let d = self.error(
                    format!("{vpath}.id"),
                    format!("`id` is only for `describe`, not `{}`", kind.key()),
                );
                Self::hint(d, "remove it");
                broken = true;
                None
            }
            (None, _) => None,
        };
        // The items.
        let (items, items_is_list, item_ty) = match (&v.items, &v.item) {
            (Some(_), Some(_)) => {
                let d = self.error(format!("{vpath}.item"), "`items` and `item` exclude each other");
                Self::hint(d, "`items` names a list of items, `item` one object");
                return None;
            }
            (Some(p), None) => {
                let at = format!("{vpath}.items");
                let r = self.resolve_path(types, &output, p, &at)?;
                match r.ty {
                    Ty::Array(inner) if is_object(types, &inner) => (r.wire, true, *inner),
                    other => {
                        let d = self.error(
                            at,
                            format!(
                                "`{p}` must be a list of objects, but it is {}",
                                describe_ty(types, &other)
                            ),
                        );
                        Self::hint(d, "use `item` for one object");
                        return None;
                    }
                }
            }
            (None, Some(p)) => {
                let at = format!("{vpath}.item");
                let r = self.resolve_path(types, &output, p, &at)?;
                if !is_object(types, &r.ty) {
                    let d = self.error(
                        at,
                        format!("`{p}` must be an object, but it is {}", describe_ty(types, &r.ty)),
                    );
                    Self::hint(d, "use `items` for a list");
                    return None;
                }
                (r.wire, false, r.ty)
            }
            (None, None) => {
                if !is_object(types, &output) {
                    let d = self.error(
                        format!("{vpath}.operation"),
                        format!("the output of `{op_id}` is not an object; say where the items are"),
                    );
                    Self::hint(d, "add `items: <list field>` or `item: <object field>`");
                    return None;
                }
                (Vec::new(), false, output.clone())
            }
        };
        if kind == Kind::Describe && v.id.is_none() && !items_is_list {
            let d = self.error(
                vpath.clone(),
                "`describe` needs `id`: the request parameter that carries the id",
            );
            Self::hint(
                d,
                "e.g. `id: backup_id` (a path parameter) or `id: SnapshotIds` (a list); without one, \
                 `items:` must name the list in which the item is found by its id",
            );
            broken = true;
        }
        // Fields, from the view or the resource.
        let (fields, fpath) = match (&v.fields, &r.fields) {
            (Some(f), _) => (f, format!("{vpath}.fields")),
            (None, Some(f)) => (f, format!("{rpath}.fields")),
            (None, None) => {
                let d = self.error(vpath.clone(), "no `fields`: say where the id and the state are");
                Self::hint(
                    d,
                    "add `fields: { id: ..., state: ... }` to the view or to the resource",
                );
                return None;
            }
        };
        let ctx = format!(" (in the items of `{op_id}`)");
        let id = self.field_paths(
            types,
            &item_ty,
            Some(&fields.id),
            &format!("{fpath}.id"),
            &ctx,
            Check::IdLike,
        );
        let state = self.field_paths(
            types,
            &item_ty,
            Some(&fields.state),
            &format!("{fpath}.state"),
            &ctx,
            Check::State,
        );
        let name = self.field_paths(
            types,
            &item_ty,
            fields.name.as_ref(),
            &format!("{fpath}.name"),
            &ctx,
            Check::Text,
        );
        let created_at = self.field_paths(
            types,
            &item_ty,
            fields.created_at.as_ref(),
            &format!("{fpath}.created_at"),
            &ctx,
            Check::Time,
        );
        let size = self.field_paths(
            types,
            &item_ty,
            fields.size.as_ref(),
            &format!("{fpath}.size"),
            &ctx,
            Check::Number,
        );
        let progress = self.field_paths(
            types,
            &item_ty,
            fields.progress.as_ref(),
            &format!("{fpath}.progress"),
            &ctx,
            Check::Number,
        );
        let expires_at = self.field_paths(
            types,
            &item_ty,
            fields.expires_at.as_ref(),
            &format!("{fpath}.expires_at"),
            &ctx,
            Check::Time,
        );
        let size_unit = match (fields.size.is_some(), fields.size_unit) {
            (true, None) => {
                let d = self.error(format!("{fpath}.size"), "`size` needs `size_unit`");
                Self::hint(
                    d,
                    "add `size_unit: bytes` (or `KiB`, `MiB`, `GiB`), as the document states it",
                );
                SizeUnit::Bytes
            }
            (false, Some(u)) => {
                let d = self.error(format!("{fpath}.size_unit"), "`size_unit` without `size`");
                Self::hint(d, "add `size` or remove `size_unit`");
                u
            }
            (_, u) => u.unwrap_or(SizeUnit::Bytes),
        };
        let (Some((id, _)), Some((state, state_ty))) = (id, state) else {
            return None;
        };
        // States.
        let (states_map, spath) = match (&v.states, &r.states) {
            (Some(s), _) => (s, format!("{vpath}.states")),
            (None, Some(s)) => (s, format!("{rpath}.states")),
            (None, None) => {
                let d = self.error(vpath.clone(), "no `states`: say what each state value means");
                Self::hint(d, "add `states: { available: [...], creating: [...], failed: [...] }`");
                return None;
            }
        };
        let mut states: Vec<(String, State)> = Vec::new();
        for (normal, values) in states_map {
            for (i, value) in values.iter().enumerate() {
                let at = format!("{spath}.{}[{i}]", normal.as_str());
                if let Some((_, other)) = states.iter().find(|(v, _)| v == value) {
                    let d = self.error(at, format!("`{value}` is mapped twice (also to `{other}`)"));
                    Self::hint(d, "map each value to one state");
                    continue;
                }
                states.push((value.clone(), *normal));
            }
        }
        let mut case_insensitive = false;
        if let Some(Ty::Named(t)) = &state_ty {
            if let TypeKind::Enum {
                values,
                case_insensitive: ci,
            } = &types[*t].kind
            {
                case_insensitive = *ci;
                let known: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                for (normal, values) in states_map {
                    for (i, value) in values.iter().enumerate() {
                        let listed = known
                            .iter()
                            .any(|k| if *ci { k.eq_ignore_ascii_case(value) } else { k == value });
                        if !listed {
                            let hint = match did_you_mean(value, known.iter().copied()) {
                                Some(best) => {
                                    format!("did you mean `{best}`? `{}` has {}", types[*t].key, quote_list(&known))
                                }
                                None => format!(
                                    "`{}` has {}; add the value to the enum first",
                                    types[*t].key,
                                    quote_list(&known)
                                ),
                            };
                            let d = self.error(
                                format!("{spath}.{}[{i}]", normal.as_str()),
                                format!("`{value}` is not a value of the state enum `{}`", types[*t].key),
                            );
                            Self::hint(d, hint);
                        }
                    }
                }
                let unmapped: Vec<&str> = known
                    .iter()
                    .copied()
                    .filter(|k| {
                        !states
                            .iter()
                            .any(|(v, _)| if *ci { v.eq_ignore_ascii_case(k) } else { v == k })
                    })
                    .collect();
                // A warning, not an error: adding a value to an open enum
                // is a compatible spec edit, and an unmapped value reads as
                // `unknown` (with its raw value) at run time, as an
                // undocumented one does. `check --deny-warnings` (CI) still
                // insists on a mapping.
                if !unmapped.is_empty() {
                    let d = self.warn(
                        spath.clone(),
                        format!(
                            "the state enum `{}` has values no state maps{ctx}, read as `unknown` until mapped: {}",
                            types[*t].key,
                            quote_list(&unmapped)
                        ),
                    );
                    Self::hint(
                        d,
                        format!(
                            "map each documented value to one of creating, available, failed, deleting, restoring, unknown, e.g. `{}: [{}]`",
                            State::Unknown.as_str(),
                            unmapped.join(", ")
                        ),
                    );
                }
            }
        }
        // Acceptors.
        let (acceptors, apath) = match (&v.acceptors, &r.acceptors) {
            (Some(a), _) => (a.as_slice(), format!("{vpath}.acceptors")),
            (None, Some(a)) => (a.as_slice(), format!("{rpath}.acceptors")),
            (None, None) => (&[][..], String::new()),
        };
        let mut field_acceptors = Vec::new();
        let mut error_acceptors = Vec::new();
        for (i, a) in acceptors.iter().enumerate() {
            let at = format!("{apath}[{i}]");
            match (&a.field, &a.error) {
                (Some(field), None) => {
                    if a.means.is_some() {
                        let d = self.error(format!("{at}.means"), "`means` goes with `error`, not `field`");
                        Self::hint(d, "a field comparison sets `state`");
                    }
                    let (Some(equals), Some(target)) = (&a.equals, a.state) else {
                        let d = self.error(at.clone(), "a field acceptor needs `equals` and `state`");
                        Self::hint(
                            d,
                            "e.g. `{ field: Available, equals: false, if_state: available, state: creating }`",
                        );
                        continue;
                    };
                    let Some(res) = self.resolve_path(types, &item_ty, field, &format!("{at}.field")) else {
                        continue;
                    };
                    let fits = match (&res.ty, equals) {
                        (Ty::Boolean, serde_json::Value::Bool(_)) | (Ty::String, serde_json::Value::String(_)) => true,
                        (Ty::Integer | Ty::Int32, serde_json::Value::Number(n)) => n.as_i64().is_some(),
                        (Ty::Named(t), serde_json::Value::String(_)) => {
                            matches!(types[*t].kind, TypeKind::Enum { .. })
                        }
                        _ => false,
                    };
                    if !fits {
                        let d = self.error(
                            format!("{at}.equals"),
                            format!(
                                "`{equals}` cannot equal `{field}`, which is {}",
                                describe_ty(types, &res.ty)
                            ),
                        );
                        Self::hint(d, "compare a boolean with true/false, a string or enum with a string, an integer with an integer");
                        continue;
                    }
                    field_acceptors.push((res.wire, equals.clone(), a.if_state, target));
                }
                (None, Some(code)) => {
                    if a.equals.is_some() || a.state.is_some() || a.if_state.is_some() {
                        let d = self.error(at.clone(), "an error acceptor takes only `error` and `means`");
                        Self::hint(d, "`equals`, `state` and `if_state` belong to field acceptors");
                    }
                    let Some(means) = a.means else {
                        let d = self.error(at.clone(), "an error acceptor needs `means`");
                        Self::hint(d, "`means: pending` (not there yet) or `means: gone`");
                        continue;
                    };
                    if !op.errors.iter().any(|e| e.code == *code) {
                        let codes: Vec<&str> = op.errors.iter().map(|e| e.code.as_str()).collect();
                        let hint = match did_you_mean(code, codes.iter().copied()) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!(
                                "document it under `operations.{op_id}.errors` or `service.common_errors` first (with an `addition` erratum if the document is silent)"
                            ),
                        };
                        let d = self.error(
                            format!("{at}.error"),
                            format!("`{code}` is not an error code of `{op_id}`"),
                        );
                        Self::hint(d, hint);
                        continue;
                    }
                    error_acceptors.push((code.clone(), means));
                }
                _ => {
                    let d = self.error(
                        at,
                        "an acceptor is either a field comparison (`field`) or an error code (`error`)",
                    );
                    Self::hint(
                        d,
                        "`{ field: F, equals: V, state: S }` or `{ error: CODE, means: pending }`",
                    );
                }
            }
        }
        if broken {
            return None;
        }
        Some(ViewModel {
            op: op_index,
            id_param,
            items,
            items_is_list,
            id,
            name: name.map(|x| x.0).unwrap_or_default(),
            state,
            created_at: created_at.map(|x| x.0).unwrap_or_default(),
            size: size.map(|x| x.0).unwrap_or_default(),
            size_unit,
            progress: progress.map(|x| x.0).unwrap_or_default(),
            expires_at: expires_at.map(|x| x.0).unwrap_or_default(),
            states,
            states_case_insensitive: case_insensitive,
            field_acceptors,
            error_acceptors,
        })
    }

    /// Resolve every alternative of a field path and check its type; the
    /// wire paths and the type of the first, or `None` if one is broken.
    fn field_paths(
        &mut self,
        types: &[TypeModel],
        item: &Ty,
        spec: Option<&spec::FieldPath>,
        at: &str,
        ctx: &str,
        check: Check,
    ) -> Option<(Vec<Vec<String>>, Option<Ty>)> {
        let spec = spec?;
        let many = matches!(spec, spec::FieldPath::Any(_));
        let mut out = Vec::new();
        let mut first = None;
        let mut ok = true;
        for (i, p) in spec.paths().into_iter().enumerate() {
            let here = if many { format!("{at}[{i}]") } else { at.to_owned() };
            let Some(r) = self.resolve_path(types, item, p, &here) else {
                ok = false;
                continue;
            };
            if !check.accepts(types, &r.ty) {
                let d = self.error(
                    here,
                    format!(
                        "`{p}` is {}{ctx}, but {} must be {}",
                        describe_ty(types, &r.ty),
                        check.what(),
                        check.expected()
                    ),
                );
                Self::hint(d, "point the path at a field of the right type");
                ok = false;
                continue;
            }
            first.get_or_insert(r.ty.clone());
            out.push(r.wire);
        }
        if out.is_empty() && ok {
            let d = self.error(at, "no path given");
            Self::hint(d, "give a dotted path of field names");
            return None;
        }
        ok.then_some((out, first))
    }

    /// Resolve a dotted path of wire field names from `from`.
    fn resolve_path(&mut self, types: &[TypeModel], from: &Ty, path: &str, at: &str) -> Option<Resolved> {
        let mut ty = from.clone();
        let mut wire = Vec::new();
        if path.trim().is_empty() {
            let d = self.error(at, "empty path");
            Self::hint(
                d,
                "give a dotted path of field names (wire names), e.g. `stats.total_size_in_bytes`",
            );
            return None;
        }
        for seg in path.split('.') {
            let fields: &[FieldModel] = match &ty {
                Ty::Named(t) => match &types[*t].kind {
                    TypeKind::Object { fields } => fields,
                    TypeKind::Enum { .. } => &[],
                },
                _ => &[],
            };
            if fields.is_empty() && !is_object(types, &ty) {
                let d = self.error(
                    at,
                    format!("`{path}`: cannot look up `{seg}` in {}", describe_ty(types, &ty)),
                );
                Self::hint(d, "paths go through objects only (not lists or maps)");
                return None;
            }
            let Some(f) = fields.iter().find(|f| f.wire == seg) else {
                let names: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
                let owner = match &ty {
                    Ty::Named(t) => types[*t].key.clone(),
                    _ => String::new(),
                };
                let hint = match did_you_mean(seg, names.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("`{owner}` has {}", quote_list(&names)),
                };
                let d = self.error(at, format!("`{path}`: `{owner}` has no field `{seg}`"));
                Self::hint(d, hint);
                return None;
            };
            wire.push(f.wire.clone());
            if let Some(w) = &f.wrapper {
                wire.push(w.clone());
            }
            ty = f.ty.clone();
        }
        Some(Resolved { wire, ty })
    }
}

/// The type a summarized field must have.
#[derive(Clone, Copy)]
enum Check {
    IdLike,
    State,
    Text,
    Time,
    Number,
}

impl Check {
    fn accepts(self, types: &[TypeModel], ty: &Ty) -> bool {
        match self {
            Check::IdLike => matches!(ty, Ty::String | Ty::Integer | Ty::Int32),
            Check::State => {
                matches!(ty, Ty::String)
                    || matches!(ty, Ty::Named(t) if matches!(types[*t].kind, TypeKind::Enum { .. }))
            }
            Check::Text => matches!(ty, Ty::String),
            Check::Time => matches!(ty, Ty::String | Ty::Integer),
            Check::Number => matches!(ty, Ty::String | Ty::Integer | Ty::Int32 | Ty::Number),
        }
    }
    fn what(self) -> &'static str {
        match self {
            Check::IdLike => "an id",
            Check::State => "a state",
            Check::Text => "a name",
            Check::Time => "a time",
            Check::Number => "a size or progress",
        }
    }
    fn expected(self) -> &'static str {
        match self {
            Check::IdLike => "a string or an integer",
            Check::State => "an enum or a string",
            Check::Text => "a string",
            Check::Time => "a timestamp string or epoch milliseconds (integer)",
            Check::Number => "a number, or a string holding one",
        }
    }
}

fn is_object(types: &[TypeModel], ty: &Ty) -> bool {
    matches!(ty, Ty::Named(t) if matches!(types[*t].kind, TypeKind::Object { .. }))
}

fn describe_ty(types: &[TypeModel], ty: &Ty) -> String {
    match ty {
        Ty::String => "a string".into(),
        Ty::Integer | Ty::Int32 => "an integer".into(),
        Ty::Number => "a number".into(),
        Ty::Boolean => "a boolean".into(),
        Ty::Json => "arbitrary JSON".into(),
        Ty::Array(inner) => format!("a list of {}", describe_ty(types, inner)),
        Ty::Map(inner) => format!("a map of {}", describe_ty(types, inner)),
        Ty::Named(t) => match types[*t].kind {
            TypeKind::Object { .. } => format!("the object `{}`", types[*t].key),
            TypeKind::Enum { .. } => format!("the enum `{}`", types[*t].key),
        },
    }
}

fn quote_list(names: &[&str]) -> String {
    if names.is_empty() {
        return "nothing".to_owned();
    }
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

impl Model {
    /// The resource whose describe, list or create view is operation `op`.
    pub fn views_of(&self, op: usize) -> impl Iterator<Item = (&ResourceModel, &ViewModel)> {
        self.resources.iter().flat_map(move |r| {
            [&r.describe, &r.list, &r.create]
                .into_iter()
                .flatten()
                .filter(move |v| v.op == op)
                .map(move |v| (r, v))
        })
    }
}
