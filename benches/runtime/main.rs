//! Runtime benchmarks (criterion): parsing every documented example response
//! into the generated types, and building and signing every operation's
//! request.
//!
//! Parsing is compared, in the same run, with `serde_json::Value` and, for
//! three representative operations, with the same shape written by hand with
//! plain serde derives (`hand.rs`, the 1.00x baseline). Request building is
//! measured alone and followed by each signer the service accepts, with a
//! fixed `SigningContext`.
//!
//! Run with `cargo bench --bench runtime` (or `scripts/bench.sh`); after
//! criterion's own report it prints a table of ratios. Under
//! `cargo test --benches` every benchmark runs once, as a smoke test.

mod fixtures;
mod hand;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cloudsnap::auth::{
    AliyunCredentials, AliyunRpcSigner, AliyunV3Signer, ApiKey, BasicCredentials, BasicSigner, BearerSigner,
    HuaweiAkSkCredentials, HuaweiAkSkSigner, HuaweiIamToken, HuaweiTokenSigner, Signer, SigningContext,
};
use cloudsnap::runtime::{AuthScheme, Operation, SuccessEnvelope};
use criterion::{Criterion, Throughput};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use fixtures::{Fixtures, ResponseExample};

/// A hand-written parser of a whole response body (the baseline).
type HandParse = fn(&[u8]) -> bool;

fn hand<T: DeserializeOwned>(body: &[u8]) -> bool {
    black_box(serde_json::from_slice::<T>(body)).is_ok()
}

/// Hand-written baselines: `data` parses what the generated output type
/// parses; `envelope` (Zilliz) parses the whole body, as `parse_response` does.
#[derive(Clone, Copy, Default)]
struct Baseline {
    data: Option<HandParse>,
    envelope: Option<HandParse>,
    /// The same shape with `#[serde(flatten)] extra` at the root: what
    /// keeping unknown members in the types would cost (see `WithRaw`).
    flatten: Option<HandParse>,
    /// The same shape with `#[serde(flatten)] extra` on every struct.
    flatten_all: Option<HandParse>,
}

/// The given baseline, or none.
macro_rules! baseline_or_default {
    () => {
        Baseline::default()
    };
    ($baseline:expr) => {
        $baseline
    };
}

/// Every operation of every spec, with its feature. A spec operation missing
/// here fails the benchmark's setup (see `check_coverage`).
macro_rules! operations {
    ($($feature:literal $op:literal $ty:path $(=> $baseline:expr)?;)*) => {
        /// Spec files whose feature is enabled in this build.
        fn enabled_specs() -> Vec<&'static str> {
            let mut v = vec![$(cfg!(feature = $feature).then_some($feature)),*];
            v.dedup();
            v.into_iter().flatten().collect()
        }

        /// Every spec file this list knows.
        fn known_specs() -> Vec<&'static str> {
            let mut v = vec![$($feature),*];
            v.dedup();
            v
        }

        fn run(c: &mut Criterion, fx: &Fixtures, results: &mut Results) -> Vec<(String, String)> {
            let mut covered = Vec::new();
            $(
                #[cfg(feature = $feature)]
                {
                    let baseline = baseline_or_default!($($baseline)?);
                    bench_operation::<$ty>(c, $feature, $op, fx.get($feature, $op), baseline, results);
                    covered.push(($feature.to_owned(), $op.to_owned()));
                }
            )*
            covered
        }
    };
}

operations! {
    "aliyun-ecs" "DescribeSnapshots" cloudsnap::aliyun::ecs::DescribeSnapshotsRequest
        => Baseline {
            data: Some(hand::<hand::ecs::DescribeSnapshotsResponse>),
            envelope: None,
            flatten: Some(hand::<hand::flatten::EcsDescribeSnapshotsResponse>),
            flatten_all: Some(hand::<hand::ecs_flatten::DescribeSnapshotsResponse>),
        };
    "aliyun-elasticsearch" "GetSnapshots" cloudsnap::aliyun::elasticsearch::GetSnapshotsRequest;
    "aliyun-elasticsearch" "GetSnapshotStatus" cloudsnap::aliyun::elasticsearch::GetSnapshotStatusRequest;
    "huawei-cbr" "ShowBackup" cloudsnap::huawei::cbr::ShowBackupRequest
        => Baseline { data: Some(hand::<hand::cbr::ShowBackupResponse>), envelope: None, flatten: None, flatten_all: None };
    "huawei-css" "CreateSnapshot" cloudsnap::huawei::css::CreateSnapshotRequest;
    "huawei-css" "ListSnapshots" cloudsnap::huawei::css::ListSnapshotsRequest;
    "zilliz-cloud" "ListBackups" cloudsnap::zilliz::cloud::ListBackupsRequest
        => Baseline {
            data: Some(hand::<hand::zilliz::ListBackupsResponse>),
            envelope: Some(hand::<hand::zilliz::Envelope>),
            flatten: None,
            flatten_all: None,
        };
    "zilliz-cloud" "DescribeBackup" cloudsnap::zilliz::cloud::DescribeBackupRequest;
}

