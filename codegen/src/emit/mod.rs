//! Emit: model -> token streams. One module per concern; nothing here reads
//! YAML or can fail on spec content.

pub mod client;
mod constructors;
mod docs;
mod dynamic;
mod enums;
mod ops;
mod resources;
mod service;
mod structs;
pub mod tests;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, Ty, TypeKind, TypePaths};

/// Tokens for a whole service module file.
pub fn module(model: &Model) -> TokenStream {
    (0..part_count(model)).map(|i| module_part(model, i)).collect()
}

/// How many parts [`module_part`] splits a module into: the header (inner
/// docs, `SERVICE` and the `Client` with its constructors), one per operation
/// (with its client methods), one per type, the wrapper helpers.
pub fn part_count(model: &Model) -> usize {
    model.operations.len() + model.types.len() + 2
}

/// Part `i` of the module, in file order. Each part is a sequence of whole
/// items, so the parts can be formatted one at a time (and on several
/// threads) instead of holding one token stream and one syntax tree for the
/// whole file: with thousands of operations that was most of the
/// generator's time and memory. Concatenated they are [`module`].
pub fn module_part(model: &Model, i: usize) -> TokenStream {
    let ops = model.operations.len();
    let types = model.types.len();
    match i {
        0 => {
            let header = service::module_docs(model);
            let service = service::service_info(model);
            let errata = service::errata_module(model);
            let client = client::client(model);
            let dynamic = dynamic::catalog(model);
            join([header, service, errata, client, dynamic])
        }
        i if i <= ops => {
            let op = &model.operations[i - 1];
            let operation = ops::operation(model, op);
            let methods = client::operation_methods(model, op);
            join([methods, operation])
        }
        i if i <= ops + types => {
            let t = &model.types[i - 1 - ops];
            match &t.kind {
                TypeKind::Object { fields } => structs::object(model, t, fields),
                TypeKind::Enum {
                    values,
                    case_insensitive,
                } => enums::type_enum(t, values, *case_insensitive),
            }
        }
        i if i == ops + types + 1 => {
            let wrappers = structs::wrapper_modules(model);
            let resources = resources::resources(model);
            join([wrappers, resources])
        }
        _ => TokenStream::new(),
    }
}

/// Token streams joined by moving them. `quote!` interpolates by
/// reference, so `quote! { #a #b }` copies each top-level identifier and
/// literal of `a` and `b` (an allocation each); joining moves them.
pub(crate) fn join<const N: usize>(parts: [TokenStream; N]) -> TokenStream {
    let mut out = TokenStream::new();
    out.extend(parts);
    out
}

/// The Rust type for a resolved type, as the model spells it
/// ([`Model::rust_type`], qualified).
pub(crate) fn rust_type(model: &Model, ty: &Ty) -> TokenStream {
    let text = model.rust_type(ty, TypePaths::Qualified);
    // The model spells paths and checked identifiers only; should that ever
    // not lex, the generated code says so instead of the generator panicking.
    text.parse().unwrap_or_else(|e| {
        let message = format!("cloudsnap-codegen: cannot spell the type `{text}`: {e}");
        quote!(::core::compile_error!(#message))
    })
}

/// An identifier that may be raw (`r#type`).
pub(crate) fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

pub(crate) use crate::model::bare;
