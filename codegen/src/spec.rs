//! The raw spec format: what a YAML file in `specs/` deserializes into.
//!
//! These types mirror the YAML one to one. They know nothing about Rust names
//! or code; `model` validates and resolves them. Every struct denies unknown
//! keys so a typo in a spec is an error, never silently ignored. The JSON
//! Schema published in `specs/schema.json` is derived from these same types.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The vendor concepts, defined once in the runtime with their facts.
pub use cloudsnap_runtime::{AuthScheme, ErrorEnvelope, Protocol, SuccessEnvelope};

/// One spec file: a service, its operations, its types and its errata.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The service this file describes.
    pub service: Service,
    /// Operations keyed by their id in UpperCamelCase (`ShowBackup`).
    #[serde(default)]
    pub operations: IndexMap<String, Operation>,
    /// Named types keyed by their name in UpperCamelCase (`BackupDetail`).
    #[serde(default)]
    pub types: IndexMap<String, TypeDef>,
    /// Every place the source document is wrong, inconsistent or silent, and
    /// what this spec chose instead.
    #[serde(default)]
    pub errata: Vec<Erratum>,
    /// The resources the operations manage (a snapshot, a backup), keyed by
    /// a snake_case name: which operations describe, list and create one,
    /// where their fields are and how their states map to the normalized
    /// set. Drives the generated waiters and the cross-cloud summary.
    #[serde(default)]
    pub resources: IndexMap<String, Resource>,
}

/// A normalized lifecycle state (`creating`, `available`, `failed`,
/// `deleting`, `restoring`, `unknown`).
pub use cloudsnap_runtime::lifecycle::{ErrorMeaning, SizeUnit, State};

/// A resource the service's operations manage.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// What the resource is.
    #[serde(default)]
    pub docs: Option<String>,
    /// The operation that describes one resource by id (the waiters poll
    /// it), or `{ none: <reason> }` when the service has none.
    #[serde(default)]
    pub describe: Option<View>,
    /// The operation that lists resources.
    #[serde(default)]
    pub list: Option<View>,
    /// The operation that creates one, whose output shows the new resource.
    #[serde(default)]
    pub create: Option<View>,
    /// Field paths shared by every view that does not set its own.
    #[serde(default)]
    pub fields: Option<ResourceFields>,
    /// State mapping shared by every view that does not set its own:
    /// normalized state -> the documented values that mean it.
    #[serde(default)]
    pub states: Option<IndexMap<State, Vec<String>>>,
    /// Acceptors shared by every view that does not set its own.
    #[serde(default)]
    pub acceptors: Option<Vec<Acceptor>>,
}

/// What one operation shows of a resource.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// The operation id.
    #[serde(default)]
    pub operation: Option<String>,
    /// Instead of `operation`: why the service has no such operation (only
    /// for `describe`; nothing is generated for waiting then).
    #[serde(default)]
    pub none: Option<String>,
    /// `describe`: wire name of the request parameter that carries the id
    /// (a string, or a list of strings of which the first is used).
    #[serde(default)]
    pub id: Option<String>,
    /// Dotted path of output fields (wire names) to the list of items
    /// (`Snapshots`).
    #[serde(default)]
    pub items: Option<String>,
    /// Dotted path of output fields to the one item (`backup`). Without
    /// `items` and `item` the output is the item.
    #[serde(default)]
    pub item: Option<String>,
    /// Field paths of this view's items (else the resource's `fields`).
    #[serde(default)]
    pub fields: Option<ResourceFields>,
    /// State mapping of this view (else the resource's `states`).
    #[serde(default)]
    pub states: Option<IndexMap<State, Vec<String>>>,
    /// Acceptors of this view (else the resource's `acceptors`).
    #[serde(default)]
    pub acceptors: Option<Vec<Acceptor>>,
}

/// One dotted path (`stats.total_size_in_bytes`), or alternatives tried in
/// order (the first that holds a value wins).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum FieldPath {
    /// One path.
    One(String),
    /// Alternatives, first match wins.
    Any(Vec<String>),
}

impl FieldPath {
    /// The alternatives, in order.
    pub fn paths(&self) -> Vec<&str> {
        match self {
            FieldPath::One(p) => vec![p.as_str()],
            FieldPath::Any(ps) => ps.iter().map(String::as_str).collect(),
        }
    }
}

