//! Markdown and MDX (CommonMark via `pulldown-cmark`): fenced code blocks
//! holding JSON examples, pipe tables, HTML tables, and definition-style
//! lists (`- state: ...` with nested `` - `SUCCESS`: ... `` items).
//!
//! MDX front matter is skipped as a metadata block; `import` lines and JSX
//! components are plain paragraphs and HTML blocks, which mention nothing.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::html;
use super::mention::{self, Cell, Kind, Mention, Table};

fn parser(text: &str) -> pulldown_cmark::OffsetIter<'_> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    Parser::new_ext(text, options).into_offset_iter()
}

/// Every mention in a Markdown or MDX document.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut out = fenced_json(text);
    for table in pipe_tables(text).iter().chain(html::tables(text).iter()) {
        out.extend(mention::table_mentions(table));
    }
    out.extend(list_mentions(text));
    out.extend(mention::request_placeholders(text));
    out
}

/// JSON examples in fenced or indented code blocks, whatever their info
/// string says (`bash` in Zilliz's documents).
pub fn fenced_json(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut block: Option<(usize, String)> = None;
    for (event, range) in parser(text) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                // A fenced block's content starts on the line after the fence.
                let first = mention::line_of(text, range.start) + usize::from(matches!(kind, CodeBlockKind::Fenced(_)));
                block = Some((first, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, body)) = block.as_mut() {
                    body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((first, body)) = block.take() {
                    if mention::looks_like_json(&body) {
                        out.extend(mention::json_mentions(&body, first, "JSON example"));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// GitHub-style pipe tables.
fn pipe_tables(text: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut current: Option<Table> = None;
    let mut in_head = false;
    let mut row: Vec<Cell> = Vec::new();
    let mut cell: Option<Cell> = None;
    let mut heading = String::new();
    let mut in_heading = false;
    for (event, range) in parser(text) {
        let line = mention::line_of(text, range.start);
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Table(_)) => {
                let title = (!heading.is_empty()).then(|| heading.clone());
                current = Some(Table {
                    title,
                    line,
                    ..Table::default()
                });
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some(t) = current.as_mut() {
                    t.header = row.drain(..).map(|c| c.text()).collect();
                }
            }
            Event::Start(Tag::TableCell) => {
                cell = Some(Cell {
                    lines: vec![(line, String::new())],
                })
            }
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::End(TagEnd::TableRow) if !in_head => {
                if let Some(t) = current.as_mut() {
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::End(TagEnd::Table) => tables.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s)) = cell.as_mut().and_then(|c| c.lines.last_mut()) {
                    s.push_str(&t);
                } else if in_heading {
                    heading.push_str(&t);
                }
            }
            // `<br>` separates lines inside a cell (enumeration lists).
            Event::InlineHtml(h) if h.to_ascii_lowercase().starts_with("<br") => {
                if let Some(c) = cell.as_mut() {
                    c.lines.push((line, String::new()));
                }
            }
            _ => {}
        }
    }
    for t in &mut tables {
        for c in t.rows.iter_mut().flatten() {
            for (_, s) in &mut c.lines {
                *s = s.trim().to_owned();
            }
        }
    }
    tables
}

/// A list item's lead: what comes before its first `:`.
#[derive(Debug, Default)]
struct Item {
    line: usize,
    lead: String,
    /// The lead was a single code span.
    code: bool,
    /// The lead is complete (a `:` was seen, or a nested block began).
    closed: bool,
    /// Whether the lead ended with a `:`, which makes it a term.
    term: bool,
    /// Enumeration values found in nested items.
    values: Vec<Mention>,
}

impl Item {
    fn push(&mut self, text: &str, code: bool) {
        if self.closed {
            return;
        }
        if code {
            self.code = self.lead.trim().is_empty();
            self.lead.push_str(text);
            return;
        }
        match text.find(':') {
            Some(p) => {
                self.code &= text[..p].trim().is_empty();
                self.lead.push_str(&text[..p]);
                self.closed = true;
                self.term = true;
            }
            None => {
                self.code &= text.trim().is_empty();
                self.lead.push_str(text);
            }
        }
    }
}

/// Definition-style lists. `` - `<Snapshot>`: ... `` names a path
/// parameter; `` - `name`: ... `` a field; `- state: ...` whose nested
/// items are `` `VALUE`: ... `` names a field and its enumeration values.
fn list_mentions(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut stack: Vec<Item> = Vec::new();
    for (event, range) in parser(text) {
        match event {
            Event::Start(Tag::Item) => {
                if let Some(parent) = stack.last_mut() {
                    parent.closed = true;
                }
                stack.push(Item {
                    line: mention::line_of(text, range.start),
                    code: false,
                    ..Item::default()
                });
            }
            Event::Start(Tag::List(_)) | Event::Start(Tag::CodeBlock(_)) => {
                if let Some(item) = stack.last_mut() {
                    item.closed = true;
                }
            }
            Event::Text(t) => {
                if let Some(item) = stack.last_mut() {
                    item.push(&t, false);
                }
            }
            Event::Code(t) => {
                if let Some(item) = stack.last_mut() {
                    item.push(&t, true);
                }
            }
            Event::End(TagEnd::Item) => {
                let Some(item) = stack.pop() else { continue };
                let lead = item.lead.trim();
                if !item.term || !mention::is_wire_name(lead.trim_matches(['<', '>', '{', '}'])) {
                    continue;
                }
                let parent_is_field = stack
                    .last()
                    .is_some_and(|p| p.term && !p.code && mention::is_wire_name(p.lead.trim()));
                if item.code && parent_is_field {
                    if let Some(parent) = stack.last_mut() {
                        parent
                            .values
                            .push(Mention::new(Kind::EnumValue, lead, item.line, "list"));
                    }
                } else if item.code {
                    let name = lead.trim_matches(['<', '>', '{', '}']);
                    out.push(Mention::new(Kind::Name, name, item.line, "list"));
                } else if !item.values.is_empty() {
                    out.push(Mention::new(Kind::Name, lead, item.line, "list"));
                    out.extend(item.values);
                }
            }
            _ => {}
        }
    }
    out
}
