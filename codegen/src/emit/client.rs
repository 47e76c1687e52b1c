//! The service's async `Client`: constructors per accepted authentication
//! scheme, one method per operation, and page/item streams for list
//! operations (with the `Paginated` trait impls behind them).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, generated_doc_attrs, spec_inline};
use super::{ident, rust_type};
use crate::model::{AuthScheme, Model, OperationModel, PaginationModel, PaginationStyle, Ty, TypeKind};

/// The `Client` struct and its constructors.
pub(crate) fn client(model: &Model) -> TokenStream {
    let title = &model.service.title;
    let doc = generated_doc_attrs(&format!(
        "Async client for {}: build it with [`Client::config`] and a constructor for one of the \
         service's authentication schemes, then call one method per operation.\n\nCheap to clone; \
         requests run on the shared transport (reqwest with rustls by default).",
        spec_inline(title)
    ));
    let auth = model.service.auth.iter().map(|a| auth_constructor(*a));
    let from_env = from_env(model);
    let client_cfg = client_cfg();
    quote! {
        #doc
        #client_cfg
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: ::cloudsnap::client::Client,
        }

        #client_cfg
        impl Client {
            /// The default configuration for this service; set the region
            /// (or another endpoint placeholder) or an endpoint override on it.
            pub fn config() -> ::cloudsnap::client::ClientConfig {
                ::cloudsnap::client::ClientConfig::new(&SERVICE)
            }

            /// A client that authenticates with `signer`, on the default transport.
            pub fn with_signer(
                config: ::cloudsnap::client::ClientConfig,
                signer: impl ::cloudsnap::auth::Signer + 'static,
            ) -> ::std::result::Result<Self, ::cloudsnap::client::ConfigError> {
                ::std::result::Result::Ok(Client { inner: ::cloudsnap::client::Client::new(config, signer)? })
            }

            /// A client that authenticates with `signer` and sends through `transport`.
            pub fn with_transport(
                config: ::cloudsnap::client::ClientConfig,
                signer: impl ::cloudsnap::auth::Signer + 'static,
                transport: impl ::cloudsnap::client::Transport + 'static,
            ) -> ::std::result::Result<Self, ::cloudsnap::client::ConfigError> {
                ::std::result::Result::Ok(Client {
                    inner: ::cloudsnap::client::Client::with_transport(config, signer, transport)?,
                })
            }

            #(#auth)*
            #from_env

            /// The service-independent client underneath (endpoint, generic `send`).
            pub fn inner(&self) -> &::cloudsnap::client::Client {
                &self.inner
            }
        }
    }
}

/// The client methods of one operation (an `impl Client` block of their own,
/// so a module can be formatted operation by operation) and its pagination
/// trait impls.
pub(crate) fn operation_methods(model: &Model, op: &OperationModel) -> TokenStream {
    let methods = op_methods(model, op);
    let paging = paging_impls(model, op);
    let client_cfg = client_cfg();
    quote! {
        #client_cfg
        impl Client {
            #methods
        }

        #paging
    }
}

fn auth_constructor(a: AuthScheme) -> TokenStream {
    let info = a.info();
    let (method, signer, credentials) = (
        format_ident!("{}", info.constructor),
        format_ident!("{}", info.signer),
        format_ident!("{}", info.credentials),
    );
    let doc = doc_attrs(&format!("A client that authenticates with {}.", a.description()));
    quote! {
        #doc
        pub fn #method(
            config: ::cloudsnap::client::ClientConfig,
            credentials: ::cloudsnap::auth::#credentials,
        ) -> ::std::result::Result<Self, ::cloudsnap::client::ConfigError> {
            Self::with_signer(config, ::cloudsnap::auth::#signer::new(credentials))
        }
    }
}

