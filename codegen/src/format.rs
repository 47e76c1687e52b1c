//! Format: token streams -> Rust source text, deterministically, in one of
//! two layouts ([`Layout`]).
//!
//! The emitter produces a module as a sequence of parts (see
//! [`crate::emit::module_part`]); each part is printed on its own, so memory
//! stays bounded by the largest part and large modules can be printed on
//! several threads. The bytes are the same as printing the whole file at
//! once.
//!
//! [`Layout::Pretty`] parses each part with syn and prints it with
//! prettyplease: the text reviewers read (the insta snapshots, `cloudsnap-
//! codegen generate --out`). [`Layout::Compact`] prints the emitted tokens
//! as they are, one pass with line breaks at `;`, `,`, braces and
//! attributes and indentation by brace depth: what `build.rs` writes for
//! rustc. It skips the syntax tree, which was most of the generator's time
//! (about 45% of a 1,000-operation spec went to `syn::parse2` alone), and it
//! stays readable where a compiler error or go-to-definition lands. Both are
//! the same tokens: `tests/layouts.rs` checks, for every shipped spec and
//! synthetic ones, that formatting the compact text with prettyplease gives
//! the pretty text byte for byte.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

use crate::model;

/// How generated source is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// syn + prettyplease: for people (snapshots, `generate --out`).
    #[default]
    Pretty,
    /// The emitted tokens with cheap line breaks: for rustc (`build.rs`).
    Compact,
}

impl Layout {
    /// Print one part (a sequence of whole items).
    pub fn print(self, tokens: TokenStream) -> Result<String, String> {
        let mut out = String::new();
        self.print_into(tokens, &mut out)?;
        Ok(out)
    }

    /// Print one part at the end of `out` (the same bytes [`Layout::print`]
    /// returns).
    pub fn print_into(self, tokens: TokenStream, out: &mut String) -> Result<(), String> {
        match self {
            Layout::Pretty => out.push_str(&format(tokens)?),
            Layout::Compact => compact_into(tokens, out),
        }
        Ok(())
    }
}

/// Format a token stream as a Rust file with prettyplease.
pub fn format(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// Print a token stream in the compact layout (see the module docs): the
/// same tokens in the same order, whitespace only where the lexer needs it
/// or a reader is helped by it.
pub fn compact(tokens: TokenStream) -> String {
    let mut out = String::new();
    compact_into(tokens, &mut out);
    out
}

/// [`compact`] at the end of `out`: printing the parts of a file one after
/// another into one buffer saves each part's own growing `String` and the
/// copy into the file.
pub fn compact_into(tokens: TokenStream, out: &mut String) {
    let start = out.len();
    let mut p = Compact {
        out: std::mem::take(out),
        depth: 0,
        prev: Prev::LineStart,
        hash: false,
        in_macro: false,
    };
    p.stream(tokens, Delimiter::None);
    if p.out.len() == start || !p.out.ends_with('\n') {
        p.out.push('\n');
    }
    *out = p.out;
}

/// What was printed last, for the spacing decision.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// At the start of a line (indentation pending).
    LineStart,
    /// A punctuation character glued to the next token (`:` of `::`).
    Joint,
    /// A lone punctuation character.
    Punct(char),
    Ident,
    /// A keyword that a path may follow (`impl ::x::T`, `as ::x::T`).
    Keyword,
    Literal,
    /// The second `:` of `::`.
    PathSep,
    /// An opening delimiter.
    Open,
    /// A closing delimiter.
    Close,
}

/// The token about to be printed, for the spacing decision.
#[derive(Clone, Copy)]
enum Next {
    Ident,
    Literal,
    Punct(char, Spacing),
    Open(Delimiter),
    Close,
}

impl Next {
    fn of(tt: &TokenTree) -> Next {
        match tt {
            TokenTree::Ident(_) => Next::Ident,
            TokenTree::Literal(_) => Next::Literal,
            TokenTree::Punct(p) => Next::Punct(p.as_char(), p.spacing()),
            TokenTree::Group(g) => Next::Open(g.delimiter()),
        }
    }
}

struct Compact {
    out: String,
    /// Brace nesting, for indentation.
    depth: usize,
    prev: Prev,
    /// The last tokens were `#` or `#!`: a bracket group now is an attribute.
    hash: bool,
    /// Inside the arguments of a macro call, whose printing (prettyplease
    /// prints macro arguments as tokens) depends on whether punctuation
    /// touches the next punctuation: no gluing a lone one to the next there.
    in_macro: bool,
}

impl Compact {
    fn newline(&mut self) {
        if self.prev != Prev::LineStart {
            self.out.push('\n');
            self.prev = Prev::LineStart;
        }
    }

