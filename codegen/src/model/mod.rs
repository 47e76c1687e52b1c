//! Model: the raw spec validated and resolved, with every Rust name decided.
//!
//! Nothing after this stage can fail on spec content: `emit` only reads a
//! `Model`. All problems found here are collected (not just the first) and
//! located at their YAML path.

mod examples;
mod graph;
mod jsonpos;
mod names;
mod ops;
mod paging;
mod params;
mod resolve;
mod resources;
mod typedefs;
mod types;
mod values;

pub use graph::MAX_NESTING;
pub use names::{
    bare, error_code_name, field_name, identifier, method_name, pattern_static_name, request_name, stream_names,
    type_name, wrapper_module_name, RESERVED_ITEMS, RESERVED_METHODS,
};
pub use paging::PaginationModel;
pub use resolve::{build, build_on, is_plain_file_name};
pub use resources::{ResourceModel, ViewModel};
pub use types::MAX_DEPTH as MAX_TYPE_EXPRESSION_DEPTH;
/// Checks a JSON value against a resolved type (public for the mock server,
/// which checks request bodies and JSON-encoded parameters with the same rules
/// the examples are checked with).
pub use values::check as check_value;

/// Closed vocabularies and validated records the model carries as the spec
/// wrote them: there is nothing to resolve in an HTTP method, a parameter
/// location, a query encoding, a pagination style, a resource's state, size
/// unit or error meaning, nor in the documentation
/// records (deprecation notices, errata, status-code rows) and the examples
/// (validated; they become tests). Emit and diff name them through the model.
pub use crate::spec::{
    Deprecation, Encoding, Erratum, ErratumKind, ErrorMeaning, Example, Location, Method, PaginationStyle, SizeUnit,
    State, StatusCode,
};
/// Typed constraints and their bounds: defined by the runtime, which checks
/// them (generated code, the example checks here and the mock server all
/// use its one statement of each rule).
pub use cloudsnap_runtime::validate::{Bounds, Constraints};
/// Vendor facts (protocol, authentication, envelopes): defined once, with
/// their behaviour, by the runtime.
pub use cloudsnap_runtime::{AuthScheme, ErrorEnvelope, Protocol, SuccessEnvelope};

use serde_json::Value;

use crate::diag::Diagnostic;
// The raw spec, for the resolver's submodules (`use super::*`).
use crate::spec;

/// A validated spec, ready to emit.
#[derive(Debug, Clone)]
pub struct Model {
    /// Service facts, resolved.
    pub service: ServiceModel,
    /// Named types, in spec order.
    pub types: Vec<TypeModel>,
    /// Operations, in spec order.
    pub operations: Vec<OperationModel>,
    /// The spec's errata, for the module documentation and the summary.
    pub errata: Vec<Erratum>,
    /// Resources with their lifecycle (waiters, summaries), in spec order.
    pub resources: Vec<ResourceModel>,
    /// Valid-but-suspicious findings.
    pub warnings: Vec<Diagnostic>,
}

/// The service: what `SERVICE` and the `Client` are generated from. The
/// spec's `common_errors` are not here: they are resolved into every
/// operation's errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceModel {
    /// Service module name (`cbr`).
    pub id: String,
    /// Vendor module name (`huawei`).
    pub vendor: String,
    /// Human title.
    pub title: String,
    /// Module documentation.
    pub docs: Option<String>,
    /// The vendor document the spec was transcribed from (a plain file name).
    pub source: String,
    /// Wire protocol.
    pub protocol: Protocol,
    /// API version (`Version` for Alibaba RPC).
    pub api_version: Option<String>,
    /// Endpoint templates, preferred first.
    pub endpoints: Vec<EndpointModel>,
    /// Accepted authentication, preferred first (each listed once).
    pub auth: Vec<AuthScheme>,
    /// Error body shape.
    pub error_envelope: ErrorEnvelope,
    /// Success body shape.
    pub success_envelope: SuccessEnvelope,
    /// The service reads scalars leniently by default (already applied:
    /// each field's [`FieldModel::lenient`] is what emit reads).
    pub lenient_scalars: bool,
}

/// An endpoint template, parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointModel {
    /// As written (`https://cbr.{region}.myhuaweicloud.com`); what
    /// `SERVICE.endpoints` lists and the client fills.
    pub template: String,
    /// The template split into literal text and placeholders (what the
    /// resolver checks a client configuration can fill).
    pub parts: Vec<TemplatePart>,
    /// Documentation.
    pub docs: Option<String>,
}