/// One measured benchmark, for the ratio table.
struct Row {
    group: String,
    function: String,
}

/// What the run measured, for the tables printed at the end.
#[derive(Default)]
struct Results {
    /// Whether this is a real run (`--bench`), not a smoke test.
    benching: bool,
    rows: Vec<Row>,
    /// Paired ratios (`generated / hand`, `parse_response / hand`) by group.
    paired: Vec<(String, f64, f64)>,
    /// Paired ratios `hand with flatten / hand` by group and variant.
    flatten: Vec<(String, &'static str, f64)>,
}

/// Median over rounds of time(a) / time(b), the two timed back to back in
/// each round (batches of about a millisecond). On a shared machine the
/// load drifts between criterion's benchmarks, which run seconds apart;
/// pairing neighbouring batches cancels most of that drift.
fn paired_ratio(mut a: impl FnMut(), mut b: impl FnMut()) -> f64 {
    let time = |f: &mut dyn FnMut(), n: u32| {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        t.elapsed().as_secs_f64()
    };
    let per = time(&mut a, 100) / 100.0;
    let batch = ((1e-3 / per.max(1e-9)) as u32).clamp(1, 100_000);
    let mut ratios: Vec<f64> = (0..61)
        .map(|round| {
            // Alternate which goes first, so neither always runs on a warmer cache.
            if round % 2 == 0 {
                let ta = time(&mut a, batch);
                ta / time(&mut b, batch)
            } else {
                let tb = time(&mut b, batch);
                time(&mut a, batch) / tb
            }
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

fn signing_context() -> SigningContext {
    // Fixed, so every run signs the same bytes.
    SigningContext::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000), "bench-nonce")
}

fn signer(scheme: AuthScheme) -> Box<dyn Signer> {
    match scheme {
        AuthScheme::AliyunRpcV1 => Box::new(AliyunRpcSigner::new(AliyunCredentials::new("bench-id", "bench-secret"))),
        AuthScheme::AliyunV3 => Box::new(AliyunV3Signer::new(AliyunCredentials::new("bench-id", "bench-secret"))),
        AuthScheme::HuaweiAksk => Box::new(HuaweiAkSkSigner::new(HuaweiAkSkCredentials::new(
            "bench-ak", "bench-sk",
        ))),
        AuthScheme::HuaweiToken => Box::new(HuaweiTokenSigner::new(HuaweiIamToken::new("bench-token"))),
        AuthScheme::Bearer => Box::new(BearerSigner::new(ApiKey::new("bench-key"))),
        AuthScheme::Basic => Box::new(BasicSigner::new(BasicCredentials::new("bench-user", "bench-password"))),
    }
}

fn scheme_name(scheme: AuthScheme) -> &'static str {
    match scheme {
        AuthScheme::AliyunRpcV1 => "aliyun_rpc_v1",
        AuthScheme::AliyunV3 => "aliyun_v3",
        AuthScheme::HuaweiAksk => "huawei_aksk",
        AuthScheme::HuaweiToken => "huawei_token",
        AuthScheme::Bearer => "bearer",
        AuthScheme::Basic => "basic",
    }
}

/// The first endpoint with placeholders filled, as a client would.
fn origin(endpoint: &str) -> String {
    endpoint
        .replace("{region}", "cn-north-4")
        .replace("{instance_id}", "es-cn-bench")
}

/// Build the request and make its URI absolute (signers need the host).
fn build_absolute<R: Operation>(request: &R, origin: &str) -> http::Request<Vec<u8>> {
    let mut http = request.build_request().expect("example requests build");
    let target = http.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    *http.uri_mut() = format!("{origin}{target}").parse().expect("absolute URI");
    http
}

fn bench_operation<R>(
    c: &mut Criterion,
    spec: &str,
    op: &str,
    examples: &fixtures::OperationExamples,
    baseline: Baseline,
    results: &mut Results,
) where
    R: Operation + DeserializeOwned,
    R::Output: DeserializeOwned,
{
    for ex in &examples.responses {
        bench_parse::<R>(c, spec, op, ex, baseline, results);
    }
    let Some(params) = &examples.request_params else {
        return;
    };
    let request: R = serde_json::from_str(params).expect("example params fit the request type");
    let origin = origin(R::INFO.service.endpoints[0]);
    let ctx = signing_context();
    let group_name = format!("request_{spec}_{op}");
    let mut group = c.benchmark_group(&group_name);
    group.bench_function("build", |b| b.iter(|| black_box(&request).build_request()));
    results.rows.push(Row {
        group: group_name.clone(),
        function: "build".into(),
    });
    for &scheme in R::INFO.service.auth {
        let signer = signer(scheme);
        // Setup check: the signer accepts this request.
        let mut probe = build_absolute(&request, &origin);
        signer.sign(&mut probe, &ctx).expect("the example request signs");
        let function = format!("build_sign_{}", scheme_name(scheme));
        group.bench_function(&function, |b| {
            b.iter(|| {
                let mut http = build_absolute(black_box(&request), &origin);
                signer.sign(&mut http, &ctx).map(|()| http)
            })
        });
        results.rows.push(Row {
            group: group_name.clone(),
            function,
        });
    }
    group.finish();
}

fn bench_parse<R>(c: &mut Criterion, spec: &str, op: &str, ex: &ResponseExample, base: Baseline, results: &mut Results)
where
    R: Operation,
    R::Output: DeserializeOwned,
{
    let body = ex.body.as_bytes();
    let response = http::Response::builder()
        .status(ex.status)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .expect("example status is valid");
    // What the output type describes: the whole body, or Zilliz's `data`.
    let data: Vec<u8> = match R::INFO.service.success_envelope {
        SuccessEnvelope::Plain => body.to_vec(),
        SuccessEnvelope::Zilliz => {
            #[derive(serde::Deserialize)]
            struct Data<'a> {
                #[serde(borrow)]
                data: &'a RawValue,
            }
            let d: Data<'_> = serde_json::from_slice(body).expect("envelope has data");
            d.data.get().as_bytes().to_vec()
        }
    };
    // Setup checks: every parser accepts the example, or the comparison is void.
    assert!(
        R::parse_response(&response).is_ok(),
        "{spec} {op} {}: parse_response",
        ex.name
    );
    assert!(
        serde_json::from_slice::<R::Output>(&data).is_ok(),
        "{spec} {op}: from_slice"
    );
    for (what, f, input) in [
        ("data", base.data, &data[..]),
        ("envelope", base.envelope, body),
        ("flatten", base.flatten, &data[..]),
        ("flatten_all", base.flatten_all, &data[..]),
    ] {
        if let Some(f) = f {
            assert!(
                f(input),
                "{spec} {op} {}: hand-written {what} parser rejects it",
                ex.name
            );
        }
    }

