//! Generates one module per enabled spec in `specs/` into `OUT_DIR`, through
//! the same pipeline the snapshot tests review, printed in the compact
//! layout: the same tokens as the reviewed (prettyplease) text without
//! building a syntax tree, which was most of the generator's time
//! (`codegen/tests/layouts.rs` proves the two are the same program).
//!
//! Each spec file is a cargo feature named after it (`specs/huawei-cbr.yaml`
//! is `huawei-cbr`); a disabled service is not even read, so a crate that
//! enables one service pays for one.
//!
//! A broken spec fails the build with the generator's diagnostics (file,
//! line, column, YAML path, hint) as text, not a panic: one `cargo::error=`
//! line per problem (cargo >= 1.84 prints each as `error: cloudsnap@...:`
//! and fails the build). The script itself exits successfully so cargo does
//! not also dump its raw stdout; the rustc-style rendering with the source
//! line goes to stderr, which `cargo build -vv` shows, and `cloudsnap-codegen
//! check` prints the same. Spec warnings are left to `check`, so they do not
//! repeat in every build.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Rerun exactly when an enabled spec or this script changes. Without any
    // `rerun-if-changed` line cargo would rerun on every change in the
    // package, so this line also covers a build with no service enabled.
    // Enabling a service changes the features, which cargo tracks itself; a
    // change to the codegen crate rebuilds this script, which reruns it.
    println!("cargo:rerun-if-changed=build.rs");
    let files: Vec<PathBuf> = cloudsnap_codegen::spec_files(&[PathBuf::from("specs")])
        .into_iter()
        .filter(|f| enabled(f))
        .collect();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    let out = match std::env::var_os("OUT_DIR") {
        Some(o) => PathBuf::from(o),
        None => {
            eprintln!("error: OUT_DIR is not set; build.rs must run under cargo");
            return ExitCode::FAILURE;
        }
    };

    let mut failed = false;
    // vendor -> (service, generated file, the cargo feature that enables it)
    let mut modules: BTreeMap<String, Vec<(String, PathBuf, String)>> = BTreeMap::new();
    let mut tests = String::new();
    for file in &files {
        match cloudsnap_codegen::generate_file_with(file, cloudsnap_codegen::Layout::Compact) {
            Ok(g) => {
                let stem = format!("{}_{}", g.vendor, g.service);
                let code_path = out.join(format!("{stem}.rs"));
                let test_path = out.join(format!("{stem}_examples.rs"));
                if let Err(e) = write(&code_path, &g.code).and_then(|_| write(&test_path, &g.tests)) {
                    println!("cargo::error=cannot write generated code for {}: {e}", file.display());
                    failed = true;
                    continue;
                }
                let _ = writeln!(tests, "#[path = {:?}]\nmod {stem};", test_path.display().to_string());
                let feature = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
                modules
                    .entry(g.vendor)
                    .or_default()
                    .push((g.service, code_path, feature));
            }
            Err(diagnostics) => {
                failed = true;
                for d in diagnostics.iter().filter(|d| d.is_error()) {
                    println!("cargo::error={}", d.one_line());
                    eprintln!("{d}");
                }
            }
        }
    }
    if failed {
        println!(
            "cargo::error=cloudsnap specs are invalid; `cargo codegen check` shows each problem with its source line"
        );
        // cargo fails the build on the error lines above.
        return ExitCode::SUCCESS;
    }

    let mut services = String::new();
    for (vendor, list) in &modules {
        let _ = writeln!(
            services,
            "/// Services of `{vendor}`.\n#[deny(warnings)]\npub mod {vendor} {{"
        );
        for (service, path, feature) in list {
            // docs.rs shows which feature a service needs.
            let _ = writeln!(
                services,
                "    #[path = {:?}]\n    #[cfg_attr(docsrs, doc(cfg(feature = {feature:?})))]\n    pub mod {service};",
                path.display().to_string()
            );
        }
        services.push_str("}\n");
    }
    if let Err(e) =
        write(&out.join("services.rs"), &services).and_then(|_| write(&out.join("example_tests.rs"), &tests))
    {
        eprintln!("error: cannot write the service index: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    // Rewrite only on change so downstream compilation is not redone needlessly.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text)
}

/// Whether the cargo feature named after the spec file is on: cargo sets
/// `CARGO_FEATURE_HUAWEI_CBR` for `huawei-cbr` (upper case, `-` as `_`).
fn enabled(spec: &Path) -> bool {
    let Some(stem) = spec.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let var = format!("CARGO_FEATURE_{}", stem.to_ascii_uppercase().replace('-', "_"));
    std::env::var_os(var).is_some()
}
