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

/// Why a string does not match a documented pattern, if it does not.
pub fn pattern_problem(value: &str, compiled: &Regex, source: &str) -> Option<String> {
    (!compiled.is_match(value)).then(|| format!("does not match the documented pattern `{source}`"))
}

/// Inclusive bounds; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bounds<T> {
    /// The least value allowed.
    pub min: Option<T>,
    /// The greatest value allowed.
    pub max: Option<T>,
}

impl<T: Copy> Bounds<T> {
    /// Bounds from their two ends.
    pub const fn new(min: Option<T>, max: Option<T>) -> Self {
        Bounds { min, max }
    }

    /// Whether neither end is set (nothing to check).
    pub const fn is_open(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }
}

/// Which documented constraint a value breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    /// Length in characters.
    Length,
    /// Regular expression.
    Pattern,
    /// Integer value.
    Range,
    /// Item count.
    Items,
}

/// One broken constraint: which, and the message of its `*_problem`
/// function (to follow the value's name: "has 3 characters; ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Which constraint.
    pub kind: ConstraintKind,
    /// Why the value breaks it.
    pub problem: String,
}

/// A parameter's documented constraints, typed. The generator's model
/// holds one per parameter (and emits the checks above from it); the
/// generator's example checks and the mock server check JSON values with
/// [`Constraints::violations`], so all three state each rule once, here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Constraints {
    /// Length of a string, in characters.
    pub length: Bounds<u64>,
    /// Regular expression a string must match (whole value, as written).
    pub pattern: Option<String>,
    /// Value of an integer.
    pub range: Bounds<i64>,
    /// Number of items of an array.
    pub items: Bounds<u64>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_open() && self.pattern.is_none() && self.range.is_open() && self.items.is_open()
    }

    /// Every constraint a JSON value breaks: length and `compiled` (the
    /// compiled [`Constraints::pattern`]) for strings, range for integers,
    /// item count for arrays.
    pub fn violations(&self, value: &serde_json::Value, compiled: Option<&Regex>) -> Vec<Violation> {
        use serde_json::Value;
        let mut out = Vec::new();
        let mut push = |kind, problem: Option<String>| {
            if let Some(problem) = problem {
                out.push(Violation { kind, problem });
            }
        };
        match value {
            Value::String(s) => {
                push(
                    ConstraintKind::Length,
                    length_problem(s, self.length.min, self.length.max),
                );
                if let (Some(re), Some(source)) = (compiled, &self.pattern) {
                    push(ConstraintKind::Pattern, pattern_problem(s, re, source));
                }
            }
            Value::Number(n) => {
                let problem = n
                    .as_i64()
                    .and_then(|i| range_problem(i, self.range.min, self.range.max));
                push(ConstraintKind::Range, problem);
            }
            Value::Array(items) => {
                push(
                    ConstraintKind::Items,
                    items_problem(items.len(), self.items.min, self.items.max),
                );
            }
            _ => {}
        }
        out
    }
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
        Some(re) => pattern_problem(value, re, source).map_or(Ok(()), |problem| fail(parameter, problem)),
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

    #[test]
    fn constraints_check_json_values_with_the_same_messages() {
        let c = Constraints {
            length: Bounds::new(Some(2), Some(4)),
            pattern: Some("^[a-z]+$".to_owned()),
            range: Bounds::new(Some(1), Some(100)),
            items: Bounds::new(None, Some(1)),
        };
        let re = Regex::new("^[a-z]+$").unwrap();
        let found = c.violations(&serde_json::json!("ABCDE"), Some(&re));
        let kinds: Vec<ConstraintKind> = found.iter().map(|v| v.kind).collect();
        assert_eq!(kinds, [ConstraintKind::Length, ConstraintKind::Pattern]);
        assert_eq!(found[0].problem, length_problem("ABCDE", Some(2), Some(4)).unwrap());
        assert_eq!(
            c.violations(&serde_json::json!(0), None)[0].problem,
            "is 0; the document allows 1 to 100"
        );
        assert_eq!(
            c.violations(&serde_json::json!([1, 2]), None)[0].kind,
            ConstraintKind::Items
        );
        assert!(c.violations(&serde_json::json!("abc"), Some(&re)).is_empty());
        assert!(!c.is_empty() && Constraints::default().is_empty());
    }
}