/// Where an item keeps its fields: dotted paths of item fields, by wire
/// name.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceFields {
    /// The id the resource is addressed by (string or integer).
    pub id: FieldPath,
    /// The state (an enum, or a string).
    pub state: FieldPath,
    /// Display name (string).
    #[serde(default)]
    pub name: Option<FieldPath>,
    /// Creation time (a timestamp string or epoch milliseconds).
    #[serde(default)]
    pub created_at: Option<FieldPath>,
    /// Size (a number, or a string holding one), counted in `size_unit`.
    #[serde(default)]
    pub size: Option<FieldPath>,
    /// Unit of `size`: `bytes`, `KiB`, `MiB`, `GiB`. Required with `size`.
    #[serde(default)]
    pub size_unit: Option<SizeUnit>,
    /// Progress in percent (a number, or a string like `"40%"`).
    #[serde(default)]
    pub progress: Option<FieldPath>,
    /// Expiry time (a timestamp string or epoch milliseconds).
    #[serde(default)]
    pub expires_at: Option<FieldPath>,
}

/// An extra rule for waiters: a field comparison that overrides the mapped
/// state (`{ field: Available, equals: false, if_state: available, state:
/// creating }`), or an error code with a meaning (`{ error:
/// InvalidSnapshotId.NotFound, means: pending }`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptor {
    /// Field comparison: dotted path from the item to a scalar field.
    #[serde(default)]
    pub field: Option<String>,
    /// Field comparison: the value (boolean, string or integer).
    #[serde(default)]
    pub equals: Option<Value>,
    /// Field comparison: applies only when the state field maps to this.
    #[serde(default)]
    pub if_state: Option<State>,
    /// Field comparison: the state the item is then in.
    #[serde(default)]
    pub state: Option<State>,
    /// Error rule: the code as sent on the wire (documented for the
    /// operation or in `service.common_errors`).
    #[serde(default)]
    pub error: Option<String>,
    /// Error rule: `pending` (not there yet: keep waiting) or `gone` (stop).
    #[serde(default)]
    pub means: Option<ErrorMeaning>,
}

/// Service-wide facts.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Module name of the service inside its vendor module (`cbr`).
    pub id: String,
    /// Vendor module name (`huawei`, `aliyun`, `zilliz`).
    pub vendor: String,
    /// Human title, used in the module documentation.
    pub title: String,
    /// Longer description of the service.
    #[serde(default)]
    pub docs: Option<String>,
    /// File name of the source document in `shared/seed-docs`.
    pub source: String,
    /// Wire protocol family.
    pub protocol: Protocol,
    /// API version; required for `aliyun_rpc` (sent as `Version`).
    #[serde(default)]
    pub api_version: Option<String>,
    /// Endpoint templates; `{name}` placeholders are filled from the client
    /// configuration (`{region}` for regional services).
    pub endpoints: Vec<Endpoint>,
    /// Authentication schemes the service accepts, preferred first.
    pub auth: Vec<AuthScheme>,
    /// Shape of error bodies.
    pub error_envelope: ErrorEnvelope,
    /// Shape of success bodies. `plain`: the body is the output type.
    /// `zilliz`: `{"code": 0, "data": <output>}`.
    #[serde(default)]
    pub success_envelope: SuccessEnvelope,
    /// Default for every scalar response field's `lenient`: the vendor's own
    /// runtime reads a number or boolean sent as a string (and a string sent
    /// as a number), so this client does too (Alibaba's Tea runtime). A
    /// field's own `lenient` overrides it.
    #[serde(default)]
    pub lenient_scalars: bool,
    /// Errors every operation of the service can return (authentication,
    /// throttling, the API gateway's own codes), declared once: each
    /// operation's error-code enum lists them after its own codes. An
    /// operation's own row for the same code wins.
    #[serde(default)]
    pub common_errors: Vec<ErrorCode>,
}

/// An endpoint template such as `https://cbr.{region}.myhuaweicloud.com`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// URL template with `{placeholder}`s; no path, query or fragment.
    pub template: String,
    /// What the endpoint is for and where its values come from.
    #[serde(default)]
    pub docs: Option<String>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
        }
    }
}

/// One API operation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// What the operation does (first line is the summary).
    pub docs: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, `{name}` placeholders naming path parameters.
    /// `aliyun_rpc` operations use `/`.
    pub path: String,
    /// `Action` value for `aliyun_rpc`; defaults to the operation id.
    #[serde(default)]
    pub action: Option<String>,
    /// Whether retrying is safe; defaults to true for GET and HEAD.
    #[serde(default)]
    pub idempotent: Option<bool>,
    /// Request parameters in document order.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// The success response.
    pub response: Response,
    /// Every status code the document lists.
    #[serde(default)]
    pub status_codes: Vec<StatusCode>,
    /// The document's error-code table.
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
    /// Where the document points for errors it does not list.
    #[serde(default)]
    pub error_docs: Option<String>,
    /// How the operation pages through results (several styles may apply).
    #[serde(default)]
    pub pagination: Vec<Pagination>,
    /// The document's examples.
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A `{placeholder}` in the path template.
    Path,
    /// The query string.
    Query,
    /// An HTTP header.
    Header,
    /// A member of the JSON request body object.
    Body,
}

