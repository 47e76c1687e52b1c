//! HTML: `<table>`s with a header row (`<th>` or the `<thead>` row), and
//! `<pre>` blocks holding JSON examples. Works on a whole HTML page and on
//! Markdown that embeds HTML tables (Huawei's `.html.md` exports), whose
//! fenced code blocks are read by the Markdown module.
//!
//! Each `<table>...</table>` is cut out of the raw text and parsed with
//! `scraper` (html5ever), so line numbers come from the raw offsets.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

use super::markdown;
use super::mention::{self, Cell, Mention, Table};

fn selector(s: &str) -> Selector {
    // The selectors are constants; a parse failure is a bug caught by tests.
    Selector::parse(s).unwrap_or_else(|_| panic!("invalid built-in selector {s}"))
}

static TR: LazyLock<Selector> = LazyLock::new(|| selector("tr"));
static CELL: LazyLock<Selector> = LazyLock::new(|| selector("th, td"));
static BLOCK: LazyLock<Selector> = LazyLock::new(|| selector("p, li"));
static CAPTION: LazyLock<Selector> = LazyLock::new(|| selector("caption"));
static PRE: LazyLock<Selector> = LazyLock::new(|| selector("pre"));

/// Every mention in an HTML document (or Markdown with HTML tables).
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for table in tables(text) {
        out.extend(mention::table_mentions(&table));
    }
    out.extend(pre_blocks(text));
    out.extend(markdown::fenced_json(text));
    out.extend(mention::request_placeholders(text));
    out
}

/// Byte ranges of the `<tag ...>...</tag>` elements in raw text (not nested).
fn spans(text: &str, tag: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(s) = lower[at..].find(&open).map(|p| p + at) {
        let after = lower.as_bytes().get(s + open.len()).copied().unwrap_or(b'>');
        if !(after == b'>' || after.is_ascii_whitespace()) {
            at = s + open.len();
            continue;
        }
        let Some(e) = lower[s..].find(&close).map(|p| p + s + close.len()) else {
            break;
        };
        out.push((s, e));
        at = e;
    }
    out
}

/// Every table of the document, with cell lines located in the raw text.
pub fn tables(text: &str) -> Vec<Table> {
    spans(text, "table")
        .into_iter()
        .map(|(s, e)| table(text, s, e))
        .collect()
}

fn table(text: &str, start: usize, end: usize) -> Table {
    let raw = &text[start..end];
    let fragment = Html::parse_fragment(raw);
    let mut table = Table {
        line: mention::line_of(text, start),
        ..Table::default()
    };
    table.title = fragment
        .select(&CAPTION)
        .next()
        .map(|c| squash(&c.text().collect::<String>()))
        .or_else(|| title_before(text, start));
    table.captioned = table.title.is_some();
    let mut cursor = 0;
    for tr in fragment.select(&TR) {
        let cells: Vec<ElementRef> = tr.select(&CELL).collect();
        let is_header = cells.iter().all(|c| c.value().name() == "th");
        if is_header && table.header.is_empty() && table.rows.is_empty() {
            table.header = cells.iter().map(|c| squash(&c.text().collect::<String>())).collect();
            continue;
        }
        let mut row = Vec::new();
        let mut row_line = table.line;
        for (k, c) in cells.iter().enumerate() {
            let lines = cell_lines(c);
            if k == 0 {
                if let Some(found) = lines.first().and_then(|first| find_text(&raw[cursor..], first)) {
                    cursor += found;
                    row_line = mention::line_of(text, start + cursor);
                }
            }
            row.push(Cell {
                lines: lines.into_iter().map(|l| (row_line, l)).collect(),
            });
        }
        table.rows.push(row);
    }
    table
}

/// Offset of `needle` as element text (right after a `>`, followed by `<`
/// or white space), so `id` does not match an `id="..."` attribute.
fn find_text(raw: &str, needle: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(p) = raw[at..].find(needle).map(|p| p + at) {
        let before = raw[..p].trim_end().ends_with('>');
        let after = raw[p + needle.len()..].chars().next();
        if before && after.is_none_or(|c| c == '<' || c.is_whitespace()) {
            return Some(p);
        }
        at = p + needle.len();
    }
    None
}

/// A cell's text, one line per `<p>` or `<li>` (the whole text if it has
/// neither), so enumeration lists keep their items apart.
fn cell_lines(cell: &ElementRef) -> Vec<String> {
    let blocks: Vec<String> = cell
        .select(&BLOCK)
        .filter(|b| !b.select(&BLOCK).any(|inner| inner.id() != b.id()))
        .map(|b| squash(&b.text().collect::<String>()))
        .filter(|t| !t.is_empty())
        .collect();
    if blocks.is_empty() {
        let t = squash(&cell.text().collect::<String>());
        if t.is_empty() {
            Vec::new()
        } else {
            vec![t]
        }
    } else {
        blocks
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The caption Huawei writes above a table in Markdown
/// (`**Table  4** **backup**  field data structure description`).
fn title_before(text: &str, start: usize) -> Option<String> {
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>|\*\*").expect("static regex"));
    text[..start]
        .lines()
        .rev()
        .map(|l| squash(&TAG.replace_all(l, "")))
        .find(|l| !l.is_empty())
        .filter(|l| l.starts_with("Table"))
}

/// JSON examples in `<pre>` blocks.
fn pre_blocks(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for (s, e) in spans(text, "pre") {
        let fragment = Html::parse_fragment(&text[s..e]);
        for pre in fragment.select(&PRE) {
            let body: String = pre.text().collect();
            if mention::looks_like_json(&body) {
                // The text starts right after the opening tag.
                let open_end = text[s..e].find('>').map_or(s, |p| s + p + 1);
                out.extend(mention::json_mentions(
                    &body,
                    mention::line_of(text, open_end),
                    "JSON example",
                ));
            }
        }
    }
    out
}
