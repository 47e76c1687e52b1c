//! Fuzz targets for cloudsnap, shared by the afl.rs binaries (`fuzz/run.sh`)
//! and by the replay tests, which run every seed and every saved regression
//! input through the same functions on each `cargo test`.
//!
//! A target returns normally for every input; a panic, abort or hang is a
//! bug. Errors are expected and are formatted, so their `Display` code runs
//! too.

use std::path::{Path, PathBuf};

use cloudsnap::runtime::Operation;

/// The fuzz targets by name, as `fuzz/run.sh <target>` takes them.
pub const TARGETS: &[&str] = &["responses", "specs"];

type Parser = fn(&http::Response<&[u8]>) -> String;

fn parse<O: Operation>(response: &http::Response<&[u8]>) -> String
where
    O::Output: std::fmt::Debug,
{
    match O::parse_response(response) {
        Ok(out) => format!("{out:?}"),
        Err(e) => e.to_string(),
    }
}

/// Every generated operation's parser, indexed by the first input byte.
/// `tests/replay.rs` checks the list against the specs.
pub const OPERATIONS: &[(&str, Parser)] = &[
    (
        "DescribeSnapshots",
        parse::<cloudsnap::aliyun::ecs::DescribeSnapshotsRequest>,
    ),
    (
        "GetSnapshots",
        parse::<cloudsnap::aliyun::elasticsearch::GetSnapshotsRequest>,
    ),
    (
        "GetSnapshotStatus",
        parse::<cloudsnap::aliyun::elasticsearch::GetSnapshotStatusRequest>,
    ),
    ("ShowBackup", parse::<cloudsnap::huawei::cbr::ShowBackupRequest>),
    ("CreateSnapshot", parse::<cloudsnap::huawei::css::CreateSnapshotRequest>),
    ("ListSnapshots", parse::<cloudsnap::huawei::css::ListSnapshotsRequest>),
    ("ListBackups", parse::<cloudsnap::zilliz::cloud::ListBackupsRequest>),
    (
        "DescribeBackup",
        parse::<cloudsnap::zilliz::cloud::DescribeBackupRequest>,
    ),
];

/// Status from the second input byte: half of the inputs are a success
/// (the common 200/201/204), the rest spread over 100..=599.
fn status(byte: u8) -> u16 {
    match byte {
        0..=95 => 200,
        96..=111 => 201,
        112..=127 => 204,
        b => 100 + (u16::from(b) - 128) * 500 / 128,
    }
}

/// Response target: byte 0 picks the operation, byte 1 the status, byte 2
/// whether a request-id header is sent; the rest is the body.
pub fn responses(data: &[u8]) -> String {
    let [op, st, hdr, body @ ..] = data else {
        return String::new();
    };
    let (_, parser) = OPERATIONS[usize::from(*op) % OPERATIONS.len()];
    let mut builder = http::Response::builder().status(status(*st));
    if hdr & 1 == 1 {
        builder = builder.header("x-acs-request-id", "fuzz-request");
    }
    match builder.body(body) {
        Ok(response) => parser(&response),
        Err(_) => String::new(),
    }
}

/// Spec target: the input as spec YAML, loaded, modelled, emitted and
/// formatted. Non-UTF-8 input is read lossily, as an editor would show it.
pub fn specs(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let loaded = match cloudsnap_codegen::load::load_str(Path::new("fuzz.yaml"), &text) {
        Ok(l) => l,
        Err(diagnostics) => return diagnostics.iter().map(|d| format!("{d}\n")).collect(),
    };
    match cloudsnap_codegen::generate(&loaded) {
        Ok(g) => g.code,
        Err(diagnostics) => diagnostics.iter().map(|d| format!("{d}\n")).collect(),
    }
}

/// Run the named target on one input.
pub fn run(target: &str, data: &[u8]) -> Option<String> {
    match target {
        "responses" => Some(responses(data)),
        "specs" => Some(specs(data)),
        _ => None,
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Seed inputs for a target, as `(file name, bytes)`: the real specs for
/// `specs`; for `responses`, every documented example body of every
/// operation, with its documented status and with an error status.
pub fn seeds(target: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let files = cloudsnap_codegen::spec_files(&[root().join("specs")]);
    let mut out = Vec::new();
    for file in &files {
        let text = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if target == "specs" {
            out.push((format!("{stem}.yaml"), text));
            continue;
        }
        let g = cloudsnap_codegen::generate_file(file).map_err(|_| format!("{}: invalid spec", file.display()))?;
        for op in &g.model.operations {
            let index = OPERATIONS
                .iter()
                .position(|(name, _)| *name == op.id)
                .ok_or_else(|| format!("operation {} is missing from OPERATIONS", op.id))?;
            for ex in &op.examples {
                let Some(r) = &ex.response else { continue };
                // Status bytes: 0 is 200, 231 is 502 (see `status`).
                for (tag, st) in [("ok", 0u8), ("err", 231u8)] {
                    let mut bytes = vec![index as u8, st, 0];
                    bytes.extend_from_slice(r.body.as_bytes());
                    out.push((format!("{}-{}-{tag}.json", op.id, ex.name), bytes));
                }
            }
        }
    }
    Ok(out)
}

/// Saved inputs that once failed, under `fuzz/regressions/<target>/`.
pub fn regressions(target: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let dir = root().join("fuzz").join("regressions").join(target);
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() && path.file_name().is_some_and(|n| n != "README.md") {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push((path.display().to_string(), bytes));
        }
    }
    out.sort();
    Ok(out)
}
