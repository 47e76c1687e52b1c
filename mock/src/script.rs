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
//!
//! **Resource states.** The key `resources` scripts the life of a resource
//! the spec declares (`resources:` in the spec) as a sequence of states its
//! describe operation reports, one response per poll:
//!
//! ```yaml
//! resources:
//!   backup:                              # or `zilliz.cloud/backup`
//!     - not_found                        # not there yet
//!     - creating                         # a normalized state ...
//!     - { state: creating, progress: 40, times: 2 }
//!     - MIGRATING                        # ... or a raw value the spec does not map
//!     - available
//! ```
//!
//! Each body is the describe operation's example response with the state
//! field set (a normalized state becomes the first documented value mapped
//! to it; anything else is sent as the raw value), `progress` set where the
//! declaration has a progress field, `id` (optional) set as the item's id,
//! and the fields of acceptors that would contradict the scripted state
//! flipped (ECS `Available` is made `true` for `available`). A list-shaped
//! describe (ECS) keeps only the first item. `not_found` answers as the
//! service says a resource is missing: the error code the declaration gives
//! a meaning (Elasticsearch `snapshot_missing_exception`), else an empty
//! listing for a list-shaped describe, else a 404 in the vendor's error
//! envelope. `times` and `delay` work as for responses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use cloudsnap_codegen::model::{Model, ViewModel};
use cloudsnap_codegen::spec::SuccessEnvelope;
use cloudsnap_runtime::lifecycle::State;

use crate::duration::parse_duration;
use crate::{MockError, MockResponse};

/// Most repetitions of one step, so a typo cannot queue billions.
const MAX_TIMES: u32 = 100_000;

/// A parsed script: operation selectors and their responses, in file order
/// per operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Script {
    entries: Vec<ScriptEntry>,
    resources: Vec<ResourceScript>,
}

/// A scripted sequence of states of one declared resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceScript {
    /// `vendor.service` when the key named it (`zilliz.cloud/backup`).
    pub service: Option<String>,
    /// The resource name, as the spec's `resources:` declares it.
    pub resource: String,
    /// The states, in order (`times` already expanded).
    pub steps: Vec<StateStep>,
}

/// One scripted poll of a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct StateStep {
    /// `not_found`, a normalized state name (`creating`), or a raw value.
    pub state: String,
    /// Progress in percent, where the declaration has a progress field.
    pub progress: Option<f64>,
    /// The id to put in the item (else the example's).
    pub id: Option<String>,
    /// Hold the answer back this long.
    pub delay: Option<std::time::Duration>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawStateStep {
    Name(String),
    Full(FullStateStep),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullStateStep {
    state: String,
    #[serde(default)]
    progress: Option<f64>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    delay: Option<String>,
    #[serde(default)]
    times: Option<u32>,
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
        let mut all: BTreeMap<String, serde_yaml::Value> = match serde_yaml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                return Err(error(format!(
                    "{e} (expected a mapping from operation ids to lists of responses)"
                )))
            }
        };
        let resources = match all.remove("resources") {
            Some(v) => parse_resources(v).map_err(error)?,
            None => Vec::new(),
        };
        let raw: BTreeMap<String, Vec<Step>> = match serde_yaml::from_value(serde_yaml::Value::Mapping(
            all.into_iter()
                .map(|(k, v)| (serde_yaml::Value::String(k), v))
                .collect(),
        )) {
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
        Ok(Script { entries, resources })
    }

    /// The entries, by key.
    pub fn entries(&self) -> &[ScriptEntry] {
        &self.entries
    }

    /// The resource state sequences, by key (`MockServer::apply_script`
    /// numbers them after [`Script::entries`]).
    pub fn resources(&self) -> &[ResourceScript] {
        &self.resources
    }

    /// A script of one resource's states (for tests: `["creating",
    /// "available"]`).
    pub fn states(resource: &str, states: &[&str]) -> Script {
        Script {
            entries: Vec::new(),
            resources: vec![ResourceScript {
                service: None,
                resource: resource.to_owned(),
                steps: states
                    .iter()
                    .map(|s| StateStep {
                        state: (*s).to_owned(),
                        progress: None,
                        id: None,
                        delay: None,
                    })
                    .collect(),
            }],
        }
    }
}

