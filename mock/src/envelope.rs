//! What a failed check looks like on the wire: each vendor's own error
//! envelope, with a status and code per kind of problem.
//!
//! | kind | Alibaba Cloud | Huawei Cloud | Zilliz Cloud | Elasticsearch |
//! | --- | --- | --- | --- | --- |
//! | unknown operation or path | 404 `InvalidAction.NotFound` | 404 `APIGW.0101` | HTTP 404, code 404 | 400 `illegal_argument_exception` |
//! | method not allowed | 405 `UnsupportedHTTPMethod` | 404 `APIGW.0101` | HTTP 405, code 405 | 405 `illegal_argument_exception` |
//! | no, unsupported or incomplete authentication | 403 `IncompleteSignature` | 401 `APIGW.0301` | HTTP 401, code 80001 | 401 `security_exception` |
//! | unknown credential (AccessKey, token, key, user) | 404 `InvalidAccessKeyId.NotFound` | 401 `APIGW.0301` | HTTP 401, code 80001 | 401 `security_exception` |
//! | stale timestamp (more than 15 minutes off) | 400 `InvalidTimeStamp.Expired` | 401 `APIGW.0301` | - | - |
//! | signature does not match | 403 `SignatureDoesNotMatch` | 401 `APIGW.0301` | - | - |
//! | missing parameter | 400 `MissingParameter` | 400 `MissingParameter` | HTTP 200, code 1100 | 400 `action_request_validation_exception` |
//! | invalid or unknown parameter | 400 `InvalidParameter` | 400 `InvalidParameter` | HTTP 200, code 1100 | 400 `illegal_argument_exception` |
//!
//! The Alibaba codes, Huawei's API gateway codes `APIGW.0101` and
//! `APIGW.0301`, Zilliz's `80001` (invalid token) and Elasticsearch's types
//! are the ones those services send; the Huawei and Zilliz parameter codes
//! are the mock's own choice (the documents list none; 1100 is Milvus'
//! invalid-parameter code). Zilliz reports request errors with HTTP 200 and
//! a non-zero `code`, as its error envelope allows.

use serde_json::{json, Value};

use cloudsnap_runtime::ErrorEnvelope;

/// Kinds of problem, most fundamental first: the first kind found decides
/// the status and code of the answer; the message lists every problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// No operation serves this path (or `Action`).
    UnknownOperation,
    /// The path exists, the method does not.
    MethodNotAllowed,
    /// No authentication, an unsupported scheme, or missing signature parts.
    Unauthenticated,
    /// An AccessKey, token, API key or user the mock does not know.
    InvalidCredential,
    /// The signing time is too far from the server's clock.
    StaleTimestamp,
    /// The recomputed signature differs.
    SignatureMismatch,
    /// A required parameter is absent.
    MissingParameter,
    /// A parameter is malformed, out of range, unknown, or badly encoded.
    InvalidParameter,
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// What kind of failure.
    pub kind: Kind,
    /// Human-readable explanation.
    pub message: String,
}

impl Problem {
    /// A problem of `kind`.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Problem {
            kind,
            message: message.into(),
        }
    }
}

/// An error answer: HTTP status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ErrorAnswer {
    /// HTTP status.
    pub status: u16,
    /// The vendor's error envelope.
    pub body: Value,
}

/// The answer for `problems` (not empty) in `envelope`.
pub(crate) fn answer(envelope: ErrorEnvelope, problems: &[Problem], request_id: &str) -> ErrorAnswer {
    let kind = problems.iter().map(|p| p.kind).min().unwrap_or(Kind::InvalidParameter);
    let message = summary(problems);
    match envelope {
        ErrorEnvelope::Aliyun => {
            let (status, code) = aliyun(kind);
            ErrorAnswer {
                status,
                body: json!({ "RequestId": request_id, "Code": code, "Message": message }),
            }
        }
        ErrorEnvelope::Huawei => {
            let (status, code) = huawei(kind);
            ErrorAnswer {
                status,
                body: json!({ "error_code": code, "error_msg": message, "request_id": request_id }),
            }
        }
        ErrorEnvelope::Zilliz => {
            let (status, code) = zilliz(kind);
            ErrorAnswer {
                status,
                body: json!({ "code": code, "message": message }),
            }
        }
        ErrorEnvelope::Elasticsearch => {
            let (status, kind_name) = elasticsearch(kind);
            let cause = json!({ "type": kind_name, "reason": message });
            ErrorAnswer {
                status,
                body: json!({
                    "error": { "root_cause": [cause], "type": kind_name, "reason": message },
                    "status": status,
                }),
            }
        }
    }
}

