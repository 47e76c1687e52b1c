//! Load: YAML text -> raw [`Spec`], remembering where every node is.
//!
//! One parse of a valid spec: yaml-rust2's marked events become a tree
//! (`tree`) that catches YAML syntax errors and duplicate keys, locates
//! every YAML path ([`index`]) and is read into the typed raw spec (`de`).
//! An invalid spec is read again: serde_yaml (through serde_path_to_error)
//! names the path where typing fails, and a schema pass (`shape`) finds
//! every unknown key, missing key and wrong value type, not just the first
//! one serde stops at.

mod de;
pub mod index;
mod shape;
mod tree;

use std::path::{Path, PathBuf};

use crate::diag::{did_you_mean, Diagnostic, Pos};
use crate::spec::Spec;

pub use index::SourceIndex;

/// A spec file that parsed, with its source and position index.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Path of the file, as given.
    pub file: PathBuf,
    /// Full source text.
    pub text: String,
    /// The raw spec.
    pub spec: Spec,
    /// YAML path -> position.
    pub index: SourceIndex,
}

impl Loaded {
    /// Locate a diagnostic at its YAML path (the value node, or the nearest
    /// ancestor the index knows), underlining the token there. A position
    /// the diagnostic already has (a spot inside a node) is kept.
    pub fn locate(&self, d: Diagnostic) -> Diagnostic {
        if d.pos.is_some() {
            let (pos, width) = (d.pos, d.width);
            return d.locate_span(&self.file, &self.text, pos, width);
        }
        let span = self.index.find_span(&d.yaml_path);
        d.locate_span(&self.file, &self.text, span.map(|s| s.0), span.map_or(0, |s| s.1))
    }

    /// Locate many diagnostics (see [`Loaded::locate`]), splitting the text
    /// into lines once.
    pub fn locate_all(&self, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if diags.is_empty() {
            return diags;
        }
        let lines: Vec<&str> = self.text.lines().collect();
        diags
            .into_iter()
            .map(|d| {
                let (pos, width) = match d.pos {
                    Some(_) => (d.pos, d.width),
                    None => {
                        let span = self.index.find_span(&d.yaml_path);
                        (span.map(|s| s.0), span.map_or(0, |s| s.1))
                    }
                };
                d.locate_in_lines(&self.file, &lines, pos, width)
            })
            .collect()
    }
}

/// Read and load a spec file.
pub fn load_file(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error("", format!("cannot read spec file: {e}"))
            .locate(path, "", None)
            .with_hint("check the path and that the file is UTF-8 text")]
    })?;
    let text = decode(path, bytes)?;
    load_str(path, &text)
}

/// The file's bytes as UTF-8 text, or an error at the first byte that is
/// not UTF-8 (UTF-16, recognised by its byte order mark, is named).
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Vec<Diagnostic>> {
    let at_start = Pos { line: 1, column: 1 };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let order = if bytes[0] == 0xFF { "little" } else { "big" };
        let d = Diagnostic::error("", format!("the spec file is UTF-16 ({order}-endian), not UTF-8"))
            .with_hint("save the file as UTF-8 (without a byte order mark)")
            .locate(path, "", Some(at_start));
        return Err(vec![d]);
    }
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let valid = String::from_utf8_lossy(&bytes[..bad]);
        let line = valid.matches('\n').count() + 1;
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let column = valid[line_start..].chars().count() + 1;
        // Show the line with the bad bytes replaced, so the caret has something to point at.
        let end = bytes[bad..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| bad + i);
        let shown = String::from_utf8_lossy(&bytes[..end]).into_owned();
        vec![
            Diagnostic::error("", format!("byte 0x{:02X} is not valid UTF-8", bytes[bad]))
                .with_hint("spec files are UTF-8 text; re-save the file as UTF-8 (it may be Latin-1 or Windows-1252)")
                .locate(path, &shown, Some(Pos { line, column })),
        ]
    })
}

