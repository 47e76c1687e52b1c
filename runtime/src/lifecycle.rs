//! Snapshot lifecycle, operation layer: the normalized [`State`] of a
//! snapshot or backup, the cross-cloud [`SnapshotSummary`], and the
//! declarations ([`ResourceDecl`]) the generator emits from a spec's
//! `resources:` section.
//!
//! A declaration says, per view (the operation that describes one resource,
//! the one that lists them, the one that creates one), where in the
//! operation's output the items are and where each item keeps its id, name,
//! state, creation time, size, progress and expiry, as JSON paths in the
//! wire form of the output (Alibaba list wrappers included), and how each
//! documented state value maps to a [`State`]. Everything here reads a
//! serialized output (`serde_json::Value`), so one implementation serves
//! every service; the paths were checked against the spec's types when the
//! code was generated.
//!
//! The waiting engine is `cloudsnap::client::waiter` (feature `client`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The normalized state of a snapshot or backup, the same across vendors.
/// The vendor's own value is kept beside it ([`SnapshotSummary::raw_state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Being created (or waiting to be): not usable yet.
    Creating,
    /// Complete and usable (restore, share, create disks from it).
    Available,
    /// Creation failed, or the snapshot is unusable (ECS `failed`, CBR
    /// `error`, Elasticsearch `FAILED`/`PARTIAL`).
    Failed,
    /// Being deleted (or waiting to be).
    Deleting,
    /// Data is being restored from it.
    Restoring,
    /// A value the spec does not map (a new server state): see the raw
    /// value.
    Unknown,
}

impl State {
    /// Every state, in declaration order.
    pub const ALL: [State; 6] = [
        State::Creating,
        State::Available,
        State::Failed,
        State::Deleting,
        State::Restoring,
        State::Unknown,
    ];

    /// The snake_case name (`available`), as in specs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Creating => "creating",
            State::Available => "available",
            State::Failed => "failed",
            State::Deleting => "deleting",
            State::Restoring => "restoring",
            State::Unknown => "unknown",
        }
    }

    /// Whether a resource observed in this state can no longer reach
    /// `target`: a failed one (unless failure is the target), and one being
    /// deleted (unless deletion is the target).
    pub fn rules_out(self, target: State) -> bool {
        self != target && matches!(self, State::Failed | State::Deleting)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so table columns (`{:<10}`) line up.
        f.pad(self.as_str())
    }
}

/// A name that is not a [`State`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a state; expected one of creating, available, failed, deleting, restoring, unknown")]
pub struct UnknownState(pub String);

impl FromStr for State {
    type Err = UnknownState;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownState(s.to_owned()))
    }
}

/// The unit a size field is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SizeUnit {
    /// Bytes.
    #[serde(rename = "bytes")]
    Bytes,
    /// 1024 bytes.
    KiB,
    /// 1024² bytes.
    MiB,
    /// 1024³ bytes (Huawei's "GB" of disk sizes).
    GiB,
}

impl SizeUnit {
    /// Bytes per unit.
    pub fn bytes(self) -> u64 {
        match self {
            SizeUnit::Bytes => 1,
            SizeUnit::KiB => 1 << 10,
            SizeUnit::MiB => 1 << 20,
            SizeUnit::GiB => 1 << 30,
        }
    }
}

/// A JSON path into an output, as wire member names (list wrappers
/// included): `["Snapshots", "Snapshot"]`.
pub type Path = &'static [&'static str];

/// Where a view finds one field: the first of the alternative paths that
/// holds a value wins (Elasticsearch 6 and 7 keep sizes in different
/// places).
pub type Paths = &'static [Path];

/// A literal a field acceptor compares with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(i64),
}

impl Literal {
    /// Whether a JSON value equals the literal (a number sent as a string,
    /// and `"true"`, count as equal, as lenient fields read them).
    pub fn matches(&self, v: &Value) -> bool {
        match (self, v) {
            (Literal::Bool(b), Value::Bool(x)) => b == x,
            (Literal::Bool(b), Value::String(s)) => s.trim().parse::<bool>().ok() == Some(*b),
            (Literal::Str(s), Value::String(x)) => s == x,
            (Literal::Int(i), Value::Number(n)) => n.as_i64() == Some(*i),
            (Literal::Int(i), Value::String(s)) => s.trim().parse::<i64>().ok() == Some(*i),
            _ => false,
        }
    }

    /// The literal as JSON.
    pub fn to_value(&self) -> Value {
        match self {
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Str(s) => Value::String((*s).to_owned()),
            Literal::Int(i) => Value::from(*i),
        }
    }
}

