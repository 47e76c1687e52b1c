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

/// Spec prose as doc lines that rustdoc can never run as a doctest: every
/// fenced block that rustdoc would read as Rust (no language, `rust`, or
/// only rustdoc attributes such as `ignore`) is re-tagged `text`, and
/// prose is never indented four columns or more, which Markdown would read
/// as an indented code block (and rustdoc would compile).
fn clean(text: &str) -> Vec<String> {
    // The open fence's character and length, if inside a fenced block.
    let mut fence: Option<(char, usize)> = None;
    // A lone CR (`"\r"` in a YAML string) would survive `lines()` and is not
    // allowed in a doc comment, so every line break becomes `\n` first.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = escape_bidi(&text);
    text.trim_end()
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let marker = fence_marker(trimmed);
            let out = match (fence, marker) {
                (None, Some((c, n, info))) => {
                    fence = Some((c, n));
                    let indent = &line[..line.len() - trimmed.len()];
                    let indent = &indent[..indent.len().min(3)];
                    let info = if is_rust_info(info) { "text" } else { info };
                    format!("{indent}{}{info}", c.to_string().repeat(n))
                }
                (Some((c, n)), Some((c2, n2, info))) if c == c2 && n2 >= n && info.is_empty() => {
                    fence = None;
                    line.trim_end().to_owned()
                }
                (Some(_), _) => line.trim_end().to_owned(),
                (None, None) => escape_markdown(&cap_indent(line.trim_end())),
            };
            if out.is_empty() {
                String::new()
            } else {
                format!(" {out}")
            }
        })
        .collect()
}

/// A code fence opener or closer: its character, length and info string.
fn fence_marker(trimmed: &str) -> Option<(char, usize, &str)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    if n < 3 {
        return None;
    }
    let info = trimmed[n..].trim();
    if c == '`' && info.contains('`') {
        return None;
    }
    Some((c, n, info))
}

/// Whether rustdoc would treat a fence with this info string as Rust.
fn is_rust_info(info: &str) -> bool {
    const RUSTDOC: &[&str] = &[
        "rust",
        "ignore",
        "should_panic",
        "no_run",
        "compile_fail",
        "test_harness",
        "standalone_crate",
    ];
    let mut tokens = info
        .split(|c: char| c == ',' || c.is_whitespace() || c == '{' || c == '}' || c == '.')
        .filter(|t| !t.is_empty());
    tokens.clone().next().is_none()
        || tokens.any(|t| RUSTDOC.contains(&t) || t.starts_with("edition") || t.starts_with("ignore-"))
}

/// Prose indented at most three columns (a tab counts as four), so it is
/// never an indented code block.
fn cap_indent(line: &str) -> String {
    let body = line.trim_start_matches([' ', '\t']);
    let columns: usize = line[..line.len() - body.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    format!("{}{body}", " ".repeat(columns.min(3)))
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
    fn spec_code_blocks_never_become_doctests() {
        assert_eq!(clean("```rust\nfn x() {}\n```"), [" ```text", " fn x() {}", " ```"]);
        assert_eq!(clean("~~~\npanic!()\n~~~"), [" ~~~text", " panic!()", " ~~~"]);
        assert_eq!(clean("```rust,ignore\nx\n```"), [" ```text", " x", " ```"]);
        assert_eq!(clean("```json\n{}\n```"), [" ```json", " {}", " ```"]);
        assert_eq!(clean("para\n\n        panic!()"), [" para", "", "    panic!()"]);
        assert_eq!(clean("\t\tpanic!()"), ["    panic!()"]);
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
