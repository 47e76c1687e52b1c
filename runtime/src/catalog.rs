//! The `dyn_operation!` macro that generated `DYNAMIC` catalogs are made of.

/// One entry of a generated service's `DYNAMIC` operation catalog (a
/// `cloudsnap::client::DynOperation`, with the `client` feature): the
/// operation's wire and Rust names, its request type and summary, then one
/// line per parameter (a `DynParam`) with its wire name, its Rust name when
/// that differs (`as "..."`), whether it is required, its JSON kind and the
/// type as the spec names it:
///
/// ```ignore
/// ::cloudsnap::runtime::dyn_operation!(
///     "ListBackups" as "list_backups" => ListBackupsRequest, "List backups.";
///     "project_id": required String, "string";
///     "X-Client-Token" as "x_client_token": optional String, "string";
///     "status": optional Enum(BackupStatus), "BackupStatus";
///     "tags": optional Array(String), "array<string>";
/// )
/// ```
///
/// A kind is a `ParamKind` variant; `Enum(Type)` takes the values of the
/// generated enum `Type` (`Type::VALUES`), `Array(kind)` nests. The entry
/// calls `cloudsnap::client::dynamic::call` with the request type. Generated
/// code spelled each struct literal out; the catalog is the same.
#[macro_export]
#[doc(hidden)]
macro_rules! dyn_operation {
    (
        $wire:literal as $rust:literal => $request:ident, $summary:literal;
        $($param:literal $(as $param_rust:literal)?: $presence:ident $kind:ident $(($($inner:tt)+))?, $type_name:literal;)*
    ) => {
        $crate::client::DynOperation {
            wire_name: $wire,
            rust_name: $rust,
            summary: $summary,
            params: &[$(
                $crate::client::DynParam {
                    wire_name: $param,
                    rust_name: $crate::dyn_operation!(@rust $param $(, $param_rust)?),
                    required: $crate::dyn_operation!(@required $presence),
                    kind: $crate::dyn_operation!(@kind $kind $(($($inner)+))?),
                    type_name: $type_name,
                }
            ),*],
            call: $crate::client::dynamic::call::<$request>,
        }
    };
    (@rust $wire:literal) => {
        $wire
    };
    (@rust $wire:literal, $rust:literal) => {
        $rust
    };
    (@required required) => {
        true
    };
    (@required optional) => {
        false
    };
    (@kind Enum($name:ident)) => {
        $crate::client::ParamKind::Enum($name::VALUES)
    };
    (@kind Array($($inner:tt)+)) => {
        $crate::client::ParamKind::Array(&$crate::dyn_operation!(@kind $($inner)+))
    };
    (@kind $kind:ident) => {
        $crate::client::ParamKind::$kind
    };
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use crate::client::ParamKind;

    #[allow(dead_code)]
    enum Mode {}
    impl Mode {
        const VALUES: &'static [&'static str] = &["fast", "slow"];
    }

    #[test]
    fn kinds_nest_and_enums_take_their_values() {
        const NESTED: ParamKind = crate::dyn_operation!(@kind Array(Array(Enum(Mode))));
        assert_eq!(
            NESTED,
            ParamKind::Array(&ParamKind::Array(&ParamKind::Enum(&["fast", "slow"])))
        );
        assert_eq!(crate::dyn_operation!(@kind Object), ParamKind::Object);
        let presence = [
            crate::dyn_operation!(@required required),
            crate::dyn_operation!(@required optional),
        ];
        assert_eq!(presence, [true, false]);
        assert_eq!(crate::dyn_operation!(@rust "X-Token", "x_token"), "x_token");
        assert_eq!(crate::dyn_operation!(@rust "limit"), "limit");
    }
}
