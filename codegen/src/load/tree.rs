//! The one YAML parse: yaml-rust2's marked events folded into a flat tree
//! of nodes, each with its position. The tree is both the position index
//! ([`super::SourceIndex`] walks it to locate a YAML path) and the input of
//! the typed deserializer ([`super::de`]), so the text is scanned once.
//!
//! Paths are not materialized: building a string per node was most of the
//! old index's cost. A path is resolved by walking the tree when a
//! diagnostic needs a position.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use crate::diag::{Diagnostic, Pos};

/// A located token: where it starts and how many characters it spans.
pub type Span = (Pos, usize);

/// Index of a node in [`Tree::nodes`].
pub(crate) type NodeId = usize;

type FastState = foldhash::fast::RandomState;

/// A large mapping's keys: key -> (first, last) entry index.
pub(crate) type KeyTable = HashMap<String, (usize, usize), FastState>;

/// One YAML node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Where a diagnostic about this node as a value points (see
    /// [`Tree::value_span`] for the containers that defer to their key).
    pub span: Span,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A scalar, its text after YAML unescaping and folding; `plain` is
    /// false for quoted and block scalars (which are always strings).
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<NodeId>),
    /// Entries in document order: (key node, value node).
    Map(Vec<(NodeId, NodeId)>),
}

/// A parsed YAML document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    pub root: Option<NodeId>,
    /// Span of the root mapping's first key: yaml-rust2 marks a root block
    /// mapping there, and it is where a diagnostic about the whole file points.
    pub root_key: Option<Span>,
    /// Keys of the large mappings (more than [`SCAN_KEYS`] entries), by
    /// mapping node: the first and the last entry with that key.
    pub keyed: HashMap<NodeId, KeyTable, FastState>,
    /// The document uses something the typed deserializer over this tree
    /// does not model (anchors, aliases, tags, non-scalar keys): the typed
    /// spec is then read by serde_yaml instead.
    pub exotic: bool,
}

impl Tree {
    /// Text of a scalar node (`None` for containers).
    pub fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The node at `path` (`types.X.fields[0]`), exactly, with the span of
    /// the key it is the value of (if it is a mapping value).
    pub fn lookup(&self, path: &str) -> Option<(NodeId, Option<Span>)> {
        let root = self.root?;
        if path.is_empty() {
            return Some((root, None));
        }
        self.walk(root, path)
    }

    /// Resolve `rest` below `id`. Keys may contain `.` or `[`, so every key
    /// that is a prefix of `rest` at a segment boundary is tried; the last
    /// such entry wins, as a later duplicate overwrote an earlier one in the
    /// path-keyed index this replaces.
    fn walk(&self, id: NodeId, rest: &str) -> Option<(NodeId, Option<Span>)> {
        match &self.nodes[id].kind {
            Kind::Scalar { .. } => None,
            Kind::Seq(items) => {
                let inner = rest.strip_prefix('[')?;
                let close = inner.find(']')?;
                let i: usize = inner[..close].parse().ok()?;
                let child = *items.get(i)?;
                let after = &inner[close + 1..];
                if after.is_empty() {
                    return Some((child, None));
                }
                self.walk(child, after.strip_prefix('.').unwrap_or(after))
            }
            Kind::Map(entries) => {
                let enter = |&(k, v): &(NodeId, NodeId)| {
                    let key = self.scalar(k).unwrap_or("?");
                    let after = rest.strip_prefix(key)?;
                    if after.is_empty() {
                        return Some((v, Some(self.nodes[k].span)));
                    }
                    // A key path continues after a `.`; an index (`[0]`)
                    // follows a key directly.
                    if after.starts_with('[') {
                        return self.walk(v, after);
                    }
                    self.walk(v, after.strip_prefix('.')?)
                };
                match self.keyed.get(&id) {
                    // Every prefix of `rest` that ends at a segment boundary
                    // may be a key.
                    Some(table) => rest
                        .match_indices(['.', '['])
                        .map(|(i, _)| i)
                        .chain([rest.len()])
                        .filter_map(|end| table.get(&rest[..end]))
                        .find_map(|&(_, last)| enter(&entries[last])),
                    None => entries.iter().rev().find_map(enter),
                }
            }
        }
    }

