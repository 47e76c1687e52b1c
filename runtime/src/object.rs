//! Deserializing generated object and request types from a JSON object:
//! the [`object_deserialize!`](crate::object_deserialize!) macro and the
//! generic visitor it fills in.
//!
//! serde's derive writes, for every struct, a field-identifier enum with
//! three visitors, a sequence visitor (JSON arrays read positionally) and a
//! map visitor with one local, one duplicate check and one missing-field
//! arm per field, plus a wrapper struct and impl for each field read
//! through a helper. That was half of all the code `cargo check` saw in a
//! generated client. Here the visitor is written once, generically; each
//! type states only its fields, and a field read through a helper names a
//! seed instead of getting an impl of its own.
//!
//! Behaviour matches the derive for every input the services send (the
//! differential tests below compare the two): unknown members are skipped,
//! a repeated member is a `duplicate field` error, a missing `Option` field
//! is `None` and any other missing field a `missing field` error. Only a
//! JSON array is no longer read as a struct: no service sends one, and
//! taking one positionally would put values in fields by accident.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A generated type that reads itself from the members of a JSON object.
/// Implemented by [`object_deserialize!`](crate::object_deserialize!);
/// not meant to be implemented by hand.
#[doc(hidden)]
pub trait FromFields: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// The wire names of its fields.
    const FIELDS: &'static [&'static str];

    /// Read the object's members from `map`.
    fn from_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `T::deserialize`: a JSON object (or `null` where `T` is optional, which
/// `Option`'s own impl handles), read through `T`'s field table.
pub fn deserialize<'de, T: FromFields, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor::<T>(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromFields> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_fields(map)
    }
}

/// A member name, borrowed from the input where the deserializer can lend
/// it (serde_json's `from_slice` for names without escapes), owned
/// otherwise.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }

    // Bytes are names too for serde's derive (formats other than JSON send
    // them); a name that is not UTF-8 matches no field and is skipped.
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Key<'de>, E> {
        Ok(Key(String::from_utf8_lossy(v).into_owned().into()))
    }
}

/// Read the value of member `name` into `slot` through `seed`; a member
/// that comes twice is an error, as with serde's derive.
pub fn put<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    slot: &mut Option<S::Value>,
    name: &'static str,
    seed: S,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value_seed(seed)?);
    Ok(())
}

/// Skip the value of a member the type does not know.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value read for field `name`, or, when the member never came, what
/// `T` makes of a missing value: `None` for an `Option`, a `missing field`
/// error for anything else (serde's derive does the same).
pub fn take<'de, T: Deserialize<'de>, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    match slot {
        Some(v) => Ok(v),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// A deserializer for a member that is not there: `Option` reads it as
/// `None`, every other type fails with `missing field`.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The `Deserialize` impl of a generated object or request type, from its
/// table of wire names and fields. The struct stays a plain item in the
/// generated code (its docs and derives are what users read); the call
/// after it lists each member as `"wire name" => field`, and a field read
/// through a helper adds how:
///
/// ```ignore
/// ::cloudsnap::runtime::object_deserialize!(Snapshot {
///     "id" => id,
///     "type" => r#type,
///     // a number or boolean also accepted as a string (`tolerant`)
///     "size" => size: lenient option,
///     // a list sent as `{"Tag": [...]}` (`wrapper`)
///     "Tags" => tags: wrapped "Tag",
/// });
/// ```
///
/// Lenient shapes are `scalar`, `option`, `vec` and `option_vec`, after the
/// readers of [`tolerant`](crate::tolerant).
#[macro_export]
#[doc(hidden)]
macro_rules! object_deserialize {
    ($name:ident { $($wire:literal => $field:ident $(: $how:ident $arg:tt)?),* $(,)? }) => {
        impl $crate::object::FromFields for $name {
            const NAME: &'static str = ::std::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];

            fn from_fields<'de, A: $crate::__private::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                while let ::std::option::Option::Some(key) = map.next_key::<$crate::object::Key<'de>>()? {
                    match key.as_str() {
                        $($wire => $crate::object::put(
                            &mut map,
                            &mut $field,
                            $wire,
                            $crate::object_deserialize!(@seed $($how $arg)?),
                        )?,)*
                        _ => $crate::object::skip(&mut map)?,
                    }
                }
                ::std::result::Result::Ok(Self {
                    $($field: $crate::object::take($field, $wire)?,)*
                })
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::object::deserialize(deserializer)
            }
        }
    };
    (@seed) => {
        ::std::marker::PhantomData
    };
    (@seed lenient $shape:ident) => {
        $crate::tolerant::Seed::$shape()
    };
    (@seed wrapped $key:literal) => {
        $crate::wrapper::Seed::new($key)
    };
}

