//! Sustained load on the `cloudsnap-mock` binary, with bounded counts and
//! time, all on 127.0.0.1: thousands of requests (accepted pages, rejected
//! ones, large rejected POSTs, bodies announced beyond the limit) and a
//! slowloris wave beyond the connection cap. The server's resident memory
//! (`VmRSS` of its process in `/proc`) must stay bounded, and every slow
//! connection must be closed.
//!
//! `cargo test -p cloudsnap-mock --test load -- --nocapture` prints the
//! figures.

#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cloudsnap_mock::API_KEY;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

const WORKERS: usize = 8;
const ACCEPTED_PER_WORKER: usize = 250;
const REJECTED_PER_WORKER: usize = 60;
const BIG_POSTS: usize = 40;
const BIG_POST_BYTES: usize = 7 * 1024 * 1024;
const ANNOUNCED_POSTS: usize = 20;
const SLOW_CONNECTIONS: usize = 300;
const MAX_CONNECTIONS: usize = 256;
/// Longer than a dropped SYN's one-second retry, so the whole slow wave is
/// open at once even when the accept queue overflows for a moment.
const HEADER_TIMEOUT: &str = "3s";
/// Growth of the server's RSS the test tolerates: the request log's byte
/// bound (32 MiB by default) plus allocator slack. Before the log was
/// bounded, the forty large POSTs alone added about 300 MB.
const MAX_GROWTH_KIB: u64 = 48 * 1024;

