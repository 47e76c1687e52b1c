//! What every document parser produces, and the pieces they share: tables
//! classified by their header, the lenient JSON key scanner for examples,
//! enumeration lists inside table cells, and placeholders in request lines.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// What a mentioned name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A request parameter or a field of a request or response object.
    Name,
    /// A value from an enumeration list ("Enumeration values:", "Valid values:").
    EnumValue,
    /// An error code from an error-code table.
    ErrorCode,
    /// An HTTP status from a status-code table.
    StatusCode,
    /// A string value in a JSON example. Never reported as missing from the
    /// spec (most strings are data), but it shows that a spec enum value
    /// appears in the document.
    ExampleValue,
}

impl Kind {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::EnumValue => "enum value",
            Kind::ErrorCode => "error code",
            Kind::StatusCode => "status code",
            Kind::ExampleValue => "example value",
        }
    }
}

/// Where the document uses a name: in what a client sends, in what it
/// receives, or somewhere it does not say (a JSON example, a table titled
/// by its type). A name is compared with the spec's names of the same
/// usage, so a new query parameter `projectId` is missing from a spec even
/// when a response has a `projectId` field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Usage {
    /// The document does not say; matches a name of either usage.
    #[default]
    Unknown,
    /// A request parameter (path, query, header or body, or a field of a
    /// request body object).
    Request,
    /// A field of a response.
    Response,
}

impl Usage {
    /// Human label, as in "the spec has it only as a response field".
    pub fn label(self) -> &'static str {
        match self {
            Usage::Unknown => "name",
            Usage::Request => "request parameter",
            Usage::Response => "response field",
        }
    }

    /// Whether a name used this way in the document and a spec name used
    /// `other` way can be the same name.
    pub fn matches(self, other: Usage) -> bool {
        self == Usage::Unknown || other == Usage::Unknown || self == other
    }

    /// The usage a table title or section heading states: "Request
    /// parameters", "Table 1 Path Parameters", "Query Parameters" are
    /// request parameters; "Response parameters", "Response body" are
    /// response fields; anything else ("Table 4 BackupDetail") does not say.
    pub fn of_title(title: &str) -> Usage {
        let t = title.to_ascii_lowercase();
        let request = [
            "request",
            "path parameter",
            "uri parameter",
            "query parameter",
            "header parameter",
        ];
        if t.contains("response") {
            Usage::Response
        } else if request.iter().any(|w| t.contains(w)) {
            Usage::Request
        } else {
            Usage::Unknown
        }
    }
}

/// One name the document mentions, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// What it is.
    pub kind: Kind,
    /// The name exactly as written.
    pub name: String,
    /// 1-based line in the document.
    pub line: usize,
    /// Where in the document: a table title, "JSON example", "request path".
    pub context: String,
    /// What the document says the name belongs to, if anything.
    pub owner: Option<Owner>,
    /// Whether the document sends or receives the name.
    pub usage: Usage,
}

/// What a mentioned name belongs to in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A JSON key or value inside the member with this key (`backups` for
    /// the keys of the objects in `"backups": [...]`).
    Key(String),
    /// A row of the table with this title (`Table 4 BackupDetail`).
    Table(String),
}

impl Owner {
    /// The key or title.
    pub fn text(&self) -> &str {
        match self {
            Owner::Key(s) | Owner::Table(s) => s,
        }
    }
}

impl Mention {
    /// A mention that belongs to nothing in particular.
    pub fn new(kind: Kind, name: impl Into<String>, line: usize, context: impl Into<String>) -> Self {
        Mention {
            kind,
            name: name.into(),
            line,
            context: context.into(),
            owner: None,
            usage: Usage::Unknown,
        }
    }

    /// The same mention, used as `usage`.
    pub fn used_as(mut self, usage: Usage) -> Self {
        self.usage = usage;
        self
    }
}

/// A table cell: its text lines, each with its document line.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Text lines (markup removed by the format's parser, trimmed).
    pub lines: Vec<(usize, String)>,
}

impl Cell {
    /// The cell's text on one line.
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self
            .lines
            .iter()
            .map(|(_, l)| l.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        parts.join(" ")
    }

    /// Line of the first non-empty text line.
    pub fn line(&self) -> Option<usize> {
        self.lines.iter().find(|(_, l)| !l.is_empty()).map(|(n, _)| *n)
    }
}

/// A table from any format, with its header already separated.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Caption or title (`Table 4 BackupDetail`), or the section heading
    /// above the table, if the document gives one.
    pub title: Option<String>,
    /// Whether `title` is the table's own caption, which may name the object
    /// its rows belong to (a section heading is only context).
    pub captioned: bool,
    /// Header cells' text.
    pub header: Vec<String>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
    /// Line where the table starts.
    pub line: usize,
}

/// What a table lists, decided by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableRole {
    /// Parameters or fields in the given column.
    Names(usize),
    /// HTTP statuses in the given column.
    Statuses(usize),
    /// Error codes in the given column.
    Errors(usize),
}

fn normalize_header(h: &str) -> String {
    h.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase()
}

fn role(header: &[String]) -> Option<TableRole> {
    let h: Vec<String> = header.iter().map(|c| normalize_header(c)).collect();
    if let Some(i) = h.iter().position(|c| c == "error code" || c == "error codes") {
        return Some(TableRole::Errors(i));
    }
    let first = h.first()?;
    if first == "status code" || first == "http status code" {
        return Some(TableRole::Statuses(0));
    }
    const NAME_HEADERS: [&str; 6] = [
        "parameter",
        "parameters",
        "name",
        "field",
        "parameter name",
        "field name",
    ];
    NAME_HEADERS.contains(&first.as_str()).then_some(TableRole::Names(0))
}

