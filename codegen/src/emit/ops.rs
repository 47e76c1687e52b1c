//! Per operation: the request type, its validation and HTTP building, the
//! response parsing, and the open enum of documented error codes.

use proc_macro2::TokenStream;
use quote::quote;

use super::constructors::{self, required_list, Member};
use super::docs::{doc_attrs, join, spec_inline, Docs};
use super::enums::{open_enum, Impls, Variant};
use super::structs::{deprecation_text, deserialize_table, serde_attr, Read, TableEntry};
use super::{ident, rust_type};
use crate::model::{Bounds, Encoding, Location, Model, OperationModel, ParamModel, PathPart};

/// Everything generated for one operation.
pub(crate) fn operation(model: &Model, op: &OperationModel) -> TokenStream {
    super::join([
        request_struct(model, op),
        constructor(model, op),
        operation_impl(model, op),
        error_codes(op),
        pattern_statics(op),
    ])
}

fn request_name(op: &OperationModel) -> proc_macro2::Ident {
    ident(&op.request_name)
}

fn error_code_name(op: &OperationModel) -> proc_macro2::Ident {
    ident(&op.error_code_name)
}

fn param_docs(p: &ParamModel) -> String {
    let location = match p.location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Body => "body",
    };
    let dep = p.deprecated.as_ref().map(deprecation_text);
    let default = p.default.as_ref().map(|d| format!("Server default: `{d}`."));
    let example = p.example.as_ref().map(|e| format!("Example: `{e}`"));
    let c = &p.constraints;
    let mut limits = Vec::new();
    if let Some(b) = bounds(c.length) {
        limits.push(format!("length {b}"));
    }
    if let Some(pat) = &c.pattern {
        limits.push(format!("pattern `{pat}`"));
    }
    if let Some(b) = bounds(c.range) {
        limits.push(format!("value {b}"));
    }
    if let Some(b) = bounds(c.items) {
        limits.push(format!("items {b}"));
    }
    let limits = (!limits.is_empty()).then(|| format!("Checked before sending: {}.", limits.join(", ")));
    let wire = format!("Wire: `{}` in the {location}.", p.wire);
    let filled = p.from_client.as_ref().map(|v| {
        let setter = if v == "region" {
            "`ClientConfig::region`".to_owned()
        } else {
            format!("`ClientConfig::endpoint_variable(\"{v}\", ...)`")
        };
        format!(
            "Left unset, a service `Client` sends its configuration's `{v}` ({setter}); without a client, set it here."
        )
    });
    join(&[
        p.docs.as_deref(),
        filled.as_deref(),
        dep.as_deref(),
        default.as_deref(),
        limits.as_deref(),
        example.as_deref(),
        Some(&wire),
    ])
}

/// `1..=100`, `at least 1`, `at most 100`, or nothing.
fn bounds<T: std::fmt::Display>(b: Bounds<T>) -> Option<String> {
    match (b.min, b.max) {
        (Some(min), Some(max)) => Some(format!("{min}..={max}")),
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    }
}

fn request_struct(model: &Model, op: &OperationModel) -> TokenStream {
    let name = request_name(op);
    let summary = op.docs.trim().lines().next().unwrap_or_default();
    let doc = Docs::default()
        .generated(&format!(
            "Request of `{}` ({} `{}`): {}",
            op.id,
            op.method.as_str(),
            op.path_template,
            spec_inline(summary)
        ))
        .spec(op.docs.trim())
        .generated(&format!(
            "Build it with [`{name}::new`] and the `with_*` setters; send it with a service `Client`, or \
             with any transport through [`Operation`](::cloudsnap::runtime::Operation)."
        ))
        .generated(
            "`Serialize` and `Deserialize` use the parameters' wire names: the serde form is a JSON object \
             of the parameters as the service names them, unset optional ones left out (what the example \
             tests and the dynamic operation catalog read). It is not the HTTP request: \
             [`build_request`](::cloudsnap::runtime::Operation::build_request) puts each parameter in its \
             place (path, query, header or body) with its encoding.",
        )
        .attrs();
    let fields = op.params.iter().map(|p| {
        let id = ident(&p.ident);
        let ty = rust_type(model, &p.ty);
        let doc = doc_attrs(&param_docs(p));
        let serde = serde_attr(&p.ident, &p.wire, !p.required, None);
        if p.required {
            quote! { #doc #serde pub #id: #ty, }
        } else {
            quote! { #doc #serde pub #id: ::std::option::Option<#ty>, }
        }
    });
    let default = op.request_defaultable.then(|| quote!(Default,));
    let table = deserialize_table(
        &name,
        op.params.iter().map(|p| TableEntry {
            wire: &p.wire,
            ident: &p.ident,
            read: Read::Plain,
        }),
    );
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::cloudsnap::runtime::__private::serde::Serialize)]
        #[serde(crate = "::cloudsnap::runtime::__private::serde")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #table
    }
}