fn from_env(model: &Model) -> TokenStream {
    let attempts = model.service.auth.iter().map(|a| {
        let info = a.info();
        let (signer, credentials) = (format_ident!("{}", info.signer), format_ident!("{}", info.credentials));
        let name = a.rust_name();
        quote! {
            match <::cloudsnap::auth::#credentials as ::cloudsnap::auth::DefaultChain>::default_chain() {
                ::std::result::Result::Ok(provider) => {
                    let auth = ::cloudsnap::auth::ProviderSigner::new(provider, ::cloudsnap::auth::#signer::new);
                    return ::std::result::Result::Ok(Self {
                        inner: ::cloudsnap::client::Client::authenticated(config, auth)?,
                    });
                }
                ::std::result::Result::Err(e) => tried.push(::std::format!("{}: {}", #name, e)),
            }
        }
    });
    let order: Vec<String> = model
        .service
        .auth
        .iter()
        .map(|a| format!("`{}`", a.info().constructor))
        .collect();
    let doc = doc_attrs(&format!(
        "A client with credentials from each vendor's default chain (environment, credentials files, \
         instance metadata; see `cloudsnap::auth::provider`), trying the service's schemes in order \
         of preference: {}. Remote sources are asked at the first call, and temporary credentials \
         are refreshed before they expire.",
        order.join(", ")
    ));
    quote! {
        #doc
        pub fn from_env(
            config: ::cloudsnap::client::ClientConfig,
        ) -> ::std::result::Result<Self, ::cloudsnap::client::ConfigError> {
            let mut tried: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#attempts)*
            ::std::result::Result::Err(::cloudsnap::client::ConfigError::NoCredentials {
                service: SERVICE.title,
                tried: tried.join("; "),
            })
        }
    }
}

fn request_ident(op: &OperationModel) -> proc_macro2::Ident {
    ident(&op.request_name)
}

fn output_type(model: &Model, op: &OperationModel) -> TokenStream {
    match &op.output {
        Some(t) => rust_type(model, t),
        None => quote!(()),
    }
}

fn op_methods(model: &Model, op: &OperationModel) -> TokenStream {
    let method = ident(&op.method_name);
    let request = request_ident(op);
    let codes = ident(&op.error_code_name);
    let output = output_type(model, op);
    let summary = op.docs.trim().lines().next().unwrap_or_default();
    let retry = if op.idempotent {
        "Retried on throttling, 5xx and transport failures per the configured policy."
    } else {
        "Not idempotent: retried only if the policy sets `retry_non_idempotent` (or the connection was never made)."
    };
    let doc = doc_attrs(&format!(
        "`{}` ({} `{}`): {summary}\n\n{retry}",
        op.id,
        op.method.as_str(),
        op.path_template
    ));
    let streams = op.pages.iter().zip(&op.streams).map(|(p, names)| {
        let pages = ident(&names.pages);
        let items = ident(&names.items);
        let item = rust_type(model, &p.item);
        let (generic_pages, generic_items, how) = match p.style {
            PaginationStyle::NextToken => (quote!(token_pages), quote!(token_items), "its continuation token"),
            PaginationStyle::PageNumber => (quote!(numbered_pages), quote!(numbered_items), "its page number"),
        };
        // Which stream to pick, when an operation pages in two ways.
        let choice = match (op.pages.len() > 1, p.style) {
            (false, _) => String::new(),
            (true, PaginationStyle::NextToken) => {
                "\n\nThe service pages this operation by token and by page number; prefer \
                 this token stream: token paging does not skip or repeat items when the listing changes between \
                 pages."
                    .to_owned()
            }
            (true, PaginationStyle::PageNumber) => format!(
                "\n\nPages by number; prefer [`Client::{}`] unless you need the total count or a page in \
                 the middle, since numbered pages can skip or repeat items when the listing changes.",
                op.streams
                    .iter()
                    .zip(&op.pages)
                    .find(|(_, q)| q.style == PaginationStyle::NextToken)
                    .map_or(names.items.as_str(), |(n, _)| n.items.as_str())
            ),
        };
        let pages_doc = generated_doc_attrs(&format!(
            "Every page of `{}`, following {how} from `request`, until the service signals the end or `limit` is \
             reached. Use it when each page's other fields matter (totals, request ids); otherwise \
             [`Client::{}`] yields the items directly.{choice}",
            op.id, names.items
        ));
        let items_doc = generated_doc_attrs(&format!(
            "Every item of `{}`, page after page (see [`Client::{}`] for how pages are followed).{choice}",
            op.id, names.pages
        ));
        quote! {
            #pages_doc
            pub fn #pages(
                &self,
                request: #request,
                limit: ::cloudsnap::client::PageLimit,
            ) -> ::cloudsnap::client::BoxStream<
                '_,
                ::std::result::Result<#output, ::cloudsnap::client::Error<#codes>>,
            > {
                self.inner.#generic_pages(request, limit)
            }

            #items_doc
            pub fn #items(
                &self,
                request: #request,
                limit: ::cloudsnap::client::PageLimit,
            ) -> ::cloudsnap::client::BoxStream<
                '_,
                ::std::result::Result<#item, ::cloudsnap::client::Error<#codes>>,
            > {
                self.inner.#generic_items(request, limit)
            }
        }
    });
    quote! {
        #doc
        pub async fn #method(
            &self,
            request: &#request,
        ) -> ::std::result::Result<#output, ::cloudsnap::client::Error<#codes>> {
            self.inner.send(request).await
        }

        #(#streams)*
    }
}

/// The output struct's fields, for field access in pagination impls.
fn output_fields<'m>(model: &'m Model, op: &OperationModel) -> &'m [crate::model::FieldModel] {
    match &op.output {
        Some(Ty::Named(i)) => match &model.types[*i].kind {
            TypeKind::Object { fields } => fields,
            TypeKind::Enum { .. } => &[],
        },
        _ => &[],
    }
}

