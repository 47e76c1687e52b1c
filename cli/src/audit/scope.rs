//! Which spec object types a mention's [`Owner`] stands for, so a name can
//! be checked against the type the document puts it in, not only against
//! the whole spec.
//!
//! - A JSON key inside `"P": {...}` or `"P": [{...}]` belongs to the object
//!   type of every spec field named `P` (or whose list wrapper is `P`); in a
//!   `zilliz` success envelope, `data` stands for the operations' outputs.
//! - A table row belongs to the type its title names (`Table 4
//!   BackupDetail`), or to the object type of a field its title names
//!   (`Table 4 backup field data structure description`).
//!
//! An owner that resolves to no type leaves the mention unscoped: it is
//! then only checked against the whole spec.

use std::collections::BTreeSet;

use cloudsnap_codegen::spec::{Spec, SuccessEnvelope};

use super::mention::Owner;

/// Resolves owners against one spec.
pub struct Scopes<'a> {
    spec: &'a Spec,
}

impl<'a> Scopes<'a> {
    /// Scopes for `spec`.
    pub fn new(spec: &'a Spec) -> Self {
        Scopes { spec }
    }

    /// The object types `owner` stands for (empty: unscoped).
    pub fn types(&self, owner: &Owner) -> BTreeSet<&'a str> {
        match owner {
            Owner::Key(key) => self.types_of_key(key),
            Owner::Table(title) => title
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .flat_map(|w| {
                    let mut set = BTreeSet::new();
                    if let Some((name, _)) = self.spec.types.get_key_value(w).filter(|(_, t)| t.fields.is_some()) {
                        set.insert(name.as_str());
                    } else {
                        set.extend(self.types_of_key(w));
                    }
                    set
                })
                .collect(),
        }
    }

    /// Object types of the fields named `key` (or wrapped as `key`).
    fn types_of_key(&self, key: &str) -> BTreeSet<&'a str> {
        let mut out = BTreeSet::new();
        for t in self.spec.types.values() {
            for (name, f) in t.fields.iter().flatten() {
                if name == key || f.wrapper.as_deref() == Some(key) {
                    out.extend(self.object(&f.ty));
                }
            }
        }
        if key == "data" && self.spec.service.success_envelope == SuccessEnvelope::Zilliz {
            for op in self.spec.operations.values() {
                out.extend(op.response.ty.as_deref().and_then(|t| self.object(t)));
            }
        }
        out
    }

    /// The named object type inside a type expression (`array<BackupResp>`).
    fn object(&self, expr: &str) -> Option<&'a str> {
        let mut inner = expr.trim();
        while let Some(rest) = inner.strip_prefix("array<").or_else(|| inner.strip_prefix("map<")) {
            inner = rest.strip_suffix('>').unwrap_or(rest).trim();
        }
        self.spec
            .types
            .get_key_value(inner)
            .filter(|(_, t)| t.fields.is_some())
            .map(|(k, _)| k.as_str())
    }

    /// Whether `ty` has a field `name`.
    pub fn has_field(&self, ty: &str, name: &str) -> bool {
        self.spec
            .types
            .get(ty)
            .and_then(|t| t.fields.as_ref())
            .is_some_and(|f| f.contains_key(name))
    }

    /// Whether `key` is the list wrapper of a field named `parent`
    /// (`"Snapshots": {"Snapshot": [...]}`).
    pub fn is_wrapper(&self, parent: &str, key: &str) -> bool {
        self.spec
            .types
            .values()
            .flat_map(|t| t.fields.iter().flatten())
            .any(|(name, f)| name == parent && f.wrapper.as_deref() == Some(key))
    }
}
