//! Support for generated open enums.

use std::borrow::Cow;

use serde::de::{Deserializer, Error, Visitor};

/// Deserialize a string without copying when the input allows it.
pub fn deserialize_str<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    struct StrVisitor;
    impl<'de> Visitor<'de> for StrVisitor {
        type Value = Cow<'de, str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(StrVisitor)
}

/// The variant-independent impls of an open enum, which has
/// `as_str(&self) -> &str` and `From<&str>` (from [`open_enum!`](crate::open_enum!), which
/// calls this): `From<String>`, infallible `FromStr`, `AsRef<str>`,
/// `Display` and serde through the wire string.
///
/// The `Unknown(String)` variant stays matchable: a value the spec does not
/// list arrives as `Unknown` with the raw string. When a later spec adds the
/// value, it arrives as its own variant instead, so `cloudsnap-codegen diff`
/// rates an added value as behavioural rather than compatible.
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            // `Self::Err` would be ambiguous with a variant named `Err`.
            fn from_str(s: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::enums::deserialize_str(deserializer).map(|s| Self::from(s.as_ref()))
            }
        }
    };
}

/// The impls of a generated open enum, from its table of variants and wire
/// values. The enum itself stays a plain item in the generated code (its
/// docs, derives and `Unknown(String)` variant are what users read); the
/// call after it lists each known variant with its wire value:
///
/// ```ignore
/// ::cloudsnap::runtime::open_enum!(Tier { Standard = "standard", Archive = "archive" });
/// // Incoming values matched ignoring ASCII case:
/// ::cloudsnap::runtime::open_enum!(Tier, ignore_ascii_case { Standard = "standard" });
/// ```
///
/// It expands to `VALUES` (the wire values in table order), `as_str`,
/// `is_known`, `From<&str>` (a value not in the table becomes `Unknown`)
/// and [`open_enum_impls!`](crate::open_enum_impls!). Generated code used to spell these out for
/// every enum; the methods, their signatures and docs are the same.
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        $crate::open_enum!(@common $name { $($variant = $wire),* });

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    };
    ($name:ident, ignore_ascii_case { $($variant:ident = $wire:literal),* $(,)? }) => {
        $crate::open_enum!(@common $name { $($variant = $wire),* });

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $(s if s.eq_ignore_ascii_case($wire) => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    };
    (@common $name:ident { $($variant:ident = $wire:literal),* }) => {
        impl $name {
            /// Every known wire value, in document order.
            pub const VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// Whether this is a value the spec documents.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        $crate::open_enum_impls!($name);
    };
}

/// The impls of an operation's generated error-code enum: everything
/// [`open_enum!`](crate::open_enum!) gives, plus [`ErrorCode`](crate::ErrorCode) with each
/// code's documented HTTP status. The table lists `Variant = "wire code" =>
/// status`:
///
/// ```ignore
/// ::cloudsnap::runtime::error_code_enum!(ShowBackupErrorCode {
///     BackupNotFound = "BackupService.6300" => 404,
/// });
/// ```
#[macro_export]
macro_rules! error_code_enum {
    ($name:ident { $($variant:ident = $wire:literal => $status:literal),* $(,)? }) => {
        $crate::open_enum!($name { $($variant = $wire),* });

        impl $crate::ErrorCode for $name {
            fn from_code(code: &str) -> Self {
                Self::from(code)
            }

            fn as_str(&self) -> &str {
                $name::as_str(self)
            }

            fn documented_status(&self) -> ::std::option::Option<u16> {
                match self {
                    $(Self::$variant => ::std::option::Option::Some($status),)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::ErrorCode;

    /// Declared as generated code declares an open enum.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[non_exhaustive]
    pub enum Tier {
        Standard,
        Archive,
        Unknown(String),
    }
    crate::open_enum!(Tier { Standard = "standard", Archive = "archive" });

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Speed {
        Fast,
        Unknown(String),
    }
    crate::open_enum!(Speed, ignore_ascii_case { Fast = "FAST" });

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Codes {
        NotFound,
        Busy,
        Unknown(String),
    }
    crate::error_code_enum!(Codes { NotFound = "Backup.NotFound" => 404, Busy = "Backup.Busy" => 409 });

    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum NoCodes {
        Unknown(String),
    }
    crate::error_code_enum!(NoCodes {});

    #[test]
    fn open_enum_reads_and_writes_the_table() {
        assert_eq!(Tier::VALUES, ["standard", "archive"]);
        for (i, wire) in Tier::VALUES.iter().enumerate() {
            let v = Tier::from(*wire);
            assert!(v.is_known());
            assert_eq!(v.as_str(), *wire);
            assert_eq!(v.to_string(), *wire);
            assert_eq!(serde_json::to_value(&v).unwrap(), serde_json::json!(wire));
            assert_eq!([Tier::Standard, Tier::Archive][i], v);
        }
        // Matching is exact unless the enum asks otherwise.
        assert_eq!(Tier::from("STANDARD"), Tier::Unknown("STANDARD".into()));
        let v: Tier = serde_json::from_str("\"cold\"").unwrap();
        assert!(!v.is_known());
        assert_eq!(v.as_str(), "cold");
        assert_eq!("archive".parse::<Tier>(), Ok(Tier::Archive));
    }

    #[test]
    fn ignore_ascii_case_matches_any_case_and_writes_the_table_spelling() {
        assert_eq!(Speed::from("fast"), Speed::Fast);
        assert_eq!(Speed::from("Fast").as_str(), "FAST");
        assert_eq!(Speed::from("faster"), Speed::Unknown("faster".into()));
        assert_eq!((Speed::VALUES, Speed::Fast.is_known()), (&["FAST"][..], true));
    }

    #[test]
    fn error_code_enum_has_the_documented_statuses() {
        assert_eq!(Codes::VALUES, ["Backup.NotFound", "Backup.Busy"]);
        assert_eq!(Codes::from_code("Backup.NotFound"), Codes::NotFound);
        assert!(Codes::Busy.is_known());
        assert_eq!(Codes::NotFound.documented_status(), Some(404));
        assert_eq!(Codes::Busy.documented_status(), Some(409));
        assert_eq!(ErrorCode::as_str(&Codes::Busy), "Backup.Busy");
        let unknown = Codes::from_code("Backup.Other");
        assert_eq!((unknown.as_str(), unknown.documented_status()), ("Backup.Other", None));
        assert!(NoCodes::VALUES.is_empty());
        assert_eq!(NoCodes::from_code("x").documented_status(), None);
        assert!(!NoCodes::from_code("x").is_known());
    }
}
