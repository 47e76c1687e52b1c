//! The operation catalog for calls by name: one `DYNAMIC` table per service
//! (operations, their parameters by wire and Rust name) whose entries point
//! at the runtime's generic `call` instantiated with each request type, and
//! `Client::call_json` on top. Everything else lives in
//! `cloudsnap::client::dynamic`, so the generated part stays one table.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::generated_doc_attrs;
use super::{bare, ident};
use crate::model::{Model, OperationModel, ParamModel, Ty, TypeKind};

/// `pub static DYNAMIC: DynService` and `Client::call_json`.
pub(crate) fn catalog(model: &Model) -> TokenStream {
    let s = &model.service;
    let feature = format!("{}-{}", s.vendor, s.id);
    let operations = model.operations.iter().map(|op| operation(model, op));
    let doc = generated_doc_attrs(&format!(
        "Every operation of {}, callable by wire or Rust name with JSON parameters \
         (see `cloudsnap::client::dynamic`); [`Client::call_json`] uses it.",
        super::docs::spec_inline(&s.title)
    ));
    let client_cfg = super::client::client_cfg();
    quote! {
        #doc
        #client_cfg
        pub static DYNAMIC: ::cloudsnap::client::DynService = ::cloudsnap::client::DynService {
            info: &SERVICE,
            feature: #feature,
            from_env: |config| ::std::result::Result::Ok(Client::from_env(config)?.inner),
            operations: &[#(#operations),*],
            resources,
        };

        #client_cfg
        impl Client {
            /// Call the operation with this wire name (`ListBackups`) or Rust
            /// name (`list_backups`), with `params` a JSON object keyed by
            /// parameter wire or Rust names (`null` for none), and return its
            /// output as JSON. The request is validated as the typed method
            /// would; unknown names are refused with the valid ones listed.
            pub async fn call_json(
                &self,
                operation: &str,
                params: ::cloudsnap::client::dynamic::Value,
            ) -> ::std::result::Result<::cloudsnap::client::dynamic::Value, ::cloudsnap::client::DynCallError> {
                DYNAMIC.call_json(&self.inner, operation, params).await
            }
        }
    }
}

/// One catalog entry: a call of the runtime's `dyn_operation!` with one
/// line per parameter.
fn operation(model: &Model, op: &OperationModel) -> TokenStream {
    let wire = &op.id;
    let rust = bare(&op.method_name);
    let summary = op.docs.trim().lines().next().unwrap_or_default().trim();
    let request = ident(&op.request_name);
    let params = op.params.iter().map(|p| param(model, p));
    quote! {
        ::cloudsnap::runtime::dyn_operation!(#wire as #rust => #request, #summary; #(#params)*)
    }
}

fn param(model: &Model, p: &ParamModel) -> TokenStream {
    let wire = &p.wire;
    let rust = bare(&p.ident);
    let rust = (rust != wire).then(|| quote!(as #rust));
    let presence = if p.required { quote!(required) } else { quote!(optional) };
    let kind = kind(model, &p.ty);
    let type_name = type_name(model, &p.ty);
    quote!(#wire #rust: #presence #kind, #type_name;)
}

/// The `ParamKind` variant, as `dyn_operation!` reads it (`String`,
/// `Enum(Type)`, `Array(kind)`).
fn kind(model: &Model, ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Integer | Ty::Int32 => quote!(Integer),
        Ty::Number => quote!(Number),
        Ty::Boolean => quote!(Boolean),
        Ty::Json => quote!(Json),
        Ty::Array(inner) => {
            let inner = kind(model, inner);
            quote!(Array(#inner))
        }
        Ty::Map(_) => quote!(Object),
        Ty::Named(i) => match &model.types[*i].kind {
            TypeKind::Object { .. } => quote!(Object),
            TypeKind::Enum { .. } => {
                let name = ident(model.type_name(*i));
                quote!(Enum(#name))
            }
        },
    }
}

fn type_name(model: &Model, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".to_owned(),
        Ty::Integer => "integer".to_owned(),
        Ty::Int32 => "int32".to_owned(),
        Ty::Number => "number".to_owned(),
        Ty::Boolean => "boolean".to_owned(),
        Ty::Json => "json".to_owned(),
        Ty::Array(inner) => format!("array<{}>", type_name(model, inner)),
        Ty::Map(inner) => format!("map<{}>", type_name(model, inner)),
        Ty::Named(i) => model.type_name(*i).to_owned(),
    }
}
