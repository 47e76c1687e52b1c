//! Parsing HTTP responses into outputs or typed errors.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::{ErrorCode, ErrorEnvelope, OperationInfo, ResponseError, ServiceError, SuccessEnvelope};

/// How much of an unrecognized body an error quotes.
const QUOTE_LIMIT: usize = 512;

/// Parse a JSON success body into `T`, or the response into a typed error.
pub fn parse_json<T: DeserializeOwned, C: ErrorCode, B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: &http::Response<B>,
) -> Result<T, ResponseError<C>> {
    let status = response.status();
    let body = response.body().as_ref();
    if !status.is_success() {
        return Err(error_response(info, response));
    }
    match info.service.success_envelope {
        SuccessEnvelope::Plain => decode(info, status.as_u16(), body, ""),
        SuccessEnvelope::Zilliz => {
            // Fast path: envelope and output in one pass. Anything unusual
            // (a non-zero code, no data, a body that does not fit) takes the
            // two-step path below, which reports it exactly.
            #[derive(Deserialize)]
            struct Typed<T> {
                code: Option<i64>,
                data: Option<T>,
            }
            if let Ok(Typed {
                code: None | Some(0),
                data: Some(data),
            }) = serde_json::from_slice::<Typed<T>>(body)
            {
                return Ok(data);
            }
            // Slow path, first pass: the code alone; `data` is skipped unread.
            #[derive(Deserialize)]
            struct Head<'a> {
                // Any JSON value: a gateway that sends the code as a string
                // (`"80020"`) must still yield a service error with its
                // message, not a decode error about the code's type.
                #[serde(borrow)]
                code: Option<&'a RawValue>,
            }
            let head: Head<'_> = decode(info, status.as_u16(), body, "")?;
            if head.code.is_some_and(|c| !matches!(c.get(), "0" | "\"0\"")) {
                // Zilliz reports errors with HTTP 200 and a non-zero code.
                return Err(error_response(info, response));
            }
            // Second pass: the output decoded in place (not from a captured
            // sub-slice), so an error's path is its full path in the body
            // (`data.backups[0].size`) and its line and column are the body's.
            #[derive(Deserialize)]
            #[serde(bound = "D: Deserialize<'de>")]
            struct Envelope<D> {
                data: Option<D>,
            }
            let envelope: Envelope<T> = decode(info, status.as_u16(), body, "")?;
            match envelope.data {
                Some(data) => Ok(data),
                // Missing or null: report it as the output type would.
                None => decode(info, status.as_u16(), b"null", "data"),
            }
        }
    }
}

/// Parse a response whose success body is empty (or ignored).
pub fn parse_empty<C: ErrorCode, B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: &http::Response<B>,
) -> Result<(), ResponseError<C>> {
    if response.status().is_success() {
        Ok(())
    } else {
        Err(error_response(info, response))
    }
}

fn decode<'de, T: Deserialize<'de>, C: ErrorCode>(
    info: &OperationInfo,
    status: u16,
    body: &'de [u8],
    prefix: &str,
) -> Result<T, ResponseError<C>> {
    // Path tracking wraps every value and cost as much again as the parse
    // itself, so it runs only to explain a body that did not parse.
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = result.map_err(|e| {
        let inner = e.path().to_string();
        let path = match (prefix, inner.as_str()) {
            ("", p) => p.to_owned(),
            (pre, ".") => pre.to_owned(),
            (pre, p) => format!("{pre}.{p}"),
        };
        ResponseError::Decode {
            operation: info.name,
            status,
            path,
            message: e.into_inner().to_string(),
        }
    })?;
    de.end().map_err(|e| ResponseError::Decode {
        operation: info.name,
        status,
        // The document as a whole is wrong: the root path, as serde_path_to_error writes it.
        path: ".".to_owned(),
        message: format!("trailing data after the JSON body: {e}"),
    })?;
    Ok(value)
}

/// A parsed output together with the body it was parsed from, so that
/// nothing the server sent is lost: a member the spec does not know yet (a
/// field next year's server adds) stays reachable without regenerating.
/// [`Operation::parse_response_with_raw`](crate::Operation::parse_response_with_raw)
/// returns it; the client's `send_with_metadata` keeps the body the same way
/// (and [`extra_members`] reads either).
///
/// Keeping the body costs nothing on the parse path: the response's
/// `Vec<u8>` is moved in, not copied, and nothing is re-read unless asked
/// ([`WithRaw::json`], [`WithRaw::extra_members`]). The alternative,
/// `#[serde(flatten)] extra: Map` on every generated struct, was measured on
/// ECS's example (`benches/runtime`): 1.07x hand-written serde with every
/// struct flattened (1.01x with only the root), against 1.02x for the
/// generated types; it also forbids nothing and finds nothing a body scan
/// cannot, while it would touch every struct another change is reworking.
#[derive(Debug, Clone, PartialEq)]
pub struct WithRaw<T> {
    output: T,
    body: Vec<u8>,
    /// JSON pointer of the output within the body (`/data` for Zilliz).
    output_at: &'static str,
}

