//! Open string enums: known variants plus `Unknown(String)`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, join};
use crate::model::{EnumValueModel, TypeModel};

/// One variant of an open enum.
pub(crate) struct Variant {
    pub ident: String,
    pub wire: String,
    pub docs: String,
    /// The documented HTTP status (error codes only).
    pub status: Option<u16>,
}

/// A named enum type from `types`.
pub(crate) fn type_enum(t: &TypeModel, values: &[EnumValueModel], case_insensitive: bool) -> TokenStream {
    let variants: Vec<Variant> = values
        .iter()
        .map(|v| {
            let dep = v.deprecated.as_ref().map(super::structs::deprecation_text);
            Variant {
                ident: v.ident.clone(),
                wire: v.wire.clone(),
                docs: join(&[Some(&format!("`{}`", v.wire)), v.docs.as_deref(), dep.as_deref()]),
                status: None,
            }
        })
        .collect();
    let mut docs = t.docs.clone().unwrap_or_default();
    docs.push_str("\n\nAn open enum: values this version does not know are kept in `Unknown`.");
    if case_insensitive {
        docs.push_str(" Incoming values are matched ignoring ASCII case.");
    }
    open_enum(&t.rust_name, &docs, &variants, Impls::Open { case_insensitive })
}

/// What an open enum's impls are generated with (all but the enum item).
pub(crate) enum Impls {
    /// `open_enum!`, matching incoming values exactly or ignoring ASCII case.
    Open { case_insensitive: bool },
    /// `error_code_enum!`: also `ErrorCode`, with each variant's documented
    /// HTTP status ([`Variant::status`]).
    ErrorCodes,
}

/// The enum item (its docs, derives and variants are what users read) and
/// one call of the runtime's `open_enum!` or `error_code_enum!` with the
/// table of variants and wire values, which expands to `VALUES`, `as_str`,
/// `is_known`, `From<&str>`, `Display`, serde (and `ErrorCode`).
pub(crate) fn open_enum(name: &str, docs: &str, variants: &[Variant], impls: Impls) -> TokenStream {
    let name = format_ident!("{name}");
    let doc = doc_attrs(docs);
    let idents: Vec<_> = variants.iter().map(|v| format_ident!("{}", v.ident)).collect();
    let vdocs = variants.iter().map(|v| doc_attrs(&v.docs));
    let table = variants.iter().zip(&idents).map(|(v, id)| {
        let w = &v.wire;
        match v.status.map(proc_macro2::Literal::u16_unsuffixed) {
            Some(status) => quote!(#id = #w => #status),
            None => quote!(#id = #w),
        }
    });
    let call = match impls {
        Impls::Open {
            case_insensitive: false,
        } => quote!(::cloudsnap::runtime::open_enum!(#name { #(#table),* });),
        Impls::Open { case_insensitive: true } => {
            quote!(::cloudsnap::runtime::open_enum!(#name, ignore_ascii_case { #(#table),* });)
        }
        Impls::ErrorCodes => quote!(::cloudsnap::runtime::error_code_enum!(#name { #(#table),* });),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#vdocs #idents,)*
            /// A value this version of the spec does not know, exactly as received.
            Unknown(::std::string::String),
        }

        #call
    }
}
