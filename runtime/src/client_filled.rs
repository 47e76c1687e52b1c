//! Parameters a client fills from its configuration when a request leaves
//! them unset: a spec marks one `from_client: region`, and the request type
//! no longer takes it in `new` (Alibaba ECS's `RegionId` is the client's
//! region; saying it twice was a papercut, issue 12).
//!
//! The generated request lists them in [`crate::Operation::CLIENT_FILLED`];
//! the async client calls [`fill`] on the built request before signing. A
//! request sent without the client must set them itself (`with_*`).

use crate::{encode, BuildError, ValidationError};

/// Where a client-filled parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilledIn {
    /// A query parameter.
    Query,
    /// A header.
    Header,
}

/// One parameter the client fills when the request leaves it unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientFilled {
    /// Wire name (`RegionId`).
    pub name: &'static str,
    /// Where it is sent.
    pub location: FilledIn,
    /// The client configuration's endpoint variable that supplies it
    /// (`region`, set with `ClientConfig::region`).
    pub variable: &'static str,
}

/// Add every parameter of `filled` that `request` does not carry yet, with
/// the value `lookup` gives for its variable. A parameter the request sets
/// itself is left alone. A variable `lookup` does not know is an error that
/// says how to supply it, as nothing useful can be sent without it.
pub fn fill(
    request: &mut http::Request<Vec<u8>>,
    filled: &[ClientFilled],
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<(), BuildError> {
    for f in filled {
        let missing = |problem: String| {
            BuildError::Validation(ValidationError {
                parameter: f.name,
                problem,
            })
        };
        match f.location {
            FilledIn::Query => {
                let uri = request.uri().clone();
                let query = uri.query().unwrap_or_default();
                let present = query
                    .split('&')
                    .any(|pair| pair.split('=').next() == Some(encode(f.name).as_str()));
                if present {
                    continue;
                }
                let value = lookup(f.variable).ok_or_else(|| {
                    missing(format!(
                        "is not set, and the client has no `{}` to fill it from (set it on the client \
                         configuration, e.g. ClientConfig::region, or on the request)",
                        f.variable
                    ))
                })?;
                let pair = format!("{}={}", encode(f.name), encode(&value));
                let path = uri.path();
                let path_and_query = if query.is_empty() {
                    format!("{path}?{pair}")
                } else {
                    format!("{path}?{query}&{pair}")
                };
                let mut parts = uri.into_parts();
                parts.path_and_query = Some(
                    path_and_query
                        .parse()
                        .map_err(|e| missing(format!("cannot be added to the query: {e}")))?,
                );
                *request.uri_mut() =
                    http::Uri::from_parts(parts).map_err(|e| missing(format!("cannot be added to the query: {e}")))?;
            }
            FilledIn::Header => {
                if request.headers().contains_key(f.name) {
                    continue;
                }
                let value = lookup(f.variable).ok_or_else(|| {
                    missing(format!(
                        "is not set, and the client has no `{}` to fill it from (set it on the client \
                         configuration or on the request)",
                        f.variable
                    ))
                })?;
                let name = http::HeaderName::from_bytes(f.name.as_bytes())
                    .map_err(|e| missing(format!("is not a header name: {e}")))?;
                let value = http::HeaderValue::from_str(&value)
                    .map_err(|e| missing(format!("cannot be sent as a header value: {e}")))?;
                request.headers_mut().insert(name, value);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: ClientFilled = ClientFilled {
        name: "RegionId",
        location: FilledIn::Query,
        variable: "region",
    };

    fn request(uri: &str) -> http::Request<Vec<u8>> {
        http::Request::get(uri).body(Vec::new()).expect("request")
    }

    fn region(v: &str) -> Option<String> {
        (v == "region").then(|| "cn hangzhou".to_owned())
    }

    #[test]
    fn an_unset_parameter_is_filled_and_encoded() {
        let mut r = request("/?Action=DescribeSnapshots");
        fill(&mut r, &[REGION], region).expect("filled");
        assert_eq!(r.uri().to_string(), "/?Action=DescribeSnapshots&RegionId=cn%20hangzhou");
        let mut r = request("/");
        fill(&mut r, &[REGION], region).expect("filled");
        assert_eq!(r.uri().to_string(), "/?RegionId=cn%20hangzhou");
    }

    #[test]
    fn a_parameter_the_request_sets_is_kept() {
        let mut r = request("/?RegionId=eu-central-1&RegionIdX=1");
        fill(&mut r, &[REGION], region).expect("kept");
        assert_eq!(r.uri().to_string(), "/?RegionId=eu-central-1&RegionIdX=1");
    }

    #[test]
    fn a_missing_variable_says_how_to_supply_it() {
        let mut r = request("/?RegionIdX=1");
        let e = fill(&mut r, &[REGION], |_| None).expect_err("no region");
        let text = e.to_string();
        assert!(
            text.contains("RegionId") && text.contains("ClientConfig::region"),
            "{text}"
        );
    }

    #[test]
    fn headers_are_filled_unless_set() {
        let header = ClientFilled {
            name: "X-Project-Id",
            location: FilledIn::Header,
            variable: "region",
        };
        let mut r = request("/");
        fill(&mut r, &[header], region).expect("filled");
        assert_eq!(r.headers()["x-project-id"], "cn hangzhou");
        let mut r = http::Request::get("/")
            .header("X-Project-Id", "p")
            .body(Vec::new())
            .expect("request");
        fill(&mut r, &[header], region).expect("kept");
        assert_eq!(r.headers()["x-project-id"], "p");
    }
}
