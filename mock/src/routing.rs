//! Which operation a request is for: REST by method and path template,
//! Alibaba RPC by its `Action`.

use regex::Regex;

use cloudsnap_codegen::diag::did_you_mean;
use cloudsnap_codegen::model::{OperationModel, PathPart};
use cloudsnap_runtime::wire;
use cloudsnap_runtime::Protocol;

use crate::envelope::{Kind, Problem};
use crate::incoming::Incoming;
use crate::service::Service;

/// How one operation is reached.
#[derive(Debug)]
pub(crate) struct Route {
    /// The documented method.
    method: &'static str,
    /// Path template segments (split on `/`).
    segments: Vec<Segment>,
    /// Literal characters in the template: the more, the more specific.
    literal_len: usize,
}

/// One `/`-separated piece of a path template.
#[derive(Debug)]
enum Segment {
    /// Matches exactly this decoded text.
    Literal(String),
    /// Literal text around parameters; captures one group per parameter.
    /// `None` if the pattern could not be built (then it matches nothing).
    Pattern(Option<Regex>, Vec<usize>),
}

/// A matched operation and its decoded path parameters `(param index, value)`.
pub(crate) type Matched = (usize, Vec<(usize, String)>);

impl Route {
    /// The route of `op`.
    pub fn new(op: &OperationModel) -> Route {
        // Pieces of each segment: Ok(literal) or Err(param index).
        let mut pieces: Vec<Vec<Result<String, usize>>> = vec![Vec::new()];
        for part in &op.path {
            match part {
                PathPart::Literal(text) => {
                    for (i, chunk) in text.split('/').enumerate() {
                        if i > 0 {
                            pieces.push(Vec::new());
                        }
                        if !chunk.is_empty() {
                            if let Some(last) = pieces.last_mut() {
                                last.push(Ok(chunk.to_owned()));
                            }
                        }
                    }
                }
                PathPart::Param(i) => {
                    if let Some(last) = pieces.last_mut() {
                        last.push(Err(*i));
                    }
                }
            }
        }
        let mut literal_len = 0;
        let segments = pieces
            .into_iter()
            .map(|segment| {
                literal_len += segment
                    .iter()
                    .filter_map(|p| p.as_ref().ok())
                    .map(String::len)
                    .sum::<usize>();
                if segment.iter().all(Result::is_ok) {
                    return Segment::Literal(segment.into_iter().filter_map(Result::ok).collect());
                }
                // `s`: a decoded value may hold CR or LF, which `.` must match too.
                let mut source = String::from("(?s)^");
                let mut params = Vec::new();
                for piece in segment {
                    match piece {
                        Ok(text) => source.push_str(&regex::escape(&text)),
                        Err(i) => {
                            // Lazy, so literal text after a parameter still matches.
                            source.push_str("(.+?)");
                            params.push(i);
                        }
                    }
                }
                source.push('$');
                Segment::Pattern(Regex::new(&source).ok(), params)
            })
            .collect();
        Route {
            method: op.method.as_str(),
            segments,
            literal_len,
        }
    }

    /// Path parameters if the decoded segments fit the template.
    fn match_segments(&self, segments: &[String]) -> Option<Vec<(usize, String)>> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut values = Vec::new();
        for (template, actual) in self.segments.iter().zip(segments) {
            match template {
                Segment::Literal(text) => {
                    if text != actual {
                        return None;
                    }
                }
                Segment::Pattern(regex, params) => {
                    let captures = regex.as_ref()?.captures(actual)?;
                    for (n, param) in params.iter().enumerate() {
                        values.push((*param, captures.get(n + 1)?.as_str().to_owned()));
                    }
                }
            }
        }
        Some(values)
    }
}

/// Find the operation `inc` is for, or the problem that prevents it.
pub(crate) fn route(service: &Service, inc: &Incoming) -> Result<Matched, Problem> {
    match service.protocol {
        Protocol::AliyunRpc => route_rpc(service, inc),
        Protocol::RestJson | Protocol::Elasticsearch => route_rest(service, inc),
    }
}

