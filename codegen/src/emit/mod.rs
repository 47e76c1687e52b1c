//! Emit: model -> token streams. One module per concern; nothing here reads
//! YAML or can fail on spec content.

mod builder;
pub mod client;
mod docs;
mod enums;
mod ops;
mod service;
mod structs;
pub mod tests;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Model, Ty, TypeKind};

/// Tokens for a whole service module file.
pub fn module(model: &Model) -> TokenStream {
    let header = service::module_docs(model);
    let service = service::service_info(model);
    let types = model.types.iter().map(|t| match &t.kind {
        TypeKind::Object { fields } => structs::object(model, t, fields),
        TypeKind::Enum {
            values,
            case_insensitive,
        } => enums::type_enum(t, values, *case_insensitive),
    });
    let ops = model.operations.iter().map(|op| ops::operation(model, op));
    let wrappers = structs::wrapper_modules(model);
    let client = client::client(model);
    quote! {
        #header
        #service
        #client
        #(#ops)*
        #(#types)*
        #wrappers
    }
}

/// The Rust type for a resolved type.
pub(crate) fn rust_type(model: &Model, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Integer => quote!(i64),
        Ty::Int32 => quote!(i32),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Json => quote!(::serde_json::Value),
        Ty::Array(inner) => {
            let inner = rust_type(model, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(model, inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Named(i) => {
            let name = format_ident!("{}", model.type_name(*i));
            quote!(#name)
        }
    }
}

/// An identifier that may be raw (`r#type`).
pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// A name without its raw prefix, for use inside other names.
pub(crate) fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}
