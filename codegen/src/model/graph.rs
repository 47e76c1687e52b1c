//! The type graph: structs that would contain themselves, types nothing
//! uses, and which structs can derive `Default`.

use std::collections::BTreeSet;

use super::resolve::Resolver;
use super::types::{self, TypeExpr};
use super::*;
use crate::diag::did_you_mean;

/// Named types a type expression mentions (by key), resolved or not.
fn mentioned(expr: &TypeExpr, out: &mut Vec<String>) {
    match expr {
        TypeExpr::Array(inner) | TypeExpr::Map(inner) => mentioned(inner, out),
        TypeExpr::Named(n) => out.push(n.clone()),
        _ => {}
    }
}

/// Strongly connected components of a directed graph (`edges[v]` lists the
/// successors of `v`), by Tarjan's algorithm run with an explicit stack so a
/// chain of any length cannot overflow the call stack. Linear in nodes plus
/// edges. Components come out in reverse topological order (a component
/// before every component that reaches it); `comp[v]` is `v`'s component.
pub(crate) fn strongly_connected(edges: &[Vec<usize>]) -> (Vec<Vec<usize>>, Vec<usize>) {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut comps: Vec<Vec<usize>> = Vec::new();
    let mut comp = vec![UNSEEN; n];
    let mut next = 0;
    // (node, position of the next edge to follow)
    let mut work: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        work.push((root, 0));
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if *e == 0 && index[v] == UNSEEN {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = comps.len();
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                members.sort_unstable();
                comps.push(members);
            }
        }
    }
    (comps, comp)
}

/// How deeply a resolved type nests type constructors (`Vec`, `BTreeMap`),
/// not counting named types (see [`Resolver::check_nesting`]).
fn wrapper_depth(ty: &Ty) -> usize {
    let mut depth = 0;
    let mut t = ty;
    while let Ty::Array(inner) | Ty::Map(inner) = t {
        depth += 1;
        t = inner;
    }
    depth
}

/// The named type at the bottom of a type, if any.
fn innermost_named(ty: &Ty) -> Option<usize> {
    let mut t = ty;
    loop {
        match t {
            Ty::Array(inner) | Ty::Map(inner) => t = inner,
            Ty::Named(i) => return Some(*i),
            _ => return None,
        }
    }
}

/// The deepest nesting of type constructors the generated code may have:
/// rustc proves auto traits such as `Send` (which the client requires of
/// every output) by walking into every field, one recursion level per
/// struct, `Option`, `Vec` or map on the way, and gives up at its
/// `recursion_limit` of 128 ("overflow evaluating the requirement
/// `Option<T64>: Send`" for a chain of 64 structs with optional fields).
/// The limit leaves room for the runtime's own wrappers around an output.
pub const MAX_NESTING: usize = 96;

