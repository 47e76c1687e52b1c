//! The vendor concepts a spec names — wire protocol, authentication scheme,
//! error and success envelopes — each defined once, with the facts every
//! layer needs attached: the name a spec uses, the variant generated code
//! names, and for an authentication scheme its constructor, signer,
//! credentials, environment variables and the headers and query parameters
//! it owns. The generator reads specs into these types and emits from these
//! tables, the response parser reads envelopes from them, and the mock
//! server answers in them; adding a scheme or an envelope is one addition
//! here (plus its signer or its parsing rule).
//!
//! The enums are exhaustive on purpose: the generator and the mock server
//! match on them, and a new variant must fail their build until they handle
//! it.

use std::fmt;

/// Implements `spec_name`/`from_spec_name`, `Display` (the spec name) and
/// serde through the spec name, from one list of variants with their spec
/// names and documentation.
macro_rules! spec_named {
    ($ty:ident { $($variant:ident => $name:literal, $doc:literal;)+ }) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The name a spec uses (`huawei_aksk`).
            pub const fn spec_name(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }

            /// The variant's name in Rust (`HuaweiAksk`), as generated code
            /// spells it.
            pub const fn rust_name(self) -> &'static str {
                match self { $($ty::$variant => stringify!($variant)),+ }
            }

            /// One line on what the variant is.
            pub const fn description(self) -> &'static str {
                match self { $($ty::$variant => $doc),+ }
            }

            /// The variant a spec names, if any.
            pub fn from_spec_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.spec_name() == name)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.spec_name())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.spec_name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::from_spec_name(&name).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|v| v.spec_name()).collect();
                    serde::de::Error::custom(format_args!(
                        "unknown variant `{name}`, expected one of {}",
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    ))
                })
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let one_of: Vec<serde_json::Value> = Self::ALL
                    .iter()
                    .map(|v| serde_json::json!({
                        "type": "string",
                        "const": v.spec_name(),
                        "description": v.description(),
                    }))
                    .collect();
                schemars::json_schema!({ "oneOf": one_of })
            }
        }
    };
}

/// Wire protocol family of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// REST with JSON bodies.
    RestJson,
    /// Alibaba Cloud RPC: `Action`, `Version` and `Format=JSON` in the query.
    AliyunRpc,
    /// The native Elasticsearch REST API.
    Elasticsearch,
}

spec_named!(Protocol {
    RestJson => "rest_json", "REST with JSON bodies (Huawei, Zilliz).";
    AliyunRpc => "aliyun_rpc", "Alibaba Cloud RPC style: `Action` and `Version` query parameters.";
    Elasticsearch => "elasticsearch", "The native Elasticsearch REST API.";
});

/// Authentication schemes a service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// Alibaba Cloud RPC signature (HMAC-SHA1, SignatureVersion 1.0).
    AliyunRpcV1,
    /// Alibaba Cloud V3 signature (ACS3-HMAC-SHA256).
    AliyunV3,
    /// Huawei Cloud AK/SK signing (SDK-HMAC-SHA256).
    HuaweiAksk,
    /// Huawei Cloud IAM token in `X-Auth-Token`.
    HuaweiToken,
    /// `Authorization: Bearer`.
    Bearer,
    /// HTTP Basic authentication.
    Basic,
}

spec_named!(AuthScheme {
    AliyunRpcV1 => "aliyun_rpc_v1", "the Alibaba Cloud RPC signature (HMAC-SHA1, SignatureVersion 1.0)";
    AliyunV3 => "aliyun_v3", "the Alibaba Cloud V3 signature (ACS3-HMAC-SHA256)";
    HuaweiAksk => "huawei_aksk", "Huawei Cloud AK/SK signing (SDK-HMAC-SHA256)";
    HuaweiToken => "huawei_token", "a Huawei Cloud IAM token (`X-Auth-Token`)";
    Bearer => "bearer", "an API key (`Authorization: Bearer`)";
    Basic => "basic", "HTTP Basic authentication";
});

/// What generated code and the checks need to know about an
/// authentication scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthSchemeInfo {
    /// The generated client's constructor (`with_huawei_aksk`).
    pub constructor: &'static str,
    /// The signer type in [`crate::auth`] (`HuaweiAkSkSigner`).
    pub signer: &'static str,
    /// The credentials type in [`crate::auth`] (`HuaweiAkSkCredentials`).
    pub credentials: &'static str,
    /// Environment variables the credentials' `from_env` reads.
    pub env_vars: &'static [&'static str],
    /// Headers the signer sets (lower case): a spec parameter may not name
    /// them.
    pub headers: &'static [&'static str],
    /// Header name prefixes the scheme owns (lower case): Alibaba V3 signs
    /// every `x-acs-*` header.
    pub header_prefixes: &'static [&'static str],
    /// Query parameters the signer sets: a spec parameter may not name them.
    pub query: &'static [&'static str],
}