/// A piece of a `{placeholder}` template (endpoint or path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Literal(String),
    /// A `{name}` placeholder.
    Placeholder(String),
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`
    String,
    /// `i64`
    Integer,
    /// `i32`
    Int32,
    /// `f64`
    Number,
    /// `bool`
    Boolean,
    /// `serde_json::Value`
    Json,
    /// `Vec<T>`
    Array(Box<Ty>),
    /// `BTreeMap<String, T>`
    Map(Box<Ty>),
    /// Index into [`Model::types`].
    Named(usize),
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeModel {
    /// Key in the spec.
    pub key: String,
    /// Rust type name.
    pub rust_name: String,
    /// Documentation.
    pub docs: Option<String>,
    /// Object or enum.
    pub kind: TypeKind,
    /// Whether `#[derive(Default)]` is possible (objects only).
    pub defaultable: bool,
}

/// Object or enum.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct.
    Object {
        /// Fields in spec order.
        fields: Vec<FieldModel>,
    },
    /// An open string enum.
    Enum {
        /// Known values in spec order.
        values: Vec<EnumValueModel>,
        /// Match incoming values ignoring ASCII case.
        case_insensitive: bool,
    },
}

/// An object field.
#[derive(Debug, Clone)]
pub struct FieldModel {
    /// Wire name.
    pub wire: String,
    /// Rust identifier (possibly raw).
    pub ident: String,
    /// Type.
    pub ty: Ty,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// Documentation.
    pub docs: Option<String>,
    /// Deprecation notice.
    pub deprecated: Option<Deprecation>,
    /// Alibaba list wrapper key.
    pub wrapper: Option<String>,
    /// The serde helper module of the wrapper key (`list_wrapper_snapshot`).
    pub wrapper_module: Option<String>,
    /// Example value.
    pub example: Option<Value>,
    /// Deserialized from either JSON spelling of its scalar type (the
    /// field's `lenient`, else `service.lenient_scalars`; only for scalars
    /// and arrays of scalars outside list wrappers).
    pub lenient: bool,
    /// A string holding a timestamp (`format: timestamp`): gets an accessor.
    pub timestamp: bool,
}

impl Ty {
    /// A JSON scalar the tolerant readers know: string, integer, number, boolean.
    pub fn is_scalar(&self) -> bool {
        matches!(self, Ty::String | Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean)
    }

    /// A scalar, or an array of scalars.
    pub fn is_lenient_capable(&self) -> bool {
        match self {
            Ty::Array(inner) => inner.is_scalar(),
            other => other.is_scalar(),
        }
    }
}

/// An enum value.
#[derive(Debug, Clone)]
pub struct EnumValueModel {
    /// Wire value.
    pub wire: String,
    /// Rust variant name.
    pub ident: String,
    /// Documentation.
    pub docs: Option<String>,
    /// Deprecation notice.
    pub deprecated: Option<Deprecation>,
}

/// The generated names of one pagination style's stream methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamNames {
    /// `Client::{op}_pages...`
    pub pages: String,
    /// `Client::{op}_items...`
    pub items: String,
}

/// The generated test functions of one example (`None`: the example has
/// no request, or no response).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleTests {
    /// Checks the example request.
    pub request: Option<String>,
    /// Checks the example response.
    pub response: Option<String>,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct OperationModel {
    /// Operation id (also its Rust stem).
    pub id: String,
    /// The client method (possibly raw, `r#type`).
    pub method_name: String,
    /// The request type (`{Op}Request`).
    pub request_name: String,
    /// The error-code enum (`{Op}ErrorCode`).
    pub error_code_name: String,
    /// Stream methods, one per entry of `pages`.
    pub streams: Vec<StreamNames>,
    /// Test functions, one per entry of `examples`.
    pub example_tests: Vec<ExampleTests>,
    /// Documentation.
    pub docs: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as written.
    pub path_template: String,
    /// Path split into literals and parameters.
    pub path: Vec<PathPart>,
    /// `Action` for `aliyun_rpc`.
    pub action: String,
    /// Safe to retry.
    pub idempotent: bool,
    /// Parameters in spec order.
    pub params: Vec<ParamModel>,
    /// Whether the request type derives `Default`: exactly when every
    /// parameter is optional.
    pub request_defaultable: bool,
    /// Success status.
    pub success_status: u16,
    /// Success response documentation.
    pub response_docs: Option<String>,
    /// Output type (`None`: empty body).
    pub output: Option<Ty>,
    /// Documented status codes.
    pub status_codes: Vec<StatusCode>,
    /// Documented error codes.
    pub errors: Vec<ErrorModel>,
    /// Pointer to error documentation elsewhere.
    pub error_docs: Option<String>,
    /// Pagination styles resolved to parameter and field indices, in spec
    /// order.
    pub pages: Vec<PaginationModel>,
    /// Examples (validated).
    pub examples: Vec<Example>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, sent as written.
    Literal(String),
    /// Index into [`OperationModel::params`].
    Param(usize),
}