/// How a list-valued query parameter is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// Alibaba flattening: `Tag.1.Key=a&Tag.1.Value=b` (objects) or
    /// `Name.1=a&Name.2=b` (scalars); N starts at 1.
    Flattened,
    /// The whole value as JSON text in one parameter: `Ids=["a","b"]`.
    Json,
    /// Items joined with commas: `indices=a,b`.
    Comma,
}

/// A request parameter.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Wire name, kept byte for byte.
    pub name: String,
    /// Location.
    #[serde(rename = "in")]
    pub location: Location,
    /// Type expression (see specs/README.md).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the caller must supply it (a constructor argument).
    #[serde(default)]
    pub required: bool,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<String>,
    /// Server-side default the document states (documentation only; nothing
    /// is sent when unset).
    #[serde(default)]
    pub default: Option<Value>,
    /// Example value from the document.
    #[serde(default)]
    pub example: Option<Value>,
    /// Client-side checks run before sending.
    #[serde(default)]
    pub constraints: Option<Constraints>,
    /// Set when the document deprecates the parameter.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Wire encoding for list-valued query parameters.
    #[serde(default)]
    pub encoding: Option<Encoding>,
    /// Rust field name, when the derived one is wrong or collides.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The client configuration's endpoint variable (`region`) that fills
    /// this parameter when a request leaves it unset: the parameter is then
    /// no constructor argument even when `required`, and the service
    /// `Client` sends the variable's value (a query or header string
    /// parameter only).
    #[serde(default)]
    pub from_client: Option<String>,
}

/// Documented constraints on a parameter value.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Minimum length in characters (strings).
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Maximum length in characters (strings).
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Regular expression the whole string must match (Rust `regex` syntax;
    /// anchor it with `^...$`).
    #[serde(default)]
    pub pattern: Option<String>,
    /// Inclusive minimum (numbers).
    #[serde(default)]
    pub minimum: Option<i64>,
    /// Inclusive maximum (numbers).
    #[serde(default)]
    pub maximum: Option<i64>,
    /// Minimum number of items (arrays).
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Maximum number of items (arrays).
    #[serde(default)]
    pub max_items: Option<u64>,
}

/// A deprecation notice.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// What the document says.
    pub note: String,
    /// Wire name of what to use instead, if the document names one.
    #[serde(default)]
    pub replacement: Option<String>,
    /// The document names no replacement: says so explicitly, so that
    /// `check --deny-warnings` does not ask for one.
    #[serde(default)]
    pub no_replacement: bool,
}

/// The success response of an operation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// HTTP status of success.
    pub status: u16,
    /// Type of the (unwrapped) body; absent for an empty body.
    #[serde(rename = "type", default)]
    pub ty: Option<String>,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<String>,
}

/// A row of the document's status-code table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusCode {
    /// HTTP status.
    pub status: u16,
    /// The name the document gives (`Created`, `BadRequest`).
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub docs: Option<String>,
}

/// A row of the document's error-code table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// HTTP status the error comes with.
    pub status: u16,
    /// Error code as sent on the wire (`InvalidTag.Mismatch`).
    pub code: String,
    /// Error message as documented.
    #[serde(default)]
    pub message: Option<String>,
    /// Description.
    #[serde(default)]
    pub docs: Option<String>,
    /// Rust variant name, when the derived one is wrong or collides.
    #[serde(default)]
    pub rust_name: Option<String>,
}

/// Pagination styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaginationStyle {
    /// A token from the response is sent back to get the next page.
    NextToken,
    /// Pages are numbered; the total count tells when to stop.
    PageNumber,
}

/// How an operation pages. Names are wire names of parameters and fields of
/// the (unwrapped) output type.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// Style.
    pub style: PaginationStyle,
    /// Output field holding the page's items.
    pub items: String,
    /// Request parameter for the page size.
    #[serde(default)]
    pub page_size: Option<String>,
    /// `next_token`: request parameter carrying the token.
    #[serde(default)]
    pub token_param: Option<String>,
    /// `next_token`: output field carrying the next token.
    #[serde(default)]
    pub token_field: Option<String>,
    /// `page_number`: request parameter carrying the page number.
    #[serde(default)]
    pub page_param: Option<String>,
    /// `page_number`: output field carrying the total item count.
    #[serde(default)]
    pub total_field: Option<String>,
    /// `page_number`: number of the first page.
    #[serde(default)]
    pub first_page: Option<u64>,
}

