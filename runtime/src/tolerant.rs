//! Tolerant readers: scalars in either JSON spelling, timestamps in any of
//! the layouts vendors send.
//!
//! A spec marks a field `lenient` (or a whole service `lenient_scalars`) when
//! servers send it in more than one spelling: Alibaba's Tea runtime converts
//! numbers and strings both ways, so ECS sends `"SourceDiskSize": "40"` where
//! the table says Integer; Huawei's documents give `String` in a table and a
//! number in the example. The generated field keeps the documented Rust type
//! and names one of the readers below (through [`Seed`] in its
//! [`object_deserialize!`](crate::object_deserialize!) table); serialization
//! is untouched, so output stays canonical.
//!
//! A string that does not hold a valid value is still an error, and it names
//! the JSON path: the readers report through `serde::de::Error`, which
//! `serde_path_to_error` (used by [`super::response`] to explain failures)
//! locates like any other.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, SeqAccess, Unexpected, Visitor};

/// A scalar type the tolerant readers can produce. Implemented for `i64`,
/// `i32`, `f64`, `bool` and `String`, the Rust types of the spec's scalars.
pub trait Lenient: Sized + sealed::Sealed {
    /// The visitor that accepts both spellings.
    #[doc(hidden)]
    type Visitor: for<'de> Visitor<'de, Value = Self> + Default;
    /// Whether the type is text (`String`). For the others an empty string
    /// in an optional field reads as absent: Alibaba's gateways send `""`
    /// for an unset number.
    #[doc(hidden)]
    const TEXT: bool;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for i32 {}
    impl Sealed for f64 {}
    impl Sealed for bool {}
    impl Sealed for String {}
}

/// Integers: a JSON integer, a float with no fractional part, or a string
/// holding a decimal integer (surrounding whitespace ignored).
#[doc(hidden)]
pub struct IntVisitor<T>(PhantomData<T>);

impl<T> Default for IntVisitor<T> {
    fn default() -> Self {
        IntVisitor(PhantomData)
    }
}

impl<'de, T> Visitor<'de> for IntVisitor<T>
where
    T: TryFrom<i64> + TryFrom<u64> + std::str::FromStr,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // `40.0` is an integer spelled as a float; `40.5` is not an integer.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
        if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) {
            self.visit_i64(v as i64)
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.trim()
            .parse::<T>()
            .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }
}

/// Numbers: a JSON number, or a string holding a finite decimal number.
#[doc(hidden)]
#[derive(Default)]
pub struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        // `str::parse` also takes `NaN` and `inf`, which JSON cannot carry
        // back out: refuse them.
        match v.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err(E::invalid_value(Unexpected::Str(v), &self)),
        }
    }
}

/// Booleans: `true`/`false`, or the strings `"true"`/`"false"` in any case.
#[doc(hidden)]
#[derive(Default)]
pub struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, or the string \"true\" or \"false\"")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        let t = v.trim();
        if t.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if t.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err(E::invalid_value(Unexpected::Str(v), &self))
        }
    }
}

/// Text: a JSON string, or a number or boolean kept as its JSON text.
#[doc(hidden)]
#[derive(Default)]
pub struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // serde_json's own spelling of the number (shortest round trip).
        Ok(serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl Lenient for i64 {
    type Visitor = IntVisitor<i64>;
    const TEXT: bool = false;
}

impl Lenient for i32 {
    type Visitor = IntVisitor<i32>;
    const TEXT: bool = false;
}

impl Lenient for f64 {
    type Visitor = NumberVisitor;
    const TEXT: bool = false;
}

impl Lenient for bool {
    type Visitor = BoolVisitor;
    const TEXT: bool = false;
}

impl Lenient for String {
    type Visitor = TextVisitor;
    const TEXT: bool = true;
}

/// Read a required scalar in either spelling.
pub fn scalar<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(T::Visitor::default())
}

/// Read an optional scalar in either spelling: `null` is `None`, and so is
/// `""` for a number or boolean.
pub fn option<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(OptionVisitor::<T>(PhantomData))
}

/// Read a required array of scalars, each in either spelling.
pub fn vec<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_seq(SeqVisitor::<T>(PhantomData))
}

/// Read an optional array of scalars (`null` is `None`), each in either
/// spelling.
pub fn option_vec<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<Option<Vec<T>>, D::Error> {
    deserializer.deserialize_option(OptionSeqVisitor::<T>(PhantomData))
}

/// The readers above as serde seeds, for the field tables of
/// [`object_deserialize!`](crate::object_deserialize!): `lenient option`
/// reads through `Seed::option()`, and so on.
#[doc(hidden)]
pub struct Seed;

macro_rules! seeds {
    ($($reader:ident -> $seed:ident: $value:ty;)*) => {
        impl Seed {
            $(
                #[doc = concat!("A seed that reads through [`", stringify!($reader), "`].")]
                pub fn $reader<T: Lenient>() -> $seed<T> {
                    $seed(PhantomData)
                }
            )*
        }
        $(
            #[doc = concat!("Reads through [`", stringify!($reader), "`].")]
            #[doc(hidden)]
            pub struct $seed<T>(PhantomData<T>);

            impl<'de, T: Lenient> de::DeserializeSeed<'de> for $seed<T> {
                type Value = $value;

                fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<$value, D::Error> {
                    $reader(deserializer)
                }
            }
        )*
    };
}

