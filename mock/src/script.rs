//! Scripted responses from a file (`cloudsnap-mock --script FILE`): per
//! operation, a sequence of responses served in order before the examples.
//!
//! The file is YAML or JSON (JSON is read as YAML):
//!
//! ```yaml
//! # Keys are operation ids; `zilliz.cloud/ListBackups` names the service
//! # too, when several specs are served.
//! ListBackups:
//!   - status: 503                        # throttled once ...
//!     headers: { retry-after: "1" }
//!     body: { code: 503, message: try later }
//!   - status: 200                        # ... then an empty listing, twice
//!     body: '{"code":0,"data":{"count":0,"backups":[]}}'
//!     times: 2
//! DescribeBackup:
//!   - body: { code: 0, data: { backupId: b-1, status: CREATING } }
//!     delay: 200ms
//!   - body: { code: 0, data: { backupId: b-1, status: AVAILABLE } }
//! ```
//!
//! A step's `status` defaults to 200, `body` is sent verbatim when it is a
//! string and as JSON (`Content-Type: application/json`) otherwise,
//! `headers` are added in order, `delay` (`250ms`, `2s`) holds the answer
//! back, and `times` repeats the step. Only requests that pass every check
//! consume a step; when an operation's steps run out, its examples answer
//! again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::duration::parse_duration;
use crate::{MockError, MockResponse};

/// Most repetitions of one step, so a typo cannot queue billions.
const MAX_TIMES: u32 = 100_000;

/// A parsed script: operation selectors and their responses, in file order
/// per operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    entries: Vec<ScriptEntry>,
}

/// The responses scripted for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptEntry {
    /// `vendor.service` when the key named it (`zilliz.cloud/ListBackups`).
    pub service: Option<String>,
    /// The operation id.
    pub operation: String,
    /// The responses, in order (`times` already expanded).
    pub responses: Vec<MockResponse>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<serde_json::Value>,
    #[serde(default)]
    delay: Option<String>,
    #[serde(default)]
    times: Option<u32>,
}

impl Script {
    /// Read and parse a script file.
    pub fn load(path: impl AsRef<Path>) -> Result<Script, MockError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| script_error(path, format!("cannot read it: {e}")))?;
        Script::parse(&text).map_err(|e| match e {
            MockError::Script { message, .. } => script_error(path, message),
            other => other,
        })
    }

    /// Parse a script from YAML or JSON text.
    pub fn parse(text: &str) -> Result<Script, MockError> {
        let error = |message: String| MockError::Script { path: None, message };
        let raw: BTreeMap<String, Vec<Step>> = match serde_yaml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                return Err(error(format!(
                    "{e} (expected a mapping from operation ids to lists of responses)"
                )))
            }
        };
        let mut entries = Vec::new();
        for (key, steps) in raw {
            let (service, operation) = match key.split_once('/') {
                Some((service, operation)) => (Some(service.to_owned()), operation.to_owned()),
                None => (None, key.clone()),
            };
            if operation.is_empty() {
                return Err(error(format!("`{key}` names no operation")));
            }
            let mut responses = Vec::new();
            for (i, step) in steps.into_iter().enumerate() {
                let at = format!("{key}[{i}]");
                let status = step.status.unwrap_or(200);
                if !(100..=599).contains(&status) {
                    return Err(error(format!("{at}: status {status} is not an HTTP status (100-599)")));
                }
                let mut response = match step.body {
                    None => MockResponse::status(status),
                    Some(serde_json::Value::String(text)) => MockResponse::new(status, text),
                    Some(json) => MockResponse::json(status, &json),
                };
                for (name, value) in step.headers {
                    if http::HeaderName::from_bytes(name.as_bytes()).is_err()
                        || http::HeaderValue::from_str(&value).is_err()
                    {
                        return Err(error(format!("{at}: `{name}: {value}` is not a valid header")));
                    }
                    response = response.with_header(name, value);
                }
                if let Some(delay) = step.delay {
                    response =
                        response.with_delay(parse_duration(&delay).map_err(|e| error(format!("{at}.delay: {e}")))?);
                }
                let times = step.times.unwrap_or(1);
                if times == 0 || times > MAX_TIMES {
                    return Err(error(format!("{at}.times: {times} is not between 1 and {MAX_TIMES}")));
                }
                responses.extend(std::iter::repeat_n(response, times as usize));
            }
            entries.push(ScriptEntry {
                service,
                operation,
                responses,
            });
        }
        Ok(Script { entries })
    }

    /// The entries, by key.
    pub fn entries(&self) -> &[ScriptEntry] {
        &self.entries
    }
}

fn script_error(path: &Path, message: String) -> MockError {
    MockError::Script {
        path: Some(PathBuf::from(path)),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn steps_expand_and_mistakes_are_named() {
        let script = Script::parse(
            "zilliz.cloud/ListBackups:\n  - { status: 503, headers: { retry-after: '1' }, body: { code: 503 }, times: 2 }\n  - { body: 'plain', delay: 250ms }\nDescribeBackup: []\n",
        )
        .expect("parses");
        let entries = script.entries();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (entries[0].service.as_deref(), entries[0].operation.as_str()),
            (None, "DescribeBackup")
        );
        let list = &entries[1];
        assert_eq!(list.service.as_deref(), Some("zilliz.cloud"));
        assert_eq!(list.responses.len(), 3);
        assert_eq!(list.responses[0], list.responses[1]);
        assert_eq!(list.responses[0].body, br#"{"code":503}"#);
        assert_eq!(
            list.responses[0].headers,
            [
                ("content-type".to_owned(), "application/json".to_owned()),
                ("retry-after".to_owned(), "1".to_owned())
            ]
        );
        assert_eq!(
            (list.responses[2].status, list.responses[2].body.as_slice()),
            (200, &b"plain"[..])
        );
        assert_eq!(list.responses[2].delay, Some(Duration::from_millis(250)));

        // JSON is YAML too.
        assert_eq!(
            Script::parse(r#"{"ListBackups": [{"status": 204}]}"#)
                .expect("JSON")
                .entries()[0]
                .responses[0]
                .status,
            204
        );

        for (text, says) in [
            ("ListBackups: [{ status: 99 }]", "ListBackups[0]: status 99"),
            ("ListBackups: [{ stauts: 200 }]", "unknown field `stauts`"),
            ("ListBackups: [{ delay: '5' }]", "no unit"),
            ("ListBackups: [{ times: 0 }]", "ListBackups[0].times"),
            ("ListBackups: [{ headers: { 'a b': c } }]", "not a valid header"),
            ("- just a list", "expected a mapping"),
            ("zilliz.cloud/: []", "names no operation"),
        ] {
            let message = Script::parse(text).expect_err(text).to_string();
            assert!(message.contains(says), "{text}: {message}");
        }
    }
}
