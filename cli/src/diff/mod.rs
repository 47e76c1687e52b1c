//! Diff: compare the Rust API that two versions of a spec generate, and
//! classify every change by what it does to code that uses the generated
//! module.
//!
//! The comparison runs on two validated [`Model`]s, not on YAML: what matters
//! downstream is the generated Rust (type and field names after renaming,
//! `Option` or not, enum variants, constructor arguments, setters, output
//! types, error-code variants) and the behaviour of the generated requests.
//!
//! # Severities
//!
//! From least to most severe ([`Severity`]):
//!
//! - `none`: no change to the API or to what goes over the wire
//!   (documentation, examples, errata, spec keys that keep their Rust names).
//! - `compatible`: additions that existing code keeps compiling and working
//!   with (a new operation, type, optional parameter, loosened constraint).
//! - `behavioural`: code keeps compiling but may act differently: requests
//!   that passed client-side validation may now fail (a tightened
//!   constraint), requests travel differently (method, path, wire name,
//!   endpoint, protocol), a documented server default changed.
//! - `breaking`: code that compiled before may stop compiling, or a value's
//!   Rust type changes (semver-major).
//!
//! What counts as breaking depends on the shape of the emitted code
//! (`*Request` and object structs and open enums are `#[non_exhaustive]`,
//! setters of deprecated optional parameters are `#[deprecated]`, fields and
//! variants carry no `#[deprecated]`, the status-code table generates
//! nothing). The rules state those facts where they use them, and the `diff`
//! integration tests (`cli/tests/diff/facts.rs`) check each against freshly
//! generated code. Names and Rust types come from the model's name table
//! ([`Model::rust_type_name`], [`cloudsnap_codegen::model::bare`]), not from
//! copies here.
//!
//! # JSON output (`--format json`)
//!
//! ```json
//! {
//!   "format": "cloudsnap-diff/1",
//!   "specs": [
//!     {
//!       "old": "HEAD~1:specs/zilliz-cloud.yaml",
//!       "new": "specs/zilliz-cloud.yaml",
//!       "service": "zilliz::cloud",
//!       "changes": [
//!         {
//!           "kind": "parameter_added",
//!           "path": "operations.ListBackups.parameters.projectId",
//!           "severity": "breaking",
//!           "reason": "required parameter added (ListBackupsRequest::new gains an argument `project_id`)",
//!           "old": null,
//!           "new": "String"
//!         }
//!       ]
//!     }
//!   ],
//!   "summary": { "breaking": 1, "behavioural": 0, "compatible": 0, "none": 0 },
//!   "highest": "breaking"
//! }
//! ```
//!
//! `kind` is one of the snake_case names of [`Kind`]; `severity` one of
//! `none`, `compatible`, `behavioural`, `breaking`; `old` and `new` are short
//! renderings of the value before and after (`null` where there is none).
//! `path` is the YAML path of the node, with names instead of list indices.
//! `old` or `new` of a spec is `null` when the spec exists on one side only.
//! Fields are only ever added to this format; a change to existing fields
//! changes `format`.

mod cli;
mod members;
mod ops;
mod params;
mod render;
mod service;
mod source;
mod types;

pub use cli::{run, DiffArgs, Format, AFTER_HELP, EXIT_ERROR, EXIT_FOUND, EXIT_OK};
pub use render::{human, json, Summary, FORMAT};
pub use source::Source;

use serde::Serialize;

use cloudsnap_codegen::model::Model;

/// How a change affects code that uses the generated module. Ordered from
/// least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// No API or wire change (documentation, examples, errata).
    None,
    /// An addition existing code keeps compiling and working with.
    Compatible,
    /// Existing code compiles but may act differently at run time.
    #[value(alias = "behavioral")]
    Behavioural,
    /// Existing code may stop compiling (semver-major).
    Breaking,
}

impl Severity {
    /// Every severity, most severe first (the order of the human report).
    pub const ALL: [Severity; 4] = [
        Severity::Breaking,
        Severity::Behavioural,
        Severity::Compatible,
        Severity::None,
    ];

    /// The lowercase name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Compatible => "compatible",
            Severity::Behavioural => "behavioural",
            Severity::Breaking => "breaking",
        }
    }
}