/// Load a spec from text; `file` is used in diagnostics only. On failure
/// every problem found is returned, in source order.
pub fn load_str(file: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let (index, duplicates) = match index::build(text) {
        Ok(built) => built,
        Err(e) => return Err(vec![syntax_error(file, text, &e)]),
    };
    let lines: Vec<&str> = if duplicates.is_empty() {
        Vec::new()
    } else {
        text.lines().collect()
    };
    let place = |d: Diagnostic| {
        let (pos, width) = (d.pos, d.width);
        d.locate_in_lines(file, &lines, pos, width)
    };
    if index.is_empty()
        && text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        let d = Diagnostic::error("", "the spec file is empty")
            .with_hint("a spec starts with a `service:` mapping; see specs/README.md for the format");
        return Err(vec![d.locate(file, text, Some(Pos { line: 1, column: 1 }))]);
    }
    if let Some(d) = second_document(file, text) {
        return Err(vec![d]);
    }
    // Tags and merge keys: rare, so the extra parse only runs when the
    // document could hold one.
    if index.tree().exotic || text.contains("<<") {
        if let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) {
            let found = shape::tags_and_merges(&doc);
            if !found.is_empty() {
                return Err(shape_errors(file, text, &index, found));
            }
        }
    }
    // The typed spec from the same parse. Anything that reader does not
    // take (and every invalid spec) is read again by serde_yaml, whose
    // errors, with the shape pass, are the ones reported. A tab is left to
    // serde_yaml too: libyaml refuses some tabs yaml-rust2 lets through.
    let fast = if index.tree().exotic || text.contains('\t') {
        None
    } else {
        de::from_tree::<Spec>(index.tree()).ok()
    };
    let spec = fast.map_or_else(|| typed(text), Ok);
    let mut errors: Vec<Diagnostic> = duplicates.into_iter().map(place).collect();
    match spec {
        Ok(spec) if errors.is_empty() => {
            return Ok(Loaded {
                file: file.to_path_buf(),
                text: text.to_owned(),
                spec,
                index,
            })
        }
        Ok(_) => {}
        Err(e) => {
            let shape = serde_yaml::from_str::<serde_yaml::Value>(text)
                .map(|doc| shape::check(&doc))
                .unwrap_or_default();
            let serde_path = e.path().to_string();
            let serde_path = if serde_path == "." { String::new() } else { serde_path };
            // serde's own error is kept unless the shape pass found a
            // problem at (or around) the same node: it is the real one.
            let covered = shape
                .iter()
                .any(|p| p.path == serde_path || serde_path.starts_with(&p.path) || p.path.starts_with(&serde_path));
            if !shape.is_empty() {
                if !covered && !e.inner().to_string().contains("duplicate field") {
                    errors.push(serde_error(file, text, &index, e));
                    errors.extend(shape_errors(file, text, &index, shape));
                    errors.sort_by(|a, b| (a.pos, &a.yaml_path).cmp(&(b.pos, &b.yaml_path)));
                    return Err(errors);
                }
                errors.extend(shape_errors(file, text, &index, shape));
            } else if errors.is_empty() || !e.inner().to_string().contains("duplicate field") {
                // serde saw something the shape pass does not model; report it as serde says.
                errors.push(serde_error(file, text, &index, e));
            }
        }
    }
    errors.sort_by(|a, b| (a.pos, &a.yaml_path).cmp(&(b.pos, &b.yaml_path)));
    Err(errors)
}

/// The typed raw spec, with the YAML path of a failure.
fn typed(text: &str) -> Result<Spec, serde_path_to_error::Error<serde_yaml::Error>> {
    serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text))
}

/// A `---` (or `...`) that ends the first YAML document when more content
/// follows: a spec is one document. A `---` before any content starts the
/// one document and is fine. Reported at the marker.
fn second_document(file: &Path, text: &str) -> Option<Diagnostic> {
    let mut content = false;
    for (i, line) in text.lines().enumerate() {
        let marker = ["---", "..."].into_iter().find(|m| {
            line.strip_prefix(m)
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        });
        match marker {
            Some(m) if content || m == "..." => {
                let rest = text.lines().skip(i + 1).any(|l| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#')
                });
                if !rest && m == "..." {
                    return None;
                }
                let message = if m == "---" {
                    "a second YAML document starts here; a spec file holds one document"
                } else {
                    "the YAML document ends here, but more follows"
                };
                return Some(
                    Diagnostic::error("", message)
                        .with_hint(
                            "remove this line (and split the file if it holds two specs); `---` may only open the file",
                        )
                        .locate_span(file, text, Some(Pos { line: i + 1, column: 1 }), 3),
                );
            }
            Some(_) => {}
            None => {
                let t = line.trim();
                if !t.is_empty() && !t.starts_with('#') && !t.starts_with('%') {
                    content = true;
                }
            }
        }
    }
    None
}

