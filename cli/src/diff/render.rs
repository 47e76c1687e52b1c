//! Reports: one readable line per change, or the JSON document described in
//! the module docs.

use serde::Serialize;

use super::{Severity, SpecDiff};

/// Name and version of the JSON format.
pub const FORMAT: &str = "cloudsnap-diff/1";

/// Changes counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Breaking changes.
    pub breaking: usize,
    /// Behavioural changes.
    pub behavioural: usize,
    /// Compatible changes.
    pub compatible: usize,
    /// Changes without API or wire effect.
    pub none: usize,
}

impl Summary {
    /// Count the changes of `diffs`.
    pub fn of(diffs: &[SpecDiff]) -> Summary {
        let mut s = Summary::default();
        for c in diffs.iter().flat_map(|d| &d.changes) {
            *s.slot(c.severity) += 1;
        }
        s
    }

    fn slot(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Breaking => &mut self.breaking,
            Severity::Behavioural => &mut self.behavioural,
            Severity::Compatible => &mut self.compatible,
            Severity::None => &mut self.none,
        }
    }

    fn count(mut self, severity: Severity) -> usize {
        *self.slot(severity)
    }

    /// `1 breaking, 2 compatible`; with `all`, zero counts too.
    fn text(self, all: bool) -> String {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| (self.count(*s), s.as_str()))
            .filter(|(n, _)| all || *n > 0)
            .map(|(n, name)| format!("{n} {name}"))
            .collect();
        if parts.is_empty() {
            "no changes".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

fn side(label: &Option<String>) -> &str {
    label.as_deref().unwrap_or("(none)")
}

/// The human report: per spec a header, its changes most severe first (in
/// spec order within a severity), and a count; then the totals.
pub fn human(diffs: &[SpecDiff]) -> String {
    let mut out = String::new();
    for d in diffs {
        let summary = Summary::of(std::slice::from_ref(d));
        out.push_str(&format!("{} ({} -> {})", d.service, side(&d.old), side(&d.new)));
        if d.changes.is_empty() {
            out.push_str(": no changes\n");
            continue;
        }
        out.push('\n');
        for severity in Severity::ALL {
            for c in d.changes.iter().filter(|c| c.severity == severity) {
                let label = severity.as_str().to_uppercase();
                out.push_str(&format!("  {label:<11}  {}: {}\n", c.path, c.reason));
            }
        }
        out.push_str(&format!("  = {}\n", summary.text(false)));
    }
    let specs = if diffs.len() == 1 { "spec" } else { "specs" };
    out.push_str(&format!(
        "total: {} ({} {specs} compared)\n",
        Summary::of(diffs).text(true),
        diffs.len()
    ));
    out
}

#[derive(Serialize)]
struct Report<'a> {
    format: &'static str,
    specs: &'a [SpecDiff],
    summary: Summary,
    highest: Option<Severity>,
}

/// The JSON report (pretty-printed, stable field order).
pub fn json(diffs: &[SpecDiff]) -> String {
    let report = Report {
        format: FORMAT,
        specs: diffs,
        summary: Summary::of(diffs),
        highest: diffs.iter().filter_map(SpecDiff::highest).max(),
    };
    // Plain data with string keys: serializing cannot fail.
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}
