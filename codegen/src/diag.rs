//! Diagnostics: what went wrong in a spec, where, and what to do about it.
//!
//! Rendered the way rustc renders errors: a headline, the `file:line:col`,
//! the offending source line with the offending token underlined, the YAML
//! path and a hint. [`Diagnostic::render`] adds colour on request; `Display`
//! is always plain, so snapshots and logs never hold escape codes.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Color, Style};

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
    /// How many characters from `pos` to underline (the offending token);
    /// 0 or 1 show a single caret.
    pub width: usize,
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
            width: 0,
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

    /// [`Diagnostic::locate_span`] with the file already split into lines,
    /// so locating many diagnostics costs one pass over the text, not one
    /// per diagnostic.
    pub fn locate_in_lines(mut self, file: &Path, lines: &[&str], pos: Option<Pos>, width: usize) -> Self {
        self.file = file.to_path_buf();
        self.pos = pos;
        self.source_line = pos.and_then(|p| lines.get(p.line.checked_sub(1)?).map(|l| (*l).to_owned()));
        self.width = width;
        self
    }

    /// Attach file, position, source line and the width of the offending
    /// token.
    pub fn locate_span(self, file: &Path, text: &str, pos: Option<Pos>, width: usize) -> Self {
        let mut d = self.locate(file, text, pos);
        d.width = width;
        d
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// The plain rendering (no colour): what tests snapshot and what goes to
    /// a file or a pipe.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Styles of the coloured rendering, after rustc's.
struct Palette {
    level: Style,
    message: Style,
    gutter: Style,
    marker: Style,
    help: Style,
}

impl Palette {
    fn new(severity: Severity, color: bool) -> Self {
        if !color {
            let plain = Style::new();
            return Palette {
                level: plain,
                message: plain,
                gutter: plain,
                marker: plain,
                help: plain,
            };
        }
        let accent = match severity {
            Severity::Error => AnsiColor::BrightRed,
            Severity::Warning => AnsiColor::BrightYellow,
        };
        let accent = Style::new().fg_color(Some(Color::Ansi(accent))).bold();
        Palette {
            level: accent,
            message: Style::new().bold(),
            gutter: Style::new().fg_color(Some(Color::Ansi(AnsiColor::BrightBlue))).bold(),
            marker: accent,
            help: Style::new().bold(),
        }
    }
}

impl Diagnostic {
    /// Render the way rustc does: headline, `--> file:line:col`, the source
    /// line with the offending token underlined, then the YAML path and the
    /// hint. With `color`, ANSI styles are added; the caller decides whether
    /// the terminal wants them (see `anstream`).
    pub fn render(&self, color: bool) -> String {
        let p = Palette::new(self.severity, color);
        let (level, message, gutter, marker, help) = (p.level, p.message, p.gutter, p.marker, p.help);
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let number = self.pos.map(|p| p.line.to_string()).unwrap_or_default();
        let pad = " ".repeat(number.len().max(1));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{level}{label}{level:#}{message}: {}{message:#}",
            shorten(&self.message, MAX_SHOWN)
        );
        let file = self.file.display();
        let _ = match self.pos {
            Some(p) => writeln!(out, "{pad}{gutter}-->{gutter:#} {file}:{}:{}", p.line, p.column),
            None => writeln!(out, "{pad}{gutter}-->{gutter:#} {file}"),
        };
        if let (Some(p), Some(line)) = (self.pos, &self.source_line) {
            let (line, p) = window(line, p, self.width);
            let line = &line;
            let before: String = line
                .chars()
                .take(p.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let room = line.chars().count().saturating_sub(p.column.saturating_sub(1));
            let carets = "^".repeat(self.width.min(room).max(1));
            let _ = writeln!(out, "{pad} {gutter}|{gutter:#}");
            let _ = writeln!(out, "{gutter}{number} |{gutter:#} {line}");
            let _ = writeln!(out, "{pad} {gutter}|{gutter:#} {before}{marker}{carets}{marker:#}");
        }
        if !self.yaml_path.is_empty() {
            let _ = writeln!(out, "{pad} {gutter}={gutter:#} {help}at{help:#}: {}", self.yaml_path);
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "{pad} {gutter}={gutter:#} {help}help{help:#}: {hint}");
        }
        out
    }
}

/// Most characters of a source line or a message a rendering shows, so a
/// megabyte-long line does not print megabytes.
const MAX_SHOWN: usize = 240;

/// `text` cut to `max` characters, with `…` where it was cut.
fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= max {
        return text.into();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s.into()
}

/// The part of a long source line around `pos` (with `…` where cut), and
/// the position moved to match; short lines are returned as they are.
fn window(line: &str, pos: Pos, width: usize) -> (String, Pos) {
    let len = line.chars().count();
    if len <= MAX_SHOWN {
        return (line.to_owned(), pos);
    }
    let col = pos.column.saturating_sub(1).min(len);
    let start = col.saturating_sub(MAX_SHOWN / 3);
    let end = (col + width.clamp(1, MAX_SHOWN / 2) + MAX_SHOWN / 3)
        .min(len)
        .max(start);
    let mut shown = String::new();
    let mut column = col - start + 1;
    if start > 0 {
        shown.push('…');
        column += 1;
    }
    shown.extend(line.chars().skip(start).take(end - start));
    if end < len {
        shown.push('…');
    }
    (shown, Pos { line: pos.line, column })
}

impl Diagnostic {
    /// The diagnostic on one line (`file:line:col: message (at ...; help: ...)`),
    /// for channels that take one line per message, such as cargo's
    /// `cargo::error=` build-script directive.
    pub fn one_line(&self) -> String {
        let mut out = self.file.display().to_string();
        if let Some(p) = self.pos {
            out.push_str(&format!(":{}:{}", p.line, p.column));
        }
        out.push_str(&format!(": {}", self.message));
        let mut extra = Vec::new();
        if !self.yaml_path.is_empty() {
            extra.push(format!("at {}", self.yaml_path));
        }
        if let Some(h) = &self.hint {
            extra.push(format!("help: {h}"));
        }
        if !extra.is_empty() {
            out.push_str(&format!(" ({})", extra.join("; ")));
        }
        out.replace(['\n', '\r'], " ")
    }
}

/// The closing line of a run: `error: 3 errors and 1 warning in 2 of 5 spec files`.
pub fn summary(errors: usize, warnings: usize, failed_files: usize, files: usize) -> String {
    let plural = |n: usize, what: &str| {
        if n == 1 {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    let counts = match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
    };
    format!("{counts} in {failed_files} of {}", plural(files, "spec file"))
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
    fn underlines_the_token_and_colours_only_on_request() {
        let mut d = Diagnostic::error("a.b", "bad").with_hint("fix it").locate(
            Path::new("x.yaml"),
            "a:\n  b: wrong\n",
            Some(Pos { line: 2, column: 6 }),
        );
        d.width = 5;
        let plain = d.render(false);
        assert_eq!(
            plain,
            "error: bad\n --> x.yaml:2:6\n  |\n2 |   b: wrong\n  |      ^^^^^\n  = at: a.b\n  = help: fix it\n"
        );
        assert_eq!(plain, d.to_string());
        let coloured = d.render(true);
        assert!(coloured.contains("\u{1b}["), "{coloured}");
        assert_ne!(coloured, plain);
        assert_eq!(d.one_line(), "x.yaml:2:6: bad (at a.b; help: fix it)");
        assert_eq!(summary(2, 1, 1, 3), "2 errors and 1 warning in 1 of 3 spec files");
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