/// An example from the document: a request, a response, or both.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Short name, unique within the operation.
    pub name: String,
    /// Where it comes from and what it shows.
    #[serde(default)]
    pub docs: Option<String>,
    /// Request: parameter values in, exact HTTP request out.
    #[serde(default)]
    pub request: Option<ExampleRequest>,
    /// Response: status and body as a server sends them.
    #[serde(default)]
    pub response: Option<ExampleResponse>,
}

/// An example request: the parameter values, and what must be built from them.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleRequest {
    /// Parameter values keyed by wire name.
    #[serde(default)]
    pub params: IndexMap<String, Value>,
    /// Expected method.
    pub method: Method,
    /// Expected path, percent-encoded as on the wire.
    pub path: String,
    /// Expected query parameters (decoded), in any order.
    #[serde(default)]
    pub query: IndexMap<String, String>,
    /// Expected headers set by the operation (not by signing).
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// Expected JSON body, as JSON text.
    #[serde(default)]
    pub body: Option<String>,
}

/// An example response.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleResponse {
    /// HTTP status.
    pub status: u16,
    /// Body as JSON text (corrected if the document's is broken; see errata).
    pub body: String,
}

/// A named type: an object (with `fields`) or an open string enum (with
/// `values`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Documentation.
    #[serde(default)]
    pub docs: Option<String>,
    /// Object fields keyed by wire name, in document order.
    #[serde(default)]
    pub fields: Option<IndexMap<String, Field>>,
    /// Enum values, in document order.
    #[serde(default)]
    pub values: Option<Vec<EnumValue>>,
    /// Enum only: match incoming values ignoring ASCII case.
    #[serde(default)]
    pub case_insensitive: bool,
    /// Set for a type the document defines but nothing references, to keep
    /// it on purpose.
    #[serde(default)]
    pub standalone: bool,
    /// Rust type name, when the key is not the right one.
    #[serde(default)]
    pub rust_name: Option<String>,
}

/// An object field.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// Always present in the body.
    #[serde(default)]
    pub required: bool,
    /// May be `null` on the wire (the Rust field is then an `Option`).
    #[serde(default)]
    pub nullable: bool,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<String>,
    /// Example value from the document.
    #[serde(default)]
    pub example: Option<Value>,
    /// Set when the document deprecates the field.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Alibaba list wrapper: the array travels as `{"<wrapper>": [...]}`.
    #[serde(default)]
    pub wrapper: Option<String>,
    /// Rust field name, when the derived one is wrong or collides.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Read the value from either JSON spelling: an `integer`, `int32`,
    /// `number` or `boolean` (or an array of them) may arrive as a string
    /// holding the value, a `string` as a number or boolean. Serialization
    /// stays canonical. Defaults to `service.lenient_scalars`.
    #[serde(default)]
    pub lenient: Option<bool>,
    /// What a `string` field holds, when it is more than text. `timestamp`:
    /// a point in time in one of the layouts vendors send (RFC 3339 with
    /// `Z` or an offset, without a zone = UTC, with a space for `T`, or epoch
    /// milliseconds); the field keeps the string as sent and gains a
    /// `<field>_parsed()` accessor that parses any of them.
    #[serde(default)]
    pub format: Option<FieldFormat>,
}

/// What a string field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldFormat {
    /// A point in time (see [`Field::format`]).
    Timestamp,
}

/// An enum value.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// Value as sent on the wire.
    pub value: String,
    /// Documentation.
    #[serde(default)]
    pub docs: Option<String>,
    /// Set when the document deprecates the value.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Rust variant name, when the derived one is wrong or collides.
    #[serde(default)]
    pub rust_name: Option<String>,
}

/// What kind of finding an erratum records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErratumKind {
    /// The document is wrong or contradicts itself.
    Erratum,
    /// The document is silent and the spec adds what the wire needs.
    Addition,
}

/// A recorded disagreement between the document and the spec.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    /// Kind of finding.
    pub kind: ErratumKind,
    /// YAML path in this spec the finding applies to
    /// (`types.BackupDetail.fields.provider_id`).
    pub at: String,
    /// What the document says (or does not say).
    pub document: String,
    /// What the spec does instead, and why.
    pub resolution: String,
}