impl<T> WithRaw<T> {
    /// Pair an output with its body; `info` tells where in the body the
    /// output sits (the whole body, or Zilliz's `data`).
    pub fn new(info: &OperationInfo, output: T, body: Vec<u8>) -> Self {
        let output_at = match info.service.success_envelope {
            SuccessEnvelope::Plain => "",
            SuccessEnvelope::Zilliz => "/data",
        };
        WithRaw {
            output,
            body,
            output_at,
        }
    }

    /// The typed output.
    pub fn output(&self) -> &T {
        &self.output
    }

    /// The typed output, dropping the body.
    pub fn into_output(self) -> T {
        self.output
    }

    /// The body exactly as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Output and body.
    pub fn into_parts(self) -> (T, Vec<u8>) {
        (self.output, self.body)
    }

    /// The whole body as a JSON value (parsed now, on request).
    pub fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// Every member of the body that the typed output does not carry, as
    /// (JSON pointer, value) pairs in body order: the members a newer server
    /// added. Found by comparing the body with the output serialized back;
    /// members whose value is `null` are not reported (an absent optional
    /// field serializes to nothing), nor are scalars spelled differently
    /// (a lenient field's `"40"` read as `40`). Outside the output (the
    /// Zilliz envelope) nothing is reported.
    pub fn extra_members(&self) -> Result<Vec<(String, Value)>, serde_json::Error>
    where
        T: serde::Serialize,
    {
        extra_members_at(self.output_at, &self.body, &self.output)
    }
}

/// Every member of a success `body` that `output` (parsed from it by
/// operation `info`) does not carry, as (JSON pointer, value) pairs in body
/// order: see [`WithRaw::extra_members`]. For a body kept elsewhere, such as
/// the client's `send_with_metadata` response.
pub fn extra_members<T: serde::Serialize>(
    info: &OperationInfo,
    body: &[u8],
    output: &T,
) -> Result<Vec<(String, Value)>, serde_json::Error> {
    let at = match info.service.success_envelope {
        SuccessEnvelope::Plain => "",
        SuccessEnvelope::Zilliz => "/data",
    };
    extra_members_at(at, body, output)
}

fn extra_members_at<T: serde::Serialize>(
    at: &'static str,
    body: &[u8],
    output: &T,
) -> Result<Vec<(String, Value)>, serde_json::Error> {
    let body: Value = serde_json::from_slice(body)?;
    let typed = serde_json::to_value(output)?;
    let mut out = Vec::new();
    if let Some(raw) = body.pointer(at) {
        extra(raw, &typed, &mut String::from(at), &mut out);
    }
    Ok(out)
}

impl<T> std::ops::Deref for WithRaw<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.output
    }
}

/// Escape one JSON pointer reference token (RFC 6901).
fn push_token(path: &mut String, token: &str) {
    path.push('/');
    for c in token.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

fn extra(raw: &Value, typed: &Value, path: &mut String, out: &mut Vec<(String, Value)>) {
    match (raw, typed) {
        (Value::Object(r), Value::Object(t)) => {
            for (key, value) in r {
                let len = path.len();
                push_token(path, key);
                match t.get(key) {
                    Some(tv) => extra(value, tv, path, out),
                    None if value.is_null() => {}
                    None => out.push((path.clone(), value.clone())),
                }
                path.truncate(len);
            }
        }
        (Value::Array(r), Value::Array(t)) => {
            for (i, (rv, tv)) in r.iter().zip(t).enumerate() {
                let len = path.len();
                push_token(path, &i.to_string());
                extra(rv, tv, path, out);
                path.truncate(len);
            }
        }
        // Scalars, or a shape the output models differently (a lenient
        // scalar, a `json` field): nothing is missing.
        _ => {}
    }
}

/// Code, message and request id from a vendor's error envelope.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ErrorFields {
    /// The error code.
    pub code: Option<String>,
    /// The message.
    pub message: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Read the error envelope of `kind` from a JSON body, at the members
/// [`ErrorEnvelope::fields`] names.
pub fn error_fields(kind: ErrorEnvelope, body: &Value) -> ErrorFields {
    let at = |member: Option<&str>| member.and_then(|m| text(body.get(m)));
    let fields = kind.fields();
    if let Some(nested) = fields.nested {
        match body.get(nested.member) {
            Some(inner @ Value::Object(_)) => {
                return ErrorFields {
                    code: text(inner.get(nested.code)),
                    message: text(inner.get(nested.message)),
                    request_id: at(fields.request_id),
                }
            }
            Some(Value::String(s)) if nested.string_is_message => {
                return ErrorFields {
                    code: Some(nested.member.to_owned()),
                    message: Some(s.clone()),
                    request_id: at(fields.request_id),
                }
            }
            _ => {}
        }
    }
    ErrorFields {
        code: at(fields.code),
        message: at(fields.message),
        request_id: at(fields.request_id),
    }
}

/// Request id headers the vendors send.
const REQUEST_ID_HEADERS: &[&str] = &["x-acs-request-id", "x-request-id", "x-opaque-id"];

/// The vendor's request id from the response headers, if one is there.
pub fn request_id_header(headers: &http::HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()).map(str::to_owned))
}