    let group_name = format!("parse_{spec}_{op}_{}", ex.name);
    let mut group = c.benchmark_group(&group_name);
    group.throughput(Throughput::Bytes(body.len() as u64));
    let mut functions = vec!["value", "generated", "parse_response"];
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)))
    });
    group.bench_function("generated", |b| {
        b.iter(|| serde_json::from_slice::<R::Output>(black_box(&data)))
    });
    group.bench_function("parse_response", |b| b.iter(|| R::parse_response(black_box(&response))));
    if let Some(f) = base.data {
        group.bench_function("hand", |b| b.iter(|| f(black_box(&data))));
        functions.push("hand");
    }
    if let Some(f) = base.envelope {
        group.bench_function("hand_envelope", |b| b.iter(|| f(black_box(body))));
        functions.push("hand_envelope");
    }
    if let Some(f) = base.flatten {
        group.bench_function("hand_flatten", |b| b.iter(|| f(black_box(&data))));
        functions.push("hand_flatten");
    }
    if let Some(f) = base.flatten_all {
        group.bench_function("hand_flatten_all", |b| b.iter(|| f(black_box(&data))));
        functions.push("hand_flatten_all");
    }
    group.finish();
    results.rows.extend(functions.into_iter().map(|f| Row {
        group: group_name.clone(),
        function: f.to_owned(),
    }));
    if let (true, Some(hand)) = (results.benching, base.data) {
        let envelope = base.envelope.unwrap_or(hand);
        let generated = paired_ratio(
            || {
                black_box(serde_json::from_slice::<R::Output>(black_box(&data)).is_ok());
            },
            || {
                black_box(hand(black_box(&data)));
            },
        );
        let parse = paired_ratio(
            || {
                black_box(R::parse_response(black_box(&response)).is_ok());
            },
            || {
                black_box(envelope(black_box(body)));
            },
        );
        for (what, variant) in [("root", base.flatten), ("every struct", base.flatten_all)] {
            if let Some(flatten) = variant {
                let ratio = paired_ratio(
                    || {
                        black_box(flatten(black_box(&data)));
                    },
                    || {
                        black_box(hand(black_box(&data)));
                    },
                );
                results.flatten.push((group_name.clone(), what, ratio));
            }
        }
        results.paired.push((group_name, generated, parse));
    }
}

