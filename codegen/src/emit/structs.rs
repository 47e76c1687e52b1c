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

/// A struct for an object type.
pub(crate) fn object(model: &Model, t: &TypeModel, fields: &[FieldModel]) -> TokenStream {
    let name = format_ident!("{}", t.rust_name);
    let doc = doc_attrs(t.docs.as_deref().unwrap_or(&t.rust_name));
    let default = t.defaultable.then(|| quote!(Default,));
    let constructor = constructor(model, t, fields);
    let accessors = timestamp_accessors(&name, fields);
    // Moved into the braces, not copied as `#(#fields)*` would.
    let fields = proc_macro2::Group::new(
        proc_macro2::Delimiter::Brace,
        fields.iter().map(|f| field(model, f)).collect(),
    );
    // `#[non_exhaustive]`: a field the vendor adds later is not a breaking
    // change for callers, who build values with `new` and `with_*`.
    let item = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::cloudsnap::runtime::__private::serde::Serialize, ::cloudsnap::runtime::__private::serde::Deserialize)]
        #[serde(crate = "::cloudsnap::runtime::__private::serde")]
        #[non_exhaustive]
        pub struct #name #fields
    };
    super::join([item, constructor, accessors])
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
fn lenient_reader(f: &FieldModel) -> Option<&'static str> {
    if !f.lenient {
        return None;
    }
    Some(match (matches!(f.ty, Ty::Array(_)), f.optional) {
        (false, false) => "::cloudsnap::runtime::tolerant::scalar",
        (false, true) => "::cloudsnap::runtime::tolerant::option",
        (true, false) => "::cloudsnap::runtime::tolerant::vec",
        (true, true) => "::cloudsnap::runtime::tolerant::option_vec",
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

/// A serde helper a field is read (and written) through.
#[derive(Clone, Copy)]
pub(crate) enum Helper<'a> {
    /// Plain serde.
    None,
    /// `with = module` (list wrappers): both directions.
    With(&'a str),
    /// `deserialize_with = path` (lenient readers).
    DeserializeWith(&'a str),
}

/// The `#[serde(...)]` of a struct field or request parameter, saying only
/// what serde's derive would not do by itself (nothing at all when it has
/// nothing to say):
///
/// - `rename` only when the wire name is not the field's name as serde
///   spells it (the identifier without `r#`);
/// - on an optional member, `skip_serializing_if` always, and `default` only
///   with a helper: serde already reads a missing `Option` field as `None`,
///   but not through `with`/`deserialize_with`, where a missing field would
///   be an error.
pub(crate) fn serde_attr(ident: &str, wire: &str, optional: bool, helper: Helper<'_>) -> TokenStream {
    let mut items = Vec::new();
    if wire != bare(ident) {
        items.push(quote!(rename = #wire));
    }
    if optional {
        if !matches!(helper, Helper::None) {
            items.push(quote!(default));
        }
        items.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
    }
    match helper {
        Helper::None => {}
        Helper::With(module) => items.push(quote!(with = #module)),
        Helper::DeserializeWith(reader) => items.push(quote!(deserialize_with = #reader)),
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
    let helper = match (&f.wrapper, lenient_reader(f)) {
        (Some(_), _) => Helper::With(f.wrapper_module.as_deref().unwrap_or_default()),
        (None, Some(reader)) => Helper::DeserializeWith(reader),
        (None, None) => Helper::None,
    };
    let serde = serde_attr(&f.ident, wire, f.optional, helper);
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
        let doc = format!("Serde helpers for lists wrapped as `{{\"{key}\": [...]}}`.");
        quote! {
            #[doc = #doc]
            mod #module {
                pub(super) fn serialize<T: ::cloudsnap::runtime::__private::serde::Serialize, S: ::cloudsnap::runtime::__private::serde::Serializer>(
                    items: &::std::option::Option<::std::vec::Vec<T>>,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    ::cloudsnap::runtime::wrapper::serialize(#key, items, serializer)
                }

                pub(super) fn deserialize<'de, T: ::cloudsnap::runtime::__private::serde::Deserialize<'de>, D: ::cloudsnap::runtime::__private::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<T>>, D::Error> {
                    ::cloudsnap::runtime::wrapper::deserialize(#key, deserializer)
                }
            }
        }
    });
    quote!(#(#modules)*)
}
