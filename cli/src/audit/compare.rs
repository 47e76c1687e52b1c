//! Compare the document's mentions with the spec's names, and find the
//! erratum or addition that explains each difference.
//!
//! Names are compared byte for byte, per kind and per usage (a name the
//! document lists as a request parameter must be a request parameter of
//! the spec, or a field of a request body; one it lists as a response field
//! must be a field of a response type; see [`Usage`]) over the whole
//! service; then each name the document ties to an object (a titled table, a JSON member;
//! see [`super::scope`]) is checked against that spec type too, in both
//! directions.
//!
//! How an erratum explains a difference:
//! - a name the spec lacks: the erratum cites it in backticks in its
//!   `document` or `resolution` text (`` `X-Auth-Token` ``, `` `<Snapshot>` ``,
//!   `` `"Snapshots": {` ``);
//! - a name the spec has, but used another way (a response field the
//!   document also lists as a request parameter): as for a name the spec
//!   lacks;
//! - a name the spec has in another type than the document: the erratum's
//!   `at` is that type (or below it) and its text names it as a word;
//! - a name the document lacks: the erratum's `at` is the name's own YAML
//!   path, or the path of the type or operation that holds it (at least
//!   `types.X` or `operations.Y`) and its text names it as a word.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use cloudsnap_codegen::spec::{Erratum, ErratumKind, Spec};

use super::mention::{Kind, Mention, Owner, Usage};
use super::scope::Scopes;
use super::spec_names::SpecName;

/// The erratum that explains a difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Index in the spec's `errata` list.
    pub index: usize,
    /// `erratum` or `addition`.
    pub kind: &'static str,
    /// The erratum's `at`.
    pub at: String,
}

/// Where the document mentions a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    /// 1-based document line.
    pub line: usize,
    /// Table title, "JSON example", "request path", ...
    pub context: String,
}

/// A name the document mentions and the spec lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocOnly {
    /// What it is.
    pub kind: Kind,
    /// The name as the document writes it.
    pub name: String,
    /// Every place it is mentioned, in document order.
    pub seen: Vec<Seen>,
    /// Set when the spec has the name in another type than the one the
    /// document puts it in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The erratum that explains it, if any.
    pub explained_by: Option<Explanation>,
}

/// A name the spec has and the document never mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecOnly {
    /// What it is.
    pub kind: Kind,
    /// The name in the spec.
    pub name: String,
    /// YAML path of the node.
    pub path: String,
    /// 1-based line in the spec.
    pub line: Option<usize>,
    /// Set when the document mentions the name, but never in this type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The erratum that explains it, if any.
    pub explained_by: Option<Explanation>,
}

/// Both directions of the comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Differences {
    /// In the document, missing from the spec.
    pub missing_from_spec: Vec<DocOnly>,
    /// In the spec, missing from the document.
    pub missing_from_document: Vec<SpecOnly>,
}

/// Why a name the document has counts as missing from the spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Missing<'a> {
    /// The spec does not have it at all.
    Everywhere,
    /// The spec has it, but not used this way (only as a response field,
    /// say, where the document lists a request parameter).
    AsUsed(Usage),
    /// The spec has it, but not in these types.
    InTypes(Vec<&'a str>),
}

/// A name the document has: kind, name, and why it is missing.
type DocKey<'a> = (Kind, &'a str, Missing<'a>);

