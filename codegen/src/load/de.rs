//! The typed raw spec read from the parsed [`Tree`], so that a spec is
//! scanned once instead of once for positions and once by serde_yaml.
//!
//! This reader is the fast path of a valid spec only. It accepts exactly
//! what serde_yaml 0.9 accepts, with the same values: plain scalars are
//! resolved by the YAML 1.2 core schema (<https://yaml.org/spec/1.2.2/#1032-tag-resolution>)
//! with serde_yaml's deviations (a leading zero makes digits a string;
//! `0b` binary and signed hex/octal integers; only finite floats), quoted and
//! block scalars are strings, and an empty plain scalar is null, or an empty
//! sequence or mapping where one is expected. When it fails, for whatever
//! reason, [`super::load_str`] reads the text again with serde_yaml, whose
//! error (and the shape pass) is what the user sees: the messages of this
//! module are never shown, so it may refuse anything it is unsure of.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::tree::{Kind, NodeId, Tree};

/// Why the tree could not be read as the requested type.
#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// serde_yaml refuses deeper nesting with "recursion limit exceeded"; so
/// does this reader, which also keeps a hostile file from exhausting the
/// stack.
const MAX_DEPTH: usize = 128;

/// Deserialize `T` from the whole document.
pub(crate) fn from_tree<'a, T: de::Deserialize<'a>>(tree: &'a Tree) -> Result<T, Error> {
    let root = tree.root.ok_or_else(|| Error("empty document".to_owned()))?;
    T::deserialize(NodeDe {
        tree,
        id: root,
        depth: 0,
    })
}

/// One node as a serde deserializer.
#[derive(Clone, Copy)]
struct NodeDe<'a> {
    tree: &'a Tree,
    id: NodeId,
    depth: usize,
}

