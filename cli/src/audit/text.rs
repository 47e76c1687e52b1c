//! The plain-text layout of an Alibaba Cloud API page copied from a browser.
//!
//! Table cells lose their separators there: a parameter row begins with one
//! line that runs name, type and the Required column together
//! (`InstanceIdstringNo`, `Tagarray<object>No`, `Snapshotobject`), followed
//! by its description paragraphs, `  • value: meaning` lists and the example
//! value. Error-code rows run status, code and message together
//! (`400InvalidTag.MismatchThe specified ...`). The JSON example starts with
//! a `{` in the first column and ends with the matching `}` there.

use std::sync::LazyLock;

use regex::Regex;

use super::mention::{self, Kind, Mention, Usage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Other,
    Request,
    Response,
    Examples,
    Errors,
}

fn section(line: &str) -> Option<Section> {
    match line.trim() {
        "Request parameters" => Some(Section::Request),
        "Response parameters" => Some(Section::Response),
        "Examples" => Some(Section::Examples),
        "Error codes" => Some(Section::Errors),
        "Change history" | "Authorization information" | "Operation description" | "Debugging" => Some(Section::Other),
        _ => None,
    }
}

/// A row line: optional name, then the type, then Yes/No in request tables.
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([A-Za-z_][A-Za-z0-9_.]*?)?(array<[a-z]+>|string|integer|long|int32|int64|boolean|double|float|object|map)(Yes|No)?$",
    )
    .expect("static regex")
});

/// An error-code row: status, code, then a message that starts with a
/// capitalized word followed by a space.
static ERROR_ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([1-5][0-9]{2})([A-Za-z][A-Za-z0-9.]*?)([A-Z][a-z]*\s.*)$").expect("static regex"));

/// A first-level list item: `  • value: meaning` or `  • value (default): ...`.
static BULLET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\s*)•\s+(.*)$").expect("static regex"));

/// Every mention in the plain-text layout.
pub fn mentions(text: &str) -> Vec<Mention> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut current = Section::Other;
    // Type of the row whose description is being read, and the indentation
    // of its first-level bullets.
    let mut row_type: Option<String> = None;
    let mut bullet_indent: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let n = i + 1;
        i += 1;
        if let Some(s) = section(line) {
            current = s;
            row_type = None;
            continue;
        }
        match current {
            Section::Request | Section::Response => {
                if let Some(c) = ROW.captures(line.trim_end()) {
                    // The Required column exists only in the request table.
                    if (current == Section::Request) == c.get(3).is_some() {
                        if let Some(name) = c.get(1) {
                            let usage = if current == Section::Request {
                                Usage::Request
                            } else {
                                Usage::Response
                            };
                            out.push(Mention::new(Kind::Name, name.as_str(), n, context(current)).used_as(usage));
                        }
                        row_type = Some(c[2].to_owned());
                        bullet_indent = None;
                        continue;
                    }
                }
                if let (Some(c), Some(ty)) = (BULLET.captures(line), row_type.as_deref()) {
                    let indent = c[1].len();
                    if *bullet_indent.get_or_insert(indent) != indent || ty == "boolean" {
                        continue;
                    }
                    for value in bullet_values(&c[2]) {
                        out.push(Mention::new(Kind::EnumValue, value, n, context(current)));
                    }
                }
            }
            Section::Examples if line.starts_with('{') => {
                let start = i - 1;
                let mut end = start;
                while end + 1 < lines.len() && !lines[end].starts_with('}') {
                    end += 1;
                }
                let body = lines[start..=end].join("\n");
                out.extend(mention::json_mentions(&body, n, "JSON example"));
                i = end + 1;
            }
            Section::Errors => {
                if let Some(c) = ERROR_ROW.captures(line.trim()) {
                    out.push(Mention::new(Kind::ErrorCode, &c[2], n, "Error codes"));
                }
            }
            _ => {}
        }
    }
    out
}

fn context(s: Section) -> &'static str {
    match s {
        Section::Request => "Request parameters",
        _ => "Response parameters",
    }
}

/// The values a bullet lists: `auto or timer: automatic snapshot` gives
/// `auto` and `timer`; a bullet that is a sentence gives none.
fn bullet_values(item: &str) -> Vec<String> {
    let head = item.split(':').next().unwrap_or("").replace("(default)", "");
    let words: Vec<&str> = head.split_whitespace().collect();
    let values: Vec<&str> = words.iter().copied().filter(|w| *w != "or").collect();
    let shape_ok = match words.len() {
        1 => true,
        3 => words[1] == "or",
        _ => false,
    };
    if shape_ok && values.iter().all(|v| mention::is_wire_name(v)) {
        values.into_iter().map(str::to_owned).collect()
    } else {
        Vec::new()
    }
}
