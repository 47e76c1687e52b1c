//! The type graph: structs that would contain themselves, types nothing
//! uses, and which structs can derive `Default`.

use std::collections::BTreeSet;

use super::build::Builder;
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

impl Builder<'_> {
    /// A struct that contains itself other than through a `Vec` or map would
    /// be infinitely large (`Option` is no indirection). Each cycle is
    /// reported once, at the field where it starts.
    pub(super) fn check_recursion(&mut self, types: &[TypeModel]) {
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
        let mut reported: BTreeSet<BTreeSet<usize>> = BTreeSet::new();
        for start in 0..types.len() {
            // Depth-first search for a path back to `start`; a trail is the
            // list of (type, field) edges taken.
            let mut stack: Vec<(usize, Vec<(usize, &str)>)> = vec![(start, Vec::new())];
            let mut visited = BTreeSet::new();
            while let Some((node, trail)) = stack.pop() {
                for &(next, wire) in &direct[node] {
                    let mut t = trail.clone();
                    t.push((node, wire));
                    if next == start {
                        let members: BTreeSet<usize> = t.iter().map(|e| e.0).collect();
                        if reported.insert(members) {
                            self.report_cycle(types, &t);
                        }
                    } else if visited.insert(next) {
                        stack.push((next, t));
                    }
                }
            }
        }
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
