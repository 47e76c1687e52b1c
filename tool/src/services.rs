//! The services this binary knows, and how an operator may name them.

use cloudsnap::client::DynService;

/// Every generated service, as its call-by-name table. `tests/services.rs`
/// checks that each spec in `specs/` is here.
pub fn all() -> [&'static DynService; 5] {
    [
        &cloudsnap::aliyun::ecs::DYNAMIC,
        &cloudsnap::aliyun::elasticsearch::DYNAMIC,
        &cloudsnap::huawei::cbr::DYNAMIC,
        &cloudsnap::huawei::css::DYNAMIC,
        &cloudsnap::zilliz::cloud::DYNAMIC,
    ]
}

/// The names a service answers to: its feature and spec name
/// (`huawei-cbr`), `vendor.id` and `vendor::id`, and, where no other service
/// shares it, its id alone (`cbr`) or its vendor alone (`zilliz`).
pub fn names(service: &DynService) -> Vec<String> {
    let info = service.info;
    let mut names = vec![
        service.feature.to_owned(),
        format!("{}.{}", info.vendor, info.id),
        format!("{}::{}", info.vendor, info.id),
    ];
    let services = all();
    if services.iter().filter(|s| s.info.id == info.id).count() == 1 {
        names.push(info.id.to_owned());
    }
    if services.iter().filter(|s| s.info.vendor == info.vendor).count() == 1 {
        names.push(info.vendor.to_owned());
    }
    names
}

/// The service named `name` (case-insensitive), or a message listing the
/// valid names.
pub fn find(name: &str) -> Result<&'static DynService, String> {
    let wanted = name.to_ascii_lowercase();
    all().into_iter().find(|s| names(s).contains(&wanted)).ok_or_else(|| {
        let valid: Vec<String> = all().iter().map(|s| names(s).join(" | ")).collect();
        format!("unknown service `{name}`; valid: {}", valid.join(", "))
    })
}

/// The environment variable that overrides the service's endpoint
/// (`CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT`), as the mock server prints it and the
/// examples read it.
pub fn endpoint_variable(service: &DynService) -> String {
    format!("CLOUDSNAP_{}_{}_ENDPOINT", service.info.vendor, service.info.id)
        .to_ascii_uppercase()
        .replace(['-', '.'], "_")
}
