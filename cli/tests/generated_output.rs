//! The checked-in output of `generate --out`, used the way the README says:
//! each file mounted with `#[path = "..."] mod x;` in a crate whose only
//! dependency is `cloudsnap` (the generated code names serde, http and
//! serde_json through `cloudsnap::runtime::__private`), with a `client`
//! feature forwarding to `cloudsnap/client`. The crate is compiled with and
//! without that feature, offline, in the scratch target dir the codegen
//! tests share (so `cloudsnap`'s dependencies are built once).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root")
}

fn cargo(dir: &Path, args: &[&str]) -> Result<String, String> {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scratch-target");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
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

#[test]
fn generate_out_files_compile_mounted_with_path_and_only_cloudsnap_as_dependency() {
    let root = root();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("checked-in-output");
    let _ = std::fs::remove_dir_all(&dir);
    let generated = dir.join("src").join("generated");
    std::fs::create_dir_all(&generated).expect("scratch dir");

    // The maintainer's command, as the README gives it.
    let spec = root.join("specs").join("huawei-cbr.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_cloudsnap-codegen"))
        .arg("generate")
        .arg(&spec)
        .arg("--out")
        .arg(&generated)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let loaded = cloudsnap_codegen::load::load_file(&spec).expect("spec loads");
    let (vendor, service) = (&loaded.spec.service.vendor, &loaded.spec.service.id);
    let file = generated.join(vendor).join(format!("{service}.rs"));
    let code = std::fs::read_to_string(&file).expect("generated file");
    // No crate but cloudsnap (and std) is named.
    for other in ["serde", "http", "serde_json"] {
        let through_cloudsnap = format!("::cloudsnap::runtime::__private::{other}::");
        let direct = format!("::{other}::");
        assert!(
            !code.replace(&through_cloudsnap, "").contains(&direct),
            "{direct} in {}",
            file.display()
        );
    }

    // Only `cloudsnap`; its own services off, the TLS provider on.
    let manifest = format!(
        "[package]\nname = \"checked-in-output\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [features]\ndefault = [\"client\"]\nclient = [\"cloudsnap/client\"]\n\n\
         [dependencies]\ncloudsnap = {{ path = {:?}, default-features = false, features = [\"rustls-ring\"] }}\n\n\
         [workspace]\n",
        root.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    // The first operation of the spec, built through the runtime's trait.
    let model = cloudsnap_codegen::generate(&loaded).expect("spec is valid").model;
    let request = &model.operations.first().expect("an operation").request_name;
    // As the README writes it: a path relative to `src/` at the crate root
    // (inside an inline `mod`, rustc reads it relative to that module's
    // directory instead).
    let lib = format!(
        "//! A crate holding checked-in generated code.\n#![deny(warnings, missing_docs)]\n\n\
         #[path = \"generated/{vendor}/{service}.rs\"]\npub mod {service};\n\n\
         /// The request type is usable through `cloudsnap::runtime::Operation`.\n\
         pub fn method_of(request: &{service}::{request}) -> String {{\n    \
         use cloudsnap::runtime::Operation;\n    \
         request.build_request().map(|r| r.method().to_string()).unwrap_or_default()\n}}\n"
    );
    std::fs::write(dir.join("src").join("lib.rs"), lib).expect("lib.rs");

    cargo(&dir, &["check", "--quiet"]).unwrap_or_else(|e| panic!("with the client feature:\n{e}"));
    cargo(&dir, &["check", "--quiet", "--no-default-features"])
        .unwrap_or_else(|e| panic!("without the client feature:\n{e}"));
    let _ = std::fs::remove_dir_all(&dir);
}