seeds! {
    scalar -> ScalarSeed: T;
    option -> OptionSeed: Option<T>;
    vec -> VecSeed: Vec<T>;
    option_vec -> OptionVecSeed: Option<Vec<T>>;
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::Visitor::default().expecting(f)?;
        f.write_str(", or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::Visitor::default().visit_bool(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::Visitor::default().visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::Visitor::default().visit_u64(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::Visitor::default().visit_f64(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if !T::TEXT && v.trim().is_empty() {
            return Ok(None);
        }
        T::Visitor::default().visit_str(v).map(Some)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if !T::TEXT && v.trim().is_empty() {
            return Ok(None);
        }
        T::Visitor::default().visit_string(v).map(Some)
    }
}

/// One array item read by `T`'s tolerant visitor.
struct Item<T>(T);

impl<'de, T: Lenient> serde::Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d).map(Item)
    }
}

struct SeqVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for SeqVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of ")?;
        T::Visitor::default().expecting(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // Bounded like serde's own `Vec` impl: never trust a size hint.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Item(v)) = seq.next_element::<Item<T>>()? {
            out.push(v);
        }
        Ok(out)
    }
}

struct OptionSeqVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for OptionSeqVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        SeqVisitor::<T>(PhantomData).expecting(f)?;
        f.write_str(", or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        vec(d).map(Some)
    }
}

/// A point in time with the offset it was sent with (UTC when it had none).
pub type Timestamp = time::OffsetDateTime;