fn parse_resources(v: serde_yaml::Value) -> Result<Vec<ResourceScript>, String> {
    let raw: BTreeMap<String, Vec<RawStateStep>> = serde_yaml::from_value(v).map_err(|e| {
        format!("resources: {e} (expected resource names mapping to lists of states, `creating` or `{{ state: creating, progress: 40 }}`)")
    })?;
    let mut out = Vec::new();
    for (key, steps) in raw {
        let (service, resource) = match key.split_once('/') {
            Some((service, resource)) => (Some(service.to_owned()), resource.to_owned()),
            None => (None, key.clone()),
        };
        if resource.is_empty() {
            return Err(format!("resources: `{key}` names no resource"));
        }
        let mut expanded = Vec::new();
        for (i, step) in steps.into_iter().enumerate() {
            let at = format!("resources.{key}[{i}]");
            let full = match step {
                RawStateStep::Name(state) => FullStateStep {
                    state,
                    progress: None,
                    id: None,
                    delay: None,
                    times: None,
                },
                RawStateStep::Full(full) => full,
            };
            if full.state.trim().is_empty() {
                return Err(format!("{at}: empty state"));
            }
            let delay = match &full.delay {
                Some(d) => Some(parse_duration(d).map_err(|e| format!("{at}.delay: {e}"))?),
                None => None,
            };
            let times = full.times.unwrap_or(1);
            if times == 0 || times > MAX_TIMES {
                return Err(format!("{at}.times: {times} is not between 1 and {MAX_TIMES}"));
            }
            let step = StateStep {
                state: full.state,
                progress: full.progress,
                id: full.id,
                delay,
            };
            expanded.extend(std::iter::repeat_n(step, times as usize));
        }
        out.push(ResourceScript {
            service,
            resource,
            steps: expanded,
        });
    }
    Ok(out)
}