/// What changed. The snake_case name is the `kind` of the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A spec exists only on the new side: a new module.
    ServiceAdded,
    /// A spec exists only on the old side: a module disappears.
    ServiceRemoved,
    /// `service.id` or `service.vendor` changed: the module path moves.
    ModuleMoved,
    /// Wire protocol family changed.
    ProtocolChanged,
    /// API version sent with every request changed.
    ApiVersionChanged,
    /// An endpoint template was added.
    EndpointAdded,
    /// An endpoint template was removed.
    EndpointRemoved,
    /// Endpoint templates were reordered.
    EndpointsReordered,
    /// An authentication scheme was added.
    AuthAdded,
    /// An authentication scheme was removed.
    AuthRemoved,
    /// The preference order of authentication schemes changed.
    AuthReordered,
    /// Error or success body envelope changed.
    EnvelopeChanged,
    /// An operation was added.
    OperationAdded,
    /// An operation was removed.
    OperationRemoved,
    /// HTTP method, path template, `Action` or success status changed.
    RequestLineChanged,
    /// Whether retrying is safe changed.
    IdempotencyChanged,
    /// The output type of an operation changed.
    OutputChanged,
    /// A request parameter was added.
    ParameterAdded,
    /// A request parameter was removed.
    ParameterRemoved,
    /// A parameter's Rust name changed (field and setter renamed).
    ParameterRenamed,
    /// A parameter's wire name changed but its Rust name did not.
    ParameterWireNameChanged,
    /// A parameter's Rust type changed.
    ParameterTypeChanged,
    /// An optional parameter became required.
    ParameterNowRequired,
    /// A required parameter became optional.
    ParameterNowOptional,
    /// Where the parameter travels (path, query, header, body) or how a
    /// query list is encoded changed.
    ParameterPlacementChanged,
    /// The documented server default changed.
    DefaultChanged,
    /// A constraint now rejects values it used to accept.
    ConstraintTightened,
    /// A constraint now accepts values it used to reject.
    ConstraintLoosened,
    /// A pattern was replaced by a different one.
    ConstraintChanged,
    /// A deprecation notice was added.
    Deprecated,
    /// A deprecation notice was removed.
    Undeprecated,
    /// A documented error code was added.
    ErrorCodeAdded,
    /// A documented error code was removed.
    ErrorCodeRemoved,
    /// An error code's Rust variant name changed.
    ErrorCodeRenamed,
    /// An error code's documented HTTP status changed.
    ErrorCodeStatusChanged,
    /// A pagination style was added.
    PaginationAdded,
    /// A pagination style was removed.
    PaginationRemoved,
    /// A pagination style's parameters or fields changed.
    PaginationChanged,
    /// A pagination style's generated stream methods were renamed (the
    /// names come from the model's name table).
    StreamMethodRenamed,
    /// A named type was added.
    TypeAdded,
    /// A named type was removed.
    TypeRemoved,
    /// A type's Rust name changed.
    TypeRenamed,
    /// A type's spec key changed but its Rust name did not.
    TypeKeyChanged,
    /// A struct became an enum or the other way round.
    TypeKindChanged,
    /// A struct gained `Default`.
    DefaultImplAdded,
    /// A struct lost `Default`.
    DefaultImplRemoved,
    /// A struct field was added.
    FieldAdded,
    /// A struct field was removed.
    FieldRemoved,
    /// A field's Rust name changed.
    FieldRenamed,
    /// A field's wire name or list wrapper changed but its Rust name did not.
    FieldWireChanged,
    /// A field's Rust type changed.
    FieldTypeChanged,
    /// A field went from `T` to `Option<T>`.
    FieldNowOptional,
    /// A field went from `Option<T>` to `T`.
    FieldNowRequired,
    /// An enum value was added.
    EnumValueAdded,
    /// An enum value was removed.
    EnumValueRemoved,
    /// An enum variant's Rust name changed.
    EnumVariantRenamed,
    /// An enum variant's wire value changed but its Rust name did not.
    EnumValueWireChanged,
    /// Case-insensitive matching of an enum was switched on or off.
    EnumCaseChanged,
    /// Documentation, title, source, examples, status-code table or errata
    /// changed.
    DocsChanged,
}

