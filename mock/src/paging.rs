//! Pages derived from an example response, for operations the spec
//! declares pagination for.
//!
//! The listing is the example's items, extended to the total the example
//! states (its `total_field`, e.g. Zilliz's `count: 10` beside one backup)
//! by copies whose identifying fields (the item type's required string
//! fields, else its first string field) get a suffix `-2`, `-3`, ...; at
//! most [`MAX_LISTING`] items. A request selects a slice of it:
//!
//! - page size: the request's page-size parameter, else its documented
//!   default, else the page size the example states, else the example's
//!   number of items;
//! - token style (when the request sends the token parameter): the mock
//!   issues tokens `cloudsnap-mock-offset-N`; the example's own token
//!   stands for the page after the example's items; any other token is
//!   refused as a client would be by the real service;
//! - page-number style: page `first_page` is the first slice.
//!
//! The answer is the example with its items replaced by the slice, every
//! total field set to the listing's length, the next token set while items
//! remain (and removed, or emptied if required, on the last page), and
//! output fields named like the chosen style's page and page-size
//! parameters set to the values used. When that changes nothing, the
//! example's bytes are served verbatim.

use serde_json::{Map, Value};

use cloudsnap_codegen::model::{Model, OperationModel, PaginationModel, Ty, TypeKind};
use cloudsnap_codegen::model::{PaginationStyle, SuccessEnvelope};

use crate::envelope::{Kind, Problem};
use crate::incoming::Incoming;

/// Most items a derived listing holds, whatever total an example states.
pub(crate) const MAX_LISTING: usize = 1000;

/// Prefix of the tokens the mock issues.
const TOKEN_PREFIX: &str = "cloudsnap-mock-offset-";

/// The page of `body` (a success example of `op`) that `inc` asks for:
/// `Ok(None)` when the operation does not page, the body is not a JSON
/// object of the expected shape, or the page is the example itself.
pub(crate) fn page(
    model: &Model,
    op: &OperationModel,
    envelope: SuccessEnvelope,
    inc: &Incoming,
    body: &[u8],
) -> Result<Option<Vec<u8>>, Problem> {
    let Some(first) = op.pages.first() else {
        return Ok(None);
    };
    let Ok(original) = serde_json::from_slice::<Value>(body) else {
        return Ok(None);
    };
    let mut document = original.clone();
    let output = match envelope {
        SuccessEnvelope::Plain => document.as_object_mut(),
        SuccessEnvelope::Zilliz => document.get_mut("data").and_then(Value::as_object_mut),
    };
    let Some(output) = output else {
        return Ok(None);
    };
    let Some(fields) = output_fields(model, op) else {
        return Ok(None);
    };
    let items_field = &fields[first.items];
    let Some(example_items) = items(output, &items_field.wire, items_field.wrapper.as_deref()) else {
        return Ok(None);
    };
    let example_items = example_items.clone();

    // The style the request uses: a token style if it sends the token,
    // else a page style if it sends that style's page or size, else the
    // first declared style.
    let sent = |index: Option<usize>| index.and_then(|i| param_value(inc, &op.params[i].wire));
    let chosen = op
        .pages
        .iter()
        .find(|p| p.style == PaginationStyle::NextToken && sent(p.token_param).is_some())
        .or_else(|| {
            op.pages.iter().find(|p| {
                p.style == PaginationStyle::PageNumber && (sent(p.page_param).is_some() || sent(p.page_size).is_some())
            })
        })
        .unwrap_or(first);

    let total = listing_length(op, fields, output, example_items.len());
    let size = page_size(op, chosen, fields, output, inc, example_items.len());
    let (offset, page_number) = match chosen.style {
        PaginationStyle::NextToken => {
            let example_token = chosen
                .token_field
                .and_then(|(f, _)| output.get(&fields[f].wire))
                .and_then(Value::as_str);
            let offset = match sent(chosen.token_param) {
                None => 0,
                Some(token) => token_offset(&token, example_token, example_items.len()).ok_or_else(|| {
                    let wire = chosen.token_param.map_or("token", |i| op.params[i].wire.as_str());
                    Problem::new(
                        Kind::InvalidParameter,
                        format!("{wire} `{token}` is not a token this listing issued"),
                    )
                })?,
            };
            (offset, None)
        }
        PaginationStyle::PageNumber => {
            let number = match sent(chosen.page_param) {
                None => chosen.first_page,
                Some(text) => text.trim().parse::<i64>().map_err(|_| {
                    Problem::new(
                        Kind::InvalidParameter,
                        format!("page number `{text}` is not an integer"),
                    )
                })?,
            };
            let index = number
                .checked_sub(chosen.first_page)
                .filter(|i| *i >= 0)
                .ok_or_else(|| {
                    Problem::new(
                        Kind::InvalidParameter,
                        format!("page {number} is before the first page ({})", chosen.first_page),
                    )
                })?;
            let offset = usize::try_from(index).unwrap_or(usize::MAX).saturating_mul(size);
            (offset, Some(number))
        }
    };

    // The slice.
    let end = offset.saturating_add(size).min(total);
    let identity = identity_fields(model, first);
    let slice: Vec<Value> = (offset.min(end)..end)
        .map(|i| item(&example_items, i, &identity))
        .collect();
    set_items(output, &items_field.wire, items_field.wrapper.as_deref(), slice);

    // Totals, tokens, echoed page and size.
    for style in &op.pages {
        if let Some((f, _)) = style.total_field {
            output.insert(fields[f].wire.clone(), Value::from(total));
        }
        if let Some((f, optional)) = style.token_field {
            let wire = fields[f].wire.clone();
            if end < total {
                output.insert(wire, Value::from(format!("{TOKEN_PREFIX}{end}")));
            } else if optional {
                output.remove(&wire);
            } else {
                output.insert(wire, Value::from(""));
            }
        }
    }
    let echo = |index: Option<usize>| index.map(|i| op.params[i].wire.as_str());
    if let (Some(number), Some(wire)) = (page_number, echo(chosen.page_param)) {
        if output.contains_key(wire) {
            output.insert(wire.to_owned(), Value::from(number));
        }
    }
    if let Some(wire) = echo(chosen.page_size) {
        if output.contains_key(wire) {
            output.insert(wire.to_owned(), Value::from(size));
        }
    }

    if document == original {
        return Ok(None);
    }
    // Serialization of a `Value` cannot fail.
    Ok(serde_json::to_vec(&document).ok())
}

