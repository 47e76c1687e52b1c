//! Format: token streams -> Rust source text, deterministically.
//!
//! The emitter produces a module as a sequence of parts (see
//! [`crate::emit::module_part`]); each part is parsed by syn and printed by
//! prettyplease on its own, so memory stays bounded by the largest part and
//! large modules can be formatted on several threads. The bytes are the same
//! as formatting the whole file at once.

use crate::model;

/// Format a token stream as a Rust file with prettyplease.
pub fn format(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Parts per thread below which [`format_parts`] stays on one thread.
const PARTS_PER_THREAD: usize = 32;

/// Emit and format parts `0..count` of a file (`part(model, i)` gives the
/// tokens of part `i`) and concatenate them in order: the same bytes as
/// formatting the whole file at once, since prettyplease prints items one
/// after another. Each part's tokens and syntax tree are dropped as soon as
/// it is printed, so memory stays small however large the spec; large specs
/// are split into contiguous ranges over the available cores (token streams
/// are not `Send`, so every thread emits its own), at most `max_threads`.
pub fn format_parts(
    model: &model::Model,
    count: usize,
    part: fn(&model::Model, usize) -> proc_macro2::TokenStream,
    max_threads: usize,
) -> Result<String, String> {
    let range = |r: std::ops::Range<usize>| -> Result<String, String> {
        let mut out = String::new();
        for i in r {
            out.push_str(&format(part(model, i))?);
        }
        Ok(out)
    };
    let threads = max_threads.min(count / PARTS_PER_THREAD).max(1);
    if threads == 1 {
        return range(0..count);
    }
    let chunk = count.div_ceil(threads);
    let pieces: Vec<Result<String, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let r = (t * chunk).min(count)..((t + 1) * chunk).min(count);
                scope.spawn(move || range(r))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a formatting thread panicked".to_owned()))
            })
            .collect()
    });
    pieces.into_iter().collect::<Result<Vec<_>, _>>().map(|p| p.concat())
}