fn check_coverage(fx: &Fixtures, covered: &[(String, String)]) {
    let known = known_specs();
    let enabled = enabled_specs();
    for (spec, op) in fx.operations.keys() {
        assert!(
            known.contains(&spec.as_str()),
            "specs/{spec}.yaml is not benchmarked: add its operations to `operations!` in benches/runtime/main.rs"
        );
        if enabled.contains(&spec.as_str()) {
            assert!(
                covered.iter().any(|(s, o)| s == spec && o == op),
                "{spec} {op} is not benchmarked: add it to `operations!` in benches/runtime/main.rs"
            );
        }
    }
}

fn output_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// Criterion's median estimate for a benchmark, in nanoseconds; `None`
/// unless it was written by this run (a filtered-out benchmark keeps an old
/// file, which must not be compared with today's numbers).
fn median_ns(dir: &Path, row: &Row, since: SystemTime) -> Option<f64> {
    let path = dir
        .join(&row.group)
        .join(&row.function)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    if modified < since {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("median")?.get("point_estimate")?.as_f64()
}

fn print_tables(dir: &Path, results: &Results, since: SystemTime) {
    let rows = &results.rows;
    let get = |group: &str, function: &str| {
        rows.iter()
            .find(|r| r.group == group && r.function == function)
            .and_then(|r| median_ns(dir, r, since))
    };
    let mut groups: Vec<&str> = rows.iter().map(|r| r.group.as_str()).collect();
    groups.dedup();
    let us = |ns: Option<f64>| ns.map_or("-".to_owned(), |n| format!("{:.2}", n / 1e3));
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
        _ => "-".to_owned(),
    };
    println!(
        "\nresponse parsing (criterion medians, µs; ratios vs hand-written serde = 1.00x, from the medians \
         and paired: median of 61 back-to-back batch pairs)"
    );
    println!(
        "| example | Value | generated | parse_response | hand | generated / hand | parse_response / hand | paired generated / hand | paired parse_response / hand |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for g in groups.iter().filter(|g| g.starts_with("parse_")) {
        let hand = get(g, "hand");
        let envelope = get(g, "hand_envelope").or(hand);
        let (value, generated, parse) = (get(g, "value"), get(g, "generated"), get(g, "parse_response"));
        let paired = results.paired.iter().find(|(p, ..)| p == g);
        let show = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{r:.2}x"));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            &g["parse_".len()..],
            us(value),
            us(generated),
            us(parse),
            us(hand),
            ratio(generated, hand),
            ratio(parse, envelope),
            show(paired.map(|p| p.1)),
            show(paired.map(|p| p.2)),
        );
    }
    for (g, what, r) in &results.flatten {
        println!(
            "{}: hand-written with `#[serde(flatten)] extra` on {what} = {r:.2}x hand-written (paired)",
            &g["parse_".len()..],
        );
    }
    println!("\nrequest building and signing (criterion medians, µs; ratio vs build alone)");
    println!("| operation | build | build + sign (scheme: µs, ratio) |");
    println!("|---|---:|---|");
    for g in groups.iter().filter(|g| g.starts_with("request_")) {
        let build = get(g, "build");
        let signs: Vec<String> = rows
            .iter()
            .filter(|r| r.group == *g && r.function.starts_with("build_sign_"))
            .map(|r| {
                let t = median_ns(dir, r, since);
                format!(
                    "{}: {} ({})",
                    &r.function["build_sign_".len()..],
                    us(t),
                    ratio(t, build)
                )
            })
            .collect();
        println!("| {} | {} | {} |", &g["request_".len()..], us(build), signs.join(", "));
    }
}

fn main() {
    let started = SystemTime::now();
    let fx = Fixtures::load();
    let dir = output_dir();
    let mut c = Criterion::default()
        .output_directory(&dir)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let mut results = Results {
        benching: std::env::args().any(|a| a == "--bench"),
        ..Results::default()
    };
    let covered = run(&mut c, &fx, &mut results);
    check_coverage(&fx, &covered);
    c.final_summary();
    if results.benching {
        print_tables(&dir, &results, started);
    }
}
