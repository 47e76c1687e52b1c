//! Doc coverage audit: does a spec hold every name its source document
//! mentions, and does the document mention every name the spec holds?
//!
//! Each document format has its own parser ([`rst`], [`html`],
//! [`markdown`], [`text`]) that turns the document into [`Mention`]s:
//! parameter and field names from parameter tables, keys from JSON
//! examples, path placeholders, enumeration values, error codes and status
//! codes, each with its line. [`compare`] sets them against the spec's
//! names and finds the erratum that explains each difference; [`report`]
//! prints the result.

pub mod compare;
pub mod html;
pub mod markdown;
pub mod mention;
pub mod report;
pub mod rst;
pub mod scope;
pub mod spec_names;
pub mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use compare::{Differences, DocOnly, Explanation, Seen, SpecOnly};
pub use mention::{Kind, Mention, Owner};

use cloudsnap_codegen::load::Loaded;

/// Document formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// reStructuredText (grid and simple tables, literal blocks).
    Rst,
    /// HTML tables, in an HTML page or embedded in Markdown.
    Html,
    /// Markdown or MDX (fenced JSON, pipe tables, definition lists).
    Markdown,
    /// The plain-text layout of an Alibaba Cloud API page.
    Text,
}

impl Format {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Rst => "rst",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Decide a document's format from its file name, then its content.
pub fn detect(path: &Path, text: &str) -> Format {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let has_html_table = text.to_ascii_lowercase().contains("<table");
    if name.ends_with(".rst") {
        return Format::Rst;
    }
    if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".html.md") {
        return Format::Html;
    }
    if name.ends_with(".md") || name.ends_with(".mdx") || name.ends_with(".markdown") {
        return if has_html_table { Format::Html } else { Format::Markdown };
    }
    // No telling extension: look at the content.
    let rst = text.lines().any(|l| {
        let t = l.trim();
        t.starts_with(".. ") && t.contains("::") || t.starts_with("+--") && t.ends_with('+')
    });
    if rst {
        Format::Rst
    } else if has_html_table {
        Format::Html
    } else if text.contains("```") {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// Every mention in a document of the given format.
pub fn mentions(format: Format, text: &str) -> Vec<Mention> {
    match format {
        Format::Rst => rst::mentions(text),
        Format::Html => html::mentions(text),
        Format::Markdown => markdown::mentions(text),
        Format::Text => text::mentions(text),
    }
}

/// The audit of one spec against one document.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The spec file.
    pub spec: PathBuf,
    /// The document.
    pub document: PathBuf,
    /// The format the document was read as.
    pub format: Format,
    /// Both directions of differences, explained or not.
    #[serde(flatten)]
    pub differences: Differences,
}

impl Report {
    /// Differences no erratum explains.
    pub fn unexplained(&self) -> usize {
        let d = &self.differences;
        d.missing_from_spec.iter().filter(|x| x.explained_by.is_none()).count()
            + d.missing_from_document
                .iter()
                .filter(|x| x.explained_by.is_none())
                .count()
    }
}

/// Audit a loaded spec against a document; `format` forces the format
/// instead of detecting it. Errors (unreadable document) are messages.
pub fn audit(loaded: &Loaded, document: &Path, format: Option<Format>) -> Result<Report, String> {
    let bytes = std::fs::read(document).map_err(|e| format!("cannot read document {}: {e}", document.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let format = format.unwrap_or_else(|| detect(document, &text));
    Ok(audit_text(loaded, document, &text, format))
}

/// Audit against document text already in memory.
pub fn audit_text(loaded: &Loaded, document: &Path, text: &str, format: Format) -> Report {
    let mentions = mentions(format, text);
    let names = spec_names::collect(loaded);
    let implied = spec_names::implied(loaded);
    Report {
        spec: loaded.file.clone(),
        document: document.to_path_buf(),
        format,
        differences: compare::compare(&loaded.spec, &mentions, &names, &implied),
    }
}

/// The source document of a spec: `source` joined onto `docs_dir`, only if
/// it is a plain file name (the model rejects anything else too), so a spec
/// cannot make the audit read a file outside the documents folder
/// (`source: ../../../../etc/os-release`).
pub fn source_document(docs_dir: &Path, source: &str) -> Result<PathBuf, String> {
    if !cloudsnap_codegen::model::is_plain_file_name(source) {
        return Err(format!(
            "service.source `{source}` is not a plain file name; it must name a file directly inside {}",
            docs_dir.display()
        ));
    }
    Ok(docs_dir.join(source))
}

/// Where the seed documents live unless told: `$CLOUDSNAP_SEED_DOCS`, else
/// `../shared/seed-docs` next to the repository that contains `start`
/// (the nearest ancestor holding `specs/` and `Cargo.toml`), else
/// `../shared/seed-docs` relative to `start`.
pub fn default_docs_dir(start: &Path, env: Option<&str>) -> PathBuf {
    if let Some(dir) = env.filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let root = start
        .ancestors()
        .find(|d| d.join("specs").is_dir() && d.join("Cargo.toml").is_file())
        .unwrap_or(start);
    root.join("..").join("shared").join("seed-docs")
}

#[cfg(test)]
mod source_tests {
    use super::*;

    #[test]
    fn source_documents_stay_in_the_docs_folder() {
        let dir = Path::new("docs");
        assert_eq!(source_document(dir, "a.md"), Ok(dir.join("a.md")));
        for bad in [
            "../../etc/os-release",
            "/etc/passwd",
            "a/b.md",
            "..",
            ".hidden",
            "C:evil",
            "a\\b",
            "",
        ] {
            assert!(source_document(dir, bad).is_err(), "{bad}");
        }
    }
}
