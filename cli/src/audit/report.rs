//! Printing audit reports: a grouped human-readable list, or JSON.

use std::fmt::Write as _;

use super::compare::Explanation;
use super::Report;

fn because(e: &Option<Explanation>) -> String {
    match e {
        Some(e) => format!("  [explained: errata[{}] ({}) at {}]", e.index, e.kind, e.at),
        None => String::new(),
    }
}

/// The reports as text: per spec, the names in the document missing from
/// the spec (with document lines), then the names in the spec missing from
/// the document (with YAML paths); explained ones say by which erratum.
pub fn human(reports: &[Report]) -> String {
    let mut s = String::new();
    for r in reports {
        let d = &r.differences;
        let _ = writeln!(
            s,
            "audit {} against {} ({})",
            r.spec.display(),
            r.document.display(),
            r.format
        );
        let _ = writeln!(s, "  in document, missing from spec: {}", d.missing_from_spec.len());
        for x in &d.missing_from_spec {
            let lines: Vec<String> = x.seen.iter().map(|l| l.line.to_string()).collect();
            let context = x.seen.first().map(|l| l.context.as_str()).unwrap_or("");
            let note = x.note.as_ref().map(|n| format!("; {n}")).unwrap_or_default();
            let _ = writeln!(
                s,
                "    {} `{}`: document line {} ({}{note}){}",
                x.kind.label(),
                x.name,
                lines.join(", "),
                context,
                because(&x.explained_by)
            );
        }
        let _ = writeln!(s, "  in spec, missing from document: {}", d.missing_from_document.len());
        for x in &d.missing_from_document {
            let line = x.line.map(|l| format!(" (spec line {l})")).unwrap_or_default();
            let line = match &x.note {
                Some(n) => format!("{line}; {n}"),
                None => line,
            };
            let _ = writeln!(
                s,
                "    {} `{}`: {}{}{}",
                x.kind.label(),
                x.name,
                x.path,
                line,
                because(&x.explained_by)
            );
        }
        let _ = writeln!(s, "  unexplained: {}", r.unexplained());
    }
    let total: usize = reports.iter().map(Report::unexplained).sum();
    let _ = writeln!(
        s,
        "{}: {} spec(s) audited, {} unexplained difference(s)",
        if total == 0 { "ok" } else { "FAILED" },
        reports.len(),
        total
    );
    s
}

/// The reports as a JSON array (one object per spec).
pub fn json(reports: &[Report]) -> String {
    let values: Vec<serde_json::Value> = reports
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("unexplained".into(), r.unexplained().into());
            }
            v
        })
        .collect();
    serde_json::to_string_pretty(&values).unwrap_or_default()
}