    /// Start a token: indentation at a line start, else a space unless the
    /// two tokens lex apart without one (and joining them reads better).
    fn start(&mut self, next: Next) {
        let space = match (self.prev, next) {
            (Prev::LineStart, _) => {
                for _ in 0..self.depth {
                    self.out.push_str("    ");
                }
                false
            }
            // `::`, `->`, `'a`: the lexer needs them together.
            (Prev::Joint | Prev::Open, _) | (_, Next::Close) => false,
            // Gluing a lone punctuation character to the next one makes the
            // lexer call it joint; fine for rustc, but not in macro arguments.
            (Prev::Punct(_), Next::Punct(..)) if self.in_macro => true,
            (_, Next::Punct(',' | ';', _)) => false,
            (Prev::Ident | Prev::Close | Prev::Punct('>' | '!'), Next::Open(Delimiter::Parenthesis)) => false,
            // `x.y`, `x?`, `a::b`, `name:`, `Vec<T>`, `vec!`, `&self`, `#[`.
            (Prev::Ident | Prev::Close, Next::Punct('.' | '?', _)) => false,
            (Prev::Ident, Next::Punct(':' | '<' | '!', _)) => false,
            (Prev::Ident | Prev::Close, Next::Punct('>', _)) => false,
            (Prev::Punct('.') | Prev::PathSep | Prev::Punct('<'), Next::Ident) => false,
            (Prev::Punct('&' | '#' | '!'), Next::Ident | Next::Open(_)) => false,
            (Prev::Punct('#'), Next::Punct('!', _)) => false,
            (Prev::Punct('<' | '&'), Next::Punct(':', Spacing::Joint)) => false,
            _ => true,
        };
        if space {
            self.out.push(' ');
        }
    }

    fn stream(&mut self, tokens: TokenStream, within: Delimiter) {
        let mut iter = tokens.into_iter().peekable();
        let mut angle = 0usize;
        while let Some(tt) = iter.next() {
            self.start(Next::of(&tt));
            match tt {
                TokenTree::Ident(i) => {
                    let from = self.out.len();
                    let _ = write!(self.out, "{i}");
                    self.prev = if is_keyword(&self.out[from..]) {
                        Prev::Keyword
                    } else {
                        Prev::Ident
                    };
                    self.hash = false;
                }
                TokenTree::Literal(l) => {
                    let _ = write!(self.out, "{l}");
                    self.prev = Prev::Literal;
                    self.hash = false;
                }
                TokenTree::Punct(p) => {
                    let c = p.as_char();
                    // Generic arguments: `,` in `Result<T, E>` breaks no line.
                    match c {
                        '<' if matches!(self.prev, Prev::Ident | Prev::PathSep) => angle += 1,
                        '>' if angle > 0 && !self.out.ends_with(['-', '=']) => angle -= 1,
                        _ => {}
                    }
                    self.out.push(c);
                    let was_hash = self.hash;
                    self.hash = c == '#' || (c == '!' && was_hash);
                    self.prev = if p.spacing() == Spacing::Joint || c == '\'' {
                        Prev::Joint
                    } else if c == ':' && self.prev == Prev::Joint && self.out[..self.out.len() - 1].ends_with(':') {
                        Prev::PathSep
                    } else {
                        Prev::Punct(c)
                    };
                    if (c == ';' || c == ',' && angle == 0) && matches!(within, Delimiter::Brace | Delimiter::None) {
                        self.newline();
                    }
                }
                TokenTree::Group(g) => {
                    let delimiter = g.delimiter();
                    let attribute = self.hash && delimiter == Delimiter::Bracket;
                    self.hash = false;
                    // The group is dropped before its tokens are walked, so
                    // they are usually moved out, not deep-copied.
                    let inner = g.stream();
                    drop(g);
                    let outer = self.in_macro;
                    self.in_macro |= self.prev == Prev::Punct('!') && delimiter != Delimiter::Bracket;
                    self.group(delimiter, inner);
                    self.in_macro = outer;
                    if attribute {
                        self.newline();
                    } else if delimiter == Delimiter::Brace {
                        // Items and statements after a block start a line (a
                        // block after a block on the same line is clippy's
                        // `possible_missing_else`); `}` followed by `,`, `;`,
                        // `.`, `?`, `=`, `else` or the end of the group stays.
                        let keep = match iter.peek() {
                            Some(TokenTree::Punct(p)) => matches!(p.as_char(), ',' | ';' | '.' | '?' | '='),
                            Some(TokenTree::Ident(i)) => i == "else",
                            Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Parenthesis,
                            Some(TokenTree::Literal(_)) => false,
                            None => true,
                        };
                        if !keep {
                            self.newline();
                        }
                    }
                }
            }
        }
    }

