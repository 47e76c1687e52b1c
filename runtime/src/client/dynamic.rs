//! Calling any operation by name with JSON parameters (for tools, scripts and
//! command lines that cannot name the generated request types).
//!
//! Each generated service module has a `DYNAMIC` [`DynService`]: the table of
//! its operations ([`DynOperation`]: wire name, Rust name, parameters by wire
//! and Rust name, type and requiredness) and, per operation, the generic
//! [`call`] instantiated with its request type. Its `Client` gains
//! `call_json(operation, params)`, which finds the operation by wire name
//! (`DescribeSnapshots`) or Rust name (`describe_snapshots`), takes the
//! parameters as a JSON object keyed by wire or Rust name, sends the typed
//! request (validated like any other) and returns the typed output as JSON.
//!
//! ```ignore
//! use cloudsnap::zilliz::cloud::Client;
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::from_env(Client::config())?;
//! let backup = client
//!     .call_json("describe_backup", serde_json::json!({"cluster_id": "in01-1", "BACKUP_ID": "b-1"}))
//!     .await?;
//! println!("{backup:#}");
//! # Ok(())
//! # }
//! ```

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
/// The JSON types of parameters and outputs, re-exported so generated code
/// (and a crate of checked-in generated code) needs no `serde_json` of its own.
pub use serde_json::{Map, Value};

use super::{BoxFuture, Client, ClientConfig, ConfigError, Error};
use crate::{ErrorCode, Operation, ResponseError, ServiceError, ServiceInfo};

/// One service's operations, callable by name (the generated `DYNAMIC`).
#[derive(Debug)]
pub struct DynService {
    /// The service's static facts (`SERVICE` of its module).
    pub info: &'static ServiceInfo,
    /// The cargo feature and spec file stem (`huawei-cbr`).
    pub feature: &'static str,
    /// Build the service's client with credentials from the vendors' default
    /// chains (the generated `Client::from_env`), as the untyped client.
    pub from_env: fn(ClientConfig) -> Result<Client, ConfigError>,
    /// Every operation, in spec order.
    pub operations: &'static [DynOperation],
    /// The snapshots and backups the service declares (the module's
    /// `resources()`): list, describe and wait by id.
    pub resources: fn() -> &'static [&'static dyn super::DynResource],
}

/// Sends one operation's request, built from wire-named JSON parameters.
pub type DynCall = for<'a> fn(&'a Client, Map<String, Value>) -> BoxFuture<'a, Result<Value, DynCallError>>;

/// One operation in a [`DynService`].
pub struct DynOperation {
    /// Operation id, as on the wire (`DescribeSnapshots`).
    pub wire_name: &'static str,
    /// The generated client method (`describe_snapshots`).
    pub rust_name: &'static str,
    /// First line of the operation's documentation.
    pub summary: &'static str,
    /// Parameters, in spec order.
    pub params: &'static [DynParam],
    /// [`call`] instantiated with the operation's request type.
    pub call: DynCall,
}

impl fmt::Debug for DynOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynOperation")
            .field("wire_name", &self.wire_name)
            .field("rust_name", &self.rust_name)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

/// One request parameter of a [`DynOperation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DynParam {
    /// The name on the wire, and in the request type's serde form (`RegionId`).
    pub wire_name: &'static str,
    /// The request field (`region_id`; without `r#`).
    pub rust_name: &'static str,
    /// Required (a constructor argument of the request).
    pub required: bool,
    /// The JSON shape the parameter takes.
    pub kind: ParamKind,
    /// The type as the spec names it (`string`, `array<Tag>`, `BackupType`).
    pub type_name: &'static str,
}

impl DynParam {
    /// Whether `name` is this parameter's wire or Rust name.
    pub fn is_named(&self, name: &str) -> bool {
        name == self.wire_name || name == self.rust_name
    }
}

/// The JSON shape of a parameter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamKind {
    /// A JSON string.
    String,
    /// A JSON integer.
    Integer,
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A string from an open set of documented values (others are sent as
    /// they are).
    Enum(&'static [&'static str]),
    /// A JSON array of the inner kind.
    Array(&'static ParamKind),
    /// A JSON object (a structure or a map).
    Object,
    /// Any JSON value.
    Json,
}

impl DynService {
    /// The operation with this wire name (`DescribeSnapshots`) or Rust name
    /// (`describe_snapshots`).
    pub fn operation(&self, name: &str) -> Result<&'static DynOperation, DynCallError> {
        self.operations
            .iter()
            .find(|op| op.wire_name == name)
            .or_else(|| self.operations.iter().find(|op| op.rust_name == name))
            .ok_or_else(|| DynCallError::UnknownOperation {
                service: self.info.title,
                name: name.to_owned(),
                known: self
                    .operations
                    .iter()
                    .map(|op| both(op.wire_name, op.rust_name))
                    .collect(),
            })
    }

    /// Call the operation named `operation` (wire or Rust name) on `client`
    /// with `params`, a JSON object keyed by parameter wire or Rust names
    /// (`null` for none), and return the output as JSON.
    pub async fn call_json(&self, client: &Client, operation: &str, params: Value) -> Result<Value, DynCallError> {
        let op = self.operation(operation)?;
        let params = op.wire_params(params)?;
        (op.call)(client, params).await
    }
}

