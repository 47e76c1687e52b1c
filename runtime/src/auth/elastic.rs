//! Elasticsearch's API key scheme: `Authorization: ApiKey <encoded>`, where
//! `encoded` is base64 of `id:api_key` (Elasticsearch reference, "Create
//! API key API" and "Security settings / API keys": clients send the
//! `encoded` value with the `ApiKey` scheme).

use http::header::AUTHORIZATION;

use super::canonical;
use super::{ElasticApiKey, SignError, Signer, SigningContext};

/// Sends an Elasticsearch API key as `Authorization: ApiKey <encoded>`.
#[derive(Debug, Clone)]
pub struct ElasticApiKeySigner {
    key: ElasticApiKey,
}

impl ElasticApiKeySigner {
    /// A signer sending this key.
    pub fn new(key: ElasticApiKey) -> Self {
        ElasticApiKeySigner { key }
    }
}

impl Signer for ElasticApiKeySigner {
    fn sign(&self, request: &mut http::Request<Vec<u8>>, _ctx: &SigningContext) -> Result<(), SignError> {
        canonical::check_headers(request.headers())?;
        canonical::target(request.uri())?;
        let value = format!("ApiKey {}", self.key.encoded.expose());
        let value = canonical::sensitive_header_value(AUTHORIZATION.as_str(), &value)?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Secret;

    #[test]
    fn api_key_header() {
        let mut req = http::Request::get("https://es.example.com:9200/_snapshot")
            .body(Vec::new())
            .unwrap();
        // Worked example of the Elasticsearch "Create API key" page: id
        // `VuaCfGcBCdbkQm-e5aOx`, api_key `ui2lp2axTNmsyakw9tvNnw`.
        let key = ElasticApiKey::from_parts("VuaCfGcBCdbkQm-e5aOx", &Secret::new("ui2lp2axTNmsyakw9tvNnw"));
        ElasticApiKeySigner::new(key)
            .sign(&mut req, &SigningContext::now())
            .unwrap();
        assert_eq!(
            req.headers()["authorization"],
            "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
        );
        assert!(req.headers()["authorization"].is_sensitive());
        let err = ElasticApiKeySigner::new(ElasticApiKey::new("a\nb"))
            .sign(&mut req, &SigningContext::now())
            .unwrap_err();
        assert!(matches!(err, SignError::InvalidHeaderValue { .. }));
    }
}
