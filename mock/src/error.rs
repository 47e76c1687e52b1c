//! Errors of starting and scripting a mock server.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why a mock server could not be started or scripted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The spec did not load or validate; `diagnostics` are rendered as
    /// `cloudsnap-codegen check` prints them.
    #[error("spec {} is not valid:\n{}", path.display(), diagnostics.join("\n"))]
    Spec {
        /// The spec file.
        path: PathBuf,
        /// Rendered diagnostics.
        diagnostics: Vec<String>,
    },
    /// A documented `pattern` constraint is not a valid regular expression.
    #[error("spec {}: operation {operation}, parameter `{parameter}`: pattern does not compile: {source}", path.display())]
    Pattern {
        /// The spec file.
        path: PathBuf,
        /// Operation id.
        operation: String,
        /// Wire name of the parameter.
        parameter: String,
        /// The regex error.
        source: regex::Error,
    },
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A response was scripted for an operation the spec does not have.
    #[error("the spec has no operation `{operation}` (it has: {})", known.join(", "))]
    UnknownOperation {
        /// The name given.
        operation: String,
        /// The spec's operation ids.
        known: Vec<String>,
    },
    /// A response script is not valid.
    #[error("script{}: {message}", path.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default())]
    Script {
        /// The script file, if it came from one.
        path: Option<PathBuf>,
        /// What is wrong, with the operation key and step index.
        message: String,
    },
}