/// A field comparison that overrides the state from the state field: when
/// the mapped state is `if_state` (any, if `None`) and the field at `field`
/// equals `equals`, the state is `state`. Alibaba ECS: a snapshot is
/// available only when `Status` is `accomplished` *and* `Available` is true.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldAcceptor {
    /// Path from the item.
    pub field: Path,
    /// The value that triggers the acceptor.
    pub equals: Literal,
    /// Only when the state field maps to this state.
    pub if_state: Option<State>,
    /// The state the item is then in.
    pub state: State,
}

/// What an error code means for a waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorMeaning {
    /// The resource is not there yet (eventual consistency right after
    /// creation): keep waiting, as for an absent item.
    Pending,
    /// The resource is gone: stop with `WaitError::NotFound`.
    Gone,
}

/// An error code of a view's operation with a meaning for waiters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorAcceptor {
    /// The code as sent on the wire.
    pub code: &'static str,
    /// What it means.
    pub means: ErrorMeaning,
}

/// Where an item keeps each summarized field (paths from the item).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldPaths {
    /// The id the resource is addressed by.
    pub id: Paths,
    /// Display name.
    pub name: Paths,
    /// The state field.
    pub state: Paths,
    /// Creation time (a timestamp string or epoch milliseconds).
    pub created_at: Paths,
    /// Size, counted in `size_unit`.
    pub size: Paths,
    /// Unit of `size`.
    pub size_unit: SizeUnit,
    /// Progress in percent (`40`, `"40%"`).
    pub progress: Paths,
    /// When the resource expires (is deleted automatically).
    pub expires_at: Paths,
}

/// What an operation says about a resource: its items and their fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewDecl {
    /// Operation id.
    pub operation: &'static str,
    /// Wire name of the request parameter that carries the id (describe
    /// views), and whether it is a list (ECS `SnapshotIds`, JSON text of
    /// an array).
    pub id_param: Option<(&'static str, bool)>,
    /// Path from the output to the items: an array (`Snapshots`) when
    /// `items_is_list`, else one object (`backup`); empty: the output is
    /// the item.
    pub items: Path,
    /// Whether `items` leads to an array.
    pub items_is_list: bool,
    /// Field paths from an item.
    pub fields: FieldPaths,
    /// Documented state values and their normalized states.
    pub states: &'static [(&'static str, State)],
    /// Whether state values are matched ignoring ASCII case.
    pub states_case_insensitive: bool,
    /// Field comparisons, applied in order after the state mapping.
    pub acceptors: &'static [FieldAcceptor],
    /// Error codes with a meaning for waiters.
    pub errors: &'static [ErrorAcceptor],
}

/// A resource a spec declares (a snapshot, a backup) and the operations
/// that show it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResourceDecl {
    /// Vendor module name (`aliyun`).
    pub vendor: &'static str,
    /// Service module name (`ecs`).
    pub service: &'static str,
    /// Resource name, snake_case (`snapshot`).
    pub name: &'static str,
    /// What the resource is.
    pub docs: &'static str,
    /// The operation that describes one resource by id.
    pub describe: Option<ViewDecl>,
    /// Why there is none, when the spec says so (`describe: { none: ... }`).
    pub no_describe: Option<&'static str>,
    /// The operation that lists resources.
    pub list: Option<ViewDecl>,
    /// The operation that creates one (its output shows the new resource).
    pub create: Option<ViewDecl>,
    /// Context parameters the describe and list operations need besides the
    /// id (wire names), for callers that pass parameters by name.
    pub context: &'static [&'static str],
}

impl ResourceDecl {
    /// Summaries of every item in `output` of the view `view`.
    pub fn summaries(&self, view: &ViewDecl, output: &Value) -> Vec<SnapshotSummary> {
        view.items_of(output)
            .into_iter()
            .map(|item| self.summary(view, item))
            .collect()
    }

    /// Summary of one item of `view`.
    pub fn summary(&self, view: &ViewDecl, item: &Value) -> SnapshotSummary {
        let f = &view.fields;
        let raw = lookup(item, f.state).and_then(text);
        let state = view.state_of(item, raw.as_deref());
        SnapshotSummary {
            vendor: self.vendor,
            service: self.service,
            kind: self.name,
            id: lookup(item, f.id).and_then(text).unwrap_or_default(),
            name: lookup(item, f.name).and_then(text),
            state,
            raw_state: raw,
            created_at: lookup(item, f.created_at).and_then(time_text),
            size_bytes: lookup(item, f.size)
                .and_then(number)
                .filter(|n| *n >= 0.0)
                .map(|n| (n * f.size_unit.bytes() as f64).round() as u64),
            progress: lookup(item, f.progress).and_then(number),
            expires_at: lookup(item, f.expires_at).and_then(time_text),
        }
    }

