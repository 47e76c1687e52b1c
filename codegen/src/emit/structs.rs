//! Object types: serde structs with one documented field per wire field.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::constructors::{self, required_list, Member};
use super::docs::{doc_attrs, join};
use super::{bare, ident, rust_type};
use crate::model::Deprecation;
use crate::model::{FieldModel, Model, Ty, TypeKind, TypeModel};

/// Doc text for a deprecation.
pub(crate) fn deprecation_text(d: &Deprecation) -> String {
    match &d.replacement {
        Some(r) => format!("**Deprecated**: {} Use `{r}` instead.", d.note.trim()),
        None => format!("**Deprecated**: {}", d.note.trim()),
    }
}

/// A struct for an object type, and its `Deserialize` impl through the
/// runtime's `object_deserialize!` (serde's derive wrote ten times the code
/// for it, most of what `cargo check` spent on a generated client).
pub(crate) fn object(model: &Model, t: &TypeModel, fields: &[FieldModel]) -> TokenStream {
    let name = format_ident!("{}", t.rust_name);
    let doc = doc_attrs(t.docs.as_deref().unwrap_or(&t.rust_name));
    let default = t.defaultable.then(|| quote!(Default,));
    let constructor = constructor(model, t, fields);
    let accessors = timestamp_accessors(&name, fields);
    let table = deserialize_table(
        &name,
        fields.iter().map(|f| TableEntry {
            wire: &f.wire,
            ident: &f.ident,
            read: read_of(f),
        }),
    );
    // Moved into the braces, not copied as `#(#fields)*` would.
    let fields = proc_macro2::Group::new(
        proc_macro2::Delimiter::Brace,
        fields.iter().map(|f| field(model, f)).collect(),
    );
    // `#[non_exhaustive]`: a field the vendor adds later is not a breaking
    // change for callers, who build values with `new` and `with_*`.
    let item = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::cloudsnap::runtime::__private::serde::Serialize)]
        #[serde(crate = "::cloudsnap::runtime::__private::serde")]
        #[non_exhaustive]
        pub struct #name #fields
    };
    super::join([item, table, constructor, accessors])
}

/// How a member is read, in an `object_deserialize!` table.
#[derive(Clone, Copy)]
pub(crate) enum Read<'a> {
    /// Its type's own `Deserialize`.
    Plain,
    /// A tolerant reader (`runtime::tolerant`), by shape.
    Lenient(&'static str),
    /// A list wrapped as `{"key": [...]}` (`runtime::wrapper`).
    Wrapped(&'a str),
}

/// One member of an `object_deserialize!` table.
pub(crate) struct TableEntry<'a> {
    pub(crate) wire: &'a str,
    pub(crate) ident: &'a str,
    pub(crate) read: Read<'a>,
}