    fn group(&mut self, delimiter: Delimiter, inner: TokenStream) {
        let (open, close) = match delimiter {
            Delimiter::Parenthesis => ("(", ")"),
            Delimiter::Bracket => ("[", "]"),
            Delimiter::Brace => ("{", "}"),
            Delimiter::None => ("", ""),
        };
        if delimiter == Delimiter::None {
            self.stream(inner, Delimiter::None);
            return;
        }
        self.out.push_str(open);
        self.prev = Prev::Open;
        if inner.is_empty() {
            self.out.push_str(close);
            self.prev = Prev::Close;
            return;
        }
        if delimiter == Delimiter::Brace {
            self.depth += 1;
            self.newline();
            self.stream(inner, Delimiter::Brace);
            self.depth -= 1;
            self.newline();
            self.start(Next::Close);
        } else {
            self.stream(inner, delimiter);
            self.start(Next::Close);
        }
        self.out.push_str(close);
        self.prev = Prev::Close;
    }
}

/// Keywords that a `::path`, `<` or `(` may follow, which read better (and
/// not like a path) with a space.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "break"
            | "const"
            | "dyn"
            | "else"
            | "enum"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "match"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
    )
}

/// Parts per thread below which [`format_files`] stays on one thread.
const PARTS_PER_THREAD: usize = 32;

/// Parts a thread of [`format_files`] takes at a time: few enough that a
/// thread slowed by the machine's other work holds nobody up for long.
const PARTS_PER_CLAIM: usize = 8;

/// Emits part `i` of a file (see [`format_parts`]).
pub type PartFn = fn(&model::Model, usize) -> proc_macro2::TokenStream;

/// Emit and print parts `0..count` of a file (`part(model, i)` gives the
/// tokens of part `i`) in `layout` and concatenate them in order: the same
/// bytes as printing the whole file at once, since both layouts print items
/// one after another. See [`format_files`], which this is for one file.
pub fn format_parts(
    model: &model::Model,
    count: usize,
    part: PartFn,
    max_threads: usize,
    layout: Layout,
) -> Result<String, String> {
    format_files(model, &[(count, part)], max_threads, layout).map(|mut files| files.pop().unwrap_or_default())
}

/// Emit and print several files of parts (`(count, part)` each, as
/// [`format_parts`]) at once, so one pool of threads works through all of
/// them without waiting at the end of each file. Each part's tokens (and
/// syntax tree) are dropped as soon as it is printed, so memory stays small
/// however large the spec. On a large spec (at least
/// `PARTS_PER_THREAD` parts per thread) up to `max_threads` threads claim
/// runs of `PARTS_PER_CLAIM` parts of a file until none are left (token
/// streams are not `Send`, so every thread emits its own); the runs are put
/// back in order, so the text is the same for any thread count. An error is
/// the first failing part's, in file and part order.
pub fn format_files(
    model: &model::Model,
    files: &[(usize, PartFn)],
    max_threads: usize,
    layout: Layout,
) -> Result<Vec<String>, String> {
    let total: usize = files.iter().map(|f| f.0).sum();
    let threads = max_threads.min(total / PARTS_PER_THREAD).max(1);
    if threads == 1 {
        return files
            .iter()
            .map(|&(count, part)| {
                let mut out = String::new();
                for i in 0..count {
                    layout.print_into(part(model, i), &mut out)?;
                }
                Ok(out)
            })
            .collect();
    }
    // Runs of parts, file by file: (file, first part, end).
    let claims: Vec<(usize, usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(f, &(count, _))| {
            (0..count)
                .step_by(PARTS_PER_CLAIM)
                .map(move |start| (f, start, (start + PARTS_PER_CLAIM).min(count)))
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Vec<(usize, Result<String, String>)> {
        let mut printed = Vec::new();
        loop {
            let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&(f, start, end)) = claims.get(c) else {
                break;
            };
            let mut out = String::new();
            let result = (start..end)
                .try_for_each(|i| layout.print_into(files[f].1(model, i), &mut out))
                .map(|()| out);
            printed.push((c, result));
        }
        printed
    };
    let mut printed: Vec<(usize, Result<String, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut printed = work();
        for h in handles {
            match h.join() {
                Ok(p) => printed.extend(p),
                Err(_) => printed.push((0, Err("a formatting thread panicked".to_owned()))),
            }
        }
        printed
    });
    printed.sort_by_key(|p| p.0);
    let mut out: Vec<String> = vec![String::new(); files.len()];
    let mut sizes = vec![0usize; files.len()];
    for (c, text) in &printed {
        let text = text.as_ref().map_err(Clone::clone)?;
        sizes[claims[*c].0] += text.len();
    }
    for (file, size) in out.iter_mut().zip(sizes) {
        file.reserve_exact(size);
    }
    for (c, text) in printed {
        if let Ok(text) = text {
            out[claims[c].0].push_str(&text);
        }
    }
    Ok(out)
}