    /// What `output` of the describe-style view says about the resource
    /// `id`: its summary, or that it is absent (an empty listing, or no
    /// item with that id).
    pub fn observe(&self, view: &ViewDecl, output: &Value, id: Option<&str>) -> Option<SnapshotSummary> {
        let items = view.items_of(output);
        let item = match id {
            Some(id) if view.items_is_list => items
                .into_iter()
                .find(|item| lookup(item, view.fields.id).and_then(text).as_deref() == Some(id))?,
            _ => items.into_iter().next()?,
        };
        Some(self.summary(view, item))
    }
}

impl ViewDecl {
    /// The items of an output: the array at `items`, the object there, or
    /// the output itself.
    pub fn items_of<'v>(&self, output: &'v Value) -> Vec<&'v Value> {
        match walk(output, self.items) {
            Some(Value::Array(items)) if self.items_is_list => items.iter().collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(_) if self.items_is_list => Vec::new(),
            Some(one) => vec![one],
        }
    }

    /// The normalized state of an item whose state field holds `raw`.
    pub fn state_of(&self, item: &Value, raw: Option<&str>) -> State {
        let mut state = match raw {
            None => State::Unknown,
            Some(raw) => self
                .states
                .iter()
                .find(|(v, _)| {
                    if self.states_case_insensitive {
                        v.eq_ignore_ascii_case(raw)
                    } else {
                        *v == raw
                    }
                })
                .map_or(State::Unknown, |(_, s)| *s),
        };
        for a in self.acceptors {
            if a.if_state.is_none_or(|s| s == state) && walk(item, a.field).is_some_and(|v| a.equals.matches(v)) {
                state = a.state;
            }
        }
        state
    }

    /// The first raw value mapped to `state` (what a mock serves for it).
    pub fn raw_for(&self, state: State) -> Option<&'static str> {
        self.states.iter().find(|(_, s)| *s == state).map(|(v, _)| *v)
    }

    /// The meaning of an error code, if the view declares one.
    pub fn error_meaning(&self, code: &str) -> Option<ErrorMeaning> {
        self.errors.iter().find(|e| e.code == code).map(|e| e.means)
    }

    /// The id a describe request addresses: the id parameter of the
    /// serialized request (the first one, for a list).
    pub fn requested_id(&self, request: &Value) -> Option<String> {
        let (param, _) = self.id_param?;
        let v = request.get(param)?;
        match v {
            Value::Array(ids) => ids.first().and_then(text),
            // JSON text of a list, as ECS sends `SnapshotIds`.
            Value::String(s) if s.trim_start().starts_with('[') => serde_json::from_str::<Vec<String>>(s)
                .ok()
                .and_then(|ids| ids.into_iter().next()),
            other => text(other),
        }
    }
}

/// One snapshot or backup of any service, normalized: what a cross-cloud
/// table shows. Built from a describe, list or create output by
/// [`Summarize::summaries`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotSummary {
    /// Vendor module name (`aliyun`, `huawei`, `zilliz`).
    pub vendor: &'static str,
    /// Service module name (`ecs`, `cbr`, `css`, `elasticsearch`, `cloud`).
    pub service: &'static str,
    /// Resource kind as the spec names it (`snapshot`, `backup`).
    pub kind: &'static str,
    /// The id the service addresses it by (empty if the output has none).
    pub id: String,
    /// Display name, where the service has one.
    pub name: Option<String>,
    /// Normalized state.
    pub state: State,
    /// The state as the service sent it.
    pub raw_state: Option<String>,
    /// Creation time, RFC 3339 in UTC when it could be read, else as sent.
    pub created_at: Option<String>,
    /// Size in bytes.
    pub size_bytes: Option<u64>,
    /// Progress in percent.
    pub progress: Option<f64>,
    /// When it expires, RFC 3339 in UTC when it could be read, else as sent.
    pub expires_at: Option<String>,
}

/// An output that shows snapshots or backups: implemented by the generated
/// output type of every operation a resource declaration names.
pub trait Summarize {
    /// The normalized summaries of the resources in this output.
    fn summaries(&self) -> Vec<SnapshotSummary>;
}

/// [`ResourceDecl::summaries`] of a typed output (serialized to its wire
/// form first), for generated [`Summarize`] impls.
pub fn summarize<T: Serialize>(resource: &ResourceDecl, view: &ViewDecl, output: &T) -> Vec<SnapshotSummary> {
    match serde_json::to_value(output) {
        Ok(v) => resource.summaries(view, &v),
        // Generated outputs serialize into JSON; nothing to show otherwise.
        Err(_) => Vec::new(),
    }
}

