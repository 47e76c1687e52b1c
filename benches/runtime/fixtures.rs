//! The documented examples, read from `specs/` through the generator's own
//! loader, so the benchmark always uses exactly what the example tests use.

use std::collections::BTreeMap;
use std::path::Path;

/// A success response example.
pub struct ResponseExample {
    /// Example name (`document`).
    pub name: String,
    /// HTTP status.
    pub status: u16,
    /// Body as sent.
    pub body: String,
}

/// The examples of one operation.
#[derive(Default)]
pub struct OperationExamples {
    /// Success responses.
    pub responses: Vec<ResponseExample>,
    /// Request parameters (JSON object by wire name) of the first example
    /// that has a request.
    pub request_params: Option<String>,
}

/// Examples keyed by (spec file stem, operation id).
pub struct Fixtures {
    /// Every operation of every spec file, enabled or not.
    pub operations: BTreeMap<(String, String), OperationExamples>,
}

impl Fixtures {
    /// Load every spec in `specs/`; panics (this is a benchmark setup) with
    /// the diagnostics if one does not load.
    pub fn load() -> Fixtures {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
        let mut operations = BTreeMap::new();
        for file in cloudsnap_codegen::spec_files(&[dir]) {
            let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let loaded = cloudsnap_codegen::load::load_file(&file).unwrap_or_else(|d| {
                let text: Vec<String> = d.iter().map(ToString::to_string).collect();
                panic!("{} does not load:\n{}", file.display(), text.join("\n"))
            });
            for (id, op) in &loaded.spec.operations {
                let mut ex = OperationExamples::default();
                for e in &op.examples {
                    if let Some(r) = e.response.as_ref().filter(|r| r.status == op.response.status) {
                        ex.responses.push(ResponseExample {
                            name: e.name.clone(),
                            status: r.status,
                            body: r.body.clone(),
                        });
                    }
                    if ex.request_params.is_none() {
                        ex.request_params = e
                            .request
                            .as_ref()
                            .map(|r| serde_json::to_string(&r.params).expect("JSON values serialize"));
                    }
                }
                operations.insert((stem.clone(), id.clone()), ex);
            }
        }
        Fixtures { operations }
    }

    /// The examples of `spec`'s operation `op`.
    pub fn get(&self, spec: &str, op: &str) -> &OperationExamples {
        self.operations
            .get(&(spec.to_owned(), op.to_owned()))
            .unwrap_or_else(|| panic!("specs/{spec}.yaml has no operation {op}; update benches/runtime/main.rs"))
    }
}