impl AuthScheme {
    /// The scheme's facts.
    pub const fn info(self) -> &'static AuthSchemeInfo {
        use crate::auth::credentials::env;
        match self {
            AuthScheme::AliyunRpcV1 => &AuthSchemeInfo {
                constructor: "with_aliyun_rpc",
                signer: "AliyunRpcSigner",
                credentials: "AliyunCredentials",
                env_vars: &[
                    env::ALIBABA_CLOUD_ACCESS_KEY_ID,
                    env::ALIBABA_CLOUD_ACCESS_KEY_SECRET,
                    env::ALIBABA_CLOUD_SECURITY_TOKEN,
                ],
                headers: &[],
                header_prefixes: &[],
                query: &[
                    "AccessKeyId",
                    "Signature",
                    "SignatureMethod",
                    "SignatureNonce",
                    "SignatureVersion",
                    "SecurityToken",
                    "Timestamp",
                ],
            },
            AuthScheme::AliyunV3 => &AuthSchemeInfo {
                constructor: "with_aliyun_v3",
                signer: "AliyunV3Signer",
                credentials: "AliyunCredentials",
                env_vars: &[
                    env::ALIBABA_CLOUD_ACCESS_KEY_ID,
                    env::ALIBABA_CLOUD_ACCESS_KEY_SECRET,
                    env::ALIBABA_CLOUD_SECURITY_TOKEN,
                ],
                headers: &[
                    "authorization",
                    "x-acs-action",
                    "x-acs-version",
                    "x-acs-date",
                    "x-acs-signature-nonce",
                    "x-acs-content-sha256",
                    "x-acs-security-token",
                ],
                header_prefixes: &["x-acs-"],
                query: &[],
            },
            AuthScheme::HuaweiAksk => &AuthSchemeInfo {
                constructor: "with_huawei_aksk",
                signer: "HuaweiAkSkSigner",
                credentials: "HuaweiAkSkCredentials",
                env_vars: &[
                    env::HUAWEICLOUD_SDK_AK,
                    env::HUAWEICLOUD_SDK_SK,
                    env::HUAWEICLOUD_SDK_SECURITY_TOKEN,
                ],
                headers: &["authorization", "x-sdk-date", "x-security-token"],
                header_prefixes: &[],
                query: &[],
            },
            AuthScheme::HuaweiToken => &AuthSchemeInfo {
                constructor: "with_huawei_token",
                signer: "HuaweiTokenSigner",
                credentials: "HuaweiIamToken",
                env_vars: &[env::HUAWEICLOUD_IAM_TOKEN],
                headers: &["x-auth-token"],
                header_prefixes: &[],
                query: &[],
            },
            AuthScheme::Bearer => &AuthSchemeInfo {
                constructor: "with_api_key",
                signer: "BearerSigner",
                credentials: "ApiKey",
                env_vars: &[env::ZILLIZ_API_KEY],
                headers: &["authorization"],
                header_prefixes: &[],
                query: &[],
            },
            AuthScheme::Basic => &AuthSchemeInfo {
                constructor: "with_basic_auth",
                signer: "BasicSigner",
                credentials: "BasicCredentials",
                env_vars: &[env::ELASTICSEARCH_USERNAME, env::ELASTICSEARCH_PASSWORD],
                headers: &["authorization"],
                header_prefixes: &[],
                query: &[],
            },
        }
    }
}

/// Headers the request builder and the HTTP client set themselves on every
/// request (lower case): a spec parameter may not name them either.
pub const TRANSPORT_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "user-agent",
    "accept",
    "accept-encoding",
    "date",
    "te",
    "upgrade",
    "expect",
];

/// Whether a header (any case) is set by the transport or by some
/// authentication scheme, so a spec parameter must not name it: it would be
/// overwritten, or break the signature.
pub fn is_reserved_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TRANSPORT_HEADERS.contains(&lower.as_str())
        || AuthScheme::ALL.iter().any(|s| {
            let info = s.info();
            info.headers.contains(&lower.as_str()) || info.header_prefixes.iter().any(|p| lower.starts_with(p))
        })
}