    /// Where a diagnostic about the node at `path` (exactly) points: a
    /// scalar or a sequence item at itself, a mapping or sequence that is a
    /// mapping's value at its key (a block container starts on the next
    /// line), the root at its first key.
    pub fn value_span(&self, path: &str) -> Option<Span> {
        let (id, key) = self.lookup(path)?;
        if path.is_empty() {
            return match self.nodes[id].kind {
                Kind::Map(_) => self.root_key,
                _ => Some(self.nodes[id].span),
            };
        }
        match (&self.nodes[id].kind, key) {
            (Kind::Scalar { .. }, _) | (_, None) => Some(self.nodes[id].span),
            (_, Some(key)) => self.key_span(path).or(Some(key)),
        }
    }

    /// Span of the key whose value is the node at `path`. A key that
    /// appears twice is located at its first occurrence.
    pub fn key_span(&self, path: &str) -> Option<Span> {
        let (parent, key) = match path.rfind('.') {
            Some(cut) if !path[cut..].contains('[') => (&path[..cut], &path[cut + 1..]),
            None if !path.contains('[') => ("", path),
            _ => return self.lookup(path).and_then(|(_, k)| k),
        };
        let first = self.lookup(parent).and_then(|(id, _)| match &self.nodes[id].kind {
            Kind::Map(entries) => match self.keyed.get(&id) {
                Some(table) => table.get(key).map(|&(first, _)| self.nodes[entries[first].0].span),
                None => entries
                    .iter()
                    .find(|&&(k, _)| self.scalar(k) == Some(key))
                    .map(|&(k, _)| self.nodes[k].span),
            },
            _ => None,
        });
        first.or_else(|| self.lookup(path).and_then(|(_, k)| k))
    }