/// Every problem, numbered when there are several, so one message explains
/// a whole failed request.
/// An error body with a given code in the vendor's envelope (scripted
/// "not found" answers): the status and the body.
pub(crate) fn coded(envelope: ErrorEnvelope, status: u16, code: &str, message: &str) -> (u16, Value) {
    let request_id = "cloudsnap-mock-scripted";
    match envelope {
        ErrorEnvelope::Aliyun => (
            status,
            json!({ "RequestId": request_id, "Code": code, "Message": message }),
        ),
        ErrorEnvelope::Huawei => (
            status,
            json!({ "error_code": code, "error_msg": message, "request_id": request_id }),
        ),
        ErrorEnvelope::Zilliz => {
            let code = code.parse::<i64>().unwrap_or(i64::from(status));
            (status, json!({ "code": code, "message": message }))
        }
        ErrorEnvelope::Elasticsearch => {
            let cause = json!({ "type": code, "reason": message });
            (
                status,
                json!({ "error": { "root_cause": [cause], "type": code, "reason": message }, "status": status }),
            )
        }
    }
}

fn summary(problems: &[Problem]) -> String {
    match problems {
        [one] => one.message.clone(),
        many => {
            let parts: Vec<String> = many
                .iter()
                .enumerate()
                .map(|(i, p)| format!("({}) {}", i + 1, p.message))
                .collect();
            format!("{} problems: {}", many.len(), parts.join("; "))
        }
    }
}

fn aliyun(kind: Kind) -> (u16, &'static str) {
    match kind {
        Kind::UnknownOperation => (404, "InvalidAction.NotFound"),
        Kind::MethodNotAllowed => (405, "UnsupportedHTTPMethod"),
        Kind::Unauthenticated => (403, "IncompleteSignature"),
        Kind::InvalidCredential => (404, "InvalidAccessKeyId.NotFound"),
        Kind::StaleTimestamp => (400, "InvalidTimeStamp.Expired"),
        Kind::SignatureMismatch => (403, "SignatureDoesNotMatch"),
        Kind::MissingParameter => (400, "MissingParameter"),
        Kind::InvalidParameter => (400, "InvalidParameter"),
    }
}

fn huawei(kind: Kind) -> (u16, &'static str) {
    match kind {
        Kind::UnknownOperation | Kind::MethodNotAllowed => (404, "APIGW.0101"),
        Kind::Unauthenticated | Kind::InvalidCredential | Kind::StaleTimestamp | Kind::SignatureMismatch => {
            (401, "APIGW.0301")
        }
        Kind::MissingParameter => (400, "MissingParameter"),
        Kind::InvalidParameter => (400, "InvalidParameter"),
    }
}

fn zilliz(kind: Kind) -> (u16, i64) {
    match kind {
        Kind::UnknownOperation => (404, 404),
        Kind::MethodNotAllowed => (405, 405),
        Kind::Unauthenticated | Kind::InvalidCredential | Kind::StaleTimestamp | Kind::SignatureMismatch => {
            (401, 80001)
        }
        Kind::MissingParameter | Kind::InvalidParameter => (200, 1100),
    }
}

fn elasticsearch(kind: Kind) -> (u16, &'static str) {
    match kind {
        Kind::UnknownOperation => (400, "illegal_argument_exception"),
        Kind::MethodNotAllowed => (405, "illegal_argument_exception"),
        Kind::Unauthenticated | Kind::InvalidCredential | Kind::StaleTimestamp | Kind::SignatureMismatch => {
            (401, "security_exception")
        }
        Kind::MissingParameter => (400, "action_request_validation_exception"),
        Kind::InvalidParameter => (400, "illegal_argument_exception"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_kind_decides_and_message_lists_all() {
        let problems = [
            Problem::new(Kind::InvalidParameter, "`PageSize` is 500"),
            Problem::new(Kind::MissingParameter, "`RegionId` is required"),
        ];
        let a = answer(ErrorEnvelope::Aliyun, &problems, "r-1");
        assert_eq!(a.status, 400);
        assert_eq!(a.body["Code"], "MissingParameter");
        assert_eq!(a.body["RequestId"], "r-1");
        assert_eq!(
            a.body["Message"],
            "2 problems: (1) `PageSize` is 500; (2) `RegionId` is required"
        );
    }

    #[test]
    fn each_envelope_has_its_shape() {
        let p = [Problem::new(Kind::SignatureMismatch, "bad")];
        let h = answer(ErrorEnvelope::Huawei, &p, "r");
        assert_eq!(
            (h.status, &h.body["error_code"], &h.body["error_msg"]),
            (401, &json!("APIGW.0301"), &json!("bad"))
        );
        let z = answer(ErrorEnvelope::Zilliz, &[Problem::new(Kind::InvalidParameter, "x")], "r");
        assert_eq!((z.status, &z.body["code"]), (200, &json!(1100)));
        let e = answer(ErrorEnvelope::Elasticsearch, &p, "r");
        assert_eq!(
            (e.status, &e.body["error"]["type"], &e.body["status"]),
            (401, &json!("security_exception"), &json!(401))
        );
    }
}
