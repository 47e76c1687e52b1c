//! What every example shares: where to send requests.
//!
//! Each example talks to the vendor's real endpoint for the region in
//! `CLOUDSNAP_REGION` (credentials from the vendor's SDK environment
//! variables), unless `CLOUDSNAP_<VENDOR>_<SERVICE>_ENDPOINT` names another
//! endpoint, such as the mock server (`cargo run -p cloudsnap-mock -- specs/`
//! prints the variables to export).

use cloudsnap::client::ClientConfig;

/// `config` pointed at the override endpoint if `variable` is set, else at
/// the region in `CLOUDSNAP_REGION` (or `default_region`).
pub fn endpoint(config: ClientConfig, variable: &str, default_region: &str) -> ClientConfig {
    // The region also fills requests that carry it (ECS `RegionId`), so it
    // is set with an endpoint override too.
    let region = std::env::var("CLOUDSNAP_REGION").unwrap_or_else(|_| default_region.to_owned());
    let config = config.region(region);
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => {
            eprintln!("endpoint override from {variable}: {url}");
            config.endpoint(url)
        }
        _ => config,
    }
}

/// The value of `variable`, or `default` (the document's example value, which
/// the mock server accepts).
pub fn arg(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_owned())
}