impl DynOperation {
    /// The parameter with this wire name, else the one with this Rust name
    /// (a wire name wins if one parameter's Rust name is another's wire name).
    pub fn param(&self, name: &str) -> Option<&'static DynParam> {
        let params = self.params;
        params
            .iter()
            .find(|p| p.wire_name == name)
            .or_else(|| params.iter().find(|p| p.rust_name == name))
    }

    /// `params` (a JSON object keyed by wire or Rust names, or `null`) keyed
    /// by wire names only; an unknown name, a name given twice (by both its
    /// names) or a value that is not an object is refused.
    pub fn wire_params(&self, params: Value) -> Result<Map<String, Value>, DynCallError> {
        let given = match params {
            Value::Null => Map::new(),
            Value::Object(map) => map,
            other => {
                return Err(DynCallError::NotAnObject {
                    operation: self.wire_name,
                    found: json_kind(&other),
                })
            }
        };
        let mut wire = Map::new();
        for (name, value) in given {
            let Some(param) = self.param(&name) else {
                return Err(DynCallError::UnknownParameter {
                    operation: self.wire_name,
                    name,
                    valid: self.params.iter().map(|p| both(p.wire_name, p.rust_name)).collect(),
                });
            };
            if wire.insert(param.wire_name.to_owned(), value).is_some() {
                return Err(DynCallError::DuplicateParameter {
                    operation: self.wire_name,
                    name: param.wire_name,
                });
            }
        }
        Ok(wire)
    }
}