/// A plain scalar's meaning under the core schema (as serde_yaml reads it).
enum Resolved {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str,
    /// An integer beyond 64 bits: serde_yaml reads it as a 128-bit one,
    /// which this reader leaves to serde_yaml.
    Unsure,
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn boolean(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Digits with a leading zero (`007`, `-01`): a string, not an octal or
/// decimal number, in YAML 1.2.
fn zero_padded(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `0x`, `0o` or `0b` followed by digits of that radix (no sign after the
/// prefix), as magnitude digits and radix.
fn radix_digits(s: &str) -> Option<(&str, u32)> {
    let (digits, radix) = if let Some(d) = s.strip_prefix("0x") {
        (d, 16)
    } else if let Some(d) = s.strip_prefix("0o") {
        (d, 8)
    } else if let Some(d) = s.strip_prefix("0b") {
        (d, 2)
    } else {
        return None;
    };
    let valid = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
    valid.then_some((digits, radix))
}

/// A non-negative integer: `+` allowed once, prefixed radixes, decimal
/// without padding.
fn unsigned(s: &str) -> Option<u64> {
    let magnitude = s.strip_prefix('+').unwrap_or(s);
    if let Some((digits, radix)) = radix_digits(magnitude) {
        return u64::from_str_radix(digits, radix).ok();
    }
    let decimal = !magnitude.is_empty() && magnitude.bytes().all(|b| b.is_ascii_digit());
    if !decimal || zero_padded(s) {
        return None;
    }
    magnitude.parse().ok()
}

/// A signed integer, either sign allowed once.
fn signed(s: &str) -> Option<i64> {
    let (negative, magnitude) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let value: i128 = if let Some((digits, radix)) = radix_digits(magnitude) {
        i128::from(u64::from_str_radix(digits, radix).ok()?)
    } else {
        let decimal = !magnitude.is_empty() && magnitude.bytes().all(|b| b.is_ascii_digit());
        if !decimal || zero_padded(s) {
            return None;
        }
        i128::from(magnitude.parse::<u64>().ok()?)
    };
    i64::try_from(if negative { -value } else { value }).ok()
}

/// A finite float, or one of the core schema's infinities and NaN.
fn float(s: &str) -> Option<f64> {
    let unsigned = match s.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => s,
    };
    match unsigned {
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    if matches!(s, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    // Rust's float syntax also reads `inf` and `NaN`, which YAML does not:
    // only finite results count.
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

fn resolve(s: &str) -> Resolved {
    if is_null(s) {
        return Resolved::Null;
    }
    if let Some(b) = boolean(s) {
        return Resolved::Bool(b);
    }
    if let Some(u) = unsigned(s) {
        return Resolved::Unsigned(u);
    }
    if s.starts_with('-') {
        if let Some(i) = signed(s) {
            return Resolved::Signed(i);
        }
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits = !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit());
    if (digits && !zero_padded(s)) || radix_digits(body).is_some() {
        return Resolved::Unsure;
    }
    if !zero_padded(s) {
        if let Some(f) = float(s) {
            return Resolved::Float(f);
        }
    }
    Resolved::Str
}

impl<'a> NodeDe<'a> {
    fn child(self, id: NodeId) -> Result<Self, Error> {
        if self.depth >= MAX_DEPTH {
            return Err(Error("recursion limit exceeded".to_owned()));
        }
        Ok(NodeDe {
            tree: self.tree,
            id,
            depth: self.depth + 1,
        })
    }

    fn kind(self) -> &'a Kind {
        &self.tree.nodes[self.id].kind
    }

    /// The text of a plain scalar (`None` for anything else).
    fn plain(self) -> Option<&'a str> {
        match self.kind() {
            Kind::Scalar { value, plain: true } => Some(value),
            _ => None,
        }
    }

    fn is_empty_plain(self) -> bool {
        self.plain().is_some_and(str::is_empty)
    }

    fn mismatch(self, expected: &str) -> Error {
        Error(format!("expected {expected}"))
    }

    fn visit_seq<V: Visitor<'a>>(self, items: &'a [NodeId], visitor: V) -> Result<V::Value, Error> {
        let mut access = Items {
            de: self,
            items: items.iter(),
        };
        let value = visitor.visit_seq(&mut access)?;
        if access.items.len() != 0 {
            return Err(Error("sequence has more items than expected".to_owned()));
        }
        Ok(value)
    }

    fn visit_map<V: Visitor<'a>>(self, entries: &'a [(NodeId, NodeId)], visitor: V) -> Result<V::Value, Error> {
        let mut access = Entries {
            de: self,
            entries: entries.iter(),
            value: None,
        };
        let value = visitor.visit_map(&mut access)?;
        if access.entries.len() != 0 {
            return Err(Error("mapping has more entries than expected".to_owned()));
        }
        Ok(value)
    }
}

impl<'a> de::Deserializer<'a> for NodeDe<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Scalar { value, plain: false } => visitor.visit_borrowed_str(value),
            Kind::Scalar { value, plain: true } => match resolve(value) {
                Resolved::Null => visitor.visit_unit(),
                Resolved::Bool(b) => visitor.visit_bool(b),
                Resolved::Unsigned(u) => visitor.visit_u64(u),
                Resolved::Signed(i) => visitor.visit_i64(i),
                Resolved::Float(f) => visitor.visit_f64(f),
                Resolved::Str => visitor.visit_borrowed_str(value),
                Resolved::Unsure => Err(self.mismatch("an integer of at most 64 bits")),
            },
            Kind::Seq(items) => self.visit_seq(items, visitor),
            Kind::Map(entries) => self.visit_map(entries, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain().and_then(boolean) {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.mismatch("a boolean")),
        }
    }

