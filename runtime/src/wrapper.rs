//! Alibaba list wrappers: a list that travels as `{"Snapshot": [...]}`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Serialize `Some(items)` as `{key: items}`.
pub fn serialize<T: Serialize, S: Serializer>(
    key: &str,
    items: &Option<Vec<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match items {
        None => serializer.serialize_none(),
        Some(items) => {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(key, items)?;
            map.end()
        }
    }
}

/// Deserialize `{key: [...]}` (or `null`) into the list. Other members are
/// ignored; a wrapper without `key`, or with `key: null`, is an empty list.
pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    key: &'static str,
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    deserializer.deserialize_option(OptionVisitor { key, item: PhantomData })
}

/// [`deserialize`] as a serde seed, for the field tables of
/// [`object_deserialize!`](crate::object_deserialize!) (`wrapped "Key"`).
#[doc(hidden)]
pub struct Seed<T> {
    key: &'static str,
    item: PhantomData<T>,
}

impl<T> Seed<T> {
    /// A seed for lists wrapped as `{key: [...]}`.
    pub fn new(key: &'static str) -> Self {
        Seed { key, item: PhantomData }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Seed<T> {
    type Value = Option<Vec<T>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserialize(self.key, deserializer)
    }
}

struct OptionVisitor<T> {
    key: &'static str,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "null or an object {{\"{}\": [...]}}", self.key)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer
            .deserialize_map(MapVisitor {
                key: self.key,
                item: PhantomData,
            })
            .map(Some)
    }
}

struct MapVisitor<T> {
    key: &'static str,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object {{\"{}\": [...]}}", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = None;
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if k == self.key && items.is_none() {
                // `{"Snapshot": null}` is an empty list, like a missing key.
                items = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default());
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(items.unwrap_or_default())
    }
}

/// Keep `DeserializeOwned` in scope for callers' bounds.
#[doc(hidden)]
pub fn _assert_owned<T: DeserializeOwned>() {}
