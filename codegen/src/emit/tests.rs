//! Example tests: every example in a spec becomes a `#[test]` that calls the
//! generated code (like smithy's protocol tests). The functions they call
//! live in the root crate's `tests/examples.rs`.

use proc_macro2::TokenStream;
use quote::quote;

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
    let (vendor, service, request) = (
        super::ident(&s.vendor),
        super::ident(&s.id),
        super::ident(&op.request_name),
    );
    let request = quote!(::cloudsnap::#vendor::#service::#request);
    for (ex, names) in op.examples.iter().zip(&op.example_tests) {
        let origin = format!("{module} {} example `{}`", op.id, ex.name);
        if let (Some(req), Some(test)) = (&ex.request, &names.request) {
            let test = super::ident(test);
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
        if let (Some(resp), Some(test)) = (&ex.response, &names.response) {
            let test = super::ident(test);
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