fn paging_impls(model: &Model, op: &OperationModel) -> TokenStream {
    let Some(first) = op.pages.first() else {
        return TokenStream::new();
    };
    let request = request_ident(op);
    let fields = output_fields(model, op);
    let items = ident(&fields[first.items].ident);
    let item = rust_type(model, &first.item);
    let (count, into) = if first.items_optional {
        (
            quote!(output.#items.as_ref().map_or(0, ::std::vec::Vec::len)),
            quote!(output.#items.unwrap_or_default()),
        )
    } else {
        (quote!(output.#items.len()), quote!(output.#items))
    };
    let styles = op.pages.iter().map(|p| match p.style {
        PaginationStyle::NextToken => token_impl(model, op, p),
        PaginationStyle::PageNumber => page_impl(model, op, p),
    });
    let client_cfg = client_cfg();
    quote! {
        #client_cfg
        impl ::cloudsnap::client::Paginated for #request {
            type Item = #item;

            fn item_count(output: &Self::Output) -> usize {
                #count
            }

            fn into_items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                #into
            }
        }

        #(#styles)*
    }
}

fn token_impl(model: &Model, op: &OperationModel, p: &PaginationModel) -> TokenStream {
    let request = request_ident(op);
    let (Some(param), Some((field, optional))) = (p.token_param, p.token_field) else {
        return TokenStream::new();
    };
    let param = ident(&op.params[param].ident);
    let field = ident(&output_fields(model, op)[field].ident);
    let next = if optional {
        quote!(output.#field.as_deref())
    } else {
        quote!(::std::option::Option::Some(output.#field.as_str()))
    };
    let client_cfg = client_cfg();
    quote! {
        #client_cfg
        impl ::cloudsnap::client::TokenPaginated for #request {
            fn token(&self) -> ::std::option::Option<&str> {
                self.#param.as_deref()
            }

            fn set_token(&mut self, token: ::std::string::String) {
                self.#param = ::std::option::Option::Some(token);
            }

            fn next_token(output: &Self::Output) -> ::std::option::Option<&str> {
                #next
            }
        }
    }
}

/// `i64` from a value of an integer type (`i32` widens).
fn widen(ty: &Ty, value: TokenStream) -> TokenStream {
    if *ty == Ty::Int32 {
        quote!(i64::from(#value))
    } else {
        value
    }
}

/// `opt.map(i64::from)` for `Option<i32>`; `opt` for `Option<i64>`.
fn widen_option(ty: &Ty, value: TokenStream) -> TokenStream {
    if *ty == Ty::Int32 {
        quote!(#value.map(i64::from))
    } else {
        value
    }
}

fn page_impl(model: &Model, op: &OperationModel, p: &PaginationModel) -> TokenStream {
    let request = request_ident(op);
    let (Some(page), Some((total, total_optional))) = (p.page_param, p.total_field) else {
        return TokenStream::new();
    };
    let page_param = &op.params[page];
    let page_ident = ident(&page_param.ident);
    let page_get = widen_option(&page_param.ty, quote!(self.#page_ident));
    let page_set = if page_param.ty == Ty::Int32 {
        // Page numbers past i32::MAX cannot be sent; stay on the last one.
        quote!(i32::try_from(page).unwrap_or(i32::MAX))
    } else {
        quote!(page)
    };
    let size = match p.page_size.map(|i| &op.params[i]) {
        Some(s) if s.required => {
            let id = ident(&s.ident);
            let v = widen(&s.ty, quote!(self.#id));
            quote!(::std::option::Option::Some(#v))
        }
        Some(s) => {
            let id = ident(&s.ident);
            widen_option(&s.ty, quote!(self.#id))
        }
        None => quote!(::std::option::Option::None),
    };
    let total_field = &output_fields(model, op)[total];
    let total_ident = ident(&total_field.ident);
    let total = if total_optional {
        widen_option(&total_field.ty, quote!(output.#total_ident))
    } else {
        let v = widen(&total_field.ty, quote!(output.#total_ident));
        quote!(::std::option::Option::Some(#v))
    };
    let first_page = p.first_page;
    let client_cfg = client_cfg();
    quote! {
        #client_cfg
        impl ::cloudsnap::client::PagePaginated for #request {
            const FIRST_PAGE: i64 = #first_page;

            fn page(&self) -> ::std::option::Option<i64> {
                #page_get
            }

            fn set_page(&mut self, page: i64) {
                self.#page_ident = ::std::option::Option::Some(#page_set);
            }

            fn page_size(&self) -> ::std::option::Option<i64> {
                #size
            }

            fn total(output: &Self::Output) -> ::std::option::Option<i64> {
                #total
            }
        }
    }
}

/// `#[cfg(feature = "client")]` and its docs.rs badge: items of the async
/// client exist only with the `client` feature of the crate holding the
/// generated code, and docs.rs (built with `--cfg docsrs`) says so.
pub(crate) fn client_cfg() -> TokenStream {
    quote! {
        #[cfg(feature = "client")]
        #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    }
}
