//! Doc comments from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes for each line of `text`. Code fences without a
/// language are marked `text` so rustdoc never compiles document snippets.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = clean(text);
    quote! { #(#[doc = #lines])* }
}

/// Inner (`//!`) doc attributes.
pub(crate) fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = clean(text);
    quote! { #(#![doc = #lines])* }
}

fn clean(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.trim_end()
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let out = if let Some(rest) = trimmed.strip_prefix("```") {
                let fixed = if !in_fence && rest.trim().is_empty() {
                    format!("{line}text")
                } else {
                    line.to_owned()
                };
                in_fence = !in_fence;
                fixed
            } else {
                line.trim_end().to_owned()
            };
            if out.is_empty() {
                String::new()
            } else {
                format!(" {out}")
            }
        })
        .collect()
}

/// Join optional pieces of documentation into one text.
pub(crate) fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
