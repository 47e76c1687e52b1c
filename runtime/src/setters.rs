//! Support for generated builders.

/// One `with_*` setter of a generated request or object type, inside its
/// `impl` block: `with_x(value: impl Into<T>) -> Self` sets the optional
/// member `x` to `Some(value.into())`. The entry is the setter's attributes
/// (docs, `#[deprecated]`), its name, the field and the field's type
/// without `Option`:
///
/// ```ignore
/// impl BackupDetail {
///     ::cloudsnap::runtime::setter!(#[doc = " Set `name`."] with_name => name: ::std::string::String);
/// }
/// ```
///
/// Generated code repeated these eight lines for every optional member of
/// every operation and object; through the macro it states only what
/// differs, and the methods, their signatures and docs stay the same.
#[macro_export]
#[doc(hidden)]
macro_rules! setter {
    ($(#[$attr:meta])* $setter:ident => $field:ident: $ty:ty) => {
        $(#[$attr])*
        #[must_use]
        pub fn $setter(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.$field = ::std::option::Option::Some(value.into());
            self
        }
    };
}

/// The `new` of a generated request or object type, inside its `impl`
/// block: it takes the required members (each as `impl Into<T>`) and leaves
/// the optional ones, listed after `unset:`, `None`. The entry is `new`'s
/// attributes (docs, `#[allow]`), its parameters and the optional members:
///
/// ```ignore
/// impl BackupDetail {
///     ::cloudsnap::runtime::constructor!(
///         #[doc = " A `BackupDetail` with the required fields `id`."]
///         new(id: ::std::string::String); unset: name, size
///     );
///     // one `setter!` per optional member
/// }
/// ```
///
/// Generated code spelled out `name: ::std::option::Option::None` for every
/// optional member; the method, its signature and docs are the same.
#[macro_export]
#[doc(hidden)]
macro_rules! constructor {
    (
        $(#[$attr:meta])* new($($required:ident: $ty:ty),* $(,)?)
        $(; unset: $($optional:ident),+ $(,)?)?
    ) => {
        $(#[$attr])*
        pub fn new($($required: impl ::std::convert::Into<$ty>),*) -> Self {
            Self {
                $($required: $required.into(),)*
                $($($optional: ::std::option::Option::None,)+)?
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Thing {
        pub id: String,
        pub r#type: Option<String>,
        pub size: Option<i64>,
    }

    impl Thing {
        crate::constructor!(#[doc = " A thing."] new(id: String); unset: r#type, size);
        crate::setter!(#[doc = " Set `type`."] with_type => r#type: String);
        crate::setter!(#[doc = " Set `size`."] with_size => size: i64);
    }

    #[derive(Debug, PartialEq)]
    pub struct Pair {
        pub a: String,
        pub b: i64,
    }

    impl Pair {
        crate::constructor!(new(a: String, b: i64));
    }

    #[test]
    fn new_takes_the_required_members_and_leaves_the_rest_unset() {
        let t = Thing::new("x");
        assert_eq!((t.id.as_str(), &t.r#type, t.size), ("x", &None, None));
        let t = t.with_type("full").with_size(3);
        assert_eq!((t.r#type.as_deref(), t.size), (Some("full"), Some(3)));
        assert_eq!(Pair::new("a", 2), Pair { a: "a".into(), b: 2 });
    }
}