/// The output type's fields.
fn output_fields<'m>(model: &'m Model, op: &OperationModel) -> Option<&'m [cloudsnap_codegen::model::FieldModel]> {
    match op.output.as_ref()? {
        Ty::Named(i) => match &model.types.get(*i)?.kind {
            TypeKind::Object { fields } => Some(fields),
            TypeKind::Enum { .. } => None,
        },
        _ => None,
    }
}

/// The items array (inside its list wrapper, if any).
fn items<'v>(output: &'v Map<String, Value>, wire: &str, wrapper: Option<&str>) -> Option<&'v Vec<Value>> {
    let field = output.get(wire)?;
    match wrapper {
        Some(key) => field.get(key)?.as_array(),
        None => field.as_array(),
    }
}

fn set_items(output: &mut Map<String, Value>, wire: &str, wrapper: Option<&str>, slice: Vec<Value>) {
    match wrapper {
        Some(key) => {
            if let Some(Value::Object(inner)) = output.get_mut(wire) {
                inner.insert(key.to_owned(), Value::Array(slice));
            }
        }
        None => {
            output.insert(wire.to_owned(), Value::Array(slice));
        }
    }
}

/// The listing's length: the example's items, or the larger total the
/// example states, at most [`MAX_LISTING`].
fn listing_length(
    op: &OperationModel,
    fields: &[cloudsnap_codegen::model::FieldModel],
    output: &Map<String, Value>,
    items: usize,
) -> usize {
    if items == 0 {
        return 0;
    }
    let stated = op
        .pages
        .iter()
        .filter_map(|p| p.total_field)
        .filter_map(|(f, _)| output.get(&fields[f].wire)?.as_u64())
        .max()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    items.max(stated).min(MAX_LISTING)
}

/// The page size a request gets (at least 1).
fn page_size(
    op: &OperationModel,
    style: &PaginationModel,
    fields: &[cloudsnap_codegen::model::FieldModel],
    output: &Map<String, Value>,
    inc: &Incoming,
    items: usize,
) -> usize {
    let as_size = |v: &Value| v.as_u64().and_then(|n| usize::try_from(n).ok()).filter(|n| *n > 0);
    let Some(param) = style.page_size.map(|i| &op.params[i]) else {
        return items.max(1);
    };
    param_value(inc, &param.wire)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .or_else(|| param.default.as_ref().and_then(as_size))
        .or_else(|| {
            fields
                .iter()
                .find(|f| f.wire == param.wire)
                .and_then(|f| output.get(&f.wire))
                .and_then(as_size)
        })
        .unwrap_or(items.max(1))
}

/// The offset a token stands for.
fn token_offset(token: &str, example_token: Option<&str>, example_items: usize) -> Option<usize> {
    if let Some(offset) = token.strip_prefix(TOKEN_PREFIX) {
        return offset.parse().ok();
    }
    (example_token == Some(token) && !token.is_empty()).then_some(example_items)
}

/// Wire names of the item type's identifying fields: its required string
/// fields, else its first string field.
fn identity_fields(model: &Model, style: &PaginationModel) -> Vec<String> {
    let Ty::Named(i) = &style.item else {
        return Vec::new();
    };
    let Some(TypeKind::Object { fields }) = model.types.get(*i).map(|t| &t.kind) else {
        return Vec::new();
    };
    let strings = || fields.iter().filter(|f| f.ty == Ty::String);
    let required: Vec<String> = strings().filter(|f| !f.optional).map(|f| f.wire.clone()).collect();
    if required.is_empty() {
        strings().take(1).map(|f| f.wire.clone()).collect()
    } else {
        required
    }
}

/// Item `i` of the listing: an example item, or a copy of one with its
/// identifying fields suffixed.
fn item(examples: &[Value], i: usize, identity: &[String]) -> Value {
    let k = examples.len();
    let mut value = examples[i % k].clone();
    let copy = i / k;
    if copy > 0 {
        if let Value::Object(object) = &mut value {
            for wire in identity {
                if let Some(Value::String(s)) = object.get_mut(wire) {
                    s.push_str(&format!("-{}", copy + 1));
                }
            }
        }
    }
    value
}

/// The value a request gives a parameter: query or form, else a member of
/// a JSON object body.
fn param_value(inc: &Incoming, wire: &str) -> Option<String> {
    if let Some((_, v)) = inc.rpc_params().find(|(n, _)| n == wire) {
        return Some(v.clone());
    }
    let body: Value = serde_json::from_slice(&inc.body).ok()?;
    match body.get(wire)? {
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