/// One change between the old and the new spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: Kind,
    /// YAML path of the node, with names instead of indices
    /// (`operations.ListBackups.parameters.projectId`).
    pub path: String,
    /// How it affects users of the generated module.
    pub severity: Severity,
    /// Why it has this severity, in terms of the generated Rust.
    pub reason: String,
    /// The value before, rendered briefly.
    pub old: Option<String>,
    /// The value after, rendered briefly.
    pub new: Option<String>,
}

impl Change {
    /// A change without old and new values.
    pub fn new(kind: Kind, path: impl Into<String>, severity: Severity, reason: impl Into<String>) -> Self {
        Change {
            kind,
            path: path.into(),
            severity,
            reason: reason.into(),
            old: None,
            new: None,
        }
    }

    /// Set the old value.
    pub fn was(mut self, old: impl ToString) -> Self {
        self.old = Some(old.to_string());
        self
    }

    /// Set the new value.
    pub fn now(mut self, new: impl ToString) -> Self {
        self.new = Some(new.to_string());
        self
    }
}

/// The changes between two versions of one spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecDiff {
    /// Where the old spec came from (`HEAD~1:specs/x.yaml`); `None` if the
    /// spec is new.
    pub old: Option<String>,
    /// Where the new spec came from; `None` if the spec was removed.
    pub new: Option<String>,
    /// `vendor::id` of the service (the new one when it moved).
    pub service: String,
    /// Every change, in spec order.
    pub changes: Vec<Change>,
}

impl SpecDiff {
    /// The most severe change, if there is any change.
    pub fn highest(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }
}

/// Every change from `old` to `new`, in spec order: service, operations,
/// types.
pub fn compare(old: &Model, new: &Model) -> Vec<Change> {
    let mut out = Vec::new();
    service::compare(old, new, &mut out);
    ops::compare(old, new, &mut out);
    types::compare(old, new, &mut out);
    out
}

/// `vendor::id` of a model's service.
pub fn service_name(m: &Model) -> String {
    format!("{}::{}", m.service.vendor, m.service.id)
}

/// `Option<T>` when `optional`.
pub(crate) fn maybe_option(ty: String, optional: bool) -> String {
    if optional {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// Pair the items of two lists: first by `key`, then the leftovers by
/// `fallback` (a rename on one side only). Returns matched pairs in old
/// order, then old-only and new-only items, each in its list's order.
pub(crate) fn pair<'a, T, K: PartialEq, F: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
    fallback: impl Fn(&T) -> F,
) -> Pairs<'a, T> {
    let mut used = vec![false; new.len()];
    let mut matched: Vec<(usize, &T, &T)> = Vec::new();
    let mut old_only = Vec::new();
    for (oi, o) in old.iter().enumerate() {
        match new.iter().position(|n| key(n) == key(o)) {
            Some(i) if !used[i] => {
                used[i] = true;
                matched.push((oi, o, &new[i]));
            }
            _ => old_only.push((oi, o)),
        }
    }
    let mut removed = Vec::new();
    for (oi, o) in old_only {
        // Only a new item whose key is unknown on the old side can be the
        // same item under a changed key.
        let candidate = new
            .iter()
            .enumerate()
            .find(|(i, n)| !used[*i] && fallback(n) == fallback(o) && !old.iter().any(|x| key(x) == key(n)));
        match candidate {
            Some((i, n)) => {
                used[i] = true;
                matched.push((oi, o, n));
            }
            None => removed.push(o),
        }
    }
    matched.sort_by_key(|(oi, _, _)| *oi);
    let added = new.iter().zip(&used).filter(|(_, u)| !**u).map(|(n, _)| n).collect();
    Pairs {
        matched: matched.into_iter().map(|(_, o, n)| (o, n)).collect(),
        removed,
        added,
    }
}

/// The result of [`pair`].
pub(crate) struct Pairs<'a, T> {
    /// Items on both sides.
    pub matched: Vec<(&'a T, &'a T)>,
    /// Items only on the old side.
    pub removed: Vec<&'a T>,
    /// Items only on the new side.
    pub added: Vec<&'a T>,
}
