//! The `check!` macro that generated `validate()` bodies are made of.

/// One parameter's checks in a generated `Operation::validate`: each
/// documented constraint becomes a call of the [`validate`](crate::validate)
/// function of its kind, which returns early with the `ValidationError`. An
/// optional parameter is checked only when set. Bounds are written as Rust
/// ranges (inclusive, either end may be open):
///
/// ```ignore
/// ::cloudsnap::runtime::check!("limit", optional self.limit => range(1..=1000));
/// ::cloudsnap::runtime::check!(
///     "name", required self.name => length(1..=64), pattern(NAME_PATTERN, "^[a-z]+$")
/// );
/// ```
///
/// `length(..)` checks a string's length in characters, `range(..)` an
/// integer's value, `items(..)` a list's length, `pattern(STATIC, "regex")`
/// a string against the regex compiled once into the `Pattern` static.
/// Generated code spelled each call out with `::std::option::Option` bounds;
/// the checks and their errors are the same.
#[macro_export]
#[doc(hidden)]
macro_rules! check {
    ($wire:literal, optional $value:expr => $($kind:ident($($arg:tt)*)),+ $(,)?) => {
        if let ::std::option::Option::Some(v) = &$value {
            $($crate::check!(@one $wire, v, $kind($($arg)*));)+
        }
    };
    ($wire:literal, required $value:expr => $($kind:ident($($arg:tt)*)),+ $(,)?) => {
        let v = &$value;
        $($crate::check!(@one $wire, v, $kind($($arg)*));)+
    };
    (@one $wire:literal, $v:ident, length($($bounds:tt)*)) => {
        $crate::check!(@bounds length, $wire, $v, $($bounds)*)
    };
    (@one $wire:literal, $v:ident, range($($bounds:tt)*)) => {
        $crate::check!(@bounds range, $wire, i64::from(*$v), $($bounds)*)
    };
    (@one $wire:literal, $v:ident, items($($bounds:tt)*)) => {
        $crate::check!(@bounds items, $wire, $v.len(), $($bounds)*)
    };
    (@one $wire:literal, $v:ident, pattern($slot:ident, $source:literal)) => {
        $crate::validate::pattern($wire, $v, &$slot, $source)?
    };
    (@bounds $f:ident, $wire:literal, $value:expr, $min:literal ..= $max:literal) => {
        $crate::validate::$f(
            $wire,
            $value,
            ::std::option::Option::Some($min),
            ::std::option::Option::Some($max),
        )?
    };
    (@bounds $f:ident, $wire:literal, $value:expr, $min:literal ..) => {
        $crate::validate::$f($wire, $value, ::std::option::Option::Some($min), ::std::option::Option::None)?
    };
    (@bounds $f:ident, $wire:literal, $value:expr, ..= $max:literal) => {
        $crate::validate::$f($wire, $value, ::std::option::Option::None, ::std::option::Option::Some($max))?
    };
}

#[cfg(test)]
mod tests {
    use crate::validate::Pattern;
    use crate::ValidationError;

    static NAME_PATTERN: Pattern = Pattern::new();

    /// A request as generated code declares one, with a `validate` made of
    /// `check!` calls covering each kind and bound shape.
    #[derive(Default)]
    struct Request {
        name: String,
        limit: Option<i32>,
        offset: Option<i64>,
        tags: Option<Vec<String>>,
    }

    impl Request {
        fn validate(&self) -> Result<(), ValidationError> {
            crate::check!("Name", required self.name => length(1..=8), pattern(NAME_PATTERN, "^[a-z]+$"));
            crate::check!("Limit", optional self.limit => range(1..));
            crate::check!("Offset", optional self.offset => range(-5..=5));
            crate::check!("Tags", optional self.tags => items(..=2));
            Ok(())
        }
    }

    fn failing(r: Request) -> Option<&'static str> {
        r.validate().err().map(|e| e.parameter)
    }

    #[test]
    fn each_check_fails_on_its_parameter_and_unset_optionals_pass() {
        let ok = || Request {
            name: "abc".into(),
            ..Request::default()
        };
        assert_eq!(failing(ok()), None);
        assert_eq!(
            failing(Request {
                name: String::new(),
                ..ok()
            }),
            Some("Name")
        );
        assert_eq!(
            failing(Request {
                name: "abcdefghi".into(),
                ..ok()
            }),
            Some("Name")
        );
        assert_eq!(
            failing(Request {
                name: "ABC".into(),
                ..ok()
            }),
            Some("Name")
        );
        assert_eq!(failing(Request { limit: Some(0), ..ok() }), Some("Limit"));
        assert_eq!(
            failing(Request {
                limit: Some(i32::MAX),
                ..ok()
            }),
            None
        );
        assert_eq!(
            failing(Request {
                offset: Some(-6),
                ..ok()
            }),
            Some("Offset")
        );
        assert_eq!(
            failing(Request {
                offset: Some(-5),
                ..ok()
            }),
            None
        );
        assert_eq!(
            failing(Request {
                offset: Some(6),
                ..ok()
            }),
            Some("Offset")
        );
        let tags = |n: usize| Some(vec![String::from("t"); n]);
        assert_eq!(failing(Request { tags: tags(2), ..ok() }), None);
        assert_eq!(failing(Request { tags: tags(3), ..ok() }), Some("Tags"));
    }
}