/// Shape of a service's error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorEnvelope {
    /// `{"RequestId", "Code", "Message"}`.
    Aliyun,
    /// `{"error_code", "error_msg"}` or `{"error": {"code", "message"}}`.
    Huawei,
    /// `{"code": <non-zero>, "message"}`, possibly with HTTP 200.
    Zilliz,
    /// `{"error": {"type", "reason"}, "status"}`.
    Elasticsearch,
}

spec_named!(ErrorEnvelope {
    Aliyun => "aliyun", "`{\"RequestId\", \"Code\", \"Message\", ...}`.";
    Huawei => "huawei", "`{\"error_code\", \"error_msg\"}` (also `{\"error\": {\"code\", \"message\"}}`).";
    Zilliz => "zilliz", "`{\"code\": <non-zero>, \"message\"}`, possibly with HTTP 200.";
    Elasticsearch => "elasticsearch", "`{\"error\": {\"type\", \"reason\", ...}, \"status\"}`.";
});

/// Where an error envelope keeps its code, message and request id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeFields {
    /// An object member that, when present, holds the code and message
    /// instead of the top level (`{"error": {...}}`).
    pub nested: Option<NestedError>,
    /// Top-level member with the error code.
    pub code: Option<&'static str>,
    /// Top-level member with the message.
    pub message: Option<&'static str>,
    /// Top-level member with the request id.
    pub request_id: Option<&'static str>,
    /// Other members the envelope carries that the parser does not read
    /// (for the documentation audit).
    pub other: &'static [&'static str],
}

/// The members of a nested error object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NestedError {
    /// The member holding the object (`error`).
    pub member: &'static str,
    /// Its code member.
    pub code: &'static str,
    /// Its message member.
    pub message: &'static str,
    /// Whether the member may instead be a plain string, read as the
    /// message with the member's name as the code (old Elasticsearch).
    pub string_is_message: bool,
}

impl ErrorEnvelope {
    /// Where this envelope keeps its fields.
    pub const fn fields(self) -> EnvelopeFields {
        match self {
            ErrorEnvelope::Aliyun => EnvelopeFields {
                nested: None,
                code: Some("Code"),
                message: Some("Message"),
                request_id: Some("RequestId"),
                other: &["HostId", "Recommend"],
            },
            ErrorEnvelope::Huawei => EnvelopeFields {
                nested: Some(NestedError {
                    member: "error",
                    code: "code",
                    message: "message",
                    string_is_message: false,
                }),
                code: Some("error_code"),
                message: Some("error_msg"),
                request_id: Some("request_id"),
                other: &[],
            },
            ErrorEnvelope::Zilliz => EnvelopeFields {
                nested: None,
                code: Some("code"),
                message: Some("message"),
                request_id: Some("requestId"),
                other: &[],
            },
            ErrorEnvelope::Elasticsearch => EnvelopeFields {
                nested: Some(NestedError {
                    member: "error",
                    code: "type",
                    message: "reason",
                    string_is_message: true,
                }),
                code: None,
                message: None,
                request_id: None,
                other: &["status", "root_cause"],
            },
        }
    }
}

/// Shape of a service's success bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SuccessEnvelope {
    /// The body is the output.
    #[default]
    Plain,
    /// `{"code": 0, "data": <output>}`.
    Zilliz,
}

spec_named!(SuccessEnvelope {
    Plain => "plain", "The body is the operation's output type.";
    Zilliz => "zilliz", "`{\"code\": 0, \"data\": <output>}`.";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_names_round_trip_through_serde() {
        for s in AuthScheme::ALL {
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.spec_name()));
            assert_eq!(serde_json::from_str::<AuthScheme>(&json).unwrap(), *s);
            assert_eq!(format!("{s:?}"), s.rust_name());
        }
        for p in Protocol::ALL {
            assert_eq!(Protocol::from_spec_name(p.spec_name()), Some(*p));
            assert_eq!(format!("{p:?}"), p.rust_name());
        }
        for e in ErrorEnvelope::ALL {
            assert_eq!(ErrorEnvelope::from_spec_name(e.spec_name()), Some(*e));
        }
        for e in SuccessEnvelope::ALL {
            assert_eq!(SuccessEnvelope::from_spec_name(e.spec_name()), Some(*e));
        }
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones() {
        let err = serde_json::from_str::<AuthScheme>("\"kerberos\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `kerberos`"), "{err}");
        assert!(err.contains("`huawei_aksk`"), "{err}");
    }

    #[test]
    fn owned_headers_are_lower_case() {
        for s in AuthScheme::ALL {
            for h in s.info().headers {
                assert_eq!(*h, h.to_ascii_lowercase());
            }
        }
        for h in TRANSPORT_HEADERS {
            assert_eq!(*h, h.to_ascii_lowercase());
        }
    }
}
