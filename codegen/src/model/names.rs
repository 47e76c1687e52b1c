//! Rust names derived from wire names, and the checks that keep them valid.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use super::PaginationStyle;

/// Keywords that can be used as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be identifiers even as raw identifiers.
const NEVER: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Why a name cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// Empty after derivation.
    Empty,
    /// Not an identifier (starts with a digit, contains other characters).
    NotIdentifier,
    /// A keyword that cannot be a raw identifier.
    Reserved,
    /// A keyword, where a raw identifier would be legal but unidiomatic
    /// (type and variant names).
    Keyword,
    /// A valid identifier in the wrong case for its kind; the generated
    /// code is compiled under `#[deny(warnings)]`, so rustc's naming lints
    /// would fail the build.
    WrongCase(&'static str),
}

impl NameProblem {
    /// Human explanation.
    pub fn explain(&self, name: &str) -> String {
        match self {
            NameProblem::Empty => "the derived Rust name is empty".to_owned(),
            NameProblem::NotIdentifier => format!("`{name}` is not a valid Rust identifier"),
            NameProblem::Reserved => {
                format!("`{name}` is a reserved Rust keyword that cannot be used even as r#{name}")
            }
            NameProblem::Keyword => format!("`{name}` is a Rust keyword"),
            NameProblem::WrongCase(case) => format!("`{name}` is not {case}"),
        }
    }
}

/// snake_case field name for a wire name.
pub fn field_name(wire: &str) -> String {
    snake_case(wire)
}

/// UpperCamelCase type or variant name for a wire name.
pub fn type_name(wire: &str) -> String {
    upper_camel_case(wire)
}

/// heck's snake_case (`backupId` -> `backup_id`), without its formatting
/// machinery for ASCII names (nearly all of them).
pub(super) fn snake_case(name: &str) -> String {
    ascii_case(name, Case::Snake).unwrap_or_else(|| name.to_snake_case())
}

/// heck's UpperCamelCase, fast for ASCII names as [`snake_case`].
pub(super) fn upper_camel_case(name: &str) -> String {
    ascii_case(name, Case::UpperCamel).unwrap_or_else(|| name.to_upper_camel_case())
}

/// heck's SHOUTY_SNAKE_CASE, fast for ASCII names as [`snake_case`].
fn shouty_snake_case(name: &str) -> String {
    ascii_case(name, Case::ShoutySnake).unwrap_or_else(|| name.to_shouty_snake_case())
}

/// A case heck converts to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Snake,
    UpperCamel,
    ShoutySnake,
}

/// The case of the last cased letter of the word being split (heck's
/// `WordMode`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordMode {
    Boundary,
    Lowercase,
    Uppercase,
}

/// `name` in `case`, exactly as heck 0.5 converts it, for ASCII names
/// (`None` for others: heck decides those, with Unicode's case rules).
/// heck's word rule on ASCII: words are the runs of letters and digits,
/// split again after a lower-case letter (or the digits after one) that an
/// upper-case letter follows, and before the last upper-case letter of a run
/// that a lower-case letter follows (`HTTPServer` -> `HTTP`, `Server`). A
/// test checks this against heck on random names.
fn ascii_case(name: &str, case: Case) -> Option<String> {
    if !name.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(name.len() + 4);
    let word = |w: &str, out: &mut String| {
        if !out.is_empty() && case != Case::UpperCamel {
            out.push('_');
        }
        match case {
            Case::Snake => out.extend(w.chars().map(|c| c.to_ascii_lowercase())),
            Case::ShoutySnake => out.extend(w.chars().map(|c| c.to_ascii_uppercase())),
            Case::UpperCamel => {
                let mut chars = w.chars();
                if let Some(first) = chars.next() {
                    out.push(first.to_ascii_uppercase());
                }
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            }
        }
    };
    for w in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let b = w.as_bytes();
        let (mut init, mut mode) = (0, WordMode::Boundary);
        for (i, &c) in b.iter().enumerate() {
            let Some(&next) = b.get(i + 1) else {
                word(&w[init..], &mut out);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                WordMode::Lowercase
            } else if c.is_ascii_uppercase() {
                WordMode::Uppercase
            } else {
                mode
            };
            if next_mode == WordMode::Lowercase && next.is_ascii_uppercase() {
                word(&w[init..=i], &mut out);
                (init, mode) = (i + 1, WordMode::Boundary);
            } else if mode == WordMode::Uppercase && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&w[init..i], &mut out);
                (init, mode) = (i, WordMode::Boundary);
            } else {
                mode = next_mode;
            }
        }
    }
    Some(out)
}