/// serde's error, located at its YAML path (or where serde_yaml says).
fn serde_error(
    file: &Path,
    text: &str,
    index: &SourceIndex,
    e: serde_path_to_error::Error<serde_yaml::Error>,
) -> Diagnostic {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let inner = e.into_inner();
    if let Some(d) = scanner_error(file, text, &inner) {
        return d;
    }
    let message = clean_serde_message(&inner.to_string(), &path);
    let mut d = Diagnostic::error(path.clone(), message.clone());
    if let Some(h) = hint_for_serde_message(&message) {
        d = d.with_hint(h);
    }
    let span = index.find_span(&path);
    let pos = span.map(|s| s.0).or_else(|| {
        inner.location().map(|l| Pos {
            line: l.line(),
            column: l.column(),
        })
    });
    d.locate_span(file, text, pos, span.map_or(0, |s| s.1))
}

/// A YAML syntax error that only serde_yaml's scanner reports (a tab on an
/// otherwise blank line, a tab inside a plain scalar's continuation):
/// shown where the scanner found it, not at the YAML path being read, which
/// is the key before it and so the wrong line.
fn scanner_error(file: &Path, text: &str, inner: &serde_yaml::Error) -> Option<Diagnostic> {
    let raw = inner.to_string();
    let syntax = raw.starts_with("found ") || raw.contains(", while scanning") || raw.contains(", while parsing");
    let location = inner.location().filter(|_| syntax)?;
    let pos = Pos {
        line: location.line(),
        column: location.column(),
    };
    // "found X at line L column C, while scanning Y at line ..." -> "found X"
    let problem = raw.split(" at line ").next().unwrap_or(&raw);
    let at_tab = text
        .lines()
        .nth(pos.line.saturating_sub(1))
        .and_then(|l| l.chars().nth(pos.column.saturating_sub(1)))
        == Some('\t');
    let hint = if at_tab || problem.contains("tab") {
        "indent with spaces: YAML does not allow tabs in indentation, nor on a line of its own"
    } else {
        "check indentation, and quote strings that contain `: `, `#`, `{` or start with `*`, `&`, `!`"
    };
    let message = if at_tab && !problem.contains("tab") {
        format!("YAML syntax error: {problem} (a tab)")
    } else {
        format!("YAML syntax error: {problem}")
    };
    Some(
        Diagnostic::error("", message)
            .with_hint(hint)
            .locate(file, text, Some(pos)),
    )
}

/// The shape pass's problems as located diagnostics.
fn shape_errors(file: &Path, text: &str, index: &SourceIndex, shape: Vec<shape::Problem>) -> Vec<Diagnostic> {
    shape
        .into_iter()
        .map(|p| {
            let span = if p.at_key {
                index.key_span(&p.path)
            } else {
                index.find_span(&p.path)
            };
            let mut d = Diagnostic::error(p.path, p.message);
            d.hint = p.hint;
            d.locate_span(file, text, span.map(|s| s.0), span.map_or(0, |s| s.1))
        })
        .collect()
}

/// A YAML syntax error, located where it helps most, with a hint that fits
/// the kind of mistake.
fn syntax_error(file: &Path, text: &str, e: &yaml_rust2::ScanError) -> Diagnostic {
    let info = e.info();
    let mut pos = index::to_pos(e.marker());
    let mut message = format!("YAML syntax error: {info}");
    let hint = if info.contains("tab") {
        if let Some(at) = leading_tab(text, pos) {
            pos = at;
        }
        "indent with spaces: YAML does not allow tabs in indentation".to_owned()
    } else if info.contains("quoted scalar") {
        "a quoted string is not closed, or a continuation line is indented less than its key; close the quote"
            .to_owned()
    } else if info.contains("flow sequence") || info.contains("flow mapping") {
        let (open, close) = if info.contains("sequence") {
            ('[', ']')
        } else {
            ('{', '}')
        };
        if let Some(at) = unclosed_opener(text, pos, open) {
            message = format!("YAML syntax error: this `{open}` is never closed ({info})");
            pos = at;
        }
        format!("close it with `{close}` on the same line, or write the collection in block style")
    } else if info.contains("did not find expected key") || info.contains("mapping values are not allowed") {
        "this line is not aligned with the keys around it; indent it like its siblings, and quote values that contain `: `".to_owned()
    } else if info.contains("unexpected character") || info.contains("cannot start any token") {
        "quote the value: `@` and `` ` `` cannot start a plain YAML value".to_owned()
    } else {
        "check indentation, and quote strings that contain `: `, `#`, `{` or start with `*`, `&`, `!`".to_owned()
    };
    // An error at the end of the file is best shown on its last line.
    let last = text.lines().count();
    if pos.line > last && last > 0 {
        let line = text.lines().last().unwrap_or_default();
        pos = Pos {
            line: last,
            column: line.chars().count() + 1,
        };
    }
    Diagnostic::error("", message)
        .with_hint(hint)
        .locate(file, text, Some(pos))
}

