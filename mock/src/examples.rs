//! Which documented example answers an accepted request.

use serde_json::Value;

use cloudsnap_codegen::model::OperationModel;
use cloudsnap_codegen::spec::{ExampleRequest, SuccessEnvelope};

use crate::incoming::Incoming;

/// Status and body of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body bytes (the example's text, verbatim).
    pub body: Vec<u8>,
}

/// The example response whose request best matches `inc` (more equal query
/// values and body members, same path); without a positive match, the first
/// example with a success response; without any example response, the
/// documented success status with an empty output (`{}`, or
/// `{"code":0,"data":{}}` for Zilliz; no body when the output is empty).
pub(crate) fn choose(op: &OperationModel, envelope: SuccessEnvelope, inc: &Incoming) -> Answer {
    let mut best: Option<(i64, usize)> = None;
    for (i, ex) in op.examples.iter().enumerate() {
        let (Some(req), Some(_)) = (&ex.request, &ex.response) else {
            continue;
        };
        let score = score(req, inc);
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    let chosen = best
        .and_then(|(_, i)| op.examples[i].response.as_ref())
        .or_else(|| {
            op.examples
                .iter()
                .filter_map(|e| e.response.as_ref())
                .find(|r| (200..300).contains(&r.status))
        })
        .or_else(|| op.examples.iter().find_map(|e| e.response.as_ref()));
    match chosen {
        Some(r) => Answer {
            status: r.status,
            body: r.body.as_bytes().to_vec(),
        },
        None => Answer {
            status: op.success_status,
            body: match (&op.output, envelope) {
                (None, _) => Vec::new(),
                (Some(_), SuccessEnvelope::Plain) => b"{}".to_vec(),
                (Some(_), SuccessEnvelope::Zilliz) => br#"{"code":0,"data":{}}"#.to_vec(),
            },
        },
    }
}

/// +1 for each documented query value or body member the request repeats,
/// -1 for each it gives differently or leaves out; +1 for the same path.
fn score(req: &ExampleRequest, inc: &Incoming) -> i64 {
    let mut score = i64::from(req.path == inc.path);
    for (name, value) in &req.query {
        let given = inc.rpc_params().find(|(n, _)| n == name).map(|(_, v)| v);
        score += if given == Some(value) { 1 } else { -1 };
    }
    if let Some(text) = &req.body {
        let want: Option<Value> = serde_json::from_str(text).ok();
        let got: Option<Value> = serde_json::from_slice(&inc.body).ok();
        if let (Some(Value::Object(want)), Some(Value::Object(got))) = (want, got) {
            for (k, v) in &want {
                score += if got.get(k) == Some(v) { 1 } else { -1 };
            }
        }
    }
    score
}
