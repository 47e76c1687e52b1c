//! The received request, decoded once for all checks.

use cloudsnap_runtime::wire;
use http::HeaderMap;

/// A received request: raw parts plus decoded query and form parameters.
#[derive(Debug)]
pub(crate) struct Incoming {
    /// Method as received.
    pub method: http::Method,
    /// Raw origin-form target (`/path?query`).
    pub uri: String,
    /// Raw (still encoded) path.
    pub path: String,
    /// Decoded query parameters in order (`+` is a literal plus, as in RFC 3986).
    pub query: Vec<(String, String)>,
    /// Decoded `application/x-www-form-urlencoded` body parameters (`+` is a space).
    pub form: Vec<(String, String)>,
    /// Problems decoding the query or the form body.
    pub decode_problems: Vec<String>,
    /// Headers as received.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Incoming {
    /// Decode the parts of a received request.
    pub fn new(parts: &http::request::Parts, body: Vec<u8>) -> Self {
        let uri = parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        let mut decode_problems = Vec::new();
        let query = split_pairs(parts.uri.query().unwrap_or(""), false, "query", &mut decode_problems);
        let form = if wire::is_form(&parts.headers) {
            match std::str::from_utf8(&body) {
                Ok(text) => split_pairs(text, true, "form body", &mut decode_problems),
                Err(_) => {
                    decode_problems.push("the form body is not UTF-8".to_owned());
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        Incoming {
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
            uri,
            query,
            form,
            decode_problems,
            headers: parts.headers.clone(),
            body,
        }
    }

    /// The first value of a header, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Query then form parameters: the request parameters of the Alibaba
    /// RPC protocol, which accepts either.
    pub fn rpc_params(&self) -> impl Iterator<Item = &(String, String)> {
        self.query.iter().chain(self.form.iter())
    }

    /// Whether the body is a form (its parameters are in [`Incoming::form`]).
    pub fn has_form_body(&self) -> bool {
        wire::is_form(&self.headers)
    }
}

/// Decode every segment of a query or form body with the runtime's rule
/// ([`wire::decode_pair`]), keeping the good ones and recording each bad one
/// (the mock reports them all, where a signer stops at the first).
fn split_pairs(raw: &str, plus_is_space: bool, part: &str, problems: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for segment in wire::segments(raw) {
        match wire::decode_pair(segment, plus_is_space) {
            Some(pair) => out.push(pair),
            None => problems.push(format!(
                "the {part} segment `{segment}` is not valid percent-encoded UTF-8"
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_plus_is_literal_and_form_plus_is_space() {
        let req = http::Request::post("/?a=x%20y+z&&b")
            .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
            .body(())
            .unwrap();
        let (parts, ()) = req.into_parts();
        let inc = Incoming::new(&parts, b"c=1+2&d=%41".to_vec());
        assert_eq!(
            inc.query,
            vec![("a".into(), "x y+z".into()), ("b".into(), String::new())]
        );
        assert_eq!(inc.form, vec![("c".into(), "1 2".into()), ("d".into(), "A".into())]);
        assert!(inc.decode_problems.is_empty());
        let (parts, ()) = http::Request::get("/?a=%FF").body(()).unwrap().into_parts();
        assert_eq!(Incoming::new(&parts, Vec::new()).decode_problems.len(), 1);
    }
}
