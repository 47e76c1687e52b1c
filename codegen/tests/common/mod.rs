//! A scratch crate that mounts generated modules the way `build.rs` does
//! and depends on `cloudsnap` by path, for tests that compile (and run)
//! generated code: `properties.rs` checks random specs with it,
//! `adversarial.rs` also runs their example tests and doctests.

#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Write `modules` into the scratch crate `name` (under the test's temp
/// dir) as `vendor::service` modules under `#![deny(warnings,
/// missing_docs)]`, with a default `client` feature as `cloudsnap` has (the
/// generated `Client` is gated on it). With `example_tests`, the modules' example tests are
/// mounted too, as the root crate's `tests/examples.rs` mounts them (that
/// file is the test target, so its `check_request`/`check_response` are the
/// ones that run); their `::cloudsnap::vendor::service` paths are pointed at
/// the scratch crate, where the modules live here. All scratch crates share
/// one target dir, so `cloudsnap`'s dependencies are built once.
pub fn scratch_crate(
    name: &str,
    modules: &[cloudsnap_codegen::Generated],
    example_tests: bool,
) -> Result<PathBuf, String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| e.to_string())?;
    let root = root().canonicalize().map_err(|e| e.to_string())?;
    let crate_name = name.replace('-', "_");
    let mut manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [features]\ndefault = [\"client\"]\nclient = [\"cloudsnap/client\"]\n\n\
         [dependencies]\ncloudsnap = {{ path = {:?}, default-features = false, features = [\"rustls-ring\"] }}\n\
         http = \"1\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n",
        root.display().to_string()
    );
    if example_tests {
        manifest.push_str(&format!(
            "percent-encoding = \"2\"\n\n[[test]]\nname = \"examples\"\npath = {:?}\n",
            root.join("tests/examples.rs").display().to_string()
        ));
        let build = "//! Hands the generated example tests to `tests/examples.rs`.\nfn main() {\n    \
                     let out = std::env::var(\"OUT_DIR\").expect(\"OUT_DIR\");\n    \
                     std::fs::copy(\"example_tests.rs\", std::path::Path::new(&out).join(\"example_tests.rs\")).expect(\"copy\");\n    \
                     println!(\"cargo::rerun-if-changed=example_tests.rs\");\n}\n";
        std::fs::write(dir.join("build.rs"), build).map_err(|e| e.to_string())?;
        let mut tests = String::new();
        for g in modules {
            let from = format!("::cloudsnap::{}::{}::", g.vendor, g.service);
            let to = format!("::{crate_name}::{}::{}::", g.vendor, g.service);
            tests.push_str(&g.tests.replace(&from, &to));
        }
        std::fs::write(dir.join("example_tests.rs"), tests).map_err(|e| e.to_string())?;
    }
    manifest.push_str("\n[workspace]\n");
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The workspace's lock file pins the same versions, so nothing new is
    // resolved and the build can run offline.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let mut lib = String::from("//! Generated modules under test.\n#![deny(warnings, missing_docs)]\n");
    let mut vendors: IndexMap<&str, Vec<(String, PathBuf)>> = IndexMap::new();
    for (i, g) in modules.iter().enumerate() {
        let file = src.join(format!("gen{i}.rs"));
        std::fs::write(&file, &g.code).map_err(|e| e.to_string())?;
        vendors.entry(&g.vendor).or_default().push((g.service.clone(), file));
    }
    for (vendor, list) in &vendors {
        lib.push_str(&format!("/// Vendor.\npub mod {vendor} {{\n"));
        for (service, file) in list {
            lib.push_str(&format!(
                "    #[path = {:?}]\n    pub mod {service};\n",
                file.display().to_string()
            ));
        }
        lib.push_str("}\n");
    }
    std::fs::write(src.join("lib.rs"), lib).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// Run `cargo <args>` offline in a scratch crate; `Err` with its output.
pub fn cargo(dir: &Path, args: &[&str]) -> Result<String, String> {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scratch-target");
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // Scratch crates are rebuilt from new sources each time: incremental
        // caches would only fill the disk (gigabytes over a few runs).
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}