/// A timestamp in none of the layouts [`timestamp`] reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a timestamp ({reason}): {input:?}")]
pub struct TimestampError {
    /// The text as received.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Parse a timestamp in any layout the vendors' documents and SDKs use:
///
/// - RFC 3339 / ISO 8601: `2014-07-24T13:00:52Z`, `...+08:00`, `...+0800`,
///   with or without fractional seconds (up to nanoseconds), seconds
///   optional (`2017-12-05T22:40Z`, Alibaba), `T` or a space between date and
///   time (`2019-05-10 07:59:12`, Huawei `SdkTime`);
/// - the same without a zone, read as UTC (Huawei CBR `created_at`
///   `2019-05-10T07:59:12.733403`, which its SDK reads as UTC);
/// - epoch milliseconds as decimal digits (Elasticsearch `start_time_in_millis`,
///   Zilliz `createTime` in some releases).
pub fn timestamp(text: &str) -> Result<Timestamp, TimestampError> {
    let fail = |reason| TimestampError {
        input: text.to_owned(),
        reason,
    };
    let s = text.trim();
    if s.is_empty() {
        return Err(fail("empty"));
    }
    if s.bytes().all(|b| b.is_ascii_digit())
        || (s.starts_with('-') && s.len() > 1 && s[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        let millis: i128 = s.parse().map_err(|_| fail("epoch milliseconds out of range"))?;
        return time::OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
            .map_err(|_| fail("epoch milliseconds out of range"));
    }
    let b = s.as_bytes();
    let mut p = Cursor { b, i: 0 };
    let year = p.digits(4).ok_or_else(|| fail("expected a four-digit year"))?;
    p.expect(b'-').ok_or_else(|| fail("expected `-` after the year"))?;
    let month = p.digits(2).ok_or_else(|| fail("expected a two-digit month"))?;
    p.expect(b'-').ok_or_else(|| fail("expected `-` after the month"))?;
    let day = p.digits(2).ok_or_else(|| fail("expected a two-digit day"))?;
    let month = time::Month::try_from(month as u8).map_err(|_| fail("month out of range"))?;
    let date = time::Date::from_calendar_date(year as i32, month, day as u8).map_err(|_| fail("no such date"))?;
    if p.done() {
        // A date alone: midnight UTC.
        return Ok(date.midnight().assume_utc());
    }
    if !(p.expect(b'T').is_some() || p.expect(b't').is_some() || p.expect(b' ').is_some()) {
        return Err(fail("expected `T` or a space after the date"));
    }
    let hour = p.digits(2).ok_or_else(|| fail("expected a two-digit hour"))?;
    p.expect(b':').ok_or_else(|| fail("expected `:` after the hour"))?;
    let minute = p.digits(2).ok_or_else(|| fail("expected two-digit minutes"))?;
    let mut second = 0;
    let mut nanos = 0;
    if p.expect(b':').is_some() {
        second = p.digits(2).ok_or_else(|| fail("expected two-digit seconds"))?;
        if p.expect(b'.').is_some() || p.expect(b',').is_some() {
            let start = p.i;
            while p.i < b.len() && b[p.i].is_ascii_digit() {
                p.i += 1;
            }
            let frac = &s[start..p.i];
            if frac.is_empty() || frac.len() > 9 {
                return Err(fail("expected 1 to 9 digits of fractional seconds"));
            }
            let value: u32 = frac.parse().map_err(|_| fail("bad fractional seconds"))?;
            nanos = value * 10u32.pow(9 - frac.len() as u32);
        }
    }
    let clock = time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos)
        .map_err(|_| fail("time of day out of range"))?;
    // No zone is UTC, as Huawei's SdkTime reads it.
    let offset = if p.done() || p.expect(b'Z').is_some() || p.expect(b'z').is_some() {
        time::UtcOffset::UTC
    } else {
        let sign: i8 = if p.expect(b'+').is_some() {
            1
        } else if p.expect(b'-').is_some() {
            -1
        } else {
            return Err(fail("expected `Z`, `+hh:mm` or `-hh:mm` after the time"));
        };
        let oh = p.digits(2).ok_or_else(|| fail("expected a two-digit offset hour"))?;
        let _ = p.expect(b':');
        let om = p.digits(2).ok_or_else(|| fail("expected two-digit offset minutes"))?;
        time::UtcOffset::from_hms(sign * oh as i8, sign * om as i8, 0).map_err(|_| fail("offset out of range"))?
    };
    if !p.done() {
        return Err(fail("unexpected text after the timestamp"));
    }
    Ok(time::PrimitiveDateTime::new(date, clock).assume_offset(offset))
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    fn digits(&mut self, n: usize) -> Option<u32> {
        let chunk = self.b.get(self.i..self.i + n)?;
        if !chunk.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(chunk.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Out {
        #[serde(default, deserialize_with = "option")]
        size: Option<i64>,
        #[serde(default, deserialize_with = "option")]
        small: Option<i32>,
        #[serde(default, deserialize_with = "option")]
        ratio: Option<f64>,
        #[serde(default, deserialize_with = "option")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "option")]
        text: Option<String>,
        #[serde(default, deserialize_with = "option_vec")]
        ids: Option<Vec<i64>>,
    }

    fn out(json: &str) -> Result<Out, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(&mut de).map_err(|e| format!("{} at {}", e.inner(), e.path()))
    }

    #[test]
    fn both_spellings_read_the_same_value() {
        let a = out(r#"{"size":40,"small":7,"ratio":0.5,"flag":true,"text":"x","ids":[1,2]}"#).unwrap();
        let b = out(r#"{"size":"40","small":" 7 ","ratio":"0.5","flag":"TRUE","text":"x","ids":["1",2]}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.size, Some(40));
        let c = out(r#"{"size":40.0,"text":12.5,"flag":"false"}"#).unwrap();
        assert_eq!(
            (c.size, c.text.as_deref(), c.flag),
            (Some(40), Some("12.5"), Some(false))
        );
        let d = out(r#"{"size":null,"small":"","ratio":"  ","text":"","ids":null}"#).unwrap();
        assert_eq!(
            (d.size, d.small, d.ratio, d.text.as_deref(), d.ids),
            (None, None, None, Some(""), None)
        );
    }

    #[test]
    fn invalid_strings_are_located_errors() {
        let e = out(r#"{"size":"40GB"}"#).unwrap_err();
        assert!(e.contains("\"40GB\"") && e.ends_with("at size"), "{e}");
        let e = out(r#"{"ids":["1","x"]}"#).unwrap_err();
        assert!(e.ends_with("at ids[1]"), "{e}");
        let e = out(r#"{"small":"3000000000"}"#).unwrap_err();
        assert!(e.ends_with("at small"), "{e}");
        assert!(out(r#"{"ratio":"NaN"}"#).is_err());
        assert!(out(r#"{"size":1.5}"#).is_err());
        assert!(out(r#"{"flag":"yes"}"#).is_err());
        assert!(out(r#"{"size":{}}"#).is_err());
    }

    #[test]
    fn timestamps_in_every_layout() {
        let utc = |s: &str| timestamp(s).unwrap().unix_timestamp_nanos() / 1_000_000;
        let want = 1_406_206_852_000; // 2014-07-24T13:00:52Z
        for s in [
            "2014-07-24T13:00:52Z",
            "2014-07-24T13:00:52.000Z",
            "2014-07-24T13:00:52+00:00",
            "2014-07-24T21:00:52+08:00",
            "2014-07-24T21:00:52+0800",
            "2014-07-24T13:00:52",
            "2014-07-24 13:00:52",
            "1406206852000",
        ] {
            assert_eq!(utc(s), want, "{s}");
        }
        assert_eq!(utc("2014-07-24T13:00Z"), want - 52_000);
        assert_eq!(utc("2019-05-10T07:59:12.733403"), 1_557_475_152_733);
        assert_eq!(
            timestamp("2014-07-24T21:00:52+08:00").unwrap().offset().whole_hours(),
            8
        );
        for bad in [
            "",
            "yesterday",
            "2014-13-01T00:00:00Z",
            "2014-02-30",
            "2014-07-24T25:00:00Z",
            "2014-07-24T13:00:52Zjunk",
            "2014-07-24T13:00:52.Z",
        ] {
            assert!(timestamp(bad).is_err(), "{bad}");
        }
    }
}