/// The Alibaba RPC `Action`: query, form body, or the V3 `x-acs-action` header.
pub(crate) fn rpc_action(inc: &Incoming) -> Option<&str> {
    inc.rpc_params()
        .find(|(n, _)| n == "Action")
        .map(|(_, v)| v.as_str())
        .or_else(|| inc.header("x-acs-action"))
}

fn route_rpc(service: &Service, inc: &Incoming) -> Result<Matched, Problem> {
    let ops = &service.model.operations;
    let action = rpc_action(inc).ok_or_else(|| {
        Problem::new(
            Kind::MissingParameter,
            "`Action` is missing: give it in the query, the form body or the `x-acs-action` header",
        )
    })?;
    let Some(index) = ops.iter().position(|o| o.action == action) else {
        let known: Vec<&str> = ops.iter().map(|o| o.action.as_str()).collect();
        let hint = did_you_mean(action, known.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(Problem::new(
            Kind::UnknownOperation,
            format!(
                "`Action={action}` is not an operation of this service{hint}; it has: {}",
                known.join(", ")
            ),
        ));
    };
    let op = &ops[index];
    if inc.path != op.path_template {
        return Err(Problem::new(
            Kind::UnknownOperation,
            format!("RPC requests go to `{}`, not `{}`", op.path_template, inc.path),
        ));
    }
    // Alibaba's RPC APIs take GET and POST alike (parameters in the query or
    // a form body), whatever method the document shows.
    if inc.method != http::Method::GET && inc.method != http::Method::POST {
        return Err(Problem::new(
            Kind::MethodNotAllowed,
            format!("{} is not allowed for RPC operations: use GET or POST", inc.method),
        ));
    }
    Ok((index, Vec::new()))
}

fn route_rest(service: &Service, inc: &Incoming) -> Result<Matched, Problem> {
    let segments: Option<Vec<String>> = inc.path.split('/').map(wire::percent_decode).collect();
    let Some(segments) = segments else {
        return Err(Problem::new(
            Kind::UnknownOperation,
            format!("the path `{}` is not valid percent-encoded UTF-8", inc.path),
        ));
    };
    let ops = &service.model.operations;
    // (operation, literal length, path parameters) of the most specific match.
    let mut best: Option<(Matched, usize)> = None;
    let mut other_methods = Vec::new();
    for (i, route) in service.routes.iter().enumerate() {
        let Some(values) = route.match_segments(&segments) else {
            continue;
        };
        if route.method != inc.method.as_str() {
            other_methods.push(format!("{} ({})", route.method, ops[i].id));
            continue;
        }
        if best.as_ref().is_none_or(|(_, len)| route.literal_len > *len) {
            best = Some(((i, values), route.literal_len));
        }
    }
    match best {
        Some((matched, _)) => Ok(matched),
        None if !other_methods.is_empty() => Err(Problem::new(
            Kind::MethodNotAllowed,
            format!(
                "{} is not allowed on `{}`; it takes {}",
                inc.method,
                inc.path,
                other_methods.join(", ")
            ),
        )),
        None => {
            let known: Vec<String> = ops
                .iter()
                .map(|o| format!("{} {}", o.method.as_str(), o.path_template))
                .collect();
            Err(Problem::new(
                Kind::UnknownOperation,
                format!(
                    "no operation serves {} `{}`; the service has: {}",
                    inc.method,
                    inc.path,
                    known.join(", ")
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cbr() -> Service {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/huawei-cbr.yaml");
        Service::load(&spec).expect("the CBR spec loads")
    }

    fn incoming(uri: &str) -> Incoming {
        let (parts, ()) = http::Request::get(uri).body(()).expect("request").into_parts();
        Incoming::new(&parts, Vec::new())
    }

    #[test]
    fn path_parameters_may_hold_any_decoded_character() {
        let service = cbr();
        let inc = incoming("/v3/a%0D%0Ab/backups/x%2Fy%3Fz");
        let (op, values) = route(&service, &inc).expect("routed");
        assert_eq!(service.model.operations[op].id, "ShowBackup");
        assert_eq!(values, [(0, "a\r\nb".to_owned()), (1, "x/y?z".to_owned())]);
    }
}