/// Check a Rust identifier; returns the spelling to emit (raw for keywords).
pub fn identifier(name: &str) -> Result<String, NameProblem> {
    Ok(if raw_identifier(name)? {
        format!("r#{name}")
    } else {
        name.to_owned()
    })
}

/// The check of [`identifier`], without building the spelling: whether
/// the name must be written raw (`r#type`).
pub(super) fn raw_identifier(name: &str) -> Result<bool, NameProblem> {
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    if NEVER.contains(&name) {
        return Err(NameProblem::Reserved);
    }
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
    if !first_ok || !chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) {
        return Err(NameProblem::NotIdentifier);
    }
    Ok(RAW_OK.contains(&name))
}

/// Check a type, variant or error-code name: an identifier, not a keyword,
/// and UpperCamelCase as rustc's `non_camel_case_types` lint wants it.
pub fn type_identifier(name: &str) -> Result<(), NameProblem> {
    if identifier(name)?.starts_with("r#") {
        return Err(NameProblem::Keyword);
    }
    let upper_first = name.starts_with(|c: char| c.is_ascii_uppercase());
    if !upper_first || name.contains('_') {
        return Err(NameProblem::WrongCase("UpperCamelCase"));
    }
    Ok(())
}

/// Check a field or parameter name chosen by hand (`rust_name`): an
/// identifier in snake_case, as rustc's `non_snake_case` lint wants it.
/// Returns the spelling to emit (raw for keywords).
pub fn snake_identifier(name: &str) -> Result<String, NameProblem> {
    let ident = identifier(name)?;
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(NameProblem::WrongCase("snake_case"));
    }
    Ok(ident)
}

/// Method names the generated client defines besides the operations; an
/// operation whose method name is one of these is rejected.
pub const RESERVED_METHODS: &[&str] = &["config", "with_signer", "with_transport", "from_env", "inner"];

/// Items the generated module defines besides types, requests, error-code
/// enums, pattern statics and wrapper modules.
pub const RESERVED_ITEMS: &[&str] = &["Client", "SERVICE"];

/// A name without its raw prefix (`type` for `r#type`).
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The operation's method name on the client (`show_backup`; raw, like
/// `r#type`, when the snake-case name is a keyword).
pub fn method_name(op_id: &str) -> String {
    let snake = snake_case(op_id);
    identifier(&snake).unwrap_or(snake)
}

/// The request type of an operation (`ShowBackupRequest`).
pub fn request_name(op_id: &str) -> String {
    format!("{op_id}Request")
}

/// The open enum of an operation's documented error codes.
pub fn error_code_name(op_id: &str) -> String {
    format!("{op_id}ErrorCode")
}

/// Suffix of the stream methods of a pagination style, given every style
/// the operation has. Decided by style, not by position, so reordering the
/// styles in a spec renames nothing: an operation with one style gets no
/// suffix; with both, the token style keeps the plain names and the page
/// number style gets `_by_page_number`.
pub fn stream_suffix(styles: &[PaginationStyle], style: PaginationStyle) -> &'static str {
    match style {
        _ if styles.len() <= 1 => "",
        PaginationStyle::NextToken => "",
        PaginationStyle::PageNumber if !styles.contains(&PaginationStyle::NextToken) => "",
        PaginationStyle::PageNumber => "_by_page_number",
    }
}

/// The page and item stream methods of one pagination style.
pub fn stream_names(op_id: &str, styles: &[PaginationStyle], style: PaginationStyle) -> (String, String) {
    let stem = method_name(op_id);
    let stem = bare(&stem);
    let suffix = stream_suffix(styles, style);
    (format!("{stem}_pages{suffix}"), format!("{stem}_items{suffix}"))
}

/// The static holding the compiled pattern of a parameter.
pub fn pattern_static_name(op_id: &str, param_ident: &str) -> String {
    format!(
        "{}_{}_PATTERN",
        shouty_snake_case(op_id),
        shouty_snake_case(bare(param_ident))
    )
}