/// `object_deserialize!(Name { "wire" => field, "x" => x: lenient option, ... });`
pub(crate) fn deserialize_table<'a>(
    name: &proc_macro2::Ident,
    entries: impl Iterator<Item = TableEntry<'a>>,
) -> TokenStream {
    let entries = entries.map(|e| {
        let wire = e.wire;
        let id = ident(e.ident);
        match e.read {
            Read::Plain => quote!(#wire => #id),
            Read::Lenient(shape) => {
                let shape = format_ident!("{shape}");
                quote!(#wire => #id: lenient #shape)
            }
            Read::Wrapped(key) => quote!(#wire => #id: wrapped #key),
        }
    });
    quote! {
        ::cloudsnap::runtime::object_deserialize!(#name { #(#entries),* });
    }
}

/// How field `f` is read.
fn read_of(f: &FieldModel) -> Read<'_> {
    match (&f.wrapper, lenient_shape(f)) {
        (Some(key), _) => Read::Wrapped(key),
        (None, Some(shape)) => Read::Lenient(shape),
        (None, None) => Read::Plain,
    }
}

/// `<field>_parsed()` for every `format: timestamp` field: the string as sent
/// stays the field, the accessor reads any layout the vendors use.
fn timestamp_accessors(name: &proc_macro2::Ident, fields: &[FieldModel]) -> TokenStream {
    let methods: Vec<TokenStream> = fields
        .iter()
        .filter(|f| f.timestamp)
        .map(|f| {
            let id = ident(&f.ident);
            let method = format_ident!("{}_parsed", f.ident.trim_start_matches("r#"));
            let doc = format!(
                "`{}` as a point in time, from any layout the vendors send (RFC 3339 with `Z` or an offset, without a zone = UTC, epoch milliseconds); see [`::cloudsnap::runtime::tolerant::timestamp`].",
                f.wire
            );
            if f.optional {
                quote! {
                    #[doc = #doc]
                    #[doc = ""]
                    #[doc = "`None` when the field is absent."]
                    pub fn #method(&self) -> ::std::option::Option<::std::result::Result<::cloudsnap::runtime::tolerant::Timestamp, ::cloudsnap::runtime::tolerant::TimestampError>> {
                        self.#id.as_deref().map(::cloudsnap::runtime::tolerant::timestamp)
                    }
                }
            } else {
                quote! {
                    #[doc = #doc]
                    pub fn #method(&self) -> ::std::result::Result<::cloudsnap::runtime::tolerant::Timestamp, ::cloudsnap::runtime::tolerant::TimestampError> {
                        ::cloudsnap::runtime::tolerant::timestamp(&self.#id)
                    }
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// The tolerant reader for a lenient field (`runtime::tolerant`), by shape.
fn lenient_shape(f: &FieldModel) -> Option<&'static str> {
    if !f.lenient {
        return None;
    }
    Some(match (matches!(f.ty, Ty::Array(_)), f.optional) {
        (false, false) => "scalar",
        (false, true) => "option",
        (true, false) => "vec",
        (true, true) => "option_vec",
    })
}

/// `new(required fields)` and a `with_*` setter per optional field.
fn constructor(model: &Model, t: &TypeModel, fields: &[FieldModel]) -> TokenStream {
    let members: Vec<Member<'_>> = fields
        .iter()
        .map(|f| Member {
            ident: &f.ident,
            wire: &f.wire,
            ty: &f.ty,
            optional: f.optional,
            setter_doc: format!("Set `{}`.", f.wire),
            deprecated: f.deprecated.as_ref(),
        })
        .collect();
    let new_doc = match required_list(&members) {
        None => format!("A `{}` with every field unset.", t.rust_name),
        Some(names) => format!("A `{}` with the required fields {names}.", t.rust_name),
    };
    constructors::constructor(model, &format_ident!("{}", t.rust_name), &members, new_doc)
}

/// The `#[serde(...)]` of a struct field or request parameter, for the
/// `Serialize` derive (reading goes through `object_deserialize!`), saying
/// only what the derive would not do by itself (nothing at all when it has
/// nothing to say):
///
/// - `rename` only when the wire name is not the field's name as serde
///   spells it (the identifier without `r#`);
/// - on an optional member, `skip_serializing_if`;
/// - `serialize_with` the list wrapper's module, for a wrapped list.
pub(crate) fn serde_attr(ident: &str, wire: &str, optional: bool, wrapper_module: Option<&str>) -> TokenStream {
    let mut items = Vec::new();
    if wire != bare(ident) {
        items.push(quote!(rename = #wire));
    }
    if optional {
        items.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
    }
    if let Some(module) = wrapper_module {
        let path = format!("{module}::serialize");
        items.push(quote!(serialize_with = #path));
    }
    if items.is_empty() {
        return TokenStream::new();
    }
    quote!(#[serde(#(#items),*)])
}

fn field(model: &Model, f: &FieldModel) -> TokenStream {
    let id = ident(&f.ident);
    let ty = rust_type(model, &f.ty);
    let wire = &f.wire;
    let dep = f.deprecated.as_ref().map(deprecation_text);
    let example = f.example.as_ref().map(|e| format!("Example: `{e}`"));
    let wire_note = format!("Wire name: `{wire}`.");
    let text = matches!(&f.ty, Ty::String) || matches!(&f.ty, Ty::Array(i) if **i == Ty::String);
    let lenient_note = f.lenient.then_some(if text {
        "Also read when sent as a number or boolean (kept as its JSON text)."
    } else {
        "Also read when sent as a string holding the value."
    });
    let doc = doc_attrs(&join(&[
        f.docs.as_deref(),
        dep.as_deref(),
        example.as_deref(),
        lenient_note,
        Some(&wire_note),
    ]));
    let ty = if f.optional {
        quote!(::std::option::Option<#ty>)
    } else {
        ty
    };
    let wrapper_module = f
        .wrapper
        .as_ref()
        .map(|_| f.wrapper_module.as_deref().unwrap_or_default());
    let serde = serde_attr(&f.ident, wire, f.optional, wrapper_module);
    quote! {
        #doc
        #serde
        pub #id: #ty,
    }
}

/// One private serde helper module per list wrapper key used in the spec.
pub(crate) fn wrapper_modules(model: &Model) -> TokenStream {
    let keys: BTreeSet<(&str, &str)> = model
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Object { fields } => Some(
                fields
                    .iter()
                    .filter_map(|f| f.wrapper.as_deref().zip(f.wrapper_module.as_deref())),
            ),
            TypeKind::Enum { .. } => None,
        })
        .flatten()
        .collect();
    let modules = keys.into_iter().map(|(key, module)| {
        let module = super::ident(module);
        let doc = format!("Serializes lists wrapped as `{{\"{key}\": [...]}}` (read through the `object_deserialize!` table).");
        quote! {
            #[doc = #doc]
            mod #module {
                pub(super) fn serialize<T: ::cloudsnap::runtime::__private::serde::Serialize, S: ::cloudsnap::runtime::__private::serde::Serializer>(
                    items: &::std::option::Option<::std::vec::Vec<T>>,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    ::cloudsnap::runtime::wrapper::serialize(#key, items, serializer)
                }
            }
        }
    });
    quote!(#(#modules)*)
}
