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