/// Compare. `implied` names count as present in the spec where envelopes
/// and headers can be (see [`super::spec_names::implied`]).
pub fn compare(spec: &Spec, mentions: &[Mention], names: &[SpecName], implied: &[&str]) -> Differences {
    let scopes = Scopes::new(spec);
    let in_spec: HashSet<(Kind, &str, Usage)> = names.iter().map(|n| (n.kind, n.name.as_str(), n.usage)).collect();
    let spec_has = |kind: Kind, name: &str, usage: Usage| {
        [Usage::Unknown, Usage::Request, Usage::Response]
            .into_iter()
            .any(|u| usage.matches(u) && in_spec.contains(&(kind, name, u)))
    };
    // Keys directly under a `map<...>` field are data (index names, shard
    // numbers), not field names.
    let map_fields: HashSet<&str> = spec
        .types
        .values()
        .flat_map(|t| t.fields.iter().flatten())
        .filter(|(_, f)| f.ty.trim_start().starts_with("map<"))
        .map(|(name, _)| name.as_str())
        .collect();

    // (kind, name, scope) -> where; scope is set when the spec has the name,
    // but not in the type(s) the document puts it in.
    let mut doc_only: BTreeMap<DocKey, Vec<Seen>> = BTreeMap::new();
    let mut in_doc: HashSet<(Kind, &str, Usage)> = HashSet::new();
    // (type, field) pairs the document shows, and the types it shows at all.
    let mut bound: HashSet<(&str, &str)> = HashSet::new();
    let mut covered: HashSet<&str> = HashSet::new();
    for m in mentions {
        let key = match &m.owner {
            Some(Owner::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        if m.kind == Kind::Name && key.is_some_and(|p| map_fields.contains(p)) {
            continue;
        }
        in_doc.insert((m.kind, m.name.as_str(), m.usage));
        if m.kind == Kind::ExampleValue {
            continue;
        }
        let seen = Seen {
            line: m.line,
            context: m.context.clone(),
        };
        // Envelope members and auth headers sit at the top of a body (or
        // in its `error` object) or in a header table, never deeper, so a
        // nested `code` or `message` field still has to be in the spec.
        let top_level = key.is_none_or(|k| k == "error");
        let is_implied = m.kind == Kind::Name && top_level && implied.iter().any(|i| i.eq_ignore_ascii_case(&m.name));
        if is_implied {
            continue;
        }
        if !spec_has(m.kind, &m.name, Usage::Unknown) {
            doc_only
                .entry((m.kind, m.name.as_str(), Missing::Everywhere))
                .or_default()
                .push(seen);
            continue;
        }
        if !spec_has(m.kind, &m.name, m.usage) {
            doc_only
                .entry((m.kind, m.name.as_str(), Missing::AsUsed(m.usage)))
                .or_default()
                .push(seen);
            continue;
        }
        let types = match (&m.owner, m.kind) {
            (Some(owner), Kind::Name) => scopes.types(owner),
            _ => Default::default(),
        };
        for t in &types {
            bound.insert((t, m.name.as_str()));
        }
        // Only an owner that stands for one type shows which fields that
        // type has; `"snapshots"` in two outputs shows neither's.
        if let [t] = types.iter().copied().collect::<Vec<_>>()[..] {
            covered.insert(t);
        }
        let wrapper = key.is_some_and(|p| scopes.is_wrapper(p, &m.name));
        let misplaced = !types.is_empty() && !types.iter().any(|t| scopes.has_field(t, &m.name)) && !wrapper;
        if misplaced {
            let scope = types.into_iter().collect();
            doc_only
                .entry((m.kind, m.name.as_str(), Missing::InTypes(scope)))
                .or_default()
                .push(seen);
        }
    }

    let mut missing_from_spec: Vec<DocOnly> = doc_only
        .into_iter()
        .map(|((kind, name, scope), mut seen)| {
            seen.sort_by_key(|s| s.line);
            seen.dedup();
            let explained_by = match &scope {
                Missing::Everywhere | Missing::AsUsed(_) => explain_doc_only(&spec.errata, name),
                Missing::InTypes(types) => explain_misplaced(&spec.errata, types, name),
            };
            let note = match scope {
                Missing::Everywhere => None,
                Missing::AsUsed(usage) => Some(format!("the spec has it, but not as a {}", usage.label())),
                Missing::InTypes(t) => Some(format!("the spec has it, but not in {}", t.join(" or "))),
            };
            DocOnly {
                kind,
                name: name.to_owned(),
                seen,
                note,
                explained_by,
            }
        })
        .collect();
    missing_from_spec.sort_by_key(|d| d.seen.first().map(|s| s.line));

    let mut missing_from_document = Vec::new();
    for n in names {
        // Usages of the name in the document that can be this spec name.
        let doc_usages = |kind: Kind, strict: bool| {
            [Usage::Unknown, Usage::Request, Usage::Response]
                .into_iter()
                .filter(|u| (!strict || n.usage.matches(*u)) && in_doc.contains(&(kind, n.name.as_str(), *u)))
                .collect::<Vec<_>>()
        };
        let has = |strict: bool| {
            !doc_usages(n.kind, strict).is_empty()
                || n.kind == Kind::EnumValue && !doc_usages(Kind::ExampleValue, strict).is_empty()
        };
        let (found, found_any) = (has(true), has(false));
        let note = match field_owner(&n.path) {
            Some(ty) if found_any && covered.contains(ty) && !bound.contains(&(ty, n.name.as_str())) => Some(format!(
                "the document mentions it, but never in {ty}'s table or examples"
            )),
            _ if found_any && !found => {
                let used: Vec<&str> = doc_usages(n.kind, false).iter().map(|u| u.label()).collect();
                Some(format!("the document mentions it, but only as a {}", used.join(" or ")))
            }
            _ => None,
        };
        if !found || note.is_some() {
            missing_from_document.push(SpecOnly {
                kind: n.kind,
                name: n.name.clone(),
                path: n.path.clone(),
                line: n.line,
                note,
                explained_by: explain_spec_only(&spec.errata, &n.path, &n.name),
            });
        }
    }
    Differences {
        missing_from_spec,
        missing_from_document,
    }
}

/// `Type` of a field path `types.Type.fields.name` (not of its wrapper).
fn field_owner(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("types.")?;
    let (ty, field) = rest.split_once(".fields.")?;
    (!field.contains('.')).then_some(ty)
}

fn explanation(index: usize, e: &Erratum) -> Explanation {
    let kind = match e.kind {
        ErratumKind::Erratum => "erratum",
        ErratumKind::Addition => "addition",
    };
    Explanation {
        index,
        kind,
        at: e.at.clone(),
    }
}

fn explain_doc_only(errata: &[Erratum], name: &str) -> Option<Explanation> {
    errata
        .iter()
        .enumerate()
        .find(|(_, e)| {
            [&e.document, &e.resolution]
                .iter()
                .any(|t| cited(t).iter().any(|c| c == name))
        })
        .map(|(i, e)| explanation(i, e))
}

fn explain_misplaced(errata: &[Erratum], types: &[&str], name: &str) -> Option<Explanation> {
    errata
        .iter()
        .enumerate()
        .find(|(_, e)| {
            let under = types.iter().any(|t| {
                let at = format!("types.{t}");
                e.at == at || e.at.strip_prefix(&at).is_some_and(|rest| rest.starts_with(['.', '[']))
            });
            under && (has_word(&e.document, name) || has_word(&e.resolution, name))
        })
        .map(|(i, e)| explanation(i, e))
}

fn explain_spec_only(errata: &[Erratum], path: &str, name: &str) -> Option<Explanation> {
    let exact = errata.iter().enumerate().find(|(_, e)| e.at == path);
    let owner = || {
        errata.iter().enumerate().find(|(_, e)| {
            let at = e.at.as_str();
            let below = path.strip_prefix(at).is_some_and(|rest| rest.starts_with(['.', '[']));
            below && at.contains('.') && (has_word(&e.document, name) || has_word(&e.resolution, name))
        })
    };
    exact.or_else(owner).map(|(i, e)| explanation(i, e))
}

/// Names an erratum text cites in backticks: each span with `<>`, `{}` or
/// `${}` around it removed, and every `"key"` quoted inside a span.
pub fn cited(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (k, span) in text.split('`').enumerate() {
        if k % 2 == 0 {
            continue;
        }
        let s = span.trim();
        let bare = s
            .strip_prefix("${")
            .and_then(|r| r.strip_suffix('}'))
            .or_else(|| s.strip_prefix('<').and_then(|r| r.strip_suffix('>')))
            .or_else(|| s.strip_prefix('{').and_then(|r| r.strip_suffix('}')))
            .unwrap_or(s);
        out.push(bare.to_owned());
        for (q, quoted) in s.split('"').enumerate() {
            if q % 2 == 1 && !quoted.is_empty() {
                out.push(quoted.to_owned());
            }
        }
    }
    out
}

/// Whether `text` contains `word` with no identifier character on either side.
fn has_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cited_strips_placeholders_and_finds_quoted_keys() {
        let c = cited("written `<Snapshot>` and `${BASE_URL}`; opens with `\"Snapshots\": {`");
        assert!(c.contains(&"Snapshot".to_owned()));
        assert!(c.contains(&"BASE_URL".to_owned()));
        assert!(c.contains(&"Snapshots".to_owned()));
        assert!(!c.contains(&"written".to_owned()));
    }

    #[test]
    fn words_need_boundaries() {
        assert!(has_word("INIT, STARTED and FAILED", "FAILED"));
        assert!(!has_word("SUCCESS_FAILED", "FAILED"));
        assert!(!has_word("shard_id", "shard"));
    }
}