/// The responses of a resource's scripted states: the describe
/// operation's example with the state (progress, id) patched in. Returns
/// the operation id and the responses.
pub(crate) fn state_responses(
    model: &Model,
    script: &ResourceScript,
) -> Result<(String, Vec<MockResponse>), MockError> {
    let error = |message: String| MockError::Script { path: None, message };
    let key = &script.resource;
    let Some(resource) = model.resources.iter().find(|r| r.name == *key) else {
        let known: Vec<&str> = model.resources.iter().map(|r| r.name.as_str()).collect();
        return Err(error(format!(
            "resources.{key}: the spec declares no resource `{key}` (it declares: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    };
    let Some(view) = &resource.describe else {
        return Err(error(format!(
            "resources.{key}: `{key}` has no describe operation to script{}",
            resource
                .no_describe
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        )));
    };
    let op = &model.operations[view.op];
    let envelope = model.service.success_envelope;
    let example = op
        .examples
        .iter()
        .filter_map(|e| e.response.as_ref())
        .find(|r| (200..300).contains(&r.status))
        .ok_or_else(|| {
            error(format!(
                "resources.{key}: `{}` has no example success response to patch",
                op.id
            ))
        })?;
    let base: Value = serde_json::from_str(&example.body)
        .map_err(|e| error(format!("resources.{key}: the example of `{}` is not JSON: {e}", op.id)))?;
    let mut responses = Vec::new();
    for (i, step) in script.steps.iter().enumerate() {
        let at = format!("resources.{key}[{i}]");
        let mut response = if step.state == "not_found" {
            not_found(model, view, envelope, &base, example.status)
        } else {
            let mut body = base.clone();
            let root = match envelope {
                SuccessEnvelope::Zilliz => body.get_mut("data"),
                SuccessEnvelope::Plain => Some(&mut body),
            }
            .ok_or_else(|| error(format!("{at}: the example of `{}` has no output", op.id)))?;
            let item = first_item(view, root)
                .ok_or_else(|| error(format!("{at}: the example of `{}` has no item to patch", op.id)))?;
            let (raw, normal) = match step.state.parse::<State>() {
                Ok(state) => {
                    let raw = view
                        .states
                        .iter()
                        .find(|(_, s)| *s == state)
                        .map(|(v, _)| v.clone())
                        .ok_or_else(|| {
                            error(format!(
                                "{at}: no documented value of `{}` maps to `{state}`; give a raw value instead",
                                op.id
                            ))
                        })?;
                    (raw, Some(state))
                }
                Err(_) => (step.state.clone(), None),
            };
            set(item, &view.state[0], Value::String(raw));
            if let (Some(p), Some(path)) = (step.progress, view.progress.first()) {
                let value = match lookup(item, path) {
                    Some(Value::String(old)) if old.contains('%') => Value::String(format!("{p}%")),
                    Some(Value::String(_)) => Value::String(p.to_string()),
                    // An integer field (CBR `extend_info.progress`) needs an
                    // integer: a float would not parse as its type, while an
                    // integer parses as a float field too.
                    Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Value::from(p.round() as i64),
                    _ if p.fract() == 0.0 && p.abs() < i64::MAX as f64 => Value::from(p as i64),
                    _ => serde_json::Number::from_f64(p).map_or(Value::Null, Value::Number),
                };
                set(item, path, value);
            }
            if let Some(id) = &step.id {
                set(item, &view.id[0], Value::String(id.clone()));
            }
            // Make the acceptors agree with the scripted state.
            for (field, equals, if_state, _) in &view.field_acceptors {
                if normal.is_some() && *if_state == normal && lookup(item, field) == Some(equals) {
                    match equals {
                        Value::Bool(b) => set(item, field, Value::Bool(!b)),
                        _ => remove(item, field),
                    }
                }
            }
            MockResponse::json(example.status, &body)
        };
        if let Some(d) = step.delay {
            response = response.with_delay(d);
        }
        responses.push(response);
    }
    Ok((op.id.clone(), responses))
}

/// The answer for a resource that does not exist.
fn not_found(model: &Model, view: &ViewModel, envelope: SuccessEnvelope, base: &Value, status: u16) -> MockResponse {
    let op = &model.operations[view.op];
    if let Some(e) = view
        .error_acceptors
        .first()
        .and_then(|(code, _)| op.errors.iter().find(|e| e.code == *code))
    {
        let (status, body) =
            crate::envelope::coded(model.service.error_envelope, e.status, &e.code, "scripted: not found");
        return MockResponse::json(status, &body);
    }
    if view.items_is_list {
        let mut body = base.clone();
        let root = match envelope {
            SuccessEnvelope::Zilliz => body.get_mut("data"),
            SuccessEnvelope::Plain => Some(&mut body),
        };
        if let Some(list) = root.and_then(|r| walk_mut(r, &view.items)) {
            *list = Value::Array(Vec::new());
        }
        return MockResponse::json(status, &body);
    }
    let (status, body) = crate::envelope::coded(
        model.service.error_envelope,
        404,
        "ResourceNotFound",
        "scripted: not found",
    );
    MockResponse::json(status, &body)
}

fn first_item<'v>(view: &ViewModel, root: &'v mut Value) -> Option<&'v mut Value> {
    let at = walk_mut(root, &view.items)?;
    if view.items_is_list {
        let list = at.as_array_mut()?;
        list.truncate(1);
        list.first_mut()
    } else {
        Some(at)
    }
}

fn walk_mut<'v>(v: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |v, k| v.get_mut(k))
}

fn lookup<'v>(v: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

/// Set the value at `path`, creating objects on the way.
fn set(v: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = v;
    for k in parents {
        if !at.get(k).is_some_and(Value::is_object) {
            if let Some(obj) = at.as_object_mut() {
                obj.insert(k.clone(), Value::Object(Default::default()));
            }
        }
        match at.get_mut(k) {
            Some(next) => at = next,
            None => return,
        }
    }
    if let Some(obj) = at.as_object_mut() {
        obj.insert(last.clone(), value);
    }
}

fn remove(v: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    if let Some(obj) = walk_mut(v, parents).and_then(Value::as_object_mut) {
        obj.remove(last);
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

    #[test]
    fn resource_states_parse_beside_operations() {
        let script = Script::parse(
            "resources:\n  zilliz.cloud/backup: [not_found, { state: creating, progress: 40, times: 2, delay: 10ms }, available]\nListBackups: [{ status: 204 }]\n",
        )
        .expect("parses");
        assert_eq!(script.entries().len(), 1);
        let r = &script.resources()[0];
        assert_eq!(
            (r.service.as_deref(), r.resource.as_str()),
            (Some("zilliz.cloud"), "backup")
        );
        let states: Vec<&str> = r.steps.iter().map(|s| s.state.as_str()).collect();
        assert_eq!(states, ["not_found", "creating", "creating", "available"]);
        assert_eq!(r.steps[1].progress, Some(40.0));
        assert_eq!(r.steps[2].delay, Some(Duration::from_millis(10)));
        for (text, says) in [
            (
                "resources: { backup: [{ state: creating, times: 0 }] }",
                "resources.backup[0].times",
            ),
            ("resources: { backup: [{ stat: creating }] }", "resources:"),
            ("resources: { 'zilliz.cloud/': [creating] }", "names no resource"),
            ("resources: { backup: [''] }", "empty state"),
        ] {
            let message = Script::parse(text).expect_err(text).to_string();
            assert!(message.contains(says), "{text}: {message}");
        }
    }
}
