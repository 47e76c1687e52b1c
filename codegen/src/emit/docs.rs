//! Doc comments from spec text.

use std::borrow::Cow;

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes for each line of `text`, which is spec prose:
/// Markdown that rustdoc would read as links or HTML is escaped, and code
/// fences without a language are marked `text` so rustdoc never compiles
/// document snippets.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = clean(text, Prose::Spec);
    quote! { #(#[doc = #lines])* }
}

/// `#[doc = ...]` attributes for text the generator wrote itself: its
/// Markdown, intra-doc links included, is kept. Only generator prose that
/// quotes no spec text may go here; mixed text goes through [`Docs`].
pub(crate) fn generated_doc_attrs(text: &str) -> TokenStream {
    let lines = clean(text, Prose::Generated);
    quote! { #(#[doc = #lines])* }
}

/// Spec prose to quote inside generator prose (one line, escaped).
pub(crate) fn spec_inline(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_markdown(&escape_bidi(&one_line))
}

/// Whose words a piece of documentation is: spec prose is escaped,
/// generator prose keeps its Markdown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prose {
    Spec,
    Generated,
}

/// Documentation assembled from spec prose and generator prose, paragraph
/// by paragraph, each escaped as its source needs.
#[derive(Default)]
pub(crate) struct Docs {
    lines: Vec<String>,
}

impl Docs {
    /// A paragraph (or several) of spec prose.
    pub(crate) fn spec(mut self, text: &str) -> Self {
        self.push(text, Prose::Spec);
        self
    }

    /// A paragraph the generator wrote.
    pub(crate) fn generated(mut self, text: &str) -> Self {
        self.push(text, Prose::Generated);
        self
    }

