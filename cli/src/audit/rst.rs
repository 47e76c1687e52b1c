//! reStructuredText: grid tables (`+---+` borders, `+===+` under the
//! header), simple tables (`=== ===` rules), `.. table::` captions, and
//! literal blocks (`.. code-block::`, `::`) holding JSON examples.
//!
//! Only what the vendor documents use is supported: cells that span columns
//! or rows are read as if the borders were there.

use super::mention::{self, Cell, Mention, Table};

/// Every mention in an RST document.
pub fn mentions(text: &str) -> Vec<Mention> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut caption: Option<String> = None;
    let mut section: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix(".. table::") {
            caption = Some(strip_inline(rest));
            i += 1;
        } else if is_grid_border(trimmed) {
            let (mut table, next) = grid_table(&lines, i);
            table.captioned = caption.is_some();
            table.title = caption.take().or_else(|| section.clone());
            out.extend(mention::table_mentions(&table));
            i = next;
        } else if is_simple_rule(trimmed) {
            let (mut table, next) = simple_table(&lines, i);
            table.captioned = caption.is_some();
            table.title = caption.take().or_else(|| section.clone());
            out.extend(mention::table_mentions(&table));
            i = next;
        } else if trimmed.starts_with(".. code-block::") || (trimmed.ends_with("::") && !trimmed.starts_with("..")) {
            let (first_line, body, next) = literal_block(&lines, i);
            if mention::looks_like_json(&body) {
                out.extend(mention::json_mentions(&body, first_line, "JSON example"));
            }
            i = next;
        } else {
            if is_underline(lines.get(i + 1).copied().unwrap_or("")) && !trimmed.is_empty() {
                section = Some(trimmed.to_owned());
            }
            i += 1;
        }
    }
    out.extend(mention::request_placeholders(text));
    out
}

/// `**Table 4** BackupDetail` -> `Table 4 BackupDetail`.
fn strip_inline(s: &str) -> String {
    s.replace("**", "").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_grid_border(t: &str) -> bool {
    t.len() > 2 && t.starts_with('+') && t.ends_with('+') && t.chars().all(|c| matches!(c, '+' | '-' | '=' | ':'))
}

fn is_simple_rule(t: &str) -> bool {
    t.contains(' ') && t.split_whitespace().count() >= 2 && t.chars().all(|c| c == '=' || c == ' ')
}

fn is_underline(t: &str) -> bool {
    let t = t.trim_end();
    t.len() >= 3 && t.chars().all(|c| matches!(c, '=' | '-' | '~' | '^' | '"' | '#' | '*'))
}

/// Parse the grid table whose top border is `lines[start]`; returns the
/// table and the index of the first line after it.
fn grid_table(lines: &[&str], start: usize) -> (Table, usize) {
    let top: Vec<char> = lines[start].chars().collect();
    let bounds: Vec<usize> = top
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '+')
        .map(|(i, _)| i)
        .collect();
    let mut table = Table {
        line: start + 1,
        ..Table::default()
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut current: Vec<Cell> = Vec::new();
    let mut header_rows = None;
    let mut i = start + 1;
    while i < lines.len() {
        let t = lines[i].trim();
        if is_grid_border(t) {
            if current.iter().any(|c| !c.lines.is_empty()) {
                rows.push(std::mem::take(&mut current));
            }
            if t.contains('=') {
                header_rows = Some(rows.len());
            }
        } else if t.starts_with('|') {
            let chars: Vec<char> = lines[i].chars().collect();
            if current.is_empty() {
                current = vec![Cell::default(); bounds.len().saturating_sub(1)];
            }
            for (k, cell) in current.iter_mut().enumerate() {
                let from = (bounds[k] + 1).min(chars.len());
                let to = bounds[k + 1].min(chars.len());
                let slice: String = chars[from..to].iter().collect();
                cell.lines.push((i + 1, slice.trim().to_owned()));
            }
        } else {
            break;
        }
        i += 1;
    }
    if let Some(n) = header_rows {
        let body = rows.split_off(n);
        table.header = rows
            .iter()
            .flat_map(|r| r.iter().enumerate())
            .fold(Vec::new(), |mut h, (k, c)| {
                if h.len() <= k {
                    h.push(String::new());
                }
                h[k] = format!("{} {}", h[k], c.text()).trim().to_owned();
                h
            });
        table.rows = body;
    }
    (table, i)
}

/// Parse the simple table whose first rule is `lines[start]`.
fn simple_table(lines: &[&str], start: usize) -> (Table, usize) {
    let rule: Vec<char> = lines[start].chars().collect();
    let mut columns = Vec::new();
    let mut k = 0;
    while k < rule.len() {
        if rule[k] == '=' {
            let from = k;
            while k < rule.len() && rule[k] == '=' {
                k += 1;
            }
            columns.push(from);
        } else {
            k += 1;
        }
    }
    let mut table = Table {
        line: start + 1,
        ..Table::default()
    };
    let mut sections: Vec<Vec<(usize, &str)>> = vec![Vec::new()];
    let mut i = start + 1;
    let mut rules = 1;
    while i < lines.len() {
        let t = lines[i].trim();
        if is_simple_rule(t) {
            rules += 1;
            i += 1;
            if rules == 3 || (rules == 2 && lines.get(i).is_none_or(|l| l.trim().is_empty())) {
                break;
            }
            sections.push(Vec::new());
            continue;
        }
        if let Some(s) = sections.last_mut() {
            s.push((i + 1, lines[i]));
        }
        i += 1;
    }
    let split = |line: &str| -> Vec<String> {
        let chars: Vec<char> = line.chars().collect();
        (0..columns.len())
            .map(|c| {
                let from = columns[c].min(chars.len());
                let to = columns.get(c + 1).copied().unwrap_or(chars.len()).min(chars.len());
                chars[from..to].iter().collect::<String>().trim().to_owned()
            })
            .collect()
    };
    let body = if sections.len() >= 2 {
        table.header = sections[0].iter().map(|(_, l)| split(l)).next().unwrap_or_default();
        &sections[1]
    } else {
        &sections[0]
    };
    for (n, line) in body {
        let cells = split(line);
        let new_row = cells.first().is_some_and(|c| !c.is_empty()) || table.rows.is_empty();
        if new_row {
            table.rows.push(vec![Cell::default(); columns.len()]);
        }
        if let Some(row) = table.rows.last_mut() {
            for (cell, text) in row.iter_mut().zip(cells) {
                cell.lines.push((*n, text));
            }
        }
    }
    (table, i)
}

/// The literal block introduced at `lines[start]`: the first content line's
/// number, the dedented text, and the index after the block.
fn literal_block(lines: &[&str], start: usize) -> (usize, String, usize) {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let base = indent(lines[start]);
    let mut i = start + 1;
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    let first = i + 1;
    let mut body = Vec::new();
    while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) > base) {
        body.push(lines[i]);
        i += 1;
    }
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    (first, body.join("\n"), i)
}