/// Kills the server if the test fails before it stops.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `field` (in KiB) of `/proc/PID/status`.
fn status_kib(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_bounded_under_sustained_load_and_slow_clients() {
    tokio::time::timeout(Duration::from_secs(240), run())
        .await
        .expect("the load test finishes within 4 minutes");
}

async fn run() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/zilliz-cloud.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudsnap-mock"))
        .arg(&spec)
        .args(["--quiet", "--header-timeout", HEADER_TIMEOUT, "--max-connections"])
        .arg(MAX_CONNECTIONS.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let server = Server(child);
    let pid = server.0.id();
    let mut url = None;
    loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).expect("reads") > 0, "exited early");
        if let Some(u) = line.trim().strip_prefix("export CLOUDSNAP_ZILLIZ_CLOUD_ENDPOINT=") {
            url = Some(u.to_owned());
        }
        if line.trim() == "Ready." {
            break;
        }
    }
    let url = url.expect("endpoint in the banner");
    let addr = url.trim_start_matches("http://").to_owned();
    let client = common::client();

    // Warm up, then the baseline.
    for _ in 0..20 {
        let r = client
            .get(format!("{url}/v2/backups"))
            .header("authorization", format!("Bearer {API_KEY}"))
            .send()
            .await
            .expect("warm-up");
        assert_eq!(r.status(), 200);
    }
    let before = status_kib(pid, "VmRSS:");
    let started = Instant::now();

    // Accepted pages and rejected requests from concurrent workers.
    let mut workers = JoinSet::new();
    for w in 0..WORKERS {
        let client = client.clone();
        let url = url.clone();
        workers.spawn(async move {
            let mut statuses = [0usize; 2];
            for i in 0..ACCEPTED_PER_WORKER + REJECTED_PER_WORKER {
                let page = (w + i) % 5 + 1;
                let mut request = client.get(format!("{url}/v2/backups?pageSize=2&currentPage={page}"));
                if i < ACCEPTED_PER_WORKER {
                    request = request.header("authorization", format!("Bearer {API_KEY}"));
                }
                let status = request.send().await.expect("answered").status().as_u16();
                statuses[usize::from(status != 200)] += 1;
            }
            statuses
        });
    }
    let mut ok = 0;
    let mut refused = 0;
    while let Some(joined) = workers.join_next().await {
        let [a, r] = joined.expect("worker");
        ok += a;
        refused += r;
    }
    assert_eq!(
        (ok, refused),
        (WORKERS * ACCEPTED_PER_WORKER, WORKERS * REJECTED_PER_WORKER)
    );

    // Large rejected POSTs (under the body limit: read, checked, refused,
    // and only a prefix logged).
    let big = bytes_of(BIG_POST_BYTES);
    for _ in 0..BIG_POSTS {
        let status = client
            .post(format!("{url}/v2/backups"))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .expect("answered")
            .status()
            .as_u16();
        assert_ne!(status, 200);
    }
    // Bodies announced beyond the limit: refused unread.
    for _ in 0..ANNOUNCED_POSTS {
        let mut stream = TcpStream::connect(&addr).await.expect("connects");
        stream
            .write_all(b"POST /v2/backups HTTP/1.1\r\nhost: x\r\ncontent-length: 20000000\r\n\r\n")
            .await
            .expect("writes");
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
        assert!(
            answer.starts_with(b"HTTP/1.1 413 "),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    let after_load = status_kib(pid, "VmRSS:");

    // A slowloris wave: more half-sent heads than the cap.
    let mut slow = JoinSet::new();
    for _ in 0..SLOW_CONNECTIONS {
        let addr = addr.clone();
        slow.spawn(async move {
            let mut stream = TcpStream::connect(&addr).await.expect("connects");

            let _ = stream.write_all(b"GET /v2/backups HTTP/1.1\r\nx-slow: ").await;
            let opened = Instant::now();
            let mut answer = Vec::new();
            let _ = tokio::time::timeout(Duration::from_secs(15), stream.read_to_end(&mut answer)).await;
            (answer.starts_with(b"HTTP/1.1 503 "), opened.elapsed())
        });
    }
    let mut refused_at_cap = 0;
    let mut longest = Duration::ZERO;
    while let Some(joined) = slow.join_next().await {
        let (was_refused, held) = joined.expect("slow client");
        refused_at_cap += usize::from(was_refused);
        longest = longest.max(held);
    }
    assert!(
        longest < Duration::from_secs(8),
        "a slow connection was held {longest:?}"
    );
    assert!(
        refused_at_cap >= SLOW_CONNECTIONS - MAX_CONNECTIONS,
        "{refused_at_cap} of {SLOW_CONNECTIONS} refused at a cap of {MAX_CONNECTIONS}"
    );

    // The server still answers, and its memory stayed bounded.
    let r = client
        .get(format!("{url}/v2/backups"))
        .header("authorization", format!("Bearer {API_KEY}"))
        .send()
        .await
        .expect("still serving");
    assert_eq!(r.status(), 200);
    let after = status_kib(pid, "VmRSS:");
    let peak = status_kib(pid, "VmHWM:");
    let requests = WORKERS * (ACCEPTED_PER_WORKER + REJECTED_PER_WORKER) + BIG_POSTS + ANNOUNCED_POSTS;
    eprintln!(
        "load: {requests} requests ({} accepted, {} rejected, {BIG_POSTS} x {} MiB POSTs, {ANNOUNCED_POSTS} announced 20 MB) \
         and {SLOW_CONNECTIONS} slow connections ({refused_at_cap} refused at the cap of {MAX_CONNECTIONS}, \
         the rest closed after at most {longest:.1?}) in {:.1?}",
        WORKERS * ACCEPTED_PER_WORKER,
        WORKERS * REJECTED_PER_WORKER,
        BIG_POST_BYTES / (1024 * 1024),
        started.elapsed()
    );
    eprintln!(
        "server RSS: before {}, after the requests {}, after the slow wave {}, peak {}",
        mib(before),
        mib(after_load),
        mib(after),
        mib(peak)
    );
    assert!(
        after.saturating_sub(before) < MAX_GROWTH_KIB,
        "RSS grew from {} to {}",
        mib(before),
        mib(after)
    );
    drop(server);
}

/// `n` bytes of a JSON-looking body.
fn bytes_of(n: usize) -> Vec<u8> {
    let mut body = vec![b' '; n];
    body[0] = b'{';
    body[n - 1] = b'}';
    body
}