    fn push(&mut self, text: &str, prose: Prose) {
        if text.trim().is_empty() {
            return;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.extend(clean(text.trim(), prose));
    }

    /// The outer doc attributes.
    pub(crate) fn attrs(&self) -> TokenStream {
        let lines = &self.lines;
        quote! { #(#[doc = #lines])* }
    }

    /// The inner (`//!`) doc attributes, for a module's own docs.
    pub(crate) fn inner_attrs(&self) -> TokenStream {
        let lines = &self.lines;
        quote! { #(#![doc = #lines])* }
    }
}

/// Doc lines that rustdoc can never run as a doctest: every fenced block
/// that rustdoc would read as Rust (no language, `rust`, or only rustdoc
/// attributes such as `ignore`) is re-tagged `text`, and text outside
/// fences is never indented four columns or more, which Markdown would read
/// as an indented code block (and rustdoc would compile). Spec prose is
/// also escaped; generator prose keeps its Markdown.
fn clean(text: &str, prose: Prose) -> Vec<String> {
    // The open fence's character and length, if inside a fenced block.
    let mut fence: Option<(char, usize)> = None;
    // A lone CR (`"\r"` in a YAML string) would survive `lines()` and is not
    // allowed in a doc comment, so every line break becomes `\n` first.
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let text = escape_bidi(&text);
    text.trim_end()
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let marker = fence_marker(trimmed);
            // Each line starts with a space (`/// text`), empty lines stay empty.
            let mut out = String::with_capacity(line.len() + 8);
            out.push(' ');
            match (fence, marker) {
                (None, Some((c, n, info))) => {
                    fence = Some((c, n));
                    let indent = &line[..line.len() - trimmed.len()];
                    out.push_str(&indent[..indent.len().min(3)]);
                    out.extend(std::iter::repeat_n(c, n));
                    out.push_str(if is_rust_info(info) { "text" } else { info });
                }
                (Some((c, n)), Some((c2, n2, info))) if c == c2 && n2 >= n && info.is_empty() => {
                    fence = None;
                    out.push_str(line.trim_end());
                }
                (Some(_), _) => out.push_str(line.trim_end()),
                (None, None) => {
                    let body = cap_indent(line.trim_end(), &mut out);
                    match prose {
                        Prose::Generated => out.push_str(body),
                        Prose::Spec => escape_markdown_into(body, &mut out),
                    }
                }
            }
            if out.len() == 1 {
                out.clear();
            }
            out
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
/// never an indented code block: writes the capped indentation to `out`
/// and returns the rest of the line.
fn cap_indent<'l>(line: &'l str, out: &mut String) -> &'l str {
    let body = line.trim_start_matches([' ', '\t']);
    let columns: usize = line[..line.len() - body.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    out.extend(std::iter::repeat_n(' ', columns.min(3)));
    body
}

/// Unicode text-direction controls are a compile error in a comment
/// (rustc's deny-by-default `text_direction_codepoint_in_comment`, which
/// guards against "Trojan Source" code), so a wire value that contains one is
/// documented with the escape instead, as string literals already are.
fn escape_bidi(text: &str) -> Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.contains(bidi) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if bidi(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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
/// intra-doc links), a backslash is doubled (the spec's `"\<` would
/// otherwise escape the `&` of `&lt;` and show `&lt;` literally) and bare
/// URLs are wrapped in `<...>`.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    escape_markdown_into(line, &mut out);
    out
}

/// [`escape_markdown`], appending to `out`.
fn escape_markdown_into(line: &str, out: &mut String) {
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
                        '\\' => out.push_str("\\\\"),
                        c => out.push(c),
                    }
                }
            }
            if words.peek().is_some() {
                out.push(' ');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{clean, escape_markdown, Docs, Prose};

    #[test]
    fn lone_cr_and_bidi_controls_cannot_break_a_doc_comment() {
        assert_eq!(clean("a\rb\r\nc", Prose::Spec), [" a", " b", " c"]);
        assert_eq!(clean("`\u{202e}x`", Prose::Spec), [" `\\u{202e}x`"]);
        assert_eq!(clean("`\u{202e}x`", Prose::Generated), [" `\\u{202e}x`"]);
    }

    #[test]
    fn generator_prose_keeps_its_links_and_spec_prose_is_escaped() {
        let docs = Docs::default()
            .spec("see [Table 4] <b>")
            .generated("Build it with [`Client::config`].");
        assert_eq!(
            docs.lines,
            [" see \\[Table 4\\] &lt;b&gt;", "", " Build it with [`Client::config`]."]
        );
    }

    #[test]
    fn spec_code_blocks_never_become_doctests() {
        assert_eq!(
            clean("```rust\nfn x() {}\n```", Prose::Spec),
            [" ```text", " fn x() {}", " ```"]
        );
        assert_eq!(
            clean("~~~\npanic!()\n~~~", Prose::Spec),
            [" ~~~text", " panic!()", " ~~~"]
        );
        assert_eq!(clean("```rust,ignore\nx\n```", Prose::Spec), [" ```text", " x", " ```"]);
        assert_eq!(clean("```json\n{}\n```", Prose::Spec), [" ```json", " {}", " ```"]);
        assert_eq!(
            clean("para\n\n        panic!()", Prose::Spec),
            [" para", "", "    panic!()"]
        );
        assert_eq!(clean("\t\tpanic!()", Prose::Spec), ["    panic!()"]);
    }

    #[test]
    fn escapes_prose_but_not_code() {
        assert_eq!(
            escape_markdown("array<X> and `array<Y>`"),
            "array&lt;X&gt; and `array<Y>`"
        );
        assert_eq!(escape_markdown("see [Table 4]."), "see \\[Table 4\\].");
        // A backslash before `<` must not turn `&lt;` into literal text.
        assert_eq!(escape_markdown(r#"chars "\<|>"#), r#"chars "\\&lt;|&gt;"#);
        assert_eq!(
            escape_markdown("at https://docs.example.com/x."),
            "at <https://docs.example.com/x>."
        );
    }
}