/// A request parameter.
#[derive(Debug, Clone)]
pub struct ParamModel {
    /// Wire name.
    pub wire: String,
    /// Rust identifier (possibly raw).
    pub ident: String,
    /// Location.
    pub location: Location,
    /// Type.
    pub ty: Ty,
    /// Constructor argument (not an `Option`).
    pub required: bool,
    /// The server requires it (the spec's `required`). Differs from
    /// `required` only for a `from_client` parameter, which the client
    /// fills instead of the constructor; a server (the mock) checks this.
    pub wire_required: bool,
    /// Documentation.
    pub docs: Option<String>,
    /// Documented server default.
    pub default: Option<Value>,
    /// Example value.
    pub example: Option<Value>,
    /// Client-side checks.
    pub constraints: Constraints,
    /// Deprecation notice.
    pub deprecated: Option<Deprecation>,
    /// Query list encoding.
    pub encoding: Option<Encoding>,
    /// The static holding the compiled `pattern`, if there is one.
    pub pattern_static: Option<String>,
    /// The client's endpoint variable that fills the parameter when the
    /// request leaves it unset (spec `from_client`); such a parameter is
    /// never `required` in the Rust API.
    pub from_client: Option<String>,
}

/// A documented error code.
#[derive(Debug, Clone)]
pub struct ErrorModel {
    /// HTTP status.
    pub status: u16,
    /// Wire code.
    pub code: String,
    /// Rust variant name.
    pub ident: String,
    /// Documented message.
    pub message: Option<String>,
    /// Description.
    pub docs: Option<String>,
}

/// How [`Model::rust_type`] spells paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypePaths {
    /// As the generated code writes them (`::std::vec::Vec<...>`), so no
    /// spec type name can shadow a standard one.
    Qualified,
    /// As messages show them (`Vec<...>`).
    Short,
}

impl Model {
    /// The Rust type a resolved type generates: the one statement of the
    /// mapping, which emit (qualified) and diff (short) both read.
    pub fn rust_type(&self, ty: &Ty, paths: TypePaths) -> String {
        let q = paths == TypePaths::Qualified;
        let pick = |qualified: &str, short: &str| if q { qualified.to_owned() } else { short.to_owned() };
        match ty {
            Ty::String => pick("::std::string::String", "String"),
            Ty::Integer => "i64".to_owned(),
            Ty::Int32 => "i32".to_owned(),
            Ty::Number => "f64".to_owned(),
            Ty::Boolean => "bool".to_owned(),
            Ty::Json => pick(
                "::cloudsnap::runtime::__private::serde_json::Value",
                "serde_json::Value",
            ),
            Ty::Array(inner) => format!("{}<{}>", pick("::std::vec::Vec", "Vec"), self.rust_type(inner, paths)),
            Ty::Map(inner) => format!(
                "{}<{}, {}>",
                pick("::std::collections::BTreeMap", "BTreeMap"),
                pick("::std::string::String", "String"),
                self.rust_type(inner, paths)
            ),
            Ty::Named(i) => self.type_name(*i).to_owned(),
        }
    }

    /// [`Model::rust_type`] without paths (`Vec<BackupDetail>`), for messages.
    pub fn rust_type_name(&self, ty: &Ty) -> String {
        self.rust_type(ty, TypePaths::Short)
    }

    /// The Rust name of a named type.
    pub fn type_name(&self, index: usize) -> &str {
        &self.types[index].rust_name
    }

    /// The fields of an operation's output, when it is an object (what
    /// [`PaginationModel`] field indices point into); empty otherwise.
    pub fn output_fields(&self, op: &OperationModel) -> &[FieldModel] {
        object_fields(&self.types, op.output.as_ref())
    }
}

/// The fields of `ty` when it names an object; empty otherwise.
fn object_fields<'t>(types: &'t [TypeModel], ty: Option<&Ty>) -> &'t [FieldModel] {
    match ty {
        Some(Ty::Named(i)) => match &types[*i].kind {
            TypeKind::Object { fields } => fields,
            TypeKind::Enum { .. } => &[],
        },
        _ => &[],
    }
}