/// The serde helper module of a list wrapper key (`list_wrapper_snapshot`).
pub fn wrapper_module_name(key: &str) -> String {
    format!("list_wrapper_{}", snake_case(key))
}

/// The stem of an example's test functions (`_request`/`_response` follow).
pub fn example_test_stem(vendor: &str, service: &str, op_id: &str, example: &str) -> String {
    format!("{vendor}_{service}_{}_{}", snake_case(op_id), snake_case(example))
}

/// Whether `name` is a plain ASCII identifier (what generated names built
/// from spec text must be, so `format_ident!` and rustc accept them).
pub fn is_ascii_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_and_checks_names() {
        assert_eq!(field_name("backupId"), "backup_id");
        assert_eq!(field_name("KMSKeyId"), "kms_key_id");
        assert_eq!(type_name("OS::Nova::Server"), "OsNovaServer");
        assert_eq!(type_name("IN_PROGRESS"), "InProgress");
        assert_eq!(identifier("type"), Ok("r#type".to_owned()));
        assert_eq!(identifier("self"), Err(NameProblem::Reserved));
        assert_eq!(identifier("0"), Err(NameProblem::NotIdentifier));
        assert_eq!(identifier("filter.1"), Err(NameProblem::NotIdentifier));
        assert_eq!(type_identifier("BackupDetail"), Ok(()));
        assert_eq!(type_identifier("V0"), Ok(()));
        assert_eq!(type_identifier("Self"), Err(NameProblem::Reserved));
        assert_eq!(type_identifier("match"), Err(NameProblem::Keyword));
        assert_eq!(
            type_identifier("backup_detail"),
            Err(NameProblem::WrongCase("UpperCamelCase"))
        );
        assert_eq!(snake_identifier("type"), Ok("r#type".to_owned()));
        assert_eq!(snake_identifier("BackupId"), Err(NameProblem::WrongCase("snake_case")));
    }

    proptest::proptest! {
        /// The ASCII fast path is heck, exactly: names of letters in both
        /// cases, digits and the separators specs use.
        #[test]
        fn ascii_case_is_heck(name in "[A-Za-z0-9_ .:/-]{0,16}") {
            proptest::prop_assert_eq!(snake_case(&name), name.to_snake_case());
            proptest::prop_assert_eq!(upper_camel_case(&name), name.to_upper_camel_case());
            proptest::prop_assert_eq!(shouty_snake_case(&name), name.to_shouty_snake_case());
        }

        /// Upper-case runs and digits between cased letters, where heck's
        /// word rule has its corners.
        #[test]
        fn ascii_case_is_heck_on_case_runs(name in "[ABab01_]{0,10}") {
            proptest::prop_assert_eq!(snake_case(&name), name.to_snake_case());
            proptest::prop_assert_eq!(upper_camel_case(&name), name.to_upper_camel_case());
            proptest::prop_assert_eq!(shouty_snake_case(&name), name.to_shouty_snake_case());
        }
    }

    #[test]
    fn ascii_case_examples() {
        for name in [
            "HTTPServer",
            "backupId",
            "KMSKeyId",
            "A1B",
            "A1Bc",
            "ab1C",
            "__x__y",
            "OS::Nova::Server",
            "v2.0",
            "",
        ] {
            assert_eq!(snake_case(name), name.to_snake_case(), "{name}");
            assert_eq!(upper_camel_case(name), name.to_upper_camel_case(), "{name}");
            assert_eq!(shouty_snake_case(name), name.to_shouty_snake_case(), "{name}");
        }
    }

    #[test]
    fn stream_names_do_not_depend_on_style_order() {
        use PaginationStyle::*;
        for styles in [[NextToken, PageNumber], [PageNumber, NextToken]] {
            assert_eq!(stream_names("ListA", &styles, NextToken).0, "list_a_pages");
            assert_eq!(
                stream_names("ListA", &styles, PageNumber).0,
                "list_a_pages_by_page_number"
            );
        }
        assert_eq!(stream_names("ListA", &[PageNumber], PageNumber).1, "list_a_items");
        assert_eq!(stream_names("Type", &[NextToken], NextToken).1, "type_items");
    }
}