/// `WireName (rust_name)`, or the one name when they are the same.
fn both(wire: &str, rust: &str) -> String {
    if wire == rust {
        wire.to_owned()
    } else {
        format!("{wire} ({rust})")
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Deserialize `R` from wire-named parameters, send it and serialize the
/// output: the body of every [`DynOperation::call`].
pub fn call<R>(client: &Client, params: Map<String, Value>) -> BoxFuture<'_, Result<Value, DynCallError>>
where
    R: Operation + DeserializeOwned + Send + Sync + 'static,
    R::Output: Serialize,
{
    Box::pin(async move {
        let operation = R::INFO.name;
        let request: R =
            serde_path_to_error::deserialize(Value::Object(params)).map_err(|e| DynCallError::BadParameters {
                operation,
                path: e.path().to_string(),
                message: e.into_inner().to_string(),
            })?;
        let output = client
            .send(&request)
            .await
            .map_err(|e| DynCallError::Call(Box::new(erase(e))))?;
        serde_json::to_value(&output).map_err(|e| DynCallError::Output {
            operation,
            message: e.to_string(),
        })
    })
}

/// An error code of any operation, as a string: what
/// [`DynCallError::Call`] carries instead of the operation's own enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DynErrorCode {
    /// The code as sent.
    pub code: String,
    /// The HTTP status the document lists for it.
    pub documented_status: Option<u16>,
}

impl fmt::Display for DynErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

fn erase_code<C: ErrorCode>(code: &C) -> DynErrorCode {
    DynErrorCode {
        code: code.as_str().to_owned(),
        documented_status: code.documented_status(),
    }
}

/// The same error with the operation's code enum replaced by [`DynErrorCode`].
pub fn erase<C: ErrorCode>(error: Error<C>) -> Error<DynErrorCode> {
    match error {
        Error::Build { operation, source } => Error::Build { operation, source },
        Error::Sign { operation, source } => Error::Sign { operation, source },
        Error::Credentials { operation, source } => Error::Credentials { operation, source },
        Error::Hook { operation, source } => Error::Hook { operation, source },
        Error::Timeout {
            operation,
            timeout,
            attempts,
        } => Error::Timeout {
            operation,
            timeout,
            attempts,
        },
        Error::Transport {
            operation,
            attempts,
            source,
        } => Error::Transport {
            operation,
            attempts,
            source,
        },
        Error::Response { attempts, source } => Error::Response {
            attempts,
            source: match source {
                ResponseError::Service(e) => ResponseError::Service(ServiceError {
                    operation: e.operation,
                    status: e.status,
                    code: erase_code(&e.code),
                    raw_code: e.raw_code,
                    message: e.message,
                    request_id: e.request_id,
                    body: e.body,
                }),
                ResponseError::UnexpectedStatus {
                    operation,
                    status,
                    body_start,
                } => ResponseError::UnexpectedStatus {
                    operation,
                    status,
                    body_start,
                },
                ResponseError::Decode {
                    operation,
                    status,
                    path,
                    message,
                } => ResponseError::Decode {
                    operation,
                    status,
                    path,
                    message,
                },
            },
        },
    }
}

/// Why a call by name failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DynCallError {
    /// No operation has this wire or Rust name.
    #[error("{service} has no operation `{name}`; valid: {}", known.join(", "))]
    UnknownOperation {
        /// The service's title.
        service: &'static str,
        /// The name asked for.
        name: String,
        /// The operations' wire names, each with its Rust name.
        known: Vec<String>,
    },
    /// The parameters are not a JSON object.
    #[error("{operation}: parameters must be a JSON object, not {found}")]
    NotAnObject {
        /// Operation id.
        operation: &'static str,
        /// What was given instead.
        found: &'static str,
    },
    /// A parameter name is neither a wire nor a Rust name of the operation.
    #[error("{operation} has no parameter `{name}`; valid: {}", if valid.is_empty() { "none".to_owned() } else { valid.join(", ") })]
    UnknownParameter {
        /// Operation id.
        operation: &'static str,
        /// The name given.
        name: String,
        /// The parameters' wire names, each with its Rust name.
        valid: Vec<String>,
    },
    /// A parameter was given under both its wire and its Rust name.
    #[error("{operation}: parameter `{name}` is given twice (by its wire and its Rust name)")]
    DuplicateParameter {
        /// Operation id.
        operation: &'static str,
        /// The parameter's wire name.
        name: &'static str,
    },
    /// The parameters do not form the operation's request (a missing
    /// required parameter, a wrong type).
    #[error("{operation}: bad parameters at `{path}`: {message}")]
    BadParameters {
        /// Operation id.
        operation: &'static str,
        /// Where, as a serde path (`Tag[0].Key`; `.` for the whole object).
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The call failed: invalid request, credentials, transport, or an error
    /// response (the operation's own [`Error`], its code as a string; boxed,
    /// as it is much larger than the other variants).
    #[error(transparent)]
    Call(Box<Error<DynErrorCode>>),
    /// The typed output could not be written as JSON.
    #[error("{operation}: cannot write the output as JSON: {message}")]
    Output {
        /// Operation id.
        operation: &'static str,
        /// What failed.
        message: String,
    },
}

impl DynCallError {
    /// Whether the call was refused before anything was sent because the
    /// operation or its parameters were wrong (a usage error, as opposed to
    /// a failed call).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            DynCallError::UnknownOperation { .. }
                | DynCallError::NotAnObject { .. }
                | DynCallError::UnknownParameter { .. }
                | DynCallError::DuplicateParameter { .. }
                | DynCallError::BadParameters { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refuse(_: &Client, _: Map<String, Value>) -> BoxFuture<'_, Result<Value, DynCallError>> {
        Box::pin(async {
            Err(DynCallError::Output {
                operation: "Op",
                message: "not called in these tests".into(),
            })
        })
    }

    static OP: DynOperation = DynOperation {
        wire_name: "ShowThing",
        rust_name: "show_thing",
        summary: "",
        params: &[
            DynParam {
                wire_name: "ThingId",
                rust_name: "thing_id",
                required: true,
                kind: ParamKind::String,
                type_name: "string",
            },
            // A Rust name that is another parameter's wire name.
            DynParam {
                wire_name: "thing_id_v2",
                rust_name: "ThingId",
                required: false,
                kind: ParamKind::Integer,
                type_name: "integer",
            },
        ],
        call: refuse,
    };

    #[test]
    fn parameters_are_keyed_by_wire_name_whichever_name_is_given() {
        let wire = OP.wire_params(json!({"thing_id": "t-1", "thing_id_v2": 2})).unwrap();
        assert_eq!(Value::Object(wire), json!({"ThingId": "t-1", "thing_id_v2": 2}));
        // A wire name wins over an equal Rust name.
        assert_eq!(OP.param("ThingId").map(|p| p.wire_name), Some("ThingId"));
        assert!(OP.wire_params(Value::Null).unwrap().is_empty());
    }

    #[test]
    fn unknown_duplicate_and_non_object_parameters_are_refused() {
        let e = OP.wire_params(json!({"thing": 1})).unwrap_err();
        assert!(e.is_usage());
        assert_eq!(
            e.to_string(),
            "ShowThing has no parameter `thing`; valid: ThingId (thing_id), thing_id_v2 (ThingId)"
        );
        let e = OP.wire_params(json!({"ThingId": "a", "thing_id": "b"})).unwrap_err();
        assert!(
            matches!(e, DynCallError::DuplicateParameter { name: "ThingId", .. }),
            "{e}"
        );
        let e = OP.wire_params(json!([1])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ShowThing: parameters must be a JSON object, not an array"
        );
    }
}
