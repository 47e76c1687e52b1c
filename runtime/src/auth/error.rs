//! Error types for credential loading and request signing.
//!
//! No error in this module ever carries a secret, a header value, a query
//! value or a URI: messages name *which* thing was wrong (a header name, an
//! environment variable name, a part of the URI), never its content.

/// Why a request could not be signed.
///
/// Messages never include credential material, header values or the request
/// URI (whose query may hold a security token or a signature).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// A header value (one already on the request, or one the signer would
    /// add) contains CR, LF or another byte that may not appear in a header
    /// value. The request must not be sent.
    #[error("header `{name}` has a value containing CR, LF or another forbidden control character")]
    InvalidHeaderValue {
        /// Lower-case name of the offending header.
        name: String,
    },

    /// The request URI is not absolute (`scheme://host/...`).
    #[error("the request URI must be absolute, with a scheme and a host")]
    RelativeUri,

    /// A part of the request (the path, the query or a form body) is not
    /// valid percent-encoded UTF-8.
    #[error("the request {part} is not valid percent-encoded UTF-8")]
    InvalidEncoding {
        /// Which part: `"path"`, `"query"` or `"form body"`.
        part: &'static str,
    },

    /// The signing time is before 1970-01-01 or after 9999-12-31.
    #[error("the signing time is outside the supported range (1970 to 9999)")]
    InvalidTime,

    /// A value the signing scheme requires is missing (for example the
    /// Alibaba Cloud V3 action name).
    #[error("missing required signing parameter `{0}`")]
    MissingParameter(&'static str),

    /// A credential cannot be used with this scheme (for example a Basic
    /// user name containing `:`). The reason never quotes the credential.
    #[error("invalid credential: {0}")]
    InvalidCredential(&'static str),

    /// The signed URI could not be rebuilt.
    #[error("the signed request URI could not be rebuilt")]
    UriRebuild,

    /// The HMAC implementation rejected the key (not expected to happen:
    /// HMAC accepts keys of any length).
    #[error("the HMAC key was rejected")]
    HmacKey,
}

impl From<crate::wire::DecodeError> for SignError {
    fn from(e: crate::wire::DecodeError) -> Self {
        SignError::InvalidEncoding { part: e.part }
    }
}

/// Why credentials could not be loaded.
///
/// Messages name the environment variable, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// A required environment variable is unset or empty.
    #[error("environment variable `{name}` is not set or is empty")]
    MissingEnvVar {
        /// The variable's name.
        name: &'static str,
    },

    /// An environment variable is set but is not valid Unicode.
    #[error("environment variable `{name}` is not valid Unicode")]
    NotUnicode {
        /// The variable's name.
        name: &'static str,
    },
}
