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
            // First pass: the code alone; `data` is skipped unread.
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

/// Read the error envelope of `kind` from a JSON body.
pub fn error_fields(kind: ErrorEnvelope, body: &Value) -> ErrorFields {
    match kind {
        ErrorEnvelope::Aliyun => ErrorFields {
            code: text(body.get("Code")),
            message: text(body.get("Message")),
            request_id: text(body.get("RequestId")),
        },
        ErrorEnvelope::Huawei => match body.get("error") {
            Some(inner @ Value::Object(_)) => ErrorFields {
                code: text(inner.get("code")),
                message: text(inner.get("message")),
                request_id: text(body.get("request_id")),
            },
            _ => ErrorFields {
                code: text(body.get("error_code")),
                message: text(body.get("error_msg")),
                request_id: text(body.get("request_id")),
            },
        },
        ErrorEnvelope::Zilliz => ErrorFields {
            code: text(body.get("code")),
            message: text(body.get("message")),
            request_id: text(body.get("requestId")),
        },
        ErrorEnvelope::Elasticsearch => match body.get("error") {
            Some(inner @ Value::Object(_)) => ErrorFields {
                code: text(inner.get("type")),
                message: text(inner.get("reason")),
                request_id: None,
            },
            Some(Value::String(s)) => ErrorFields {
                code: Some("error".to_owned()),
                message: Some(s.clone()),
                request_id: None,
            },
            _ => ErrorFields::default(),
        },
    }
}

/// Request id headers the vendors send.
const REQUEST_ID_HEADERS: &[&str] = &["x-acs-request-id", "x-request-id", "x-opaque-id"];

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
    let header_id = REQUEST_ID_HEADERS.iter().find_map(|h| {
        response
            .headers()
            .get(*h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
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
