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
    // A lone CR (`"\r"` in a YAML string) would survive `lines()` and is not
    // allowed in a doc comment, so every line break becomes `\n` first.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = escape_bidi(&text);
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
            } else if in_fence {
                line.trim_end().to_owned()
            } else {
                escape_markdown(line.trim_end())
            };
            if out.is_empty() {
                String::new()
            } else {
                format!(" {out}")
            }
        })
        .collect()
}

/// Unicode text-direction controls are a compile error in a comment
/// (rustc's deny-by-default `text_direction_codepoint_in_comment`, which
/// guards against "Trojan Source" code), so a wire value that contains one is
/// documented with the escape instead, as string literals already are.
fn escape_bidi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
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

/// Make spec prose safe for rustdoc: outside `code spans`, angle brackets
/// and square brackets are escaped (they would be read as HTML tags and
/// intra-doc links) and bare URLs are wrapped in `<...>`.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part); // inside a code span
            continue;
        }
        let mut words = part.split(' ').peekable();
        while let Some(word) = words.next() {
            if word.starts_with("https://") || word.starts_with("http://") {
                let end = word.trim_end_matches(['.', ',', ';', ')']);
                out.push('<');
                out.push_str(end);
                out.push('>');
                out.push_str(&word[end.len()..]);
            } else {
                for c in word.chars() {
                    match c {
                        '<' => out.push_str("&lt;"),
                        '>' => out.push_str("&gt;"),
                        '[' => out.push_str("\\["),
                        ']' => out.push_str("\\]"),
                        c => out.push(c),
                    }
                }
            }
            if words.peek().is_some() {
                out.push(' ');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{clean, escape_markdown};

    #[test]
    fn lone_cr_and_bidi_controls_cannot_break_a_doc_comment() {
        assert_eq!(clean("a\rb\r\nc"), [" a", " b", " c"]);
        assert_eq!(clean("`\u{202e}x`"), [" `\\u{202e}x`"]);
    }

    #[test]
    fn escapes_prose_but_not_code() {
        assert_eq!(
            escape_markdown("array<X> and `array<Y>`"),
            "array&lt;X&gt; and `array<Y>`"
        );
        assert_eq!(escape_markdown("see [Table 4]."), "see \\[Table 4\\].");
        assert_eq!(
            escape_markdown("at https://docs.example.com/x."),
            "at <https://docs.example.com/x>."
        );
    }
}
