//! Resources: the lifecycle declaration of each resource (a static the
//! runtime reads), `Summarize` for every output that shows one, the
//! `wait_until_*` client methods, and the type-erased `resources()` entry
//! point.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, generated_doc_attrs};
use super::{ident, rust_type};
use crate::model::{ErrorMeaning, PaginationStyle, SizeUnit, State};
use crate::model::{Model, OperationModel, ResourceModel, Ty, ViewModel};

/// Everything the module's resources generate (nothing without resources
/// but an empty `resources()`).
pub(crate) fn resources(model: &Model) -> TokenStream {
    let decls = model.resources.iter().map(|r| declaration(model, r));
    let summarize = summarize_impls(model);
    let waiters = model.resources.iter().map(|r| waiter_methods(model, r));
    let dyns = model.resources.iter().map(|r| dyn_resource(model, r));
    let entries = model.resources.iter().map(|r| {
        let name = format_ident!("{}", r.dyn_name);
        quote!(&#name)
    });
    let list_doc = generated_doc_attrs(&format!(
        "The resources of {} this module declares, type-erased for generic code (an operator tool, a \
         cross-cloud inventory) that knows only the module: each lists, describes and waits through a \
         [`cloudsnap::client::Client`] (a service client's [`Client::inner`]), with parameters as a JSON \
         object keyed by wire or Rust name.\n\n```ignore\nlet client = Client::from_env(Client::config())?;\n\
         for resource in resources() {{\n    for s in resource.list(client.inner(), &serde_json::Map::new()).await? {{\n        \
         println!(\"{{}} {{}} {{}}\", s.id, s.state, s.raw_state.unwrap_or_default());\n    }}\n}}\n```",
        model.service.title
    ));
    let waiters: Vec<TokenStream> = waiters.filter(|w| !w.is_empty()).collect();
    let client_cfg = super::client::client_cfg();
    let waiters = if waiters.is_empty() {
        quote!()
    } else {
        quote! {
            #client_cfg
            impl Client {
                #(#waiters)*
            }
        }
    };
    quote! {
        #(#decls)*
        #summarize
        #waiters

        #(#dyns)*

        #list_doc
        #client_cfg
        pub fn resources() -> &'static [&'static dyn ::cloudsnap::client::DynResource] {
            &[#(#entries),*]
        }
    }
}

fn state_tokens(s: State) -> TokenStream {
    let v = format_ident!(
        "{}",
        match s {
            State::Creating => "Creating",
            State::Available => "Available",
            State::Failed => "Failed",
            State::Deleting => "Deleting",
            State::Restoring => "Restoring",
            State::Unknown => "Unknown",
        }
    );
    quote!(::cloudsnap::runtime::lifecycle::State::#v)
}

fn paths(ps: &[Vec<String>]) -> TokenStream {
    let each = ps.iter().map(|p| quote!(&[#(#p),*]));
    quote!(&[#(#each),*])
}

fn view_tokens(model: &Model, v: &ViewModel) -> TokenStream {
    let op = &model.operations[v.op].id;
    let id_param = match &v.id_param {
        Some((w, list)) => quote!(::std::option::Option::Some((#w, #list))),
        None => quote!(::std::option::Option::None),
    };
    let items = &v.items;
    let items_is_list = v.items_is_list;
    let (id, name, state, created_at, size, progress, expires_at) = (
        paths(&v.id),
        paths(&v.name),
        paths(&v.state),
        paths(&v.created_at),
        paths(&v.size),
        paths(&v.progress),
        paths(&v.expires_at),
    );
    let unit = format_ident!(
        "{}",
        match v.size_unit {
            SizeUnit::Bytes => "Bytes",
            SizeUnit::KiB => "KiB",
            SizeUnit::MiB => "MiB",
            SizeUnit::GiB => "GiB",
        }
    );
    let states = v.states.iter().map(|(raw, s)| {
        let s = state_tokens(*s);
        quote!((#raw, #s))
    });
    let ci = v.states_case_insensitive;
    let acceptors = v.field_acceptors.iter().map(|(field, equals, if_state, state)| {
        let literal = match equals {
            serde_json::Value::Bool(b) => quote!(::cloudsnap::runtime::lifecycle::Literal::Bool(#b)),
            serde_json::Value::Number(n) => {
                let i = n.as_i64().unwrap_or_default();
                quote!(::cloudsnap::runtime::lifecycle::Literal::Int(#i))
            }
            other => {
                let s = other.as_str().unwrap_or_default();
                quote!(::cloudsnap::runtime::lifecycle::Literal::Str(#s))
            }
        };
        let if_state = match if_state {
            Some(s) => {
                let s = state_tokens(*s);
                quote!(::std::option::Option::Some(#s))
            }
            None => quote!(::std::option::Option::None),
        };
        let state = state_tokens(*state);
        quote! {
            ::cloudsnap::runtime::lifecycle::FieldAcceptor {
                field: &[#(#field),*],
                equals: #literal,
                if_state: #if_state,
                state: #state,
            }
        }
    });
    let errors = v.error_acceptors.iter().map(|(code, means)| {
        let means = match means {
            ErrorMeaning::Pending => quote!(Pending),
            ErrorMeaning::Gone => quote!(Gone),
        };
        quote! {
            ::cloudsnap::runtime::lifecycle::ErrorAcceptor {
                code: #code,
                means: ::cloudsnap::runtime::lifecycle::ErrorMeaning::#means,
            }
        }
    });
    quote! {
        ::cloudsnap::runtime::lifecycle::ViewDecl {
            operation: #op,
            id_param: #id_param,
            items: &[#(#items),*],
            items_is_list: #items_is_list,
            fields: ::cloudsnap::runtime::lifecycle::FieldPaths {
                id: #id,
                name: #name,
                state: #state,
                created_at: #created_at,
                size: #size,
                size_unit: ::cloudsnap::runtime::lifecycle::SizeUnit::#unit,
                progress: #progress,
                expires_at: #expires_at,
            },
            states: &[#(#states),*],
            states_case_insensitive: #ci,
            acceptors: &[#(#acceptors),*],
            errors: &[#(#errors),*],
        }
    }
}

fn optional_view(model: &Model, v: &Option<ViewModel>) -> TokenStream {
    match v {
        Some(v) => {
            let t = view_tokens(model, v);
            quote!(::std::option::Option::Some(#t))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn declaration(model: &Model, r: &ResourceModel) -> TokenStream {
    let name = format_ident!("{}", r.static_name);
    let (vendor, service, rname) = (&model.service.vendor, &model.service.id, &r.name);
    let docs = r.docs.clone().unwrap_or_default();
    let describe = optional_view(model, &r.describe);
    let list = optional_view(model, &r.list);
    let create = optional_view(model, &r.create);
    let no_describe = match &r.no_describe {
        Some(why) => quote!(::std::option::Option::Some(#why)),
        None => quote!(::std::option::Option::None),
    };
    let context = &r.context;
    let ops = |v: &Option<ViewModel>| v.as_ref().map(|v| format!("`{}`", model.operations[v.op].id));
    let mut text = format!(
        "Lifecycle declaration of the `{}` resource: how its operations show it, for the waiters and \
         [`cloudsnap::runtime::lifecycle::SnapshotSummary`].",
        r.name
    );
    for (what, v) in [
        ("Described by", ops(&r.describe)),
        ("Listed by", ops(&r.list)),
        ("Created by", ops(&r.create)),
    ] {
        if let Some(op) = v {
            text.push_str(&format!(" {what} {op}."));
        }
    }
    if r.no_describe.is_some() {
        text.push_str(" No operation describes one, so there is no waiter.");
    }
    let doc = generated_doc_attrs(&text);
    let extra = if docs.is_empty() {
        quote!()
    } else {
        doc_attrs(&format!("\n{docs}"))
    };
    quote! {
        #doc
        #extra
        pub static #name: ::cloudsnap::runtime::lifecycle::ResourceDecl = ::cloudsnap::runtime::lifecycle::ResourceDecl {
            vendor: #vendor,
            service: #service,
            name: #rname,
            docs: #docs,
            describe: #describe,
            no_describe: #no_describe,
            list: #list,
            create: #create,
            context: &[#(#context),*],
        };
    }
}

/// `Summarize` for the output type of every view, once per type (the
/// first view that names it decides).
fn summarize_impls(model: &Model) -> TokenStream {
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = TokenStream::new();
    for r in &model.resources {
        let statik = format_ident!("{}", r.static_name);
        for (field, v) in [("describe", &r.describe), ("list", &r.list), ("create", &r.create)] {
            let Some(v) = v else { continue };
            let Some(ty) = &model.operations[v.op].output else {
                continue;
            };
            let Ty::Named(_) = ty else { continue };
            let rust = rust_type(model, ty);
            if !done.insert(rust.to_string()) {
                continue;
            }
            let field = format_ident!("{}", field);
            let doc = format!(
                "Summaries of the `{}` output, read as the `{}` resource declaration says.",
                model.operations[v.op].id, r.name
            );
            out.extend(quote! {
                #[doc = #doc]
                impl ::cloudsnap::runtime::lifecycle::Summarize for #rust {
                    fn summaries(&self) -> ::std::vec::Vec<::cloudsnap::runtime::lifecycle::SnapshotSummary> {
                        match &#statik.#field {
                            ::std::option::Option::Some(view) => ::cloudsnap::runtime::lifecycle::summarize(&#statik, view, self),
                            ::std::option::Option::None => ::std::vec::Vec::new(),
                        }
                    }
                }
            });
        }
    }
    out
}

fn waiter_methods(model: &Model, r: &ResourceModel) -> TokenStream {
    let Some(v) = &r.describe else {
        return TokenStream::new();
    };
    let op = &model.operations[v.op];
    let request = ident(&op.request_name);
    let codes = ident(&op.error_code_name);
    let output = match &op.output {
        Some(t) => rust_type(model, t),
        None => quote!(()),
    };
    let statik = format_ident!("{}", r.static_name);
    let methods = r.waiters.iter().map(|(state, method)| {
        let m = ident(method);
        let st = state_tokens(*state);
        let id = v.id_param.as_ref().map_or(String::new(), |(w, list)| {
            if *list {
                format!(" (the first id in `{w}`)")
            } else {
                format!(" (`{w}`)")
            }
        });
        let doc = generated_doc_attrs(&format!(
            "Wait until the {} that `request` names{id} is `{}`, polling `{}` as `options` say; returns the \
             last output.\n\nEnds early with a [`cloudsnap::client::WaitError`]: `FailureState` when it \
             reaches a state that rules `{}` out (failed, or being deleted), `NotFound` when it is gone, \
             `TimedOut` after `options.max_wait`, `Operation` when the call fails for good. Dropping the \
             future cancels the wait.",
            r.name,
            state.as_str(),
            op.id,
            state.as_str()
        ));
        quote! {
            #doc
            pub async fn #m(
                &self,
                request: &#request,
                options: ::cloudsnap::client::WaitOptions,
            ) -> ::std::result::Result<#output, ::cloudsnap::client::WaitError<#output, ::cloudsnap::client::Error<#codes>>> {
                ::cloudsnap::client::wait_for(&self.inner, &#statik, request, #st, &options).await
            }
        }
    });
    quote!(#(#methods)*)
}

fn names(op: &OperationModel) -> TokenStream {
    let pairs = op.params.iter().map(|p| {
        let rust = super::bare(&p.ident);
        let wire = &p.wire;
        quote!((#rust, #wire))
    });
    quote!(&[#(#pairs),*])
}

fn dyn_resource(model: &Model, r: &ResourceModel) -> TokenStream {
    let name = format_ident!("{}", r.dyn_name);
    let statik = format_ident!("{}", r.static_name);
    let list = match &r.list {
        Some(v) => {
            let op = &model.operations[v.op];
            let request = ident(&op.request_name);
            let names = names(op);
            let f = if op.pages.iter().any(|p| p.style == PaginationStyle::NextToken) {
                quote!(dyn_list_token)
            } else if op.pages.is_empty() {
                quote!(dyn_list)
            } else {
                quote!(dyn_list_numbered)
            };
            quote!(::std::boxed::Box::pin(::cloudsnap::client::waiter::#f::<#request>(client, &#statik, params, #names)))
        }
        None => quote! {
            ::std::boxed::Box::pin(async { ::std::result::Result::Err(::cloudsnap::client::waiter::unsupported(&#statik, "list")) })
        },
    };
    let (describe, wait) = match &r.describe {
        Some(v) => {
            let op = &model.operations[v.op];
            let request = ident(&op.request_name);
            let names = names(op);
            (
                quote!(::std::boxed::Box::pin(::cloudsnap::client::waiter::dyn_describe::<#request>(client, &#statik, id, params, #names))),
                quote!(::std::boxed::Box::pin(::cloudsnap::client::waiter::dyn_wait::<#request>(client, &#statik, id, params, #names, target, options))),
            )
        }
        None => (
            quote! {
                let _ = (client, id, params);
                ::std::boxed::Box::pin(async { ::std::result::Result::Err(::cloudsnap::client::waiter::unsupported(&#statik, "describe")) })
            },
            quote! {
                let _ = (client, id, params, target, options);
                ::std::boxed::Box::pin(async {
                    ::std::result::Result::Err(::cloudsnap::client::WaitError::Invalid(
                        ::cloudsnap::client::waiter::unsupported(&#statik, "describe").to_string(),
                    ))
                })
            },
        ),
    };
    let list_unused = if r.list.is_none() {
        quote!(let _ = (client, params);)
    } else {
        quote!()
    };
    let doc = generated_doc_attrs(&format!("The `{}` resource, type-erased: see [`resources`].", r.name));
    let client_cfg = super::client::client_cfg();
    quote! {
        #doc
        #client_cfg
        #[derive(Debug, Clone, Copy)]
        pub struct #name;

        #client_cfg
        impl ::cloudsnap::client::DynResource for #name {
            fn decl(&self) -> &'static ::cloudsnap::runtime::lifecycle::ResourceDecl {
                &#statik
            }

            fn list<'a>(
                &'a self,
                client: &'a ::cloudsnap::client::Client,
                params: &'a ::cloudsnap::client::waiter::Params,
            ) -> ::cloudsnap::client::BoxFuture<'a, ::std::result::Result<::std::vec::Vec<::cloudsnap::runtime::lifecycle::SnapshotSummary>, ::cloudsnap::client::DynError>> {
                #list_unused
                #list
            }

            fn describe<'a>(
                &'a self,
                client: &'a ::cloudsnap::client::Client,
                id: &'a str,
                params: &'a ::cloudsnap::client::waiter::Params,
            ) -> ::cloudsnap::client::BoxFuture<'a, ::std::result::Result<::cloudsnap::runtime::lifecycle::SnapshotSummary, ::cloudsnap::client::DynError>> {
                #describe
            }

            fn wait<'a>(
                &'a self,
                client: &'a ::cloudsnap::client::Client,
                id: &'a str,
                params: &'a ::cloudsnap::client::waiter::Params,
                target: ::cloudsnap::runtime::lifecycle::State,
                options: ::cloudsnap::client::WaitOptions,
            ) -> ::cloudsnap::client::BoxFuture<'a, ::std::result::Result<::cloudsnap::runtime::lifecycle::SnapshotSummary, ::cloudsnap::client::WaitError<::cloudsnap::runtime::lifecycle::SnapshotSummary, ::cloudsnap::client::DynError>>> {
                #wait
            }
        }
    }
}