    fn deserialize_i8<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain().and_then(signed) {
            Some(i) => visitor.visit_i64(i),
            None => Err(self.mismatch("an integer")),
        }
    }

    fn deserialize_u8<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain().and_then(unsigned) {
            Some(u) => visitor.visit_u64(u),
            None => Err(self.mismatch("an unsigned integer")),
        }
    }

    fn deserialize_f32<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain().and_then(float) {
            Some(f) => visitor.visit_f64(f),
            None => Err(self.mismatch("a float")),
        }
    }

    fn deserialize_char<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Scalar { value, .. } => visitor.visit_borrowed_str(value),
            _ => Err(self.mismatch("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(self.mismatch("no bytes (YAML has none)"))
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(self.mismatch("no bytes (YAML has none)"))
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain() {
            Some(s) if is_null(s) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.plain() {
            Some(s) if is_null(s) => visitor.visit_unit(),
            _ => Err(self.mismatch("null")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Seq(items) => self.visit_seq(items, visitor),
            _ if self.is_empty_plain() => self.visit_seq(&[], visitor),
            _ => Err(self.mismatch("a sequence")),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Map(entries) => self.visit_map(entries, visitor),
            _ if self.is_empty_plain() => self.visit_map(&[], visitor),
            _ => Err(self.mismatch("a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // A unit variant spelled as a scalar; serde_yaml reads other
        // variants only from tagged nodes, which never reach this reader.
        match self.kind() {
            Kind::Scalar { value, .. } => visitor.visit_enum(value.as_str().into_deserializer()),
            _ => Err(self.mismatch("a unit variant")),
        }
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// A sequence's items, in order.
struct Items<'a> {
    de: NodeDe<'a>,
    items: std::slice::Iter<'a, NodeId>,
}

impl<'a> de::SeqAccess<'a> for Items<'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(&id) => seed.deserialize(self.de.child(id)?).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A mapping's entries, in document order (duplicates included: serde's
/// derived structs refuse a duplicate field, as with serde_yaml).
struct Entries<'a> {
    de: NodeDe<'a>,
    entries: std::slice::Iter<'a, (NodeId, NodeId)>,
    value: Option<NodeId>,
}

impl<'a> de::MapAccess<'a> for Entries<'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some(&(key, value)) => {
                self.value = Some(value);
                seed.deserialize(self.de.child(key)?).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let id = self
            .value
            .take()
            .ok_or_else(|| Error("a mapping value was read before its key".to_owned()))?;
        seed.deserialize(self.de.child(id)?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The reader against serde_yaml: whatever it accepts, serde_yaml accepts
/// with the same value, on every spec in the repository and on scalars
/// chosen to sit at the edges of the core schema.
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fmt::Debug;
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;
    use serde::de::DeserializeOwned;

    use super::super::tree;
    use crate::spec::Spec;

    /// `Ok(Debug form)` from the tree reader, or `None` if it refused (or
    /// the document is one it leaves to serde_yaml).
    fn fast<T: DeserializeOwned + Debug>(text: &str) -> Option<String> {
        let (tree, _) = tree::parse(text).ok()?;
        // What `load_str` refuses before it reads the typed spec.
        let second = super::super::second_document(Path::new("t.yaml"), text).is_some();
        if tree.exotic || text.contains('\t') || second {
            return None;
        }
        super::from_tree::<T>(&tree).ok().map(|v| format!("{v:?}"))
    }

    fn slow<T: DeserializeOwned + Debug>(text: &str) -> Result<String, String> {
        serde_yaml::from_str::<T>(text)
            .map(|v| format!("{v:?}"))
            .map_err(|e| e.to_string())
    }

    /// The property: an accepted document reads as serde_yaml reads it.
    fn agrees<T: DeserializeOwned + Debug>(text: &str) -> Result<(), String> {
        match (fast::<T>(text), slow::<T>(text)) {
            (Some(f), Ok(s)) if f == s => Ok(()),
            (Some(f), Ok(s)) => Err(format!("tree reads {f}, serde_yaml {s}\n{text}")),
            (Some(f), Err(e)) => Err(format!("tree reads {f}, serde_yaml refuses: {e}\n{text}")),
            (None, _) => Ok(()),
        }
    }

    fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                yaml_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_spec_in_the_repository_reads_as_serde_yaml_reads_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["../specs", "tests", "../cli/tests"] {
            yaml_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 100, "found only {} spec files", files.len());
        let mut fast_valid = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            if let Err(e) = agrees::<Spec>(&text) {
                panic!("{}: {e}", f.display());
            }
            fast_valid += usize::from(fast::<Spec>(&text).is_some());
            // A valid spec without anchors, tags or tabs takes the fast path.
            let plain = tree::parse(&text).is_ok_and(|(t, _)| !t.exotic) && !text.contains('\t');
            if plain && slow::<Spec>(&text).is_ok() {
                assert!(
                    fast::<Spec>(&text).is_some(),
                    "{}: the tree reader refuses a valid spec",
                    f.display()
                );
            }
        }
        assert!(fast_valid > 10, "only {fast_valid} specs took the fast path");
    }

    /// Scalars at the edges of null, booleans, integers of every radix and
    /// sign, floats, padding and overflow, in every place a spec has them.
    const EDGES: &[&str] = &[
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "true",
        "True",
        "TRUE",
        "tRUE",
        "false",
        "yes",
        "no",
        "on",
        "0",
        "-0",
        "+0",
        "00",
        "007",
        "-007",
        "+007",
        "12",
        "+12",
        "-12",
        "++1",
        "+-1",
        "-+1",
        "1_000",
        "0x1F",
        "0X1F",
        "-0x1F",
        "+0x1F",
        "0x",
        "0x-1",
        "0o17",
        "-0o17",
        "0o8",
        "0b101",
        "-0b101",
        "0b2",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "9223372036854775807",
        "9223372036854775808",
        "0xFFFFFFFFFFFFFFFF",
        "0x10000000000000000",
        "1.5",
        "-1.5",
        "+1.5",
        ".5",
        "5.",
        "1e3",
        "1E-3",
        "1e",
        "e3",
        ".inf",
        "-.inf",
        "+.inf",
        ".Inf",
        ".nan",
        ".NaN",
        "+.nan",
        "inf",
        "nan",
        "NaN",
        "infinity",
        "1e999",
        "-1e999",
        "0.0",
        "-0.0",
        "1.5.2",
        "2019-05-10",
        "12:30",
        "'quoted'",
        "\"007\"",
        "\"true\"",
        "'~'",
        "\"\"",
        "a b",
        "[]",
        "{}",
        "[1, x]",
        "{a: 1}",
        "|\n  block\n",
        ">\n  folded\n",
    ];

    fn check_all(s: &str) -> Result<(), String> {
        let doc = format!("v: {s}\n");
        agrees::<BTreeMap<String, serde_json::Value>>(&doc)?;
        agrees::<BTreeMap<String, Option<String>>>(&doc)?;
        agrees::<BTreeMap<String, String>>(&doc)?;
        agrees::<BTreeMap<String, u16>>(&doc)?;
        agrees::<BTreeMap<String, u64>>(&doc)?;
        agrees::<BTreeMap<String, i64>>(&doc)?;
        agrees::<BTreeMap<String, i32>>(&doc)?;
        agrees::<BTreeMap<String, f64>>(&doc)?;
        agrees::<BTreeMap<String, bool>>(&doc)?;
        agrees::<BTreeMap<String, Option<u64>>>(&doc)?;
        agrees::<BTreeMap<String, Vec<String>>>(&doc)?;
        agrees::<BTreeMap<String, BTreeMap<String, String>>>(&doc)?;
        agrees::<BTreeMap<String, ()>>(&doc)?;
        // As a key, and as a list item.
        agrees::<BTreeMap<String, u8>>(&format!("{s}: 1\n"))?;
        agrees::<serde_json::Value>(&format!("{s}: 1\n"))?;
        agrees::<Vec<serde_json::Value>>(&format!("- {s}\n"))?;
        Ok(())
    }

    #[test]
    fn edge_scalars_read_as_serde_yaml_reads_them() {
        for s in EDGES {
            check_all(s).unwrap();
        }
    }

    proptest! {
        #[test]
        fn scalar_like_text_reads_as_serde_yaml_reads_it(s in "[-+0-9a-fA-FxobeE._~nulNaIiT ]{0,10}") {
            prop_assert_eq!(check_all(&s), Ok(()));
        }
    }
}
