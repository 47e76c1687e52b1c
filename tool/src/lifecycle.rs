//! `list`, `describe` and `wait`: snapshots and backups of any service
//! through the generated type-erased resources (`<service>::resources()`),
//! shown as the cross-cloud `SnapshotSummary`.

use std::io::IsTerminal as _;
use std::time::Duration;

use cloudsnap::client::{DynError, DynResource, DynService, WaitError, WaitOptions, WaitProgress};
use cloudsnap::lifecycle::{SnapshotSummary, State, ViewDecl};
use indicatif::{HumanBytes, ProgressBar, ProgressStyle};
use serde_json::{json, Map, Value};

use crate::output::table;
use crate::Failure;

/// The resource of `service` named `name` (its only or first one without a
/// name).
pub fn resource(service: &DynService, name: Option<&str>) -> Result<&'static dyn DynResource, Failure> {
    let all = (service.resources)();
    let found = match name {
        Some(name) => all.iter().find(|r| r.name() == name),
        None => all.first(),
    };
    if let Some(found) = found {
        return Ok(*found);
    }
    let names: Vec<&str> = all.iter().map(|r| r.name()).collect();
    Err(Failure::Usage(if names.is_empty() {
        format!("{} declares no snapshot or backup resource", service.feature)
    } else {
        format!(
            "{} has no resource `{}`; valid: {}",
            service.feature,
            name.unwrap_or_default(),
            names.join(", ")
        )
    }))
}

/// Parameters for a view's operation, keyed by wire name; names the
/// operation does not have are refused with the valid ones listed (the id
/// parameter of a describe view comes from the ID argument instead).
pub fn view_params(service: &DynService, view: &ViewDecl, params: Value) -> Result<Map<String, Value>, Failure> {
    let op = service.operation(view.operation)?;
    let wire = op.wire_params(params)?;
    if let Some((id, _)) = view.id_param {
        if wire.contains_key(id) {
            return Err(Failure::Usage(format!(
                "`{id}` is the id argument of this command, not a --param"
            )));
        }
    }
    Ok(wire)
}

/// The exit status a type-erased error calls for: 5 when credentials were
/// the problem, 2 when the resource cannot do what was asked or the
/// parameters do not make a request, else 1 (a failed call, a resource
/// that does not exist).
pub fn dyn_failure(e: &DynError) -> Failure {
    let message = cloudsnap::runtime::error_chain(e);
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e.get_ref());
    while let Some(c) = cause {
        if c.is::<cloudsnap::auth::ProviderError>() {
            return Failure::Config(message);
        }
        if c.is::<cloudsnap::client::waiter::ResourceNotFound>() {
            return Failure::Operation {
                message,
                detail: json!({ "not_found": true }),
            };
        }
        if c.is::<cloudsnap::client::waiter::Unsupported>() {
            return Failure::Usage(message);
        }
        cause = c.source();
    }
    Failure::Operation {
        message,
        detail: Value::Null,
    }
}

/// A summary as JSON (its serde form).
pub fn summary_json(s: &SnapshotSummary) -> Value {
    serde_json::to_value(s).unwrap_or(Value::Null)
}

/// Summaries as a table, one row each.
pub fn summaries_table(items: &[SnapshotSummary]) -> String {
    let mut t = table(&[
        "SERVICE",
        "KIND",
        "ID",
        "NAME",
        "STATE",
        "RAW STATE",
        "CREATED",
        "SIZE",
        "PROGRESS",
        "EXPIRES",
    ]);
    for s in items {
        t.add_row(vec![
            format!("{}.{}", s.vendor, s.service),
            s.kind.to_owned(),
            s.id.clone(),
            s.name.clone().unwrap_or_default(),
            s.state.to_string(),
            s.raw_state.clone().unwrap_or_default(),
            s.created_at.clone().unwrap_or_default(),
            s.size_bytes.map(|b| HumanBytes(b).to_string()).unwrap_or_default(),
            s.progress.map(percent).unwrap_or_default(),
            s.expires_at.clone().unwrap_or_default(),
        ]);
    }
    t.to_string()
}

