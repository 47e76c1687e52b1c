//! Example tests: every example in a spec becomes a `#[test]` that calls the
//! generated code (like smithy's protocol tests). The functions they call
//! live in the root crate's `tests/examples.rs`.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Model, OperationModel};

/// Test functions for every example of every operation in `model`.
pub fn example_tests(model: &Model) -> TokenStream {
    model.operations.iter().map(|op| operation_tests(model, op)).collect()
}

/// The tests of operation `i` (a formatting part, see `crate::format_parts`).
pub fn operation_part(model: &Model, i: usize) -> TokenStream {
    operation_tests(model, &model.operations[i])
}

/// The test functions of one operation's examples.
pub fn operation_tests(model: &Model, op: &OperationModel) -> TokenStream {
    let s = &model.service;
    let module = format!("{}::{}", s.vendor, s.id);
    let mut tests = Vec::new();
    let request: syn::Path = syn::parse_str(&format!("::cloudsnap::{module}::{}Request", op.id))
        .expect("identifiers were validated by the model");
    for ex in &op.examples {
        let stem = format!(
            "{}_{}_{}_{}",
            s.vendor,
            s.id,
            op.id.to_snake_case(),
            ex.name.to_snake_case()
        );
        let origin = format!("{module} {} example `{}`", op.id, ex.name);
        if let Some(req) = &ex.request {
            let test = format_ident!("{}_request", stem);
            let params = serde_json::to_string(&req.params).unwrap_or_default();
            let method = req.method.as_str();
            let path = &req.path;
            let query = req.query.iter().map(|(k, v)| quote!((#k, #v)));
            let headers = req.headers.iter().map(|(k, v)| quote!((#k, #v)));
            let body = match &req.body {
                Some(b) => quote!(::std::option::Option::Some(#b)),
                None => quote!(::std::option::Option::None),
            };
            tests.push(quote! {
                #[test]
                fn #test() {
                    crate::check_request::<#request>(#origin, #params, #method, #path, &[#(#query),*], &[#(#headers),*], #body);
                }
            });
        }
        if let Some(resp) = &ex.response {
            let test = format_ident!("{}_response", stem);
            let status = resp.status;
            let body = &resp.body;
            tests.push(quote! {
                #[test]
                fn #test() {
                    crate::check_response::<#request>(#origin, #status, #body);
                }
            });
        }
    }
    quote!(#(#tests)*)
}