/// Turn an error response into a typed error.
pub fn error_response<C: ErrorCode, B: AsRef<[u8]>>(
    info: &OperationInfo,
    response: &http::Response<B>,
) -> ResponseError<C> {
    let status = response.status().as_u16();
    let body = response.body().as_ref();
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let fields = parsed
        .as_ref()
        .map(|v| error_fields(info.service.error_envelope, v))
        .unwrap_or_default();
    let header_id = request_id_header(response.headers());
    match fields.code {
        Some(raw_code) => ResponseError::Service(ServiceError {
            operation: info.name,
            status,
            code: C::from_code(&raw_code),
            raw_code,
            message: fields.message,
            request_id: fields.request_id.or(header_id),
            body: String::from_utf8_lossy(body).into_owned(),
        }),
        None => ResponseError::UnexpectedStatus {
            operation: info.name,
            status,
            body_start: quote_start(body),
        },
    }
}

fn quote_start(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(QUOTE_LIMIT)]).into_owned();
    if body.len() > QUOTE_LIMIT {
        format!("{text}...")
    } else if text.is_empty() {
        "(empty body)".to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    //! The success paths skip path tracking (and, for Zilliz, the second
    //! pass); these check that every failure still takes the careful path.

    use super::*;
    use crate::{Protocol, ServiceInfo};

    #[derive(Debug, PartialEq)]
    struct Code(String);

    impl std::fmt::Display for Code {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl ErrorCode for Code {
        fn from_code(code: &str) -> Self {
            Code(code.to_owned())
        }
        fn as_str(&self) -> &str {
            &self.0
        }
        fn documented_status(&self) -> Option<u16> {
            None
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Out {
        items: Vec<Item>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        size: i64,
    }

    fn info(envelope: SuccessEnvelope) -> OperationInfo {
        static PLAIN: ServiceInfo = service(SuccessEnvelope::Plain, ErrorEnvelope::Huawei);
        static ZILLIZ: ServiceInfo = service(SuccessEnvelope::Zilliz, ErrorEnvelope::Zilliz);
        const fn service(success_envelope: SuccessEnvelope, error_envelope: ErrorEnvelope) -> ServiceInfo {
            ServiceInfo {
                id: "t",
                vendor: "v",
                title: "T",
                source: "s",
                protocol: Protocol::RestJson,
                api_version: None,
                endpoints: &[],
                auth: &[],
                error_envelope,
                success_envelope,
            }
        }
        let service = match envelope {
            SuccessEnvelope::Zilliz => &ZILLIZ,
            SuccessEnvelope::Plain => &PLAIN,
        };
        OperationInfo {
            service,
            name: "Op",
            method: "GET",
            path: "/",
            action: "Op",
            success_status: 200,
            idempotent: true,
        }
    }

    #[allow(clippy::result_large_err)] // the signature of parse_json, under test
    fn parse(envelope: SuccessEnvelope, body: &str) -> Result<Out, ResponseError<Code>> {
        let info = info(envelope);
        let response = http::Response::builder().status(200).body(body.as_bytes()).unwrap();
        parse_json(&info, &response)
    }

    #[test]
    fn plain_success_and_located_decode_errors() {
        let ok = parse(SuccessEnvelope::Plain, r#"{"items":[{"size":1}]}"#).unwrap();
        assert_eq!(
            ok,
            Out {
                items: vec![Item { size: 1 }]
            }
        );
        match parse(SuccessEnvelope::Plain, r#"{"items":[{"size":"x"}]}"#) {
            Err(ResponseError::Decode { path, .. }) => assert_eq!(path, "items[0].size"),
            other => panic!("{other:?}"),
        }
        match parse(SuccessEnvelope::Plain, r#"{"items":[]} x"#) {
            Err(ResponseError::Decode { message, .. }) => assert!(message.starts_with("trailing data"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn zilliz_envelope_success_errors_and_paths() {
        let ok = parse(SuccessEnvelope::Zilliz, r#"{"code":0,"data":{"items":[{"size":2}]}}"#).unwrap();
        assert_eq!(
            ok,
            Out {
                items: vec![Item { size: 2 }]
            }
        );
        // An error reported with HTTP 200 and a non-zero code.
        match parse(
            SuccessEnvelope::Zilliz,
            r#"{"code":80001,"message":"bad token","data":{"items":[]}}"#,
        ) {
            Err(ResponseError::Service(e)) => assert_eq!(
                (e.raw_code.as_str(), e.message.as_deref()),
                ("80001", Some("bad token"))
            ),
            other => panic!("{other:?}"),
        }
        match parse(SuccessEnvelope::Zilliz, r#"{"code":0,"data":{"items":[{"size":"x"}]}}"#) {
            Err(ResponseError::Decode { path, .. }) => assert_eq!(path, "data.items[0].size"),
            other => panic!("{other:?}"),
        }
        match parse(SuccessEnvelope::Zilliz, r#"{"code":0}"#) {
            Err(ResponseError::Decode { path, .. }) => assert_eq!(path, "data"),
            other => panic!("{other:?}"),
        }
    }
}
