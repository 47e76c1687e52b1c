//! Human output (tables) and machine output (`--json`).

use cloudsnap::client::{DynResource, DynService};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde_json::{json, Value};

use crate::services;

/// A table with the project's look: condensed borders, wrapped to the
/// terminal when there is one.
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    // A terminal that reports no usable width (a bare pseudo terminal)
    // would squeeze every column to one character; print at full width.
    if table.width().is_some_and(|w| w < 40) {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
    table
}

/// A JSON value: pretty for people, one line with `--json`.
pub fn json(value: &Value, machine: bool) {
    if machine {
        out!("{value}");
    } else {
        match serde_json::to_string_pretty(value) {
            Ok(text) => out!("{text}"),
            Err(_) => out!("{value}"),
        }
    }
}

/// `cloudsnap services`.
pub fn services(all: &[&'static DynService], machine: bool) {
    if machine {
        let list: Vec<Value> = all
            .iter()
            .map(|s| {
                json!({
                    "service": s.feature,
                    "names": services::names(s),
                    "vendor": s.info.vendor,
                    "title": s.info.title,
                    "endpoint_variable": services::endpoint_variable(s),
                    "operations": s.operations.iter().map(|op| op.wire_name).collect::<Vec<_>>(),
                    "resources": (s.resources)().iter().map(|r| json!({
                        "name": r.name(),
                        "commands": resource_commands(*r),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        out!("{}", Value::Array(list));
        return;
    }
    let mut t = table(&["SERVICE", "ALSO", "TITLE", "OPERATIONS", "RESOURCES"]);
    for s in all {
        let names = services::names(s);
        t.add_row(vec![
            s.feature.to_owned(),
            names[1..].join(" "),
            s.info.title.to_owned(),
            s.operations
                .iter()
                .map(|op| op.wire_name)
                .collect::<Vec<_>>()
                .join(", "),
            (s.resources)()
                .iter()
                .map(|r| match resource_commands(*r) {
                    c if c.is_empty() => format!("{} (no list or describe operation)", r.name()),
                    c => format!("{} ({})", r.name(), c.join(", ")),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ]);
    }
    out!("{t}");
}

/// The lifecycle commands a resource supports: `list` with a list
/// operation, `describe` and `wait` with a describe operation.
fn resource_commands(r: &dyn DynResource) -> Vec<&'static str> {
    let decl = r.decl();
    let mut commands = Vec::new();
    if decl.list.is_some() {
        commands.push("list");
    }
    if decl.describe.is_some() {
        commands.extend(["describe", "wait"]);
    }
    commands
}

/// `cloudsnap services SERVICE`.
pub fn operations(service: &DynService, machine: bool) {
    if machine {
        let ops: Vec<Value> = service
            .operations
            .iter()
            .map(|op| {
                json!({
                    "operation": op.wire_name,
                    "rust_name": op.rust_name,
                    "summary": op.summary,
                    "params": op.params.iter().map(|p| json!({
                        "name": p.wire_name,
                        "rust_name": p.rust_name,
                        "type": p.type_name,
                        "required": p.required,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        out!(
            "{}",
            json!({ "service": service.feature, "title": service.info.title, "operations": ops })
        );
        return;
    }
    out!("{} ({})", service.info.title, service.feature);
    for op in service.operations {
        out!();
        out!("{} ({}): {}", op.wire_name, op.rust_name, op.summary);
        if op.params.is_empty() {
            out!("  no parameters");
            continue;
        }
        let mut t = table(&["PARAMETER", "RUST NAME", "TYPE", "REQUIRED"]);
        for p in op.params {
            t.add_row(vec![
                p.wire_name,
                p.rust_name,
                p.type_name,
                if p.required { "yes" } else { "" },
            ]);
        }
        out!("{t}");
    }
}
