//! Where every YAML node is: YAML paths (`types.X.fields.y.type`,
//! `operations.X.parameters[0]`) resolved to the line, column and width of
//! their key and value by walking the one parse of the file (`tree::Tree`).
//! Duplicate keys are caught while parsing (serde would let the last one
//! win silently).

use yaml_rust2::scanner::ScanError;

use super::tree::{self, Tree};
use crate::diag::Diagnostic;

pub(crate) use super::tree::to_pos;
pub use super::tree::Span;

/// Positions of YAML nodes by path (`types.X.fields.y.type`, `operations.X.parameters[0]`).
#[derive(Debug, Clone, Default)]
pub struct SourceIndex {
    tree: Tree,
}

impl SourceIndex {
    /// Position of the value at `path`, falling back to its key, then to the
    /// closest ancestor.
    pub fn find(&self, path: &str) -> Option<crate::diag::Pos> {
        self.find_span(path).map(|s| s.0)
    }

    /// Like [`SourceIndex::find`], with the width of the token found.
    pub fn find_span(&self, path: &str) -> Option<Span> {
        let mut p = path;
        loop {
            if let Some(span) = self.tree.value_span(p) {
                return Some(span);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// Whether `path` names a node of the file.
    pub fn exists(&self, path: &str) -> bool {
        self.tree.lookup(path).is_some() && (!path.is_empty() || !self.tree.is_empty())
    }

    /// Position of the key of the mapping entry at `path`.
    pub fn key(&self, path: &str) -> Option<crate::diag::Pos> {
        self.tree.key_span(path).map(|s| s.0)
    }

    /// Span of the key of the mapping entry at `path`, falling back to
    /// [`SourceIndex::find_span`].
    pub fn key_span(&self, path: &str) -> Option<Span> {
        self.tree.key_span(path).or_else(|| self.find_span(path))
    }

    /// The keys of the mapping at `path` that are one path segment each
    /// (for "did you mean" hints).
    pub fn children(&self, path: &str) -> Vec<String> {
        self.tree.children(path)
    }

    /// Whether the file holds no node (empty, or comments only).
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// The parsed document.
    pub(crate) fn tree(&self) -> &Tree {
        &self.tree
    }
}

/// Parse and index `text`; the duplicate-key errors come with positions but
/// no file.
pub(crate) fn build(text: &str) -> Result<(SourceIndex, Vec<Diagnostic>), ScanError> {
    let (tree, duplicates) = tree::parse(text)?;
    Ok((SourceIndex { tree }, duplicates))
}
