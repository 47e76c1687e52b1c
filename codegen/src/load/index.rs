//! Where every YAML node is: a yaml-rust2 event pass that maps each YAML path
//! (`types.X.fields.y.type`, `operations.X.parameters[0]`) to the line,
//! column and width of its key and of its value, and that catches duplicate
//! keys (serde would let the last one win silently).

use std::collections::{HashMap, HashSet};

// The index holds one entry per YAML node (hundreds of thousands in a large
// spec); SipHash was a tenth of load time. A slow spec only slows its own
// build, so a fast non-cryptographic hash is fine.
type FastState = foldhash::fast::RandomState;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use crate::diag::{Diagnostic, Pos};

/// A located token: where it starts and how many characters it spans.
pub type Span = (Pos, usize);

/// Positions of YAML nodes by path (`types.X.fields.y.type`, `operations.X.parameters[0]`).
#[derive(Debug, Clone, Default)]
pub struct SourceIndex {
    values: HashMap<String, Span, FastState>,
    keys: HashMap<String, Span, FastState>,
}

impl SourceIndex {
    /// Position of the value at `path`, falling back to its key, then to the
    /// closest ancestor.
    pub fn find(&self, path: &str) -> Option<Pos> {
        self.find_span(path).map(|s| s.0)
    }

    /// Like [`SourceIndex::find`], with the width of the token found.
    pub fn find_span(&self, path: &str) -> Option<Span> {
        let mut p = path;
        loop {
            if let Some(span) = self.values.get(p).or_else(|| self.keys.get(p)) {
                return Some(*span);
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
        self.keys.get(path).map(|s| s.0)
    }

    /// Span of the key of the mapping entry at `path`, falling back to
    /// [`SourceIndex::find_span`].
    pub fn key_span(&self, path: &str) -> Option<Span> {
        self.keys.get(path).copied().or_else(|| self.find_span(path))
    }

    /// Every indexed path, for suggestions.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().chain(self.values.keys()).map(String::as_str)
    }
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        seen: HashSet<String, FastState>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

struct IndexBuilder<'t> {
    lines: Vec<&'t str>,
    stack: Vec<Frame>,
    index: SourceIndex,
    duplicates: Vec<Diagnostic>,
}

pub(crate) fn to_pos(m: &Marker) -> Pos {
    // yaml-rust2 lines are 1-based, columns 0-based (in characters).
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

impl IndexBuilder<'_> {
    /// How many characters the scalar starting at `pos` occupies on its line.
    fn scalar_width(&self, pos: Pos, value: &str, style: TScalarStyle) -> usize {
        if style == TScalarStyle::Plain && !value.contains('\n') {
            return value.chars().count();
        }
        let line = self.lines.get(pos.line.saturating_sub(1)).copied().unwrap_or_default();
        let mut rest = line.chars().skip(pos.column.saturating_sub(1)).peekable();
        match style {
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                let Some(quote) = rest.next() else { return 0 };
                let mut width = 1;
                while let Some(c) = rest.next() {
                    width += 1;
                    match c {
                        '\\' if quote == '"' => width += usize::from(rest.next().is_some()),
                        '\'' if quote == '\'' && rest.peek() == Some(&'\'') => {
                            rest.next();
                            width += 1;
                        }
                        c if c == quote => return width,
                        _ => {}
                    }
                }
                width
            }
            TScalarStyle::Literal | TScalarStyle::Folded => 1,
            _ => rest.count(),
        }
    }

    /// Called at the start of every node; returns the node's path if it is a
    /// value (or `None` if it is a mapping key, which it records).
    fn node(&mut self, span: Span, scalar: Option<&str>, container: bool) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.index.values.insert(String::new(), span);
                Some(String::new())
            }
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                self.index.values.insert(p.clone(), span);
                Some(p)
            }
            Some(Frame::Map { path, key, seen }) => match key.take() {
                Some(k) => {
                    let p = join(path, &k);
                    // A block mapping or sequence starts on the next line;
                    // its key is the better place to point at.
                    if !container {
                        self.index.values.insert(p.clone(), span);
                    }
                    Some(p)
                }
                None => {
                    let k = scalar.unwrap_or("?").to_owned();
                    let p = join(path, &k);
                    if !seen.insert(k.clone()) {
                        let first = self.index.keys.get(&p).map(|s| s.0.line);
                        let mut d = Diagnostic::error(p.clone(), format!("duplicate key `{k}`"));
                        d.hint = Some(match first {
                            Some(line) => format!(
                                "`{k}` is already defined on line {line}; each key may appear once in a mapping, so merge or rename the entries"
                            ),
                            None => "each key may appear once in a mapping; merge or rename the entries".to_owned(),
                        });
                        d.pos = Some(span.0);
                        d.width = span.1;
                        self.duplicates.push(d);
                    } else {
                        if path.is_empty() {
                            self.index.values.entry(String::new()).or_insert(span);
                        }
                        self.index.keys.insert(p, span);
                    }
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for IndexBuilder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = to_pos(&mark);
        match ev {
            Event::Scalar(value, style, ..) => {
                let width = self.scalar_width(pos, &value, style);
                self.node((pos, width), Some(&value), false);
            }
            Event::Alias(_) => {
                self.node((pos, 1), None, false);
            }
            Event::MappingStart(..) if self.stack.is_empty() => {
                // yaml-rust2 marks a root block mapping after its first key;
                // the first key (recorded below) is the place to point at.
                self.stack.push(Frame::Map {
                    path: String::new(),
                    key: None,
                    seen: HashSet::default(),
                });
            }
            Event::MappingStart(..) => {
                let path = self.node((pos, 1), None, true).unwrap_or_default();
                self.stack.push(Frame::Map {
                    path,
                    key: None,
                    seen: HashSet::default(),
                });
            }
            Event::SequenceStart(..) => {
                let path = self.node((pos, 1), None, true).unwrap_or_default();
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// Index `text`; the duplicate-key errors come with positions but no file.
pub(crate) fn build(text: &str) -> Result<(SourceIndex, Vec<Diagnostic>), ScanError> {
    let mut builder = IndexBuilder {
        lines: text.lines().collect(),
        stack: Vec::new(),
        index: SourceIndex::default(),
        duplicates: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false)?;
    Ok((builder.index, builder.duplicates))
}
