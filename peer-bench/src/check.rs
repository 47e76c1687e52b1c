//! `cargo check` of the two generators' output for the same synthetic API,
//! each in a crate of its own under `peer-bench/target/check/`, sharing a
//! target dir. Dependencies are built by a first, untimed check; then the
//! generated file is rewritten and checked again, several times, and the CPU
//! time of the cargo child (user + system, `RUSAGE_CHILDREN`, rustc
//! included) is what is compared. Two ways, each in a target dir of its own:
//!
//! - **fresh**: `CARGO_INCREMENTAL=0`, so rustc checks every item, as in a
//!   clean build or CI;
//! - **re-check**: incremental (cargo's default for `check`), after an edit
//!   that changes no item (a comment appended), as when `build.rs` rewrites
//!   a module with few changes; rustc reuses what it can, so this measures
//!   mostly parsing, macro expansion and hashing.
//! Both outputs are checked with their
//! HTTP clients: cloudsnap's crate enables the `client` feature its
//! generated `impl Client` blocks are gated on, as progenitor's output
//! always includes its reqwest client.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// One `cargo check` of `krate`: (wall, CPU of the child processes).
fn cargo_check(krate: &Path, target: &Path, incremental: bool) -> Result<(Duration, Duration), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let (t, c) = (Instant::now(), crate::cpu(libc::RUSAGE_CHILDREN));
    let out = Command::new(cargo)
        .args(["check", "--quiet", "--lib", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .env_remove("RUSTFLAGS")
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let times = (t.elapsed(), crate::cpu(libc::RUSAGE_CHILDREN).saturating_sub(c));
    if !out.status.success() {
        return Err(format!(
            "cargo check of {} failed:\n{}",
            krate.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(times)
}

struct Krate {
    name: &'static str,
    dir: PathBuf,
    /// The file the generated code goes into.
    file: PathBuf,
    code: String,
}

/// Generate both outputs for `n` operations and compare their `cargo check`.
pub fn compare(n: usize, cloudsnap: impl Fn(&str) -> Result<String, String>) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = root.parent().ok_or("peer-bench has no parent directory")?;
    let base = root.join("target/check");
    let target = base.join("target");
    let yaml = crate::synth::spec_yaml(n);
    let loaded = cloudsnap_codegen::load::load_str(Path::new("synthetic.yaml"), &yaml)
        .map_err(|d| d.first().map(ToString::to_string).unwrap_or_default())?;
    let json = crate::openapi::document(&loaded.spec);
    let positional = crate::progenitor(&json, progenitor_impl::InterfaceStyle::Positional)?;

    let cs = Krate {
        name: "cloudsnap",
        dir: base.join("cloudsnap"),
        file: base.join("cloudsnap/src/bench/synth.rs"),
        code: cloudsnap(&yaml)?,
    };
    write(
        &cs.dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"check-cloudsnap\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\ncloudsnap-runtime = {{ path = {:?} }}\nhttp = \"1\"\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
             [features]\ndefault = [\"client\"]\nclient = [\"cloudsnap-runtime/client\"]\n\n[workspace]\n",
            repo.join("runtime").display().to_string()
        ),
    )?;
    // The same dependency versions as the repository's lock.
    std::fs::copy(repo.join("Cargo.lock"), cs.dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    // The generated module where the `cloudsnap` crate puts it
    // (`cloudsnap::bench::synth`), with the same re-exports.
    write(
        &cs.dir.join("src/lib.rs"),
        "//! cloudsnap's output for the synthetic spec.\nextern crate self as cloudsnap;\n\
         pub use cloudsnap_runtime as runtime;\npub use cloudsnap_runtime::auth;\npub use cloudsnap_runtime::client;\n\
         /// Services of `bench`.\npub mod bench {\n    pub mod synth;\n}\n",
    )?;

    let pg = Krate {
        name: "progenitor (positional)",
        dir: base.join("progenitor"),
        file: base.join("progenitor/src/api.rs"),
        code: positional,
    };
    // The dependencies progenitor's README lists for generated code
    // (regress: the spec has string patterns).
    write(
        &pg.dir.join("Cargo.toml"),
        "[package]\nname = \"check-progenitor\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nfutures = \"0.3\"\nprogenitor-client = \"0.15\"\n\
         reqwest = { version = \"0.13\", features = [\"json\", \"query\", \"stream\"] }\n\
         serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\nregress = \"0.10\"\n\n[workspace]\n",
    )?;
    write(
        &pg.dir.join("src/lib.rs"),
        "//! progenitor's output for the synthetic spec.\n#![allow(warnings)]\npub mod api;\n",
    )?;

    let krates = [cs, pg];
    // (label, target dir, incremental)
    let modes = [
        ("fresh (no incremental)", base.join("target-fresh"), false),
        ("re-check (incremental)", target, true),
    ];
    for k in &krates {
        write(&k.file, &k.code)?;
        for (label, target, incremental) in &modes {
            eprintln!("cargo check {} {label} (dependencies, untimed) ...", k.name);
            cargo_check(&k.dir, target, *incremental)?;
        }
    }
    println!("`cargo check` of the generated code, {n} operations, median of {ROUNDS} (dependencies prebuilt):");
    println!();
    println!("| output | lines | bytes | check | CPU | wall |");
    println!("|---|---:|---:|---|---:|---:|");
    let mut ratios = Vec::new();
    for (label, target, incremental) in &modes {
        let mut times: Vec<Vec<(Duration, Duration)>> = vec![Vec::new(), Vec::new()];
        for round in 0..ROUNDS {
            for i in [round % 2, 1 - round % 2] {
                let k = &krates[i];
                // A fresh mtime, so cargo checks the crate again.
                write(&k.file, &format!("{}\n// round {round}\n", k.code))?;
                times[i].push(cargo_check(&k.dir, target, *incremental)?);
            }
        }
        let med = |v: &[(Duration, Duration)], f: fn(&(Duration, Duration)) -> Duration| {
            crate::median(v.iter().map(f).collect())
        };
        for (i, k) in krates.iter().enumerate() {
            println!(
                "| {} | {} | {} | {label} | {:.2} s | {:.2} s |",
                k.name,
                k.code.lines().count(),
                k.code.len(),
                med(&times[i], |t| t.1).as_secs_f64(),
                med(&times[i], |t| t.0).as_secs_f64(),
            );
        }
        let ratio = med(&times[0], |t| t.1).as_secs_f64() / med(&times[1], |t| t.1).as_secs_f64().max(1e-9);
        ratios.push((label, ratio));
    }
    println!();
    for (label, ratio) in ratios {
        println!("cloudsnap / progenitor `cargo check` CPU, {label}: {ratio:.2}x");
    }
    Ok(())
}