/// Differential tests: each type is declared twice, once read by serde's
/// derive (with the attributes generated code used to carry) and once by
/// `object_deserialize!`, and every input must give the same value or an
/// error with the same message. Arrays are the one intended difference.
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::Value;

    /// `Inner` both ways.
    #[derive(Debug, PartialEq, Deserialize)]
    struct DerivedInner {
        id: String,
        size: Option<i64>,
    }

    #[derive(Debug, PartialEq)]
    struct Inner {
        id: String,
        size: Option<i64>,
    }
    crate::object_deserialize!(Inner { "id" => id, "size" => size });

    /// Every kind of member: required, optional, renamed, keyword and
    /// macro-local names, nested, nullable JSON, maps, lenient and wrapped.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Derived {
        name: String,
        #[serde(rename = "Count")]
        count: Option<i32>,
        r#type: Option<String>,
        map: Option<String>,
        key: Option<bool>,
        inner: Option<DerivedInner>,
        items: Option<Vec<DerivedInner>>,
        labels: Option<BTreeMap<String, String>>,
        extra: Option<Value>,
        raw: Value,
        #[serde(default, deserialize_with = "crate::tolerant::option")]
        lenient: Option<i64>,
        #[serde(deserialize_with = "crate::tolerant::scalar")]
        strict_lenient: bool,
        #[serde(default, deserialize_with = "crate::tolerant::option_vec")]
        lenient_list: Option<Vec<String>>,
        #[serde(default, deserialize_with = "wrapped")]
        tags: Option<Vec<String>>,
    }

    fn wrapped<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
        crate::wrapper::deserialize("Tag", d)
    }

    #[derive(Debug, PartialEq)]
    struct Macro {
        name: String,
        count: Option<i32>,
        r#type: Option<String>,
        map: Option<String>,
        key: Option<bool>,
        inner: Option<Inner>,
        items: Option<Vec<Inner>>,
        labels: Option<BTreeMap<String, String>>,
        extra: Option<Value>,
        raw: Value,
        lenient: Option<i64>,
        strict_lenient: bool,
        lenient_list: Option<Vec<String>>,
        tags: Option<Vec<String>>,
    }
    crate::object_deserialize!(Macro {
        "name" => name,
        "Count" => count,
        "type" => r#type,
        "map" => map,
        "key" => key,
        "inner" => inner,
        "items" => items,
        "labels" => labels,
        "extra" => extra,
        "raw" => raw,
        "lenient" => lenient: lenient option,
        "strict_lenient" => strict_lenient: lenient scalar,
        "lenient_list" => lenient_list: lenient option_vec,
        "tags" => tags: wrapped "Tag",
    });

    /// No fields at all.
    #[derive(Debug, PartialEq, Deserialize)]
    struct DerivedEmpty {}

    #[derive(Debug, PartialEq)]
    struct Empty {}
    crate::object_deserialize!(Empty {});

    /// The same fields, in the same order, whichever way they were read.
    fn same(d: &Derived, m: &Macro) -> bool {
        let inner = |d: &DerivedInner, m: &Inner| d.id == m.id && d.size == m.size;
        d.name == m.name
            && d.count == m.count
            && d.r#type == m.r#type
            && d.map == m.map
            && d.key == m.key
            && match (&d.inner, &m.inner) {
                (Some(a), Some(b)) => inner(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && match (&d.items, &m.items) {
                (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| inner(a, b)),
                (a, b) => a.is_none() && b.is_none(),
            }
            && d.labels == m.labels
            && d.extra == m.extra
            && d.raw == m.raw
            && d.lenient == m.lenient
            && d.strict_lenient == m.strict_lenient
            && d.lenient_list == m.lenient_list
            && d.tags == m.tags
    }

    const BASE: &str = r#""name": "n", "raw": 1, "strict_lenient": true"#;

    fn inputs() -> Vec<String> {
        let with = |extra: &str| format!("{{{BASE}, {extra}}}");
        let mut v = vec![
            format!("{{{BASE}}}"),
            "{}".to_owned(),
            r#"{"raw": 1, "strict_lenient": true}"#.to_owned(),
            r#"{"name": "n", "strict_lenient": true}"#.to_owned(),
            r#"{"name": "n", "raw": null, "strict_lenient": true}"#.to_owned(),
            r#"{"name": "n", "raw": 1}"#.to_owned(),
            r#"{"name": null, "raw": 1, "strict_lenient": true}"#.to_owned(),
            r#"{"name": 5, "raw": 1, "strict_lenient": true}"#.to_owned(),
            r#"{"n\u0061me": "escaped key", "raw": 1, "strict_lenient": "true"}"#.to_owned(),
            "null".to_owned(),
            "\"text\"".to_owned(),
            "42".to_owned(),
        ];
        for extra in [
            r#""Count": 3"#,
            r#""Count": null"#,
            r#""Count": "3""#,
            r#""count": 3"#,
            r#""Count": 1, "Count": 2"#,
            r#""name": "again""#,
            r#""type": "t", "map": "m", "key": false"#,
            r#""inner": {"id": "i", "size": 2, "unknown": [1, {"a": null}]}"#,
            r#""inner": {"size": 2}"#,
            r#""inner": null"#,
            r#""inner": {"id": "i", "id": "j"}"#,
            r#""items": [{"id": "a"}, {"id": "b", "size": null}]"#,
            r#""items": [{"id": "a"}, 3]"#,
            r#""labels": {"a": "b", "c": "d"}"#,
            r#""labels": {"a": 1}"#,
            r#""extra": {"any": ["thing"]}"#,
            r#""extra": null"#,
            r#""lenient": "17""#,
            r#""lenient": """#,
            r#""lenient": "x""#,
            r#""lenient": null, "lenient_list": [1, true, "s"]"#,
            r#""lenient_list": null"#,
            r#""tags": {"Tag": ["a", "b"], "Other": 1}"#,
            r#""tags": {"Tag": null}"#,
            r#""tags": null"#,
            r#""tags": ["a"]"#,
            r#""unknown": {"deep": [1, 2, {"x": "y"}]}, "other": null"#,
            r#""tags": {"Tag": ["a"]}, "tags": null"#,
        ] {
            v.push(with(extra));
        }
        v
    }

    #[test]
    fn reads_what_serdes_derive_reads() {
        for input in inputs() {
            let derived = serde_json::from_str::<Derived>(&input);
            let by_macro = serde_json::from_str::<Macro>(&input);
            match (&derived, &by_macro) {
                (Ok(d), Ok(m)) => assert!(same(d, m), "{input}: {d:?} vs {m:?}"),
                (Err(d), Err(m)) => {
                    // The derived types' names differ.
                    let d = d
                        .to_string()
                        .replace("struct DerivedInner", "struct Inner")
                        .replace("struct Derived", "struct Macro");
                    assert_eq!(d, m.to_string(), "{input}");
                }
                _ => panic!("{input}: {derived:?} vs {by_macro:?}"),
            }
            // The same through a `Value`, as the dynamic catalog reads
            // requests (owned keys), and through `&Value` (borrowed ones).
            if let Ok(value) = serde_json::from_str::<Value>(&input) {
                let derived = Derived::deserialize(&value).map_err(|e| e.to_string());
                let by_macro = Macro::deserialize(&value).map_err(|e| e.to_string());
                assert_eq!(derived.is_ok(), by_macro.is_ok(), "{input}");
                let owned = serde_json::from_value::<Macro>(value).map_err(|e| e.to_string());
                assert_eq!(owned.is_ok(), by_macro.is_ok(), "{input}");
            }
        }
    }

    #[test]
    fn an_empty_table_reads_any_object() {
        for input in ["{}", r#"{"a": 1, "b": [null]}"#] {
            assert_eq!(serde_json::from_str::<Empty>(input).unwrap(), Empty {});
            assert_eq!(serde_json::from_str::<DerivedEmpty>(input).unwrap(), DerivedEmpty {});
        }
        assert!(serde_json::from_str::<Empty>("3").is_err());
    }

    #[test]
    fn arrays_are_not_read_positionally() {
        let err = serde_json::from_str::<Inner>(r#"["i", 2]"#).unwrap_err().to_string();
        assert!(err.contains("invalid type: sequence, expected struct Inner"), "{err}");
        // serde's derive did read it, which is what the table stops.
        assert!(serde_json::from_str::<DerivedInner>(r#"["i", 2]"#).is_ok());
    }

    #[test]
    fn errors_name_the_member_and_the_type() {
        let missing = serde_json::from_str::<Inner>("{}").unwrap_err().to_string();
        assert!(missing.starts_with("missing field `id`"), "{missing}");
        let twice = serde_json::from_str::<Inner>(r#"{"id": "a", "id": "b"}"#)
            .unwrap_err()
            .to_string();
        assert!(twice.starts_with("duplicate field `id`"), "{twice}");
        let kind = serde_json::from_str::<Inner>("true").unwrap_err().to_string();
        assert!(
            kind.starts_with("invalid type: boolean `true`, expected struct Inner"),
            "{kind}"
        );
        let nested = serde_json::from_str::<Macro>(&format!("{{{BASE}, \"inner\": {{\"id\": 1}}}}"))
            .unwrap_err()
            .to_string();
        assert!(
            nested.starts_with("invalid type: integer `1`, expected a string"),
            "{nested}"
        );
    }
}