/// The first of `paths` that leads to a non-null value in `item`.
pub fn lookup(item: &Value, paths: Paths) -> Option<&Value> {
    paths.iter().find_map(|p| walk(item, p).filter(|v| !v.is_null()))
}

/// Follow a path of member names.
pub fn walk(v: &Value, path: Path) -> Option<&Value> {
    path.iter().try_fold(v, |v, key| v.get(key))
}

/// Mutable [`walk`].
pub fn walk_mut(v: &mut Value, path: Path) -> Option<&mut Value> {
    path.iter().try_fold(v, |v, key| v.get_mut(key))
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number, or a string holding one, with an optional `%` (ECS
/// `Progress: "100%"`).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse().ok(),
        _ => None,
    }
}

/// A timestamp normalized to RFC 3339 UTC, or the text as sent.
fn time_text(v: &Value) -> Option<String> {
    let raw = text(v)?;
    if raw.is_empty() || raw == "0" {
        return None;
    }
    let normalized = crate::tolerant::timestamp(&raw).ok().and_then(|t| {
        t.to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .ok()
    });
    Some(normalized.unwrap_or(raw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FIELDS: FieldPaths = FieldPaths {
        id: &[&["id"]],
        name: &[&["name"]],
        state: &[&["status"]],
        created_at: &[&["created"]],
        size: &[&["size"], &["stats", "size"]],
        size_unit: SizeUnit::GiB,
        progress: &[&["progress"]],
        expires_at: &[],
    };
    const VIEW: ViewDecl = ViewDecl {
        operation: "List",
        id_param: Some(("ids", true)),
        items: &["items", "item"],
        items_is_list: true,
        fields: FIELDS,
        states: &[
            ("busy", State::Creating),
            ("done", State::Available),
            ("bad", State::Failed),
        ],
        states_case_insensitive: false,
        acceptors: &[FieldAcceptor {
            field: &["usable"],
            equals: Literal::Bool(false),
            if_state: Some(State::Available),
            state: State::Creating,
        }],
        errors: &[ErrorAcceptor {
            code: "Gone",
            means: ErrorMeaning::Gone,
        }],
    };
    const RES: ResourceDecl = ResourceDecl {
        vendor: "v",
        service: "s",
        name: "snapshot",
        docs: "",
        describe: Some(VIEW),
        no_describe: None,
        list: None,
        create: None,
        context: &[],
    };

    #[test]
    fn maps_states_keeps_raw_values_and_applies_acceptors() {
        let out = json!({"items": {"item": [
            {"id": "a", "status": "done", "usable": true, "size": "2", "progress": "50%", "created": 1530148959609u64},
            {"id": "b", "status": "done", "usable": false, "stats": {"size": 1}},
            {"id": "c", "status": "MIGRATING"},
        ]}});
        let s = RES.summaries(&VIEW, &out);
        assert_eq!(s.len(), 3);
        assert_eq!(
            (s[0].state, s[0].size_bytes, s[0].progress),
            (State::Available, Some(2 << 30), Some(50.0))
        );
        assert_eq!(s[0].created_at.as_deref(), Some("2018-06-28T01:22:39.609Z"));
        assert_eq!((s[1].state, s[1].raw_state.as_deref()), (State::Creating, Some("done")));
        assert_eq!(s[1].size_bytes, Some(1 << 30));
        assert_eq!(
            (s[2].state, s[2].raw_state.as_deref()),
            (State::Unknown, Some("MIGRATING"))
        );
    }

    #[test]
    fn observes_by_id_and_reads_ids_from_requests() {
        let out = json!({"items": {"item": [{"id": "a", "status": "busy"}, {"id": "b", "status": "bad"}]}});
        assert_eq!(
            RES.observe(&VIEW, &out, Some("b")).map(|s| s.state),
            Some(State::Failed)
        );
        assert!(RES.observe(&VIEW, &out, Some("z")).is_none());
        assert_eq!(
            VIEW.requested_id(&json!({"ids": "[\"x\",\"y\"]"})).as_deref(),
            Some("x")
        );
        assert_eq!(VIEW.requested_id(&json!({"ids": ["q"]})).as_deref(), Some("q"));
        assert_eq!(VIEW.error_meaning("Gone"), Some(ErrorMeaning::Gone));
        assert_eq!(VIEW.raw_for(State::Failed), Some("bad"));
    }

    #[test]
    fn states_parse_and_rule_out_targets() {
        for s in State::ALL {
            assert_eq!(s.as_str().parse::<State>(), Ok(s));
        }
        assert!("nope".parse::<State>().is_err());
        assert!(State::Failed.rules_out(State::Available));
        assert!(!State::Creating.rules_out(State::Available));
    }
}
