//! Building an `http::Request` from a generated request type.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{BuildError, OperationInfo, Protocol};

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`)
/// is percent-encoded, in path segments and in query names and values. This
/// is also the encoding Alibaba's and Huawei's signatures canonicalize with.
pub const STRICT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encode with [`STRICT`].
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, STRICT).to_string()
}

/// Accumulates path, query, headers and body; generated code drives it.
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    body: Option<Map<String, Value>>,
}

impl RequestBuilder {
    /// Start a request for an operation; Alibaba RPC operations get
    /// `Action`, `Version` and `Format=JSON` first.
    pub fn new(info: &OperationInfo) -> Self {
        let mut b = RequestBuilder {
            method: info.method,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        };
        if info.service.protocol == Protocol::AliyunRpc {
            b.query("Action", info.action.to_owned());
            if let Some(v) = info.service.api_version {
                b.query("Version", v.to_owned());
            }
            // We parse JSON; the RPC default is XML.
            b.query("Format", "JSON".to_owned());
        }
        b
    }

    /// Append literal text from the path template.
    pub fn path_literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Append one path parameter as exactly one encoded segment: `/`, `?`,
    /// `#` and `%` are encoded, and empty or dot segments are refused, so a
    /// value can never change which resource the path names.
    pub fn path_param(&mut self, parameter: &'static str, value: &str) -> Result<(), BuildError> {
        let problem = match value {
            "" => Some("is empty"),
            "." | ".." => Some("is a dot segment"),
            _ => None,
        };
        if let Some(problem) = problem {
            return Err(BuildError::PathParameter { parameter, problem });
        }
        self.path.push_str(&encode(value));
        Ok(())
    }

    /// Add a query parameter (encoded when the request is finished).
    pub fn query(&mut self, name: &str, value: String) {
        self.query.push((name.to_owned(), value));
    }

    /// Add a query parameter whose value is the JSON text of `value`.
    pub fn query_json<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), BuildError> {
        let text = serde_json::to_string(value).map_err(|source| BuildError::Encode {
            parameter: name,
            source,
        })?;
        self.query(name, text);
        Ok(())
    }

    /// Add a list joined with commas.
    pub fn query_comma<T: std::fmt::Display>(&mut self, name: &str, items: &[T]) {
        let joined = items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        self.query(name, joined);
    }

    /// Add a list flattened Alibaba-style: `Name.1.Key=..`, `Name.2=..`,
    /// counting from 1, nested objects joined with dots, nulls skipped.
    pub fn query_flattened<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), BuildError> {
        let value = serde_json::to_value(value).map_err(|source| BuildError::Encode {
            parameter: name,
            source,
        })?;
        flatten(name, &value, &mut self.query);
        Ok(())
    }

    /// Add a header; names and values that HTTP cannot carry (CR, LF, other
    /// control characters) are refused, and so are non-ASCII values: HTTP
    /// gives such bytes no charset (peers read them as Latin-1), and an RTL
    /// override or similar would reach logs unescaped.
    pub fn header(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
        let header_name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| BuildError::Header {
            name: name.to_owned(),
            reason: e.to_string(),
        })?;
        if !value.is_ascii() {
            return Err(BuildError::Header {
                name: name.to_owned(),
                reason: "the value contains non-ASCII characters".to_owned(),
            });
        }
        let header_value = http::HeaderValue::from_str(value).map_err(|_| BuildError::Header {
            name: name.to_owned(),
            reason: "the value contains control characters such as CR or LF".to_owned(),
        })?;
        self.headers.push((header_name, header_value));
        Ok(())
    }

    /// Add a member to the JSON body object.
    pub fn body_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), BuildError> {
        let value = serde_json::to_value(value).map_err(|source| BuildError::Encode {
            parameter: name,
            source,
        })?;
        self.body.get_or_insert_with(Map::new).insert(name.to_owned(), value);
        Ok(())
    }

    /// Assemble the request with an origin-form URI (`/path?query`).
    pub fn finish(self) -> Result<http::Request<Vec<u8>>, BuildError> {
        let mut uri = self.path;
        if uri.is_empty() {
            uri.push('/');
        }
        for (i, (k, v)) in self.query.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.push_str(&encode(k));
            uri.push('=');
            uri.push_str(&encode(v));
        }
        let mut builder = http::Request::builder()
            .method(self.method)
            .uri(uri)
            .header(http::header::ACCEPT, "application/json");
        let body = match self.body {
            Some(map) => {
                builder = builder.header(http::header::CONTENT_TYPE, "application/json");
                serde_json::to_vec(&map).map_err(|source| BuildError::Encode {
                    parameter: "body",
                    source,
                })?
            }
            None => Vec::new(),
        };
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        Ok(builder.body(body)?)
    }
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((prefix.to_owned(), b.to_string())),
        Value::Number(n) => out.push((prefix.to_owned(), n.to_string())),
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{}", i + 1), item, out);
            }
        }
        Value::Object(members) => {
            for (k, v) in members {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuthScheme, ErrorEnvelope, ServiceInfo, SuccessEnvelope};

    const SERVICE: ServiceInfo = ServiceInfo {
        id: "t",
        vendor: "v",
        title: "T",
        source: "s",
        protocol: Protocol::RestJson,
        api_version: None,
        endpoints: &[],
        auth: &[AuthScheme::Bearer],
        error_envelope: ErrorEnvelope::Huawei,
        success_envelope: SuccessEnvelope::Plain,
    };
    const INFO: OperationInfo = OperationInfo {
        service: &SERVICE,
        name: "Op",
        method: "GET",
        path: "/v1/{id}",
        action: "Op",
        success_status: 200,
        idempotent: true,
    };

    #[test]
    fn path_parameters_stay_in_one_segment() {
        for (value, encoded) in [
            ("../../admin", "..%2F..%2Fadmin"),
            ("a/b", "a%2Fb"),
            ("x?y#z", "x%3Fy%23z"),
            ("50%", "50%25"),
        ] {
            let mut b = RequestBuilder::new(&INFO);
            b.path_literal("/v1/");
            b.path_param("id", value).unwrap();
            let req = b.finish().unwrap();
            assert_eq!(req.uri().path(), format!("/v1/{encoded}"));
        }
        for bad in ["", ".", ".."] {
            let mut b = RequestBuilder::new(&INFO);
            assert!(b.path_param("id", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn headers_with_cr_or_lf_are_refused() {
        let mut b = RequestBuilder::new(&INFO);
        assert!(b.header("X-Test", "a\r\nInjected: yes").is_err());
        assert!(b.header("X-Test", "fine").is_ok());
    }

    #[test]
    fn flattens_lists_of_objects_and_scalars() {
        let mut b = RequestBuilder::new(&INFO);
        b.query_flattened("Tag", &serde_json::json!([{"Key": "k", "Value": "v w"}, {"Key": "k2"}]))
            .unwrap();
        b.query_flattened("Id", &["a", "b"]).unwrap();
        let req = b.finish().unwrap();
        assert_eq!(
            req.uri().query(),
            Some("Tag.1.Key=k&Tag.1.Value=v%20w&Tag.2.Key=k2&Id.1=a&Id.2=b")
        );
    }
}
