//! Human output (tables) and machine output (`--json`).

use cloudsnap::client::DynService;
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
    table
}

/// A JSON value: pretty for people, one line with `--json`.
pub fn json(value: &Value, machine: bool) {
    if machine {
        println!("{value}");
    } else {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(_) => println!("{value}"),
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
                })
            })
            .collect();
        println!("{}", Value::Array(list));
        return;
    }
    let mut t = table(&["SERVICE", "ALSO", "TITLE", "OPERATIONS"]);
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
        ]);
    }
    println!("{t}");
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
        println!(
            "{}",
            json!({ "service": service.feature, "title": service.info.title, "operations": ops })
        );
        return;
    }
    println!("{} ({})", service.info.title, service.feature);
    for op in service.operations {
        println!();
        println!("{} ({}): {}", op.wire_name, op.rust_name, op.summary);
        if op.params.is_empty() {
            println!("  no parameters");
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
        println!("{t}");
    }
}
