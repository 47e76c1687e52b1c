//! Peer benchmark: cloudsnap-codegen against progenitor 0.15 on the same
//! synthetic APIs, in one process, interleaved.
//!
//! Run with `scripts/peer-bench.sh` (= `cargo run --release --manifest-path
//! peer-bench/Cargo.toml`). For each size the synthetic spec of the scaling
//! benchmark (`codegen/benches/synth`, used by path) is loaded by cloudsnap
//! and converted into an equivalent OpenAPI 3.0 document ([`openapi`]);
//! then, round after round, cloudsnap's end-to-end generation as `build.rs`
//! runs it and progenitor's (JSON parse, `Generator::generate_tokens` in the
//! positional and the builder style, `syn::parse2`, prettyplease, as
//! `cargo progenitor` does) are timed one after the other. Reported: median
//! CPU time (getrusage, all threads) and wall time, the ratios cloudsnap /
//! progenitor, output bytes and lines per operation, and peak heap. Then a
//! `cargo check` of both outputs at 100 operations, each in a crate of its
//! own, timed by the CPU time of the cargo child (RUSAGE_CHILDREN), fresh
//! (`CARGO_INCREMENTAL=0`) and as an incremental re-check ([`check`]).
//!
//! Environment: `CLOUDSNAP_PEER_SIZES=10,100,1000` (the default; add 10000
//! for the largest size, where progenitor's builder style is skipped unless
//! `CLOUDSNAP_PEER_BUILDER_10K=1`: it needs tens of GiB),
//! `CLOUDSNAP_PEER_BUILDER=0` skips the builder style everywhere,
//! `CLOUDSNAP_PEER_ROUNDS` (rounds per size; the default shrinks with the
//! size), `CLOUDSNAP_PEER_CHECK=0` skips the `cargo check` comparison.

#[path = "../../codegen/benches/synth/mod.rs"]
#[allow(dead_code)]
mod synth;

mod check;
mod openapi;

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[path = "../../codegen/benches/heap/mod.rs"]
mod heap;

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// CPU time (user + system) of this process (`RUSAGE_SELF`) or of its
/// waited-for children (`RUSAGE_CHILDREN`).
pub(crate) fn cpu(who: libc::c_int) -> Duration {
    // SAFETY: `rusage` is plain data, valid when zeroed.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid `who` and a valid pointer.
    if unsafe { libc::getrusage(who, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

/// The generators under test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gen {
    Cloudsnap,
    Positional,
    Builder,
}

impl Gen {
    fn name(self) -> &'static str {
        match self {
            Gen::Cloudsnap => "cloudsnap",
            Gen::Positional => "progenitor positional",
            Gen::Builder => "progenitor builder",
        }
    }
}

/// cloudsnap end to end, as `build.rs` runs it: the module and the example
/// tests, ready to write to `OUT_DIR`.
fn cloudsnap(yaml: &str) -> Result<String, String> {
    let g = cloudsnap_codegen::generate_str(Path::new("synthetic.yaml"), yaml)
        .map_err(|d| d.first().map(ToString::to_string).unwrap_or_default())?;
    Ok(g.code + &g.tests)
}

/// progenitor end to end, as `cargo progenitor` runs it: parse the JSON
/// document, generate tokens, parse them with syn, print with prettyplease.
fn progenitor(json: &str, style: progenitor_impl::InterfaceStyle) -> Result<String, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_str(json).map_err(|e| format!("openapi: {e}"))?;
    let mut settings = progenitor_impl::GenerationSettings::default();
    settings.with_interface(style);
    let mut generator = progenitor_impl::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor: {e}"))?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("syn: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

fn run(g: Gen, yaml: &str, json: &str) -> Result<String, String> {
    match g {
        Gen::Cloudsnap => cloudsnap(yaml),
        Gen::Positional => progenitor(json, progenitor_impl::InterfaceStyle::Positional),
        Gen::Builder => progenitor(json, progenitor_impl::InterfaceStyle::Builder),
    }
}

/// One timed run: (wall, CPU of the whole process).
fn timed(g: Gen, yaml: &str, json: &str) -> Result<(Duration, Duration), String> {
    let (t, c) = (Instant::now(), cpu(libc::RUSAGE_SELF));
    black_box(run(g, yaml, json)?);
    Ok((t.elapsed(), cpu(libc::RUSAGE_SELF).saturating_sub(c)))
}

fn peak_heap(g: Gen, yaml: &str, json: &str) -> Result<usize, String> {
    let (out, peak) = heap::peak_of(|| run(g, yaml, json));
    black_box(out)?;
    Ok(peak)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2
    } else {
        v[mid]
    }
}

