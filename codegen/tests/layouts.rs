//! What `build.rs` compiles is what reviewers read, token for token.
//!
//! `build.rs` prints the emitted tokens in the compact layout (no syntax
//! tree); the snapshots and `generate --out` use prettyplease. For every
//! shipped spec and for synthetic specs of several sizes, two checks:
//!
//! - lexing the compact text gives exactly the emitted token stream (every
//!   identifier, literal, punctuation character with its spacing where the
//!   next token is punctuation too, and group), so the compact printer
//!   neither drops, adds nor glues tokens;
//! - formatting the compact text with prettyplease gives the pretty text byte
//!   for byte, so the reviewed file and the compiled one are the same
//!   program.

#[path = "../benches/synth/mod.rs"]
#[allow(dead_code)]
mod synth;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use cloudsnap_codegen::{emit, load, Layout};
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The token sequence, flattened: one string per token, with the spacing of
/// a punctuation character that another one follows (`+` when joint: `::`
/// is not `: :`).
fn flatten(ts: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = ts.into_iter().collect();
    for (i, tt) in tokens.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("«", "»"),
                };
                out.push(open.to_owned());
                flatten(g.stream(), out);
                out.push(close.to_owned());
            }
            TokenTree::Punct(p) => {
                // Only where the two characters could lex as one operator
                // does touching matter (`>>` is a shift, `>,` is not).
                let glued = p.spacing() == Spacing::Joint
                    && match tokens.get(i + 1) {
                        Some(TokenTree::Punct(next)) => OPERATOR_PAIRS.contains(&[p.as_char(), next.as_char()]),
                        _ => false,
                    };
                out.push(format!("{}{}", p.as_char(), if glued { "+" } else { "" }));
            }
            TokenTree::Ident(x) => out.push(x.to_string()),
            TokenTree::Literal(l) => out.push(l.to_string()),
        }
    }
}

/// Two punctuation characters that Rust lexes as (the start of) one token.
const OPERATOR_PAIRS: &[[char; 2]] = &[
    [':', ':'],
    ['-', '>'],
    ['=', '>'],
    ['=', '='],
    ['!', '='],
    ['<', '='],
    ['>', '='],
    ['&', '&'],
    ['|', '|'],
    ['+', '='],
    ['-', '='],
    ['*', '='],
    ['/', '='],
    ['%', '='],
    ['^', '='],
    ['&', '='],
    ['|', '='],
    ['<', '<'],
    ['>', '>'],
    ['.', '.'],
    ['.', '='],
    ['<', '-'],
];

fn tokens_of(ts: TokenStream) -> Vec<String> {
    let mut v = Vec::new();
    flatten(ts, &mut v);
    v
}

fn check(name: &str, loaded: &load::Loaded) {
    let pretty = cloudsnap_codegen::generate_with(loaded, Layout::Pretty).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    let compact = cloudsnap_codegen::generate_with(loaded, Layout::Compact).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    let model = &pretty.model;

    // The compact text lexes to exactly the emitted tokens.
    let emitted_code = tokens_of(emit::module(model));
    let emitted_tests = tokens_of(
        (0..model.operations.len())
            .map(|i| emit::tests::operation_part(model, i))
            .collect(),
    );
    for (what, text, emitted) in [
        ("module", &compact.code, emitted_code),
        ("tests", &compact.tests, emitted_tests),
    ] {
        let lexed =
            tokens_of(TokenStream::from_str(text).unwrap_or_else(|e| panic!("{name} {what}: does not lex: {e}")));
        if lexed != emitted {
            let at = lexed
                .iter()
                .zip(&emitted)
                .position(|(a, b)| a != b)
                .unwrap_or(lexed.len().min(emitted.len()));
            panic!(
                "{name} {what}: compact text differs from the emitted tokens at token {at}: {:?} vs {:?}",
                &lexed[at.saturating_sub(5)..(at + 5).min(lexed.len())],
                &emitted[at.saturating_sub(5)..(at + 5).min(emitted.len())]
            );
        }
    }

    // Formatting the compact text gives the reviewed text.
    for (what, compact, pretty) in [
        ("module", &compact.code, &pretty.code),
        ("tests", &compact.tests, &pretty.tests),
    ] {
        let file =
            syn::parse_file(compact).unwrap_or_else(|e| panic!("{name} {what}: compact text does not parse: {e}"));
        let formatted = prettyplease::unparse(&file);
        if &formatted != pretty {
            let line = formatted
                .lines()
                .zip(pretty.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{name} {what}: prettyplease of the compact text differs from the pretty text at line {}:\n{:?}\nvs\n{:?}",
                line + 1,
                formatted.lines().nth(line),
                pretty.lines().nth(line)
            );
        }
    }
}

#[test]
fn compact_layout_is_the_pretty_layout_for_every_shipped_spec() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let files = cloudsnap_codegen::spec_files(&[PathBuf::from(&specs)]);
    assert!(!files.is_empty(), "no specs in {}", specs.display());
    for file in files {
        let loaded = load::load_file(&file).unwrap_or_else(|d| panic!("{}: {d:?}", file.display()));
        check(&file.display().to_string(), &loaded);
    }
}

#[test]
fn compact_layout_is_the_pretty_layout_for_synthetic_specs() {
    // 40 operations: more parts than one thread takes, so the threaded
    // path is covered too.
    for n in [1, 4, 40] {
        let text = synth::spec_yaml(n);
        let loaded = load::load_str(Path::new("synthetic.yaml"), &text).unwrap_or_else(|d| panic!("{n}: {d:?}"));
        check(&format!("synthetic {n}"), &loaded);
    }
}

#[test]
fn compact_text_reads_line_by_line() {
    // Readable where rustc points: one item, statement or field per line,
    // no line much longer than the longest doc string.
    let text = synth::spec_yaml(4);
    let loaded = load::load_str(Path::new("synthetic.yaml"), &text).expect("loads");
    let g = cloudsnap_codegen::generate_with(&loaded, Layout::Compact).expect("generates");
    let lines = g.code.lines().count();
    let pretty = cloudsnap_codegen::generate(&loaded).expect("generates");
    assert!(
        lines * 3 >= pretty.code.lines().count(),
        "compact text has {lines} lines against {} pretty ones",
        pretty.code.lines().count()
    );
    assert!(
        g.code.lines().any(|l| l.starts_with("pub struct ")),
        "{}",
        &g.code[..2000]
    );
    assert!(
        g.code.lines().any(|l| l.starts_with("    pub ")),
        "fields are indented by depth"
    );
}
