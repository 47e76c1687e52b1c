//! Diagnostics: what went wrong in a spec, where, and what to do about it.
//!
//! Rendered the way rustc renders errors: a headline, the `file:line:col`,
//! the offending source line with a caret, the YAML path and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Valid but suspicious; `check --deny-warnings` makes it an error.
    Warning,
    /// The spec cannot be generated.
    Error,
}

/// A position in a source file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

/// One finding about a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The spec file.
    pub file: PathBuf,
    /// Where in the file, if known.
    pub pos: Option<Pos>,
    /// The source line at `pos`, for the caret display.
    pub source_line: Option<String>,
    /// YAML path of the offending node (`types.BackupDetail.fields.children.type`).
    pub yaml_path: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it, if we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a YAML path; position filled in by [`Diagnostic::locate`].
    pub fn error(yaml_path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: PathBuf::new(),
            pos: None,
            source_line: None,
            yaml_path: yaml_path.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at a YAML path.
    pub fn warning(yaml_path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(yaml_path, message)
        }
    }

    /// Attach a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach file, position and source line.
    pub fn locate(mut self, file: &Path, text: &str, pos: Option<Pos>) -> Self {
        self.file = file.to_path_buf();
        self.pos = pos;
        self.source_line = pos.and_then(|p| text.lines().nth(p.line.saturating_sub(1)).map(str::to_owned));
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let file = self.file.display();
        match self.pos {
            Some(p) => writeln!(f, "  --> {file}:{}:{}", p.line, p.column)?,
            None => writeln!(f, "  --> {file}")?,
        }
        if let (Some(p), Some(line)) = (self.pos, &self.source_line) {
            let number = p.line.to_string();
            let pad = " ".repeat(number.len());
            let caret_pad: String = line
                .chars()
                .take(p.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {line}")?;
            writeln!(f, "{pad} | {caret_pad}^")?;
        }
        if !self.yaml_path.is_empty() {
            writeln!(f, "   = at: {}", self.yaml_path)?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "   = help: {hint}")?;
        }
        Ok(())
    }
}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("requird", ["required", "docs"]), Some("required"));
        assert_eq!(
            did_you_mean("BackupRsp", ["BackupResp", "BackupDetail"]),
            Some("BackupResp")
        );
        assert_eq!(did_you_mean("zzz", ["required", "docs"]), None);
    }

    #[test]
    fn renders_caret_under_column() {
        let d = Diagnostic::error("a.b", "bad").locate(
            Path::new("x.yaml"),
            "a:\n  b: 1\n",
            Some(Pos { line: 2, column: 3 }),
        );
        let s = d.to_string();
        assert!(s.contains("--> x.yaml:2:3"), "{s}");
        assert!(s.contains("2 |   b: 1\n  |   ^"), "{s}");
    }
}