    /// Keys of the mapping at `path` that are single path segments.
    pub fn children(&self, path: &str) -> Vec<String> {
        let Some((id, _)) = self.lookup(path) else {
            return Vec::new();
        };
        match &self.nodes[id].kind {
            Kind::Map(entries) => entries
                .iter()
                .filter_map(|&(k, _)| self.scalar(k))
                .filter(|k| !k.contains(['.', '[']))
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the document holds no node at all (an empty file, comments
    /// only, or an empty root mapping).
    pub fn is_empty(&self) -> bool {
        match self.root {
            None => true,
            Some(r) => match &self.nodes[r].kind {
                Kind::Map(entries) => entries.is_empty(),
                Kind::Scalar { value, plain } => *plain && value.is_empty(),
                Kind::Seq(_) => false,
            },
        }
    }
}

/// How a container under construction is reached from its parent, to name
/// its path in a duplicate-key diagnostic.
struct Frame {
    node: NodeId,
    /// A mapping's key waiting for its value.
    pending_key: Option<NodeId>,
    /// A large mapping's keys, for duplicate detection and lookups (small
    /// ones are scanned).
    seen: Option<KeyTable>,
}

/// Mappings up to this many entries are checked for duplicate keys by a
/// scan; larger ones get a hash map.
const SCAN_KEYS: usize = 16;

struct Builder<'t> {
    lines: Vec<&'t str>,
    tree: Tree,
    stack: Vec<Frame>,
    duplicates: Vec<Diagnostic>,
    /// Documents started so far; only the first is read.
    documents: usize,
}

pub(crate) fn to_pos(m: &Marker) -> Pos {
    // yaml-rust2 lines are 1-based, columns 0-based (in characters).
    Pos {
        line: m.line(),
        column: m.col() + 1,
    }
}

impl Builder<'_> {
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

    /// The path of the container on top of the stack, for a diagnostic.
    fn stack_path(&self) -> String {
        let mut path = String::new();
        for pair in self.stack.windows(2) {
            let (parent, child) = (&pair[0], &pair[1]);
            match &self.tree.nodes[parent.node].kind {
                Kind::Map(entries) => {
                    let key = entries
                        .iter()
                        .rev()
                        .find(|&&(_, v)| v == child.node)
                        .and_then(|&(k, _)| self.tree.scalar(k))
                        .unwrap_or("?");
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Kind::Seq(items) => {
                    let i = items.iter().position(|&n| n == child.node).unwrap_or(0);
                    path.push_str(&format!("[{i}]"));
                }
                Kind::Scalar { .. } => {}
            }
        }
        path
    }

    /// Add a node and attach it to the container on top of the stack (as a
    /// key, a mapping value or a sequence item).
    fn add(&mut self, node: Node) -> NodeId {
        let id = self.tree.nodes.len();
        self.tree.nodes.push(node);
        let Some(top) = self.stack.len().checked_sub(1) else {
            self.tree.root = Some(id);
            return id;
        };
        let container = self.stack[top].node;
        if matches!(self.tree.nodes[container].kind, Kind::Seq(_)) {
            if let Kind::Seq(items) = &mut self.tree.nodes[container].kind {
                items.push(id);
            }
            return id;
        }
        match self.stack[top].pending_key.take() {
            Some(key) => {
                if let Kind::Map(entries) = &mut self.tree.nodes[container].kind {
                    entries.push((key, id));
                }
            }
            None => {
                match &self.tree.nodes[id].kind {
                    // An empty key (`: 1`), which libyaml refuses and
                    // yaml-rust2 reads.
                    Kind::Scalar { value, plain: true } if value.is_empty() => self.tree.exotic = true,
                    Kind::Scalar { .. } => {}
                    // A mapping or sequence as a key: nothing in a spec.
                    _ => self.tree.exotic = true,
                }
                if self.stack.len() == 1 && self.tree.root_key.is_none() {
                    self.tree.root_key = Some(self.tree.nodes[id].span);
                }
                self.check_duplicate(top, id);
                self.stack[top].pending_key = Some(id);
            }
        }
        id
    }

    /// Report `key` if the mapping on `self.stack[top]` already has it.
    fn check_duplicate(&mut self, top: usize, key: NodeId) {
        let Some(text) = self.tree.scalar(key) else { return };
        let container = self.stack[top].node;
        let Kind::Map(entries) = &self.tree.nodes[container].kind else {
            return;
        };
        // The entry this key starts is pushed when its value arrives.
        let entry = entries.len();
        let first = if entry < SCAN_KEYS {
            entries
                .iter()
                .find(|&&(k, _)| self.tree.scalar(k) == Some(text))
                .map(|&(k, _)| k)
        } else {
            let tree = &self.tree;
            let seen = self.stack[top].seen.get_or_insert_with(|| {
                let mut seen = KeyTable::default();
                for (i, &(k, _)) in entries.iter().enumerate() {
                    let t = tree.scalar(k).unwrap_or("?").to_owned();
                    seen.entry(t).and_modify(|e| e.1 = i).or_insert((i, i));
                }
                seen
            });
            match seen.get_mut(text) {
                Some(slot) => {
                    slot.1 = entry;
                    Some(entries[slot.0].0)
                }
                None => {
                    seen.insert(text.to_owned(), (entry, entry));
                    None
                }
            }
        };
        let Some(first) = first else { return };
        let text = text.to_owned();
        let parent = self.stack_path();
        let path = if parent.is_empty() {
            text.clone()
        } else {
            format!("{parent}.{text}")
        };
        let line = self.tree.nodes[first].span.0.line;
        let span = self.tree.nodes[key].span;
        let mut d = Diagnostic::error(path, format!("duplicate key `{text}`"));
        d.hint = Some(format!(
            "`{text}` is already defined on line {line}; each key may appear once in a mapping, so merge or rename the entries"
        ));
        d.pos = Some(span.0);
        d.width = span.1;
        self.duplicates.push(d);
    }

    fn open(&mut self, span: Span, kind: Kind) {
        let node = self.add(Node { span, kind });
        self.stack.push(Frame {
            node,
            pending_key: None,
            seen: None,
        });
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if matches!(ev, Event::DocumentStart) {
            self.documents += 1;
        }
        if self.documents > 1 {
            // A spec is one document; `load_str` reports a second one, or
            // serde_yaml does where libyaml sees one that is not marked.
            self.tree.exotic = true;
            return;
        }
        let pos = to_pos(&mark);
        match ev {
            Event::Scalar(value, style, anchor, tag) => {
                self.tree.exotic |= anchor != 0 || tag.is_some();
                let width = self.scalar_width(pos, &value, style);
                let plain = style == TScalarStyle::Plain;
                self.add(Node {
                    span: (pos, width),
                    kind: Kind::Scalar { value, plain },
                });
            }
            Event::Alias(_) => {
                self.tree.exotic = true;
                self.add(Node {
                    span: (pos, 1),
                    kind: Kind::Scalar {
                        value: String::new(),
                        plain: true,
                    },
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.tree.exotic |= anchor != 0 || tag.is_some();
                self.open((pos, 1), Kind::Map(Vec::new()));
            }
            Event::SequenceStart(anchor, tag) => {
                self.tree.exotic |= anchor != 0 || tag.is_some();
                self.open((pos, 1), Kind::Seq(Vec::new()));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame {
                    node,
                    seen: Some(table),
                    ..
                }) = self.stack.pop()
                {
                    self.tree.keyed.insert(node, table);
                }
            }
            _ => {}
        }
    }
}

/// Parse `text` into a tree; the duplicate-key errors come with positions
/// but no file.
pub(crate) fn parse(text: &str) -> Result<(Tree, Vec<Diagnostic>), ScanError> {
    let mut builder = Builder {
        lines: text.lines().collect(),
        tree: Tree::default(),
        stack: Vec::new(),
        duplicates: Vec::new(),
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    // Every document is scanned, so that content after the first one is
    // seen; a syntax error there is left to the checks that read the
    // whole text (it is not the spec's first document).
    match parser.load(&mut builder, true) {
        Err(e) if builder.documents <= 1 => Err(e),
        _ => Ok((builder.tree, builder.duplicates)),
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::{parse, Pos};

    fn at(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }

    /// The same lookups must hold in a small mapping (scanned) and in a
    /// large one (hashed): `pad` adds that many entries before the keys
    /// under test.
    fn document(pad: usize) -> (String, usize) {
        let mut y = String::from("root:\n");
        for i in 0..pad {
            let _ = writeln!(y, "  k{i}: v");
        }
        y.push_str("  a.b: dotted\n  list:\n    - x\n    - { y: 1 }\n  nested:\n    inner: z\n");
        (y, pad + 2)
    }

    #[test]
    fn paths_resolve_alike_in_small_and_large_mappings() {
        for pad in [0, 40] {
            let (text, line) = document(pad);
            let (tree, dups) = parse(&text).expect("valid YAML");
            assert!(dups.is_empty());
            assert_eq!(tree.keyed.is_empty(), pad == 0, "pad {pad}");
            // A key with a dot in it is one segment.
            assert_eq!(tree.value_span("root.a.b"), Some((at(line, 8), 6)));
            // A sequence that is a mapping value points at its key; its
            // items at themselves.
            assert_eq!(tree.value_span("root.list"), Some((at(line + 1, 3), 4)));
            assert_eq!(tree.value_span("root.list[0]"), Some((at(line + 2, 7), 1)));
            assert_eq!(tree.value_span("root.list[1].y"), Some((at(line + 3, 12), 1)));
            assert_eq!(tree.value_span("root.nested.inner"), Some((at(line + 5, 12), 1)));
            assert_eq!(tree.key_span("root.nested.inner"), Some((at(line + 5, 5), 5)));
            assert_eq!(tree.value_span("root.nested.missing"), None);
            assert_eq!(tree.value_span("root.list[2]"), None);
            assert_eq!(tree.children("root").len(), pad + 2, "a.b is not one segment");
        }
    }

    #[test]
    fn duplicate_keys_are_reported_in_small_and_large_mappings() {
        for pad in [0, 40] {
            let (mut text, _) = document(pad);
            text.push_str("  list: again\n");
            let (tree, dups) = parse(&text).expect("valid YAML");
            assert_eq!(dups.len(), 1, "pad {pad}: {dups:?}");
            assert_eq!(dups[0].yaml_path, "root.list");
            assert_eq!(dups[0].pos, Some(at(pad + 8, 3)));
            assert!(dups[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains(&format!("line {}", pad + 3)));
            // The key is located at its first occurrence, the value at the last.
            assert_eq!(tree.key_span("root.list").map(|s| s.0), Some(at(pad + 3, 3)));
            assert_eq!(tree.value_span("root.list").map(|s| s.0), Some(at(pad + 8, 9)));
        }
    }

    #[test]
    fn the_root_points_at_its_first_key_and_extra_documents_are_noticed() {
        let (tree, _) = parse("# c\nservice:\n  id: x\n").expect("valid");
        assert_eq!(tree.value_span(""), Some((at(2, 1), 7)));
        assert!(!tree.exotic);
        let (tree, _) = parse("a: 1\n---\nb: 2\n").expect("valid");
        assert!(tree.exotic, "a second document is left to the checks that report it");
        let (tree, _) = parse("a: &x 1\nb: *x\n").expect("valid");
        assert!(tree.exotic, "anchors and aliases are left to serde_yaml");
        assert!(parse("").expect("valid").0.is_empty());
    }
}