fn constructor(model: &Model, op: &OperationModel) -> TokenStream {
    let members: Vec<Member<'_>> = op
        .params
        .iter()
        .map(|p| Member {
            ident: &p.ident,
            wire: &p.wire,
            ty: &p.ty,
            optional: !p.required,
            setter_doc: format!("Set `{}`.\n\n{}", p.wire, param_docs(p)),
            deprecated: p.deprecated.as_ref(),
        })
        .collect();
    let new_doc = match required_list(&members) {
        None => "Create a request; every parameter is optional.".to_owned(),
        Some(names) => format!("Create a request with the required parameters {names}."),
    };
    constructors::constructor(model, &request_name(op), &members, new_doc)
}

/// The static of a parameter with a `pattern` (named by the model).
fn pattern_static(p: &ParamModel) -> proc_macro2::Ident {
    ident(p.pattern_static.as_deref().unwrap_or_default())
}

fn pattern_statics(op: &OperationModel) -> TokenStream {
    let statics = op.params.iter().filter(|p| p.constraints.pattern.is_some()).map(|p| {
        let name = pattern_static(p);
        let doc = format!("Compiled pattern of `{}` in `{}`.", p.wire, op.id);
        quote! {
            #[doc = #doc]
            static #name: ::cloudsnap::runtime::validate::Pattern = ::cloudsnap::runtime::validate::Pattern::new();
        }
    });
    quote!(#(#statics)*)
}

/// One parameter's validation: a `check!` call with one entry per
/// constraint (`length(1..=64)`, `range(..=100)`, `items(1..)`,
/// `pattern(STATIC, "regex")`), or nothing when it has none.
fn checks(p: &ParamModel) -> Option<TokenStream> {
    let c = &p.constraints;
    let mut kinds = Vec::new();
    if let Some(b) = range_tokens(c.length, proc_macro2::Literal::u64_unsuffixed) {
        kinds.push(quote!(length(#b)));
    }
    if let Some(pattern) = &c.pattern {
        let name = pattern_static(p);
        kinds.push(quote!(pattern(#name, #pattern)));
    }
    if let Some(b) = range_tokens(c.range, proc_macro2::Literal::i64_unsuffixed) {
        kinds.push(quote!(range(#b)));
    }
    if let Some(b) = range_tokens(c.items, proc_macro2::Literal::u64_unsuffixed) {
        kinds.push(quote!(items(#b)));
    }
    if kinds.is_empty() {
        return None;
    }
    let wire = &p.wire;
    let id = ident(&p.ident);
    let presence = if p.required { quote!(required) } else { quote!(optional) };
    Some(quote!(::cloudsnap::runtime::check!(#wire, #presence self.#id => #(#kinds),*);))
}

/// Bounds as a Rust range (`1..=100`, `1..`, `..=100`), or `None` when open.
fn range_tokens<T: Copy>(b: Bounds<T>, lit: fn(T) -> proc_macro2::Literal) -> Option<TokenStream> {
    match (b.min.map(lit), b.max.map(lit)) {
        (Some(min), Some(max)) => Some(quote!(#min..=#max)),
        (Some(min), None) => Some(quote!(#min..)),
        (None, Some(max)) => Some(quote!(..=#max)),
        (None, None) => None,
    }
}

/// Statements that put one parameter (bound to `v`) on the request builder `b`.
fn placement(p: &ParamModel) -> TokenStream {
    let wire = &p.wire;
    match (p.location, p.encoding) {
        (Location::Path, _) => quote!(b.path_param(#wire, &v.to_string())?;),
        (Location::Header, _) => quote!(b.header(#wire, &v.to_string())?;),
        (Location::Body, _) => quote!(b.body_field(#wire, v)?;),
        (Location::Query, None) => quote!(b.query(#wire, v.to_string());),
        (Location::Query, Some(Encoding::Json)) => quote!(b.query_json(#wire, v)?;),
        (Location::Query, Some(Encoding::Flattened)) => quote!(b.query_flattened(#wire, v)?;),
        (Location::Query, Some(Encoding::Comma)) => quote!(b.query_comma(#wire, v);),
    }
}

/// Bind the parameter to `v` (skipping unset optionals) and run `body`.
fn with_value(p: &ParamModel, body: TokenStream) -> TokenStream {
    let id = ident(&p.ident);
    if p.required {
        // A statement, not a bare block: build.rs prints tokens compactly,
        // and `} {` after an `if` reads to clippy as a missing `else`.
        quote! { let v = &self.#id; #body }
    } else {
        quote! { if let ::std::option::Option::Some(v) = &self.#id { #body } }
    }
}

fn operation_impl(model: &Model, op: &OperationModel) -> TokenStream {
    let name = request_name(op);
    let codes = error_code_name(op);
    let output = match &op.output {
        Some(t) => rust_type(model, t),
        None => quote!(()),
    };
    let (id, method, path, action, status, idempotent) = (
        &op.id,
        op.method.as_str(),
        &op.path_template,
        &op.action,
        op.success_status,
        op.idempotent,
    );
    let validations = op.params.iter().filter_map(checks);
    // Path first (in template order), then everything else in spec order.
    let path_steps = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(b.path_literal(#text);),
        PathPart::Param(i) => with_value(&op.params[*i], placement(&op.params[*i])),
    });
    let other_steps = op
        .params
        .iter()
        .filter(|p| p.location != Location::Path)
        .map(|p| with_value(p, placement(p)));
    let parse = if op.output.is_some() {
        quote!(::cloudsnap::runtime::response::parse_json(&Self::INFO, response))
    } else {
        quote!(::cloudsnap::runtime::response::parse_empty(&Self::INFO, response))
    };
    let filled: Vec<TokenStream> = op
        .params
        .iter()
        .filter_map(|p| {
            let variable = p.from_client.as_deref()?;
            let wire = &p.wire;
            let location = match p.location {
                Location::Header => quote!(::cloudsnap::runtime::FilledIn::Header),
                _ => quote!(::cloudsnap::runtime::FilledIn::Query),
            };
            Some(quote! {
                ::cloudsnap::runtime::ClientFilled { name: #wire, location: #location, variable: #variable }
            })
        })
        .collect();
    let client_filled = (!filled.is_empty()).then(|| {
        quote! {
            const CLIENT_FILLED: &'static [::cloudsnap::runtime::ClientFilled] = &[#(#filled),*];
        }
    });
    quote! {
        impl ::cloudsnap::runtime::Operation for #name {
            type Output = #output;
            type ErrorCode = #codes;

            const INFO: ::cloudsnap::runtime::OperationInfo = ::cloudsnap::runtime::OperationInfo {
                service: &SERVICE,
                name: #id,
                method: #method,
                path: #path,
                action: #action,
                success_status: #status,
                idempotent: #idempotent,
            };

            #client_filled

            fn validate(&self) -> ::std::result::Result<(), ::cloudsnap::runtime::ValidationError> {
                #(#validations)*
                ::std::result::Result::Ok(())
            }

            fn build_request(&self) -> ::std::result::Result<::cloudsnap::runtime::__private::http::Request<::std::vec::Vec<u8>>, ::cloudsnap::runtime::BuildError> {
                self.validate()?;
                let mut b = ::cloudsnap::runtime::RequestBuilder::new(&Self::INFO);
                #(#path_steps)*
                #(#other_steps)*
                b.finish()
            }

            fn parse_response<B: ::std::convert::AsRef<[u8]>>(
                response: &::cloudsnap::runtime::__private::http::Response<B>,
            ) -> ::std::result::Result<Self::Output, ::cloudsnap::runtime::ResponseError<Self::ErrorCode>> {
                #parse
            }
        }
    }
}

fn error_codes(op: &OperationModel) -> TokenStream {
    let name = error_code_name(op);
    let variants: Vec<Variant> = op
        .errors
        .iter()
        .map(|e| Variant {
            ident: e.ident.clone(),
            wire: e.code.clone(),
            docs: join(&[
                Some(&format!("`{}` (HTTP {})", e.code, e.status)),
                e.docs.as_deref(),
                e.message.as_deref().map(|m| format!("Message: \"{m}\"")).as_deref(),
            ]),
            status: Some(e.status),
        })
        .collect();
    let mut docs = format!(
        "Error codes `{}` documents. Codes it does not list arrive as `Unknown`.",
        op.id
    );
    if let Some(d) = &op.error_docs {
        docs.push_str(&format!("\n\n{}", d.trim()));
    }
    open_enum(&name.to_string(), &docs, &variants, Impls::ErrorCodes)
}