fn env_list(name: &str, default: &[usize]) -> Result<Vec<usize>, String> {
    match std::env::var(name) {
        Ok(list) => list
            .split(',')
            .map(|s| s.trim().parse().map_err(|e| format!("{name}: `{s}`: {e}")))
            .collect(),
        Err(_) => Ok(default.to_vec()),
    }
}

struct Row {
    n: usize,
    gen: Gen,
    wall: Duration,
    cpu: Duration,
    bytes: usize,
    lines: usize,
    peak: usize,
    rounds: usize,
}

fn measure(n: usize) -> Result<Vec<Row>, String> {
    let yaml = synth::spec_yaml(n);
    let loaded = cloudsnap_codegen::load::load_str(Path::new("synthetic.yaml"), &yaml)
        .map_err(|d| d.first().map(ToString::to_string).unwrap_or_default())?;
    let json = openapi::document(&loaded.spec);
    drop(loaded);
    let builder_ok = !std::env::var("CLOUDSNAP_PEER_BUILDER").is_ok_and(|v| v == "0")
        && (n < 10_000 || std::env::var("CLOUDSNAP_PEER_BUILDER_10K").is_ok_and(|v| v == "1"));
    let gens: Vec<Gen> = [Gen::Cloudsnap, Gen::Positional, Gen::Builder]
        .into_iter()
        .filter(|g| *g != Gen::Builder || builder_ok)
        .collect();
    let rounds = match std::env::var("CLOUDSNAP_PEER_ROUNDS") {
        Ok(r) => r.parse().map_err(|e| format!("CLOUDSNAP_PEER_ROUNDS: {e}"))?,
        Err(_) => match n {
            0..=99 => 21,
            100..=999 => 9,
            1_000..=9_999 => 5,
            _ => 3,
        },
    };
    // Output sizes (and a warm-up of every code path).
    let mut outputs = Vec::new();
    for &g in &gens {
        let out = run(g, &yaml, &json)?;
        outputs.push((out.len(), out.lines().count()));
    }
    let mut times: Vec<Vec<(Duration, Duration)>> = vec![Vec::new(); gens.len()];
    for round in 0..rounds {
        // Alternate the order, so neither side always runs on a warm cache.
        let order: Vec<usize> = if round % 2 == 0 {
            (0..gens.len()).collect()
        } else {
            (0..gens.len()).rev().collect()
        };
        for i in order {
            times[i].push(timed(gens[i], &yaml, &json)?);
        }
    }
    let mut rows = Vec::new();
    for (i, &g) in gens.iter().enumerate() {
        rows.push(Row {
            n,
            gen: g,
            wall: median(times[i].iter().map(|t| t.0).collect()),
            cpu: median(times[i].iter().map(|t| t.1).collect()),
            bytes: outputs[i].0,
            lines: outputs[i].1,
            peak: peak_heap(g, &yaml, &json)?,
            rounds,
        });
    }
    Ok(rows)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn mib(b: usize) -> String {
    format!("{:.1}", b as f64 / (1024.0 * 1024.0))
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn main() -> ExitCode {
    match main_inner() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main_inner() -> Result<(), String> {
    let sizes = env_list("CLOUDSNAP_PEER_SIZES", &[10, 100, 1_000])?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("peer benchmark: cloudsnap-codegen vs progenitor-impl 0.15.1, {cores} cores");
    println!("load average before: {}", loadavg());
    let mut all = Vec::new();
    for &n in &sizes {
        eprintln!("measuring {n} operations ...");
        all.extend(measure(n)?);
    }
    println!("load average after: {}", loadavg());
    println!();
    println!("| ops | generator | rounds | CPU (median) | wall (median) | cloudsnap/this CPU | cloudsnap/this wall | Rust MiB | bytes/op | lines/op | peak heap MiB |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &all {
        let ours = all
            .iter()
            .find(|o| o.n == r.n && o.gen == Gen::Cloudsnap)
            .ok_or("no cloudsnap row")?;
        let ratio = |a: Duration, b: Duration| format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64().max(1e-9));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} | {} |",
            r.n,
            r.gen.name(),
            r.rounds,
            ms(r.cpu),
            ms(r.wall),
            ratio(ours.cpu, r.cpu),
            ratio(ours.wall, r.wall),
            mib(r.bytes),
            r.bytes as f64 / r.n as f64,
            r.lines as f64 / r.n as f64,
            mib(r.peak),
        );
    }
    if std::env::var("CLOUDSNAP_PEER_CHECK").is_ok_and(|v| v == "0") {
        return Ok(());
    }
    println!();
    check::compare(100, |yaml| {
        let g = cloudsnap_codegen::generate_str(Path::new("synthetic.yaml"), yaml)
            .map_err(|d| d.first().map(ToString::to_string).unwrap_or_default())?;
        Ok(g.code)
    })
}
