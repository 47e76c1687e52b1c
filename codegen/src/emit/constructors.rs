//! `new(required...)` plus one `with_*` setter per optional member: the
//! constructor shape shared by request types and object types, generated as
//! calls of the runtime's `constructor!` and `setter!` macros.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_attrs, generated_doc_attrs};
use super::structs::deprecation_text;
use super::{bare, ident, rust_type};
use crate::model::{Deprecation, Model, Ty};

/// One field of the struct being constructed.
pub(crate) struct Member<'a> {
    /// Rust identifier (possibly raw).
    pub ident: &'a str,
    /// Wire name, for docs.
    pub wire: &'a str,
    /// Its type (without `Option`).
    pub ty: &'a Ty,
    /// Optional members are `Option<T>`, set by a `with_*` setter.
    pub optional: bool,
    /// The setter's documentation.
    pub setter_doc: String,
    /// Deprecation, which marks the setter `#[deprecated]`.
    pub deprecated: Option<&'a Deprecation>,
}

/// `impl name { new(..); with_*(..) }`; `new_doc` documents `new` given the
/// wire names of the required members.
pub(crate) fn constructor(model: &Model, name: &Ident, members: &[Member<'_>], new_doc: String) -> TokenStream {
    let args = members.iter().filter(|m| !m.optional).map(|m| {
        let id = ident(m.ident);
        let ty = rust_type(model, m.ty);
        quote!(#id: #ty)
    });
    let optional: Vec<Ident> = members.iter().filter(|m| m.optional).map(|m| ident(m.ident)).collect();
    let unset = (!optional.is_empty()).then(|| quote!(; unset: #(#optional),*));
    let required = members.len() - optional.len();
    let many = (required > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // `new` is one call of the runtime's `constructor!` macro, which leaves
    // the optional members `None`, and each setter one call of `setter!`:
    // the same methods, without repeating their bodies for every member.
    let setters = members.iter().filter(|m| m.optional).map(|m| {
        let id = ident(m.ident);
        let setter = format_ident!("with_{}", bare(m.ident));
        let ty = rust_type(model, m.ty);
        let doc = doc_attrs(&m.setter_doc);
        let deprecated = m.deprecated.map(|d| {
            let note = deprecation_text(d).replace("**", "");
            quote!(#[deprecated(note = #note)])
        });
        quote!(::cloudsnap::runtime::setter!(#doc #deprecated #setter => #id: #ty);)
    });
    let new_doc = generated_doc_attrs(&new_doc);
    quote! {
        impl #name {
            ::cloudsnap::runtime::constructor!(#new_doc #many new(#(#args),*) #unset);

            #(#setters)*
        }
    }
}

/// "`a`, `b`" for the required members.
pub(crate) fn required_list(members: &[Member<'_>]) -> Option<String> {
    let names: Vec<String> = members
        .iter()
        .filter(|m| !m.optional)
        .map(|m| format!("`{}`", m.wire))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}
