//! Examples: request parameters that build, response bodies that parse
//! into the output type. Each example becomes a generated test.

use foldhash::{HashMap, HashMapExt as _};

use serde_json::Value;

use super::jsonpos;
use super::resolve::Resolver;
use super::values;
use super::*;
use crate::diag::{did_you_mean, Pos};
use crate::spec::SuccessEnvelope;

impl Resolver<'_> {
    pub(super) fn check_examples(
        &mut self,
        opath: &str,
        op: &spec::Operation,
        model: &OperationModel,
        types: &[TypeModel],
        output_ok: bool,
    ) {
        // Each example becomes `#[test]` functions named after it.
        let mut names: HashMap<String, &str> = HashMap::new();
        for (i, ex) in op.examples.iter().enumerate() {
            let path = format!("{opath}.examples[{i}]");
            let stem = super::names::snake_case(&ex.name);
            if stem.is_empty() || !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                let d = self.error(
                    format!("{path}.name"),
                    format!("example name `{}` cannot name a test", ex.name),
                );
                Self::hint(
                    d,
                    "use ASCII letters, digits and spaces, e.g. `document` or `second page`",
                );
            } else if let Some(first) = names.get(&stem) {
                let message = if *first == ex.name {
                    format!("duplicate example name `{}`", ex.name)
                } else {
                    format!(
                        "example names `{}` and `{first}` both become the test name `{stem}`",
                        ex.name
                    )
                };
                let d = self.error(format!("{path}.name"), message);
                Self::hint(d, "give each example of an operation its own name");
            } else {
                names.insert(stem, &ex.name);
            }
            if ex.request.is_none() && ex.response.is_none() {
                self.error(path.clone(), "an example needs a `request`, a `response`, or both");
            }
            if let Some(req) = &ex.request {
                self.check_example_request(&format!("{path}.request"), req, model, types);
            }
            if let Some(resp) = ex.response.as_ref().filter(|_| output_ok) {
                self.check_example_response(&format!("{path}.response"), resp, model, types);
            }
        }
    }

    pub(super) fn check_example_request(
        &mut self,
        path: &str,
        req: &spec::ExampleRequest,
        model: &OperationModel,
        types: &[TypeModel],
    ) {
        for (name, value) in &req.params {
            match model.params.iter().find(|p| p.wire == *name) {
                None => {
                    let d = self.error(
                        format!("{path}.params.{name}"),
                        format!("operation `{}` has no parameter `{name}`", model.id),
                    );
                    if let Some(best) = did_you_mean(name, model.params.iter().map(|p| p.wire.as_str())) {
                        Self::hint(d, format!("did you mean `{best}`?"));
                    }
                }
                Some(p) => {
                    let mut problems = Vec::new();
                    values::check(types, &p.ty, value, "$", &mut problems);
                    let mut messages: Vec<String> = problems
                        .iter()
                        .map(|msg| format!("example value of `{name}` does not match it: {}", values::top(msg)))
                        .collect();
                    messages.extend(
                        self.constraint_problems(&p.constraints, value)
                            .into_iter()
                            .map(|problem| format!("example value of `{name}` {problem}")),
                    );
                    for message in messages {
                        let d = self.error(format!("{path}.params.{name}"), message);
                        Self::hint(d, "fix the value, or the parameter's type or constraints");
                    }
                }
            }
        }
        for p in model.params.iter().filter(|p| p.required) {
            if !req.params.contains_key(&p.wire) {
                let d = self.error(
                    format!("{path}.params"),
                    format!("required parameter `{}` is missing", p.wire),
                );
                Self::hint(d, "every example request must be buildable");
            }
        }
        if req.method != model.method {
            let d = self.error(
                format!("{path}.method"),
                format!(
                    "the example sends {}, but the operation's method is {}",
                    req.method.as_str(),
                    model.method.as_str()
                ),
            );
            Self::hint(d, format!("write `method: {}`", model.method.as_str()));
        }
        if let Some(body) = &req.body {
            if let Err(e) = serde_json::from_str::<Value>(body) {
                let inside = self.json_error_span(&format!("{path}.body"), body, &e);
                let d = self.error(format!("{path}.body"), format!("body is not valid JSON: {e}"));
                if let Some((pos, width)) = inside {
                    d.pos = Some(pos);
                    d.width = width;
                }
                Self::hint(
                    d,
                    "write the body as JSON text; quote the YAML string with '...' or use a `|` block",
                );
            }
        }
    }

    pub(super) fn check_example_response(
        &mut self,
        path: &str,
        resp: &spec::ExampleResponse,
        model: &OperationModel,
        types: &[TypeModel],
    ) {
        let value: Value = match serde_json::from_str(&resp.body) {
            Ok(v) => v,
            Err(e) => {
                let inside = self.json_error_span(&format!("{path}.body"), &resp.body, &e);
                let d = self.error(format!("{path}.body"), format!("body is not valid JSON: {e}"));
                if let Some((pos, width)) = inside {
                    d.pos = Some(pos);
                    d.width = width;
                }
                Self::hint(d, "put the corrected JSON here and record the fix under `errata`");
                return;
            }
        };
        if resp.status != model.success_status {
            return; // an error example; its envelope is checked by the runtime tests
        }
        let data = match self.spec.service.success_envelope {
            SuccessEnvelope::Plain => Some(&value),
            SuccessEnvelope::Zilliz => value.get("data"),
        };
        let (Some(data), Some(ty)) = (data, &model.output) else {
            if model.output.is_some() {
                self.error(format!("{path}.body"), "the success envelope has no `data` member");
            }
            return;
        };
        let mut problems = Vec::new();
        values::check(types, ty, data, "$", &mut problems);
        for msg in problems.into_iter().take(20) {
            let body_path = format!("{path}.body");
            let inside = msg
                .split_once(": ")
                .and_then(|(json_path, _)| self.body_span(&body_path, &resp.body, json_path));
            let d = self.error(body_path, format!("example does not match the output type: {msg}"));
            if let Some((pos, width)) = inside {
                d.pos = Some(pos);
                d.width = width;
            }
            Self::hint(
                d,
                "add the field to the type (with an erratum if no table lists it), or fix the example",
            );
        }
    }

    /// Where the node at `json_path` of an example body is in the spec
    /// file, with the width of its token: for bodies written on one line or
    /// as a literal `|` block (folded `>` blocks move text around, so they
    /// keep pointing at the body).
    fn body_span(&self, body_path: &str, body: &str, json_path: &str) -> Option<(Pos, usize)> {
        let offset = jsonpos::offset(body, json_path)?;
        self.offset_span(body_path, body, offset)
    }

    /// Where serde_json's syntax error in an example body is in the spec
    /// file (same cases as [`Self::body_span`]): its line and column inside
    /// the body, mapped onto the block's lines.
    fn json_error_span(&self, body_path: &str, body: &str, e: &serde_json::Error) -> Option<(Pos, usize)> {
        let (line, column) = (e.line(), e.column());
        if line == 0 {
            return None;
        }
        let mut offset = 0;
        for (i, l) in body.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let col = column.saturating_sub(1).min(l.trim_end_matches('\n').len());
                let col = (0..=col).rev().find(|c| l.is_char_boundary(*c)).unwrap_or(0);
                return self.offset_span(body_path, body, offset + col);
            }
            offset += l.len();
        }
        None
    }

    /// Where byte `offset` of an example body is in the spec file.
    fn offset_span(&self, body_path: &str, body: &str, offset: usize) -> Option<(Pos, usize)> {
        let start = self
            .index
            .find_span(body_path)
            .filter(|_| self.index.exists(body_path))?
            .0;
        let before = &body[..offset];
        let k = before.matches('\n').count();
        let col = before.rsplit('\n').next().unwrap_or_default().chars().count();
        let body_line = body.lines().nth(k)?;
        let token: String = body_line.chars().skip(col).collect();
        let width = match token.chars().next().unwrap_or(' ') {
            '"' => token
                .char_indices()
                .skip(1)
                .find(|(_, c)| *c == '"')
                .map_or(1, |(i, _)| i + 1),
            '{' | '[' => 1,
            _ => token.find([',', '}', ']', ' ']).unwrap_or(token.len()).max(1),
        };
        let lines: Vec<&str> = self.text.lines().collect();
        let key_line = lines.get(start.line.checked_sub(1)?)?;
        // The index may point at a block scalar's indicator or at its first
        // content line.
        let at = key_line.chars().nth(start.column.checked_sub(1)?)?;
        let above_is_block = start.line >= 2
            && lines
                .get(start.line - 2)
                .is_some_and(|l| matches!(l.trim_end().chars().last(), Some('|' | '-' | '+')) && l.contains('|'));
        let (line, column) = match at {
            _ if at != '|' && above_is_block => {
                let column = block_column(lines.get(start.line - 1 + k)?, body_line, col)?;
                (start.line + k, column)
            }
            '|' => {
                let column = block_column(lines.get(start.line + k)?, body_line, col)?;
                (start.line + 1 + k, column)
            }
            '>' => return None,
            quote @ ('"' | '\'') if k == 0 => {
                let rest: String = key_line.chars().skip(start.column).collect();
                (rest.starts_with(body_line) && body_line.chars().all(|c| c != quote && c != '\\'))
                    .then_some((start.line, start.column + 1 + col))?
            }
            _ if k == 0 => (start.line, start.column + col),
            _ => return None,
        };
        Some((Pos { line, column }, width))
    }
}

/// The 1-based column in spec line `src` of character `col` of `body_line`,
/// the same line of a `|` block after YAML removed the block's indentation
/// (the line keeps any indentation of its own). `None` if they differ.
fn block_column(src: &str, body_line: &str, col: usize) -> Option<usize> {
    let src_indent = src.chars().take_while(|c| *c == ' ').count();
    let own_indent = body_line.chars().take_while(|c| *c == ' ').count();
    let block_indent = src_indent.checked_sub(own_indent)?;
    let rest: String = src.chars().skip(block_indent).collect();
    (rest.trim_end() == body_line.trim_end()).then_some(block_indent + col + 1)
}