impl Resolver<'_> {
    /// A struct that contains itself other than through a `Vec` or map would
    /// be infinitely large (`Option` is no indirection). Each cycle is
    /// reported once, at the field where it starts. One pass over the
    /// strongly connected components of the by-value containment graph.
    /// Returns whether any cycle was found.
    pub(super) fn check_recursion(&mut self, types: &[TypeModel]) -> bool {
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
        let edges: Vec<Vec<usize>> = direct.iter().map(|d| d.iter().map(|e| e.0).collect()).collect();
        let (comps, comp) = strongly_connected(&edges);
        let mut cyclic: Vec<&Vec<usize>> = comps
            .iter()
            .filter(|c| c.len() > 1 || edges[c[0]].contains(&c[0]))
            .collect();
        cyclic.sort_by_key(|c| c[0]);
        let found = !cyclic.is_empty();
        for members in cyclic {
            let start = members[0];
            let trail = cycle_through(start, &direct, &comp);
            if !trail.is_empty() {
                self.report_cycle(types, &trail);
            }
        }
        found
    }

    fn report_cycle(&mut self, types: &[TypeModel], trail: &[(usize, &str)]) {
        let (first, first_field) = trail[0];
        let key = &types[first].key;
        let mut chain = vec![key.clone()];
        for (i, (_, wire)) in trail.iter().enumerate() {
            let next = trail.get(i + 1).map_or(first, |e| e.0);
            chain.push(format!("{wire}: {}", types[next].key));
        }
        let d = self.error(
            format!("types.{key}.fields.{first_field}.type"),
            format!("type `{key}` contains itself ({})", chain.join(" -> ")),
        );
        Self::hint(
            d,
            "a struct cannot hold itself by value, and `Option` does not help; if the wire nests a list or map here use `array<...>` or `map<...>`, else type one field of the cycle as `json`",
        );
    }

    /// Types nested deeper than [`MAX_NESTING`] levels would not compile
    /// (see there). The depth of a type is one for the struct plus the
    /// deepest of its fields (plus one for an `Option`, one per `Vec` or
    /// map); types that reach each other through lists count every member
    /// of their cycle. Computed once per strongly connected component of the
    /// full containment graph, in reverse topological order: linear.
    /// Reported once, at the type where the too-deep chain starts.
    pub(super) fn check_nesting(&mut self, types: &[TypeModel]) {
        let edges: Vec<Vec<usize>> = types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Object { fields } => fields.iter().filter_map(|f| innermost_named(&f.ty)).collect(),
                TypeKind::Enum { .. } => Vec::new(),
            })
            .collect();
        let (comps, comp) = strongly_connected(&edges);
        // depth[c]: deepest nesting below and including component c; the
        // component order guarantees successors are done first.
        let mut depth = vec![0usize; comps.len()];
        for (c, members) in comps.iter().enumerate() {
            let own: usize = members
                .iter()
                .map(|&m| match &types[m].kind {
                    TypeKind::Object { fields } => {
                        1 + fields
                            .iter()
                            .map(|f| usize::from(f.optional) + wrapper_depth(&f.ty))
                            .max()
                            .unwrap_or(0)
                    }
                    TypeKind::Enum { .. } => 1,
                })
                .sum();
            let below = members
                .iter()
                .flat_map(|&m| match &types[m].kind {
                    TypeKind::Object { fields } => fields.as_slice(),
                    TypeKind::Enum { .. } => &[],
                })
                .filter_map(|f| innermost_named(&f.ty))
                .filter(|&n| comp[n] != c)
                .map(|n| depth[comp[n]])
                .max()
                .unwrap_or(0);
            depth[c] = own.saturating_add(below);
        }
        // Report only the outermost too-deep types: those no too-deep type contains.
        let too_deep: Vec<bool> = (0..types.len()).map(|t| depth[comp[t]] > MAX_NESTING).collect();
        let mut inner = vec![false; types.len()];
        for (t, e) in edges.iter().enumerate() {
            if too_deep[t] {
                for &n in e {
                    if comp[n] != comp[t] {
                        inner[n] = true;
                    }
                }
            }
        }
        // One report per component: at its first member.
        let mut reported = vec![false; comps.len()];
        for t in 0..types.len() {
            if too_deep[t] && !inner[t] && !std::mem::replace(&mut reported[comp[t]], true) {
                let key = &types[t].key;
                let d = self.error(
                    format!("types.{key}"),
                    format!(
                        "type `{key}` nests {} levels of types, more than the {MAX_NESTING} the generated code can have",
                        depth[comp[t]]
                    ),
                );
                Self::hint(
                    d,
                    "rustc proves `Send` for an output through every nested field and gives up at its recursion limit; type a deep part as `json`, or flatten the chain",
                );
            }
        }
    }

    /// Types no operation reaches and that are not marked `standalone`.
    /// Works from the raw type expressions, so a reference that failed to
    /// resolve (already an error) does not also make its type look unused.
    pub(super) fn check_reachability(&mut self) {
        let spec = self.spec;
        let mut stack: Vec<String> = Vec::new();
        let push = |expr: &str, stack: &mut Vec<String>| {
            if let Ok(t) = types::parse(expr) {
                mentioned(&t, stack);
            }
        };
        for op in spec.operations.values() {
            for p in &op.parameters {
                push(&p.ty, &mut stack);
            }
            if let Some(t) = &op.response.ty {
                push(t, &mut stack);
            }
        }
        let mut reached: BTreeSet<String> = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !reached.insert(name.clone()) {
                continue;
            }
            if !spec.types.contains_key(&name) {
                // An unknown name (reported) most likely meant its suggestion.
                if let Some(best) = did_you_mean(&name, spec.types.keys().map(String::as_str)) {
                    stack.push(best.to_owned());
                }
                continue;
            }
            if let Some(fields) = spec.types.get(&name).and_then(|d| d.fields.as_ref()) {
                for f in fields.values() {
                    push(&f.ty, &mut stack);
                }
            }
        }
        for (key, def) in &spec.types {
            if !reached.contains(key) && !def.standalone && !self.unreferenceable.contains(key.as_str()) {
                let d = self.warn(
                    format!("types.{key}"),
                    format!("type `{key}` is not used by any operation"),
                );
                Self::hint(
                    d,
                    "remove it, or set `standalone: true` if the document defines it on its own",
                );
            }
        }
    }
}

/// Which objects have only fields whose types implement `Default`.
pub(super) fn compute_defaultable(types: &mut [TypeModel]) {
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

/// The shortest cycle from `start` back to itself along by-value fields,
/// staying inside `start`'s component (where one exists): breadth-first, so
/// linear in the component's size. Each step is (type, field wire name).
fn cycle_through<'t>(start: usize, direct: &[Vec<(usize, &'t str)>], comp: &[usize]) -> Vec<(usize, &'t str)> {
    let mut parent: foldhash::HashMap<usize, (usize, &'t str)> = foldhash::HashMap::default();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &(w, wire) in &direct[v] {
            if w == start {
                let mut trail = vec![(v, wire)];
                let mut at = v;
                while at != start {
                    let (p, pw) = parent[&at];
                    trail.push((p, pw));
                    at = p;
                }
                trail.reverse();
                return trail;
            }
            if comp[w] == comp[start] && !parent.contains_key(&w) {
                parent.insert(w, (v, wire));
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}