/// One summary as a two-column table.
pub fn summary_table(s: &SnapshotSummary) -> String {
    let mut t = table(&["FIELD", "VALUE"]);
    let rows: [(&str, Option<String>); 10] = [
        ("service", Some(format!("{}.{}", s.vendor, s.service))),
        ("kind", Some(s.kind.to_owned())),
        ("id", Some(s.id.clone())),
        ("name", s.name.clone()),
        ("state", Some(s.state.to_string())),
        ("raw state", s.raw_state.clone()),
        ("created", s.created_at.clone()),
        ("size", s.size_bytes.map(|b| format!("{} ({b} bytes)", HumanBytes(b)))),
        ("progress", s.progress.map(percent)),
        ("expires", s.expires_at.clone()),
    ];
    for (field, value) in rows {
        t.add_row(vec![field.to_owned(), value.unwrap_or_default()]);
    }
    t.to_string()
}

fn percent(p: f64) -> String {
    format!("{p}%")
}

/// How `wait` polls, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct WaitSettings {
    pub target: State,
    pub timeout: Duration,
    pub min_delay: Duration,
    pub max_delay: Duration,
}

/// Wait for `id` to reach the target state, with a spinner on stderr when
/// it is a terminal. A failure state is exit 3, a timeout exit 4.
pub async fn wait(
    resource: &dyn DynResource,
    client: &cloudsnap::client::Client,
    id: &str,
    params: &Map<String, Value>,
    settings: WaitSettings,
) -> Result<SnapshotSummary, Failure> {
    let spinner = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}") {
            bar.set_style(style);
        }
        bar.set_message(format!(
            "waiting for {} {id} to be {}",
            resource.name(),
            settings.target
        ));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let mut options = WaitOptions::default()
        .max_wait(settings.timeout)
        .min_delay(settings.min_delay)
        .max_delay(settings.max_delay);
    if let Some(bar) = spinner.clone() {
        let (kind, target) = (resource.name(), settings.target);
        let id = id.to_owned();
        options = options.on_progress(move |p: &WaitProgress| bar.set_message(progress_line(kind, &id, target, p)));
    }
    let result = resource.wait(client, id, params, settings.target, options).await;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    result.map_err(|e| match e {
        WaitError::FailureState { summary, .. } => Failure::State {
            code: 3,
            message: cloudsnap::runtime::error_chain(&WaitError::<SnapshotSummary, DynError>::FailureState {
                target: settings.target,
                output: Box::new(summary.clone()),
                summary: summary.clone(),
            }),
            kind: "failure_state",
            last: Some(Box::new(summary)),
        },
        WaitError::TimedOut { last, .. } => {
            let message = format!(
                "timed out after {} waiting for {} {id} to be {}; last state: {}",
                humantime::format_duration(settings.timeout),
                resource.name(),
                settings.target,
                last.as_ref().map_or("not found".to_owned(), |s| format!(
                    "{} ({})",
                    s.state,
                    s.raw_state.as_deref().unwrap_or("none")
                ))
            );
            Failure::State {
                code: 4,
                message,
                kind: "timed_out",
                last: last.map(Box::new),
            }
        }
        WaitError::NotFound { .. } => Failure::Operation {
            message: cloudsnap::runtime::error_chain(&e),
            detail: json!({ "not_found": id }),
        },
        WaitError::Operation(inner) => dyn_failure(&inner),
        WaitError::Invalid(message) => Failure::Usage(message),
        other => Failure::Operation {
            message: cloudsnap::runtime::error_chain(&other),
            detail: Value::Null,
        },
    })
}

fn progress_line(kind: &str, id: &str, target: State, p: &WaitProgress) -> String {
    let seen = match &p.observed {
        None => "not found yet".to_owned(),
        Some(s) => {
            let mut seen = format!("{} ({})", s.state, s.raw_state.as_deref().unwrap_or("no state"));
            if let Some(progress) = s.progress {
                seen.push_str(&format!(", {}", percent(progress)));
            }
            seen
        }
    };
    format!("{kind} {id}: {seen} · poll {} · waiting for {target}", p.attempt)
}
