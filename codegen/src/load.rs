//! Load: YAML text -> raw [`Spec`], remembering where every node is.
//!
//! Two passes over the same text. serde_yaml (through serde_path_to_error)
//! builds the typed raw spec and reports syntax errors, unknown keys and wrong
//! value types with their YAML path. A yaml-rust2 event pass indexes every
//! YAML path to its line and column, so later stages can point at the exact
//! node they complain about, and catches duplicate keys, which serde would
//! otherwise let the last one win silently.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{did_you_mean, Diagnostic, Pos};
use crate::spec::Spec;

// The index holds one entry per YAML node (hundreds of thousands in a large
// spec); SipHash was a tenth of load time. These keys are not attacker-chosen
// in a way that matters (a slow spec only slows its own build), so a fast
// non-cryptographic hash is fine.
type FastState = foldhash::fast::RandomState;

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
    /// ancestor the index knows).
    pub fn locate(&self, d: Diagnostic) -> Diagnostic {
        let pos = self.index.find(&d.yaml_path);
        d.locate(&self.file, &self.text, pos)
    }
}

/// Positions of YAML nodes by path (`types.X.fields.y.type`, `operations.X.parameters[0]`).
#[derive(Debug, Clone, Default)]
pub struct SourceIndex {
    values: HashMap<String, Pos, FastState>,
    keys: HashMap<String, Pos, FastState>,
}

impl SourceIndex {
    /// Position of the value at `path`, falling back to its key, then to the
    /// closest ancestor.
    pub fn find(&self, path: &str) -> Option<Pos> {
        let mut p = path;
        loop {
            if let Some(pos) = self.values.get(p).or_else(|| self.keys.get(p)) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// Whether `path` names a node of the file.
    pub fn exists(&self, path: &str) -> bool {
        self.values.contains_key(path) || self.keys.contains_key(path)
    }

    /// Position of the key of the mapping entry at `path`.
    pub fn key(&self, path: &str) -> Option<Pos> {
        self.keys.get(path).copied()
    }
}

/// Read and load a spec file.
pub fn load_file(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error("", format!("cannot read spec file: {e}"))
            .locate(path, "", None)
            .with_hint("check the path and that the file is UTF-8 text")]
    })?;
    load_str(path, &text)
}

/// Load a spec from text; `file` is used in diagnostics only.
pub fn load_str(file: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    // The two passes could run on two threads, and did for a while: the
    // index then lived in the helper thread's malloc arena, which glibc hands
    // to the next thread, and the formatting threads' churn in that
    // fragmented arena made 10,000 operations cost 15x of 1,000 instead of
    // 10x (see `codegen/benches/scaling.rs`). Serial it is.
    let (index, mut errors) = match build_index(text) {
        Ok(built) => built,
        Err(d) => {
            let pos = d.pos;
            return Err(vec![d.locate(file, text, pos)]);
        }
    };
    let de = serde_yaml::Deserializer::from_str(text);
    let spec: Result<Spec, _> = serde_path_to_error::deserialize(de);
    match spec {
        Ok(spec) if errors.is_empty() => Ok(Loaded {
            file: file.to_path_buf(),
            text: text.to_owned(),
            spec,
            index,
        }),
        Ok(_) => {
            errors = errors
                .into_iter()
                .map(|d| {
                    let pos = d.pos;
                    d.locate(file, text, pos)
                })
                .collect();
            Err(errors)
        }
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            let inner = e.into_inner();
            let pos = inner.location().map(|l| Pos {
                line: l.line(),
                column: l.column(),
            });
            let message = clean_serde_message(&inner.to_string(), &path);
            let mut d = Diagnostic::error(path, message.clone());
            if let Some(h) = hint_for_serde_message(&message) {
                d = d.with_hint(h);
            }
            errors.push(d.locate(file, text, pos));
            errors.sort_by_key(|d| d.pos);
            Err(errors)
        }
    }
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

enum Frame {
    Map {
        path: String,
        /// Full path of the entry whose key was just read.
        key: Option<String>,
        seen: HashSet<String, FastState>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

#[derive(Default)]
struct IndexBuilder {
    stack: Vec<Frame>,
    index: SourceIndex,
    duplicates: Vec<Diagnostic>,
}

fn to_pos(m: Marker) -> Pos {
    // yaml-rust2 lines are 1-based, columns 0-based.
    Pos {
        line: m.line(),
        column: m.col() + 1,
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl IndexBuilder {
    /// Called at the start of every node: records its position, and returns
    /// its path if it is a container (the path of its children's frame).
    fn node(&mut self, pos: Pos, scalar: Option<&str>, container: bool) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                if container {
                    self.index.values.insert(p.clone(), pos);
                    Some(p)
                } else {
                    self.index.values.insert(p, pos);
                    None
                }
            }
            Some(Frame::Map { path, key, seen }) => match key.take() {
                // The value of the entry whose key (and path) came just
                // before. A block mapping or sequence starts on the next
                // line; its key is the better place to point at.
                Some(p) if container => Some(p),
                Some(p) => {
                    self.index.values.insert(p, pos);
                    None
                }
                // A key: remember the entry's path for its value.
                None => {
                    let k = scalar.unwrap_or("?");
                    let p = join(path, k);
                    if seen.insert(k.to_owned()) {
                        self.index.keys.insert(p.clone(), pos);
                    } else {
                        let d = Diagnostic::error(p.clone(), format!("duplicate key `{k}`"))
                            .with_hint("each key may appear once in a mapping; merge or rename the entries");
                        self.duplicates.push(Diagnostic { pos: Some(pos), ..d });
                    }
                    *key = Some(p);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for IndexBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = to_pos(mark);
        match ev {
            Event::Scalar(value, ..) => {
                self.node(pos, Some(&value), false);
            }
            Event::Alias(_) => {
                self.node(pos, None, false);
            }
            Event::MappingStart(..) => {
                let path = self.node(pos, None, true).unwrap_or_default();
                self.stack.push(Frame::Map {
                    path,
                    key: None,
                    seen: HashSet::default(),
                });
            }
            Event::SequenceStart(..) => {
                let path = self.node(pos, None, true).unwrap_or_default();
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

fn build_index(text: &str) -> Result<(SourceIndex, Vec<Diagnostic>), Box<Diagnostic>> {
    let mut builder = IndexBuilder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| {
        let pos = to_pos(*e.marker());
        Box::new(Diagnostic {
            pos: Some(pos),
            ..Diagnostic::error("", format!("YAML syntax error: {}", e.info())).with_hint(
                "check indentation, and quote strings that contain `: `, `#`, `{` or start with `*`, `&`, `!`",
            )
        })
    })?;
    Ok((builder.index, builder.duplicates))
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
        assert!(d.message.starts_with("unknown field `titel`"), "{}", d.message);
        assert_eq!(d.pos.map(|p| p.line), Some(4));
        assert!(d.hint.as_deref().unwrap().contains("did you mean `title`?"));
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
