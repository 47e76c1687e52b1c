//! Type expressions: `string`, `array<BackupResp>`, `map<integer>`, `Name`.

/// A parsed type expression; named types are resolved to indexes later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// `string`
    String,
    /// `integer` (i64)
    Integer,
    /// `int32`
    Int32,
    /// `number` (f64)
    Number,
    /// `boolean`
    Boolean,
    /// `json`: any JSON value.
    Json,
    /// `array<T>`
    Array(Box<TypeExpr>),
    /// `map<T>`: object with string keys.
    Map(Box<TypeExpr>),
    /// A named type from `types`.
    Named(String),
}

/// Names of the built-in scalars, for hints.
pub const SCALARS: &[&str] = &["string", "integer", "int32", "number", "boolean", "json"];

/// How many `array<...>`/`map<...>` a type expression may nest. Checked
/// before anything recursive runs, so no expression can exhaust the stack
/// of the parser, of the Rust type printer or of the formatter.
pub const MAX_DEPTH: usize = 32;

/// Parse a type expression; the error says what is wrong. Iterative: the
/// collection prefixes are peeled off in a loop, then the expression is
/// built from the inside out.
pub fn parse(text: &str) -> Result<TypeExpr, String> {
    let mut t = text.trim();
    if t.is_empty() {
        return Err("empty type expression".to_owned());
    }
    let mut wrappers: Vec<fn(Box<TypeExpr>) -> TypeExpr> = Vec::new();
    'peel: loop {
        for (prefix, wrap) in [
            ("array<", TypeExpr::Array as fn(Box<TypeExpr>) -> TypeExpr),
            ("map<", TypeExpr::Map),
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                if wrappers.len() == MAX_DEPTH {
                    return Err(format!(
                        "the type expression nests more than {MAX_DEPTH} `array<...>`/`map<...>` levels"
                    ));
                }
                t = rest
                    .strip_suffix('>')
                    .ok_or_else(|| format!("`{t}` is missing its closing `>`"))?
                    .trim();
                wrappers.push(wrap);
                continue 'peel;
            }
        }
        break;
    }
    let mut expr = scalar_or_name(t)?;
    while let Some(wrap) = wrappers.pop() {
        expr = wrap(Box::new(expr));
    }
    Ok(expr)
}

fn scalar_or_name(t: &str) -> Result<TypeExpr, String> {
    if t.is_empty() {
        return Err("empty type expression".to_owned());
    }
    Ok(match t {
        "string" => TypeExpr::String,
        "integer" => TypeExpr::Integer,
        "int32" => TypeExpr::Int32,
        "number" => TypeExpr::Number,
        "boolean" => TypeExpr::Boolean,
        "json" => TypeExpr::Json,
        name => {
            let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(format!(
                    "`{name}` is not a type expression (expected a scalar, array<T>, map<T> or a type name)"
                ));
            }
            TypeExpr::Named(name.to_owned())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            parse("array<map<BackupResp>>"),
            Ok(TypeExpr::Array(Box::new(TypeExpr::Map(Box::new(TypeExpr::Named(
                "BackupResp".into()
            ))))))
        );
        assert!(parse("array<string").is_err());
        assert!(parse("list of strings").is_err());
        let deep = format!("{}string{}", "array<".repeat(MAX_DEPTH), ">".repeat(MAX_DEPTH));
        assert!(parse(&deep).is_ok());
        let too_deep = format!("{}string{}", "array<".repeat(5000), ">".repeat(5000));
        assert!(parse(&too_deep).unwrap_err().contains("nests more than"));
    }
}
