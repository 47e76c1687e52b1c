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
    }
}