/// Whether `s` can be a wire name: an identifier, possibly dotted or
/// dashed (`Filter.1.Key`, `X-Auth-Token`).
pub fn is_wire_name(s: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z_$][A-Za-z0-9_.\-]*$").expect("static regex"));
    RE.is_match(s)
}

/// Every mention a table yields: the names, statuses or error codes of its
/// key column, and the enumeration values listed in any cell.
pub fn table_mentions(table: &Table) -> Vec<Mention> {
    let Some(role) = role(&table.header) else {
        return Vec::new();
    };
    let context = table
        .title
        .clone()
        .unwrap_or_else(|| format!("table at line {}", table.line));
    let mut out = Vec::new();
    for row in &table.rows {
        let (column, kind) = match role {
            TableRole::Names(c) => (c, Kind::Name),
            TableRole::Statuses(c) => (c, Kind::StatusCode),
            TableRole::Errors(c) => (c, Kind::ErrorCode),
        };
        if let Some(cell) = row.get(column) {
            let raw = cell.text();
            let text = raw.trim_matches(|c| c == '*' || c == '`').trim();
            let line = cell.line().unwrap_or(table.line);
            let ok = match kind {
                Kind::StatusCode => text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit()),
                _ => is_wire_name(text),
            };
            if ok {
                let mut m = Mention::new(kind, text, line, context.clone());
                m.owner = table.title.clone().filter(|_| table.captioned).map(Owner::Table);
                if kind == Kind::Name {
                    m.usage = Usage::of_title(&context);
                }
                out.push(m);
            }
        }
        if matches!(role, TableRole::Names(_)) {
            for cell in row {
                out.extend(enumeration_values(cell, &context));
            }
        }
    }
    out
}

/// Values listed after "Enumeration values:" (Huawei) inside a cell, one
/// list item each (`-  **backup**`, or an `<li>` turned into a line).
pub fn enumeration_values(cell: &Cell, context: &str) -> Vec<Mention> {
    static ITEM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[-*•]\s+)?(?:\*\*|`)?([^*`\s]+)(?:\*\*|`)?$").expect("static regex"));
    let mut out = Vec::new();
    let mut in_list = false;
    for (line, text) in &cell.lines {
        let t = text.trim();
        if t.eq_ignore_ascii_case("enumeration values:") || t.eq_ignore_ascii_case("enumeration values") {
            in_list = true;
            continue;
        }
        if !in_list || t.is_empty() {
            continue;
        }
        match ITEM.captures(t) {
            Some(c) => out.push(Mention::new(Kind::EnumValue, &c[1], *line, context)),
            None => in_list = false,
        }
    }
    out
}

/// Keys (as [`Kind::Name`]) and string values (as [`Kind::ExampleValue`])
/// of a JSON example, found by a tokenizer that tolerates the documents'
/// broken JSON (missing commas, `...`, mismatched brackets): a string
/// followed by `:` is a key. `first_line` is the document line of `text`'s
/// first line.
pub fn json_mentions(text: &str, first_line: usize, context: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    // Key of the member each open container is the value of.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut line = first_line;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '\n' => {
                line += 1;
                pending_key = None;
            }
            '{' | '[' => stack.push(pending_key.take()),
            '}' | ']' => {
                stack.pop();
                pending_key = None;
            }
            ',' => pending_key = None,
            '"' => {
                let start_line = line;
                let mut s = String::new();
                let mut escaped = false;
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                    }
                    if escaped {
                        s.push(c);
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    } else {
                        s.push(c);
                    }
                }
                while chars.peek().is_some_and(|(_, c)| *c == ' ' || *c == '\t') {
                    chars.next();
                }
                let parent = stack.iter().rev().find_map(|k| k.clone());
                if chars.peek().is_some_and(|(_, c)| *c == ':') {
                    chars.next();
                    let mut m = Mention::new(Kind::Name, s.clone(), start_line, context);
                    m.owner = parent.map(Owner::Key);
                    out.push(m);
                    pending_key = Some(s);
                } else if !s.is_empty() {
                    let mut m = Mention::new(Kind::ExampleValue, s, start_line, context);
                    m.owner = pending_key.take().or(parent).map(Owner::Key);
                    out.push(m);
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether a code block looks like it holds a JSON example: an object with
/// at least one `"key":` (spaces before the colon allowed).
pub fn looks_like_json(text: &str) -> bool {
    static KEY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""\s*:"#).expect("static regex"));
    text.contains('{') && KEY.is_match(text)
}

/// Path placeholders in the request lines of a document: `{project_id}`,
/// `${CLUSTER_ID}` or `<snapshot>` right after a `/` of a path (not the host
/// right after `//`), on lines that send a request (an HTTP method or a
/// curl `--url`).
pub fn request_placeholders(text: &str) -> Vec<Mention> {
    static REQUEST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(GET|POST|PUT|DELETE|PATCH|HEAD)\s+\S|--url\b").expect("static regex"));
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(/+)(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|<([A-Za-z_][A-Za-z0-9_]*)>)")
            .expect("static regex")
    });
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if !REQUEST.is_match(line) {
            continue;
        }
        for c in PLACEHOLDER.captures_iter(line) {
            if c[1].len() > 1 {
                continue; // `//{endpoint}`: the host, not a path parameter
            }
            if let Some(name) = c.get(2).or(c.get(3)).or(c.get(4)) {
                out.push(Mention::new(Kind::Name, name.as_str(), i + 1, "request path").used_as(Usage::Request));
            }
        }
    }
    out
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}
