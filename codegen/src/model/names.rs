//! Rust names derived from wire names, and the checks that keep them valid.

use heck::{ToSnakeCase, ToUpperCamelCase};

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
    wire.to_snake_case()
}

/// UpperCamelCase type or variant name for a wire name.
pub fn type_name(wire: &str) -> String {
    wire.to_upper_camel_case()
}

/// Check a Rust identifier; returns the spelling to emit (raw for keywords).
pub fn identifier(name: &str) -> Result<String, NameProblem> {
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
    if RAW_OK.contains(&name) {
        return Ok(format!("r#{name}"));
    }
    Ok(name.to_owned())
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
}
