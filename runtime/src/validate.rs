//! Client-side checks of documented constraints, called by generated code.

use std::sync::OnceLock;

use regex::Regex;

use super::ValidationError;

fn fail(parameter: &'static str, problem: String) -> Result<(), ValidationError> {
    Err(ValidationError { parameter, problem })
}

fn bounds<T: std::fmt::Display>(lo: Option<T>, hi: Option<T>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => "anything".to_owned(),
    }
}

// The `*_problem` functions are the one statement of each rule and its
// message: generated code reaches them through the checks below, and the
// mock server and the generator's example checks call them directly.

/// Why a length in characters is outside `min..=max`, if it is.
pub fn length_problem(value: &str, min: Option<u64>, max: Option<u64>) -> Option<String> {
    let n = value.chars().count() as u64;
    (min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m))
        .then(|| format!("has {n} characters; the document allows {}", bounds(min, max)))
}

/// Why an integer is outside `min..=max`, if it is.
pub fn range_problem(value: i64, min: Option<i64>, max: Option<i64>) -> Option<String> {
    (min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m))
        .then(|| format!("is {value}; the document allows {}", bounds(min, max)))
}

/// Why an item count is outside `min..=max`, if it is.
pub fn items_problem(count: usize, min: Option<u64>, max: Option<u64>) -> Option<String> {
    let n = count as u64;
    (min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m))
        .then(|| format!("has {n} items; the document allows {}", bounds(min, max)))
}

/// Length in characters within `min..=max`.
pub fn length(parameter: &'static str, value: &str, min: Option<u64>, max: Option<u64>) -> Result<(), ValidationError> {
    length_problem(value, min, max).map_or(Ok(()), |problem| fail(parameter, problem))
}

/// A lazily compiled pattern, one `static` per constrained parameter.
#[derive(Debug)]
pub struct Pattern(OnceLock<Option<Regex>>);

impl Pattern {
    /// An uncompiled pattern slot.
    pub const fn new() -> Self {
        Pattern(OnceLock::new())
    }
}

impl Default for Pattern {
    fn default() -> Self {
        Self::new()
    }
}

/// The whole value matches `source` (compiled once into `slot`).
pub fn pattern(
    parameter: &'static str,
    value: &str,
    slot: &Pattern,
    source: &'static str,
) -> Result<(), ValidationError> {
    match slot.0.get_or_init(|| Regex::new(source).ok()) {
        Some(re) if re.is_match(value) => Ok(()),
        Some(_) => fail(parameter, format!("does not match the documented pattern `{source}`")),
        None => fail(parameter, format!("has a pattern `{source}` that does not compile")),
    }
}

/// Integer within `min..=max`.
pub fn range(parameter: &'static str, value: i64, min: Option<i64>, max: Option<i64>) -> Result<(), ValidationError> {
    range_problem(value, min, max).map_or(Ok(()), |problem| fail(parameter, problem))
}

/// Item count within `min..=max`.
pub fn items(parameter: &'static str, count: usize, min: Option<u64>, max: Option<u64>) -> Result<(), ValidationError> {
    items_problem(count, min, max).map_or(Ok(()), |problem| fail(parameter, problem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_each_kind_of_constraint() {
        assert!(length("n", "abcd", Some(4), Some(64)).is_ok());
        let e = length("n", "abc", Some(4), Some(64)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "parameter `n` has 3 characters; the document allows 4 to 64"
        );
        assert!(length("n", "ééé", None, Some(3)).is_ok(), "characters, not bytes");
        static P: Pattern = Pattern::new();
        assert!(pattern("n", "snap_1", &P, "^[a-z][a-z0-9_-]*$").is_ok());
        assert!(pattern("n", "Snap", &P, "^[a-z][a-z0-9_-]*$").is_err());
        static BAD: Pattern = Pattern::new();
        assert!(pattern("n", "x", &BAD, "(").is_err(), "a broken pattern fails closed");
        assert!(range("PageSize", 0, Some(1), Some(100)).is_err());
        assert!(range("PageSize", 100, Some(1), Some(100)).is_ok());
        assert!(items("Tag", 21, None, Some(20)).is_err());
    }
}
