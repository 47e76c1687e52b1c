//! Generator scaling: synthetic specs of 10 to 10,000 operations through
//! load -> model -> emit -> format, timed per stage, with peak heap. The
//! format stage is timed in both layouts: compact (what `build.rs` writes,
//! part of end to end) and pretty (syn + prettyplease, what the snapshots
//! and `generate --out` show; not part of end to end).
//!
//! Run with `cargo bench -p cloudsnap-codegen --bench scaling` (or
//! `scripts/bench.sh`). `CLOUDSNAP_BENCH_SIZES=10,100` picks other sizes.
//! Prints a table; times are medians over several runs, and the last column
//! is the end-to-end time relative to the 1,000-operation spec measured in the
//! same run (the baseline, 1.00x), next to the operation-count ratio it would
//! have if growth were exactly linear.

mod synth;

use std::hint::black_box;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cloudsnap_codegen::{emit, load, model};

#[path = "heap/mod.rs"]
mod heap;

#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

/// One timed run. Stage times are CPU time (the machine is shared, and CPU
/// time is what stays comparable); end to end has wall and CPU time.
#[derive(Clone, Copy)]
struct Run {
    /// Stages one after the other, on one thread (load and model use
    /// several threads on large specs; their times are the whole process's
    /// CPU time).
    load: Duration,
    model: Duration,
    /// Wall time of the model stage (threads included).
    model_wall: Duration,
    /// The model stage on one thread (`model::build_on(_, 1)`), CPU time.
    model_one: Duration,
    emit: Duration,
    /// Compact layout (as `build.rs`).
    format: Duration,
    /// Pretty layout (syn + prettyplease), for comparison.
    pretty: Duration,
    /// What `build.rs` does: `load_str` + `generate` (threads included).
    end_to_end: Duration,
    /// CPU time of the end-to-end run, all threads.
    end_to_end_cpu: Duration,
    /// Bytes of formatted Rust produced (module and example tests).
    out_bytes: usize,
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// CPU time (user + system) of the whole process, all threads so far.
fn process_cpu() -> Duration {
    // SAFETY: `rusage` is plain data, valid when zeroed; getrusage only
    // writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF is a valid `who`; `usage` is a valid pointer.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    // SAFETY: `timespec` is plain data, valid when zeroed.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid clock id and a valid pointer.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Emits one formatting part (see `cloudsnap_codegen::format_parts`).
type PartFn = fn(&model::Model, usize) -> proc_macro2::TokenStream;

/// Every stage on one thread, timed apart. Emit and format alternate part by
/// part, as `generate` does, so each part's tokens are formatted while hot.
fn stages(text: &str) -> Result<Run, String> {
    let file = Path::new("synthetic.yaml");
    let t = process_cpu();
    let loaded = load::load_str(file, text).map_err(|d| format!("load failed: {}", first(&d)))?;
    let load = process_cpu().saturating_sub(t);

    let (t, wall) = (process_cpu(), Instant::now());
    let m = model::build(&loaded).map_err(|d| format!("model failed: {}", first(&d)))?;
    let (model, model_wall) = (process_cpu().saturating_sub(t), wall.elapsed());
    let t = thread_cpu();
    black_box(model::build_on(&loaded, 1).map_err(|d| format!("model failed: {}", first(&d)))?);
    let model_one = thread_cpu().saturating_sub(t);

    let (mut emit, mut format, mut pretty) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut out = String::new();
    let parts: [(usize, PartFn); 2] = [
        (emit::part_count(&m), emit::module_part),
        (m.operations.len(), emit::tests::operation_part),
    ];
    for (count, part) in parts {
        for i in 0..count {
            let t = thread_cpu();
            let tokens = part(&m, i);
            let t2 = thread_cpu();
            // Pretty first, on a copy: the copy shares the token vectors, so
            // the compact printer (which moves tokens out of vectors it holds
            // alone) afterwards walks them as it does in `build.rs`.
            black_box(cloudsnap_codegen::format(tokens.clone())?);
            let t3 = thread_cpu();
            cloudsnap_codegen::compact_into(tokens, &mut out);
            emit += t2.saturating_sub(t);
            pretty += t3.saturating_sub(t2);
            format += thread_cpu().saturating_sub(t3);
        }
    }
    let out_bytes = out.len();
    black_box((loaded, m, out));

    let (t, cpu) = (Instant::now(), process_cpu());
    let generated = end_to_end(text)?;
    let (end_to_end, end_to_end_cpu) = (t.elapsed(), process_cpu().saturating_sub(cpu));
    if generated.code.len() + generated.tests.len() != out_bytes {
        return Err("generate() and the staged run produced different output".to_owned());
    }
    Ok(Run {
        load,
        model,
        model_wall,
        model_one,
        emit,
        format,
        pretty,
        end_to_end,
        end_to_end_cpu,
        out_bytes,
    })
}

fn end_to_end(text: &str) -> Result<cloudsnap_codegen::Generated, String> {
    cloudsnap_codegen::generate_str(Path::new("synthetic.yaml"), text).map_err(|d| first(&d))
}

/// Heap high-water mark of one end-to-end run, above what was live before
/// (the YAML text itself is not counted).
fn peak_heap(text: &str) -> Result<usize, String> {
    let (generated, peak) = heap::peak_of(|| end_to_end(text));
    black_box(generated)?;
    Ok(peak)
}

fn first(d: &[cloudsnap_codegen::diag::Diagnostic]) -> String {
    d.first().map(ToString::to_string).unwrap_or_default()
}

/// Runs for a size: enough to spend about `budget`, at least a few; `None`
/// runs once (smoke test). Returns the runs, the YAML size and the peak heap.
fn measure(n: usize, budget: Option<Duration>) -> Result<(Vec<Run>, usize, usize), String> {
    let text = synth::spec_yaml(n);
    let Some(budget) = budget else {
        let run = stages(&text)?;
        return Ok((vec![run], text.len(), peak_heap(&text)?));
    };
    // Warm-up, which also sizes the run count (a staged run costs several
    // end-to-end runs of CPU: it also formats prettily).
    let (t, cpu) = (Instant::now(), process_cpu());
    black_box(end_to_end(&text)?);
    let per = (t.elapsed() + 4 * process_cpu().saturating_sub(cpu)).max(Duration::from_millis(1));
    let min = if n >= 10_000 { 2 } else { 5 };
    let count = (budget.as_nanos() / per.as_nanos()).clamp(min as u128, 200) as usize;
    let runs = (0..count).map(|_| stages(&text)).collect::<Result<Vec<_>, _>>()?;
    Ok((runs, text.len(), peak_heap(&text)?))
}

fn median(runs: &[Run], f: impl Fn(&Run) -> Duration) -> Duration {
    let mut v: Vec<Duration> = runs.iter().map(f).collect();
    v.sort();
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2
    } else {
        v[mid]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn mib(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

fn sizes(benching: bool) -> Result<Vec<usize>, String> {
    match std::env::var("CLOUDSNAP_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .map_err(|e| format!("CLOUDSNAP_BENCH_SIZES: `{s}`: {e}"))
            })
            .collect(),
        Err(_) if benching => Ok(vec![10, 100, 1_000, 10_000]),
        Err(_) => Ok(vec![10, 100]),
    }
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then
    // small sizes run once, as a smoke test.
    let benching = std::env::args().any(|a| a == "--bench");
    let sizes = match sizes(benching) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let budget = benching.then_some(Duration::from_secs(3));
    let load_before = loadavg();
    let mut rows = Vec::new();
    for &n in &sizes {
        match measure(n, budget) {
            Ok((runs, yaml, peak)) => rows.push((n, yaml, peak, runs)),
            Err(e) => {
                eprintln!("error: {n} operations: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let base = rows
        .iter()
        .find(|(n, ..)| *n == 1_000)
        .map(|(.., r)| (median(r, |r| r.end_to_end), median(r, |r| r.end_to_end_cpu)));
    println!(
        "\ngenerator scaling, medians. Stages: CPU time, one after the other (load and model: all threads; \
         the others on one thread). End to end: \
         generate_str (load + compact generate) as build.rs runs it ({} threads), wall and CPU time (all threads). \
         Ratios: end to end vs 1,000 operations (1.00x); linear growth would be the ops ratio.",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!("load average before/after: {load_before} / {}", loadavg());
    println!(
        "| ops | runs | YAML MiB | Rust MiB | load | model | (model wall) | (model, 1 thread) | emit | format | (pretty format) | end to end wall | end to end CPU | CPU µs/op | peak heap MiB | wall ratio | CPU ratio | ops ratio |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ratio = |x: Duration, b: Option<Duration>| {
        b.map_or("-".to_owned(), |b| format!("{:.2}x", x.as_secs_f64() / b.as_secs_f64()))
    };
    for (n, yaml, peak, runs) in &rows {
        let (wall, cpu) = (median(runs, |r| r.end_to_end), median(runs, |r| r.end_to_end_cpu));
        println!(
            "| {n} | {} | {} | {} | {} ms | {} ms | ({} ms) | ({} ms) | {} ms | {} ms | ({} ms) | {} ms | {} ms | {:.0} | {} | {} | {} | {:.2}x |",
            runs.len(),
            mib(*yaml),
            mib(runs[0].out_bytes),
            ms(median(runs, |r| r.load)),
            ms(median(runs, |r| r.model)),
            ms(median(runs, |r| r.model_wall)),
            ms(median(runs, |r| r.model_one)),
            ms(median(runs, |r| r.emit)),
            ms(median(runs, |r| r.format)),
            ms(median(runs, |r| r.pretty)),
            ms(wall),
            ms(cpu),
            cpu.as_secs_f64() * 1e6 / *n as f64,
            mib(*peak),
            ratio(wall, base.map(|b| b.0)),
            ratio(cpu, base.map(|b| b.1)),
            *n as f64 / 1_000.0,
        );
    }
    ExitCode::SUCCESS
}

/// The 1/5/15-minute load averages: the machine is shared, so every table
/// says how busy it was.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}
