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
            }
        })
        .collect();
    let mut docs = t.docs.clone().unwrap_or_default();
    docs.push_str("\n\nAn open enum: values this version does not know are kept in `Unknown`.");
    if case_insensitive {
        docs.push_str(" Incoming values are matched ignoring ASCII case.");
    }
    open_enum(&t.rust_name, &docs, &variants, case_insensitive, quote!())
}

/// The enum, `as_str`, `From`, `Display` and serde impls.
pub(crate) fn open_enum(
    name: &str,
    docs: &str,
    variants: &[Variant],
    case_insensitive: bool,
    extra: TokenStream,
) -> TokenStream {
    let name = format_ident!("{name}");
    let doc = doc_attrs(docs);
    let idents: Vec<_> = variants.iter().map(|v| format_ident!("{}", v.ident)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let vdocs = variants.iter().map(|v| doc_attrs(&v.docs));
    let matches = variants.iter().zip(&idents).map(|(v, id)| {
        let w = &v.wire;
        if case_insensitive {
            quote!(s if s.eq_ignore_ascii_case(#w) => Self::#id,)
        } else {
            quote!(#w => Self::#id,)
        }
    });
    let from_str = if variants.is_empty() {
        quote!(Self::Unknown(s.to_owned()))
    } else {
        quote! {
            match s {
                #(#matches)*
                other => Self::Unknown(other.to_owned()),
            }
        }
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

        impl #name {
            /// Every known wire value, in document order.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// Whether this is a value the spec documents.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                #from_str
            }
        }

        ::cloudsnap::runtime::open_enum_impls!(#name);

        #extra
    }
}