/// The tab in the indentation of the line at `pos`, or of the nearest line
/// above it that has one (the scanner may notice the tab only on the next
/// token), so the caret points at the tab itself.
fn leading_tab(text: &str, pos: Pos) -> Option<Pos> {
    let lines: Vec<&str> = text.lines().take(pos.line).collect();
    lines.iter().enumerate().rev().find_map(|(i, line)| {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        line[..indent].find('\t').map(|c| Pos {
            line: i + 1,
            column: line[..c].chars().count() + 1,
        })
    })
}

/// The last `open` bracket before `upto` that is not closed by then,
/// skipping quoted strings and comments.
fn unclosed_opener(text: &str, upto: Pos, open: char) -> Option<Pos> {
    let mut stack: Vec<(char, Pos)> = Vec::new();
    for (l, line) in text.lines().enumerate().take(upto.line) {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (c, ch) in line.chars().enumerate() {
            match (quote, ch) {
                (Some(q), _) if ch == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(ch),
                (None, '#') if prev.is_whitespace() => break,
                (None, '[' | '{') => stack.push((
                    ch,
                    Pos {
                        line: l + 1,
                        column: c + 1,
                    },
                )),
                (None, ']' | '}') => {
                    stack.pop();
                }
                _ => {}
            }
            prev = ch;
        }
    }
    stack.into_iter().rev().find(|(c, _)| *c == open).map(|(_, p)| p)
}

/// serde_yaml prefixes the path and appends the position; both are shown
/// separately in our rendering.
fn clean_serde_message(raw: &str, path: &str) -> String {
    let mut msg = raw;
    // serde_yaml's prefix is the parent's path; ours may go one key deeper.
    if let Some((prefix, rest)) = msg.split_once(": ") {
        if !prefix.is_empty() && path.starts_with(prefix) && !prefix.contains(' ') {
            msg = rest;
        }
    }
    if let Some(cut) = msg.rfind(" at line ") {
        msg = &msg[..cut];
    }
    msg.to_owned()
}

/// "unknown field `requird`, expected one of `a`, `b`" -> "did you mean `required`?"
fn hint_for_serde_message(msg: &str) -> Option<String> {
    let kind = if msg.starts_with("unknown field") {
        "key"
    } else if msg.starts_with("unknown variant") {
        "value"
    } else {
        return None;
    };
    let got = msg.split('`').nth(1)?;
    let (_, expected) = msg.split_once("expected ")?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let listed = candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match did_you_mean(got, candidates.iter().copied()) {
        Some(best) => format!("`{got}` is not a {kind} here; did you mean `{best}`?"),
        None => format!("`{got}` is not a {kind} here; expected one of {listed}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "service:\n  id: x\n  vendor: v\n  title: T\n  source: s.md\n  protocol: rest_json\n  endpoints: []\n  auth: [bearer]\n  error_envelope: zilliz\n";

    #[test]
    fn loads_minimal_spec_and_indexes_positions() {
        let l = load_str(Path::new("m.yaml"), MINIMAL).expect("loads");
        assert_eq!(l.spec.service.id, "x");
        assert_eq!(l.index.find("service.vendor"), Some(Pos { line: 3, column: 11 }));
        assert_eq!(l.index.key("service.vendor"), Some(Pos { line: 3, column: 3 }));
        assert_eq!(l.index.find("service.auth[0]"), Some(Pos { line: 8, column: 10 }));
    }

    #[test]
    fn unknown_key_has_path_position_and_hint() {
        let text = MINIMAL.replace("  title: T\n", "  titel: T\n");
        let errs = load_str(Path::new("m.yaml"), &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        let d = &errs[0];
        assert_eq!(d.yaml_path, "service.titel");
        assert_eq!(d.message, "unknown key `titel` in a service");
        assert_eq!(d.pos.map(|p| p.line), Some(4));
        assert_eq!(d.width, 5);
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let text = format!("{MINIMAL}types:\n  A:\n    values: [{{value: a}}]\n  A:\n    values: [{{value: b}}]\n");
        let errs = load_str(Path::new("m.yaml"), &text).unwrap_err();
        assert!(
            errs.iter()
                .any(|d| d.message == "duplicate key `A`" && d.yaml_path == "types.A"),
            "{errs:?}"
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let errs = load_str(Path::new("m.yaml"), "service: [\n").unwrap_err();
        assert!(errs[0].message.starts_with("YAML syntax error"));
        assert!(errs[0].pos.is_some());
    }
}
