//! Service-wide changes: module path, protocol, endpoints, authentication,
//! envelopes, documentation and errata.

use super::{service_name, Change, Kind, Severity};
use cloudsnap_codegen::model::Model;

/// Push every service-level change from `old` to `new`.
pub(super) fn compare(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let (o, n) = (&old.service, &new.service);
    let (old_path, new_path) = (service_name(old), service_name(new));
    if old_path != new_path {
        out.push(
            Change::new(
                Kind::ModuleMoved,
                "service",
                Severity::Breaking,
                format!(
                    "module moves from cloudsnap::{old_path} to cloudsnap::{new_path}: every `use` of it stops compiling"
                ),
            )
            .was(&old_path)
            .now(&new_path),
        );
    }
    for (key, a, b, what) in [
        (
            "title",
            Some(&o.title),
            Some(&n.title),
            "title (module documentation and SERVICE.title)",
        ),
        ("docs", o.docs.as_ref(), n.docs.as_ref(), "module documentation"),
        (
            "source",
            Some(&o.source),
            Some(&n.source),
            "source document (module documentation and SERVICE.source)",
        ),
    ] {
        if a != b {
            out.push(docs_change(format!("service.{key}"), a, b, what));
        }
    }
    if o.protocol != n.protocol {
        out.push(
            Change::new(
                Kind::ProtocolChanged,
                "service.protocol",
                Severity::Behavioural,
                "wire protocol changed: every request is built and every response parsed differently",
            )
            .was(o.protocol.to_string())
            .now(n.protocol.to_string()),
        );
    }
    if o.api_version != n.api_version {
        let mut c = Change::new(
            Kind::ApiVersionChanged,
            "service.api_version",
            Severity::Behavioural,
            "API version changed: requests ask the server for a different version (SERVICE.api_version)",
        );
        c.old = o.api_version.clone();
        c.new = n.api_version.clone();
        out.push(c);
    }
    endpoints(old, new, out);
    auth(old, new, out);
    for (key, a, b) in [
        (
            "error_envelope",
            o.error_envelope.to_string(),
            n.error_envelope.to_string(),
        ),
        (
            "success_envelope",
            o.success_envelope.to_string(),
            n.success_envelope.to_string(),
        ),
    ] {
        if a != b {
            out.push(
                Change::new(
                    Kind::EnvelopeChanged,
                    format!("service.{key}"),
                    Severity::Behavioural,
                    "response bodies are unwrapped differently: the same server answer may now parse differently",
                )
                .was(a)
                .now(b),
            );
        }
    }
    let (oe, ne) = (json(&old.errata), json(&new.errata));
    if oe != ne {
        out.push(Change::new(
            Kind::DocsChanged,
            "errata",
            Severity::None,
            "errata changed (module documentation only)",
        ));
    }
}

fn endpoints(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let o: Vec<&str> = old.service.endpoints.iter().map(|e| e.template.as_str()).collect();
    let n: Vec<&str> = new.service.endpoints.iter().map(|e| e.template.as_str()).collect();
    for t in o.iter().filter(|t| !n.contains(t)) {
        out.push(
            Change::new(
                Kind::EndpointRemoved,
                "service.endpoints",
                Severity::Behavioural,
                format!("endpoint `{t}` removed from SERVICE.endpoints: callers that pick it by position or name no longer find it"),
            )
            .was(t),
        );
    }
    for t in n.iter().filter(|t| !o.contains(t)) {
        out.push(
            Change::new(
                Kind::EndpointAdded,
                "service.endpoints",
                Severity::Compatible,
                format!("endpoint `{t}` added to SERVICE.endpoints"),
            )
            .now(t),
        );
    }
    let kept_o: Vec<&&str> = o.iter().filter(|t| n.contains(t)).collect();
    let kept_n: Vec<&&str> = n.iter().filter(|t| o.contains(t)).collect();
    if kept_o != kept_n {
        out.push(
            Change::new(
                Kind::EndpointsReordered,
                "service.endpoints",
                Severity::Behavioural,
                "endpoints reordered: SERVICE.endpoints[i] names a different endpoint",
            )
            .was(o.join(", "))
            .now(n.join(", ")),
        );
    }
    for oe in &old.service.endpoints {
        if let Some(ne) = new.service.endpoints.iter().find(|e| e.template == oe.template) {
            if oe.docs != ne.docs {
                out.push(docs_change(
                    format!("service.endpoints.{}", oe.template),
                    oe.docs.as_ref(),
                    ne.docs.as_ref(),
                    "endpoint documentation",
                ));
            }
        }
    }
}

fn auth(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let (o, n) = (&old.service.auth, &new.service.auth);
    for a in o.iter().filter(|a| !n.contains(a)) {
        out.push(
            Change::new(
                Kind::AuthRemoved,
                "service.auth",
                Severity::Behavioural,
                format!("authentication scheme `{a}` removed from SERVICE.auth: callers signing that way are no longer supported"),
            )
            .was(a.to_string()),
        );
    }
    for a in n.iter().filter(|a| !o.contains(a)) {
        out.push(
            Change::new(
                Kind::AuthAdded,
                "service.auth",
                Severity::Compatible,
                format!("authentication scheme `{a}` added to SERVICE.auth"),
            )
            .now(a.to_string()),
        );
    }
    let kept_o: Vec<_> = o.iter().filter(|a| n.contains(a)).collect();
    let kept_n: Vec<_> = n.iter().filter(|a| o.contains(a)).collect();
    if kept_o != kept_n {
        out.push(
            Change::new(
                Kind::AuthReordered,
                "service.auth",
                Severity::Behavioural,
                "preferred authentication scheme order changed (SERVICE.auth lists preferred first)",
            )
            .was(spelled(o))
            .now(spelled(n)),
        );
    }
}

/// A list of schemes as the spec spells it: `[huawei_token, huawei_aksk]`.
fn spelled(schemes: &[cloudsnap_codegen::spec::AuthScheme]) -> String {
    let names: Vec<&str> = schemes.iter().map(|a| a.spec_name()).collect();
    format!("[{}]", names.join(", "))
}

/// A documentation-only change.
pub(super) fn docs_change(path: String, old: Option<&String>, new: Option<&String>, what: &str) -> Change {
    let mut c = Change::new(Kind::DocsChanged, path, Severity::None, format!("{what} changed"));
    c.old = old.cloned();
    c.new = new.cloned();
    c
}

/// A serializable value as JSON, for comparing spec structs that do not
/// implement `PartialEq`.
pub(super) fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
