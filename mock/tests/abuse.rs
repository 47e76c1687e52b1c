//! The mock under abuse: the request log stays bounded, oversized and slow
//! bodies are refused without being kept, slow headers (slowloris) are cut
//! off, and connections beyond the cap are refused. Raw TCP where a
//! well-behaved HTTP client cannot misbehave on purpose.

mod common;

use std::time::{Duration, Instant};

use cloudsnap_mock::{LogLimits, MockOptions, MockServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use common::spec;

async fn start_with(name: &str, options: MockOptions) -> MockServer {
    MockServer::start_with(spec(name), options)
        .await
        .unwrap_or_else(|e| panic!("cannot start the mock for {name}: {e}"))
}

/// Everything the server sends until it closes the connection (or 10 s pass).
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut got)).await;
    String::from_utf8_lossy(&got).into_owned()
}

/// Wait (at most 5 s) until `done` holds.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(5), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A POST of `size` bytes to a path no operation serves (so every spec
/// rejects it the same way), over a fresh connection.
async fn post(client: &reqwest::Client, server: &MockServer, size: usize) -> u16 {
    let response = client
        .post(format!("{}/nothing/here", server.url()))
        .body(vec![b'x'; size])
        .send()
        .await
        .expect("answered");
    response.status().as_u16()
}

#[tokio::test]
async fn the_request_log_is_bounded_by_count_and_by_bytes() {
    let client = common::client();
    let limits = LogLimits {
        max_requests: 5,
        max_bytes: usize::MAX,
        max_body_bytes: 16,
    };
    let server = start_with("huawei-css.yaml", MockOptions::default().with_log_limits(limits)).await;
    for _ in 0..12 {
        assert_eq!(post(&client, &server, 1000).await, 404);
    }
    let log = server.requests();
    assert_eq!(log.len(), 5);
    assert_eq!(server.requests_dropped(), 7);
    assert_eq!(server.answered(), 12);
    for r in &log {
        assert_eq!((r.body.len(), r.body_len), (16, 1000));
        assert!(r.body_truncated() && !r.accepted());
    }

    let limits = LogLimits {
        max_requests: usize::MAX,
        max_bytes: 8 * 1024,
        max_body_bytes: 1024,
    };
    let server = start_with("huawei-css.yaml", MockOptions::default().with_log_limits(limits)).await;
    for _ in 0..40 {
        post(&client, &server, 4000).await;
    }
    let kept = server.requests().len();
    assert!(server.log_bytes() <= 8 * 1024, "{}", server.log_bytes());
    assert!((2..40).contains(&kept), "{kept}");
    assert_eq!(server.requests_dropped() + kept as u64, 40);
    server.clear_requests();
    assert!(server.requests().is_empty());
    assert_eq!(server.log_bytes(), 0);
}

#[tokio::test]
async fn an_announced_oversized_body_is_refused_unread_and_the_connection_closed() {
    let server = start_with("huawei-css.yaml", MockOptions::default().with_body_limit(1024)).await;
    let mut stream = TcpStream::connect(server.addr()).await.expect("connects");
    // Announce 10 MB, send none of it: the answer must not wait for it.
    let head = format!(
        "POST /v1.0/p/clusters/c/index_snapshot HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: 10000000\r\n\r\n",
        server.addr()
    );
    stream.write_all(head.as_bytes()).await.expect("writes");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
    assert!(answer.contains("exceeds the limit of 1024 bytes"), "{answer}");
    let first = &server.requests()[0];
    assert_eq!((first.body.len(), first.body_len), (0, 10_000_000));

    // Sent chunked (no length announced), it is cut off at the limit.
    let mut stream = TcpStream::connect(server.addr()).await.expect("connects");
    let mut request =
        b"POST /v1.0/p/clusters/c/index_snapshot HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..20 {
        request.extend_from_slice(b"64\r\n");
        request.extend_from_slice(&[b'{'; 100]);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    stream.write_all(&request).await.expect("writes");
    let answer = read_until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    assert!(answer.contains("exceeds the limit of 1024 bytes"), "{answer}");
    let log = server.requests();
    assert_eq!(log.len(), 2);
    assert!(log[1].body.is_empty(), "{}", log[1].body.len());
    assert!(log[1].body_len <= 1024, "{}", log[1].body_len);
}

#[tokio::test]
async fn a_slowloris_client_is_disconnected_after_the_header_timeout() {
    let timeout = Duration::from_millis(300);
    let server = start_with(
        "zilliz-cloud.yaml",
        MockOptions::default().with_header_read_timeout(timeout),
    )
    .await;
    let mut stream = TcpStream::connect(server.addr()).await.expect("connects");
    let started = Instant::now();
    stream.write_all(b"GET /v2/backups HTTP/1.1\r\n").await.expect("writes");
    // One header line every 100 ms, for up to 10 s, never finishing the head.
    let mut closed = false;
    for i in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let line = format!("x-slow-{i}: y\r\n");
        if stream.write_all(line.as_bytes()).await.is_err() {
            closed = true;
            break;
        }
        let mut byte = [0u8; 1];
        match tokio::time::timeout(Duration::from_millis(1), stream.read(&mut byte)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                closed = true;
                break;
            }
            Ok(Ok(_)) | Err(_) => {}
        }
    }
    let elapsed = started.elapsed();
    assert!(closed, "the connection stayed open for {elapsed:?}");
    assert!(
        elapsed >= timeout && elapsed < Duration::from_secs(5),
        "closed after {elapsed:?}"
    );
    eventually("the connection to be released", || server.open_connections() == 0).await;
    assert!(server.requests().is_empty(), "no request was ever complete");

    // An idle connection that sends nothing is closed the same way.
    let mut idle = TcpStream::connect(server.addr()).await.expect("connects");
    let started = Instant::now();
    assert_eq!(read_until_closed(&mut idle).await, "");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_slow_body_is_refused_after_the_body_timeout() {
    let server = start_with(
        "huawei-css.yaml",
        MockOptions::default().with_body_read_timeout(Duration::from_millis(300)),
    )
    .await;
    let mut stream = TcpStream::connect(server.addr()).await.expect("connects");
    let head = "POST /v1.0/p/clusters/c/index_snapshot HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{\"na";
    stream.write_all(head.as_bytes()).await.expect("writes");
    let started = Instant::now();
    let answer = read_until_closed(&mut stream).await;
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(answer.contains("did not arrive within"), "{answer}");
    assert!(!answer.contains("authentication"), "only the body problem: {answer}");
    let log = server.requests();
    assert_eq!((log.len(), log[0].body_len), (1, 4));
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused_with_503() {
    let server = start_with("zilliz-cloud.yaml", MockOptions::default().with_max_connections(2)).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        held.push(TcpStream::connect(server.addr()).await.expect("connects"));
    }
    eventually("two open connections", || server.open_connections() == 2).await;

    let mut third = TcpStream::connect(server.addr()).await.expect("the kernel accepts it");
    third
        .write_all(b"GET /v2/backups HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .expect("writes");
    let answer = read_until_closed(&mut third).await;
    assert!(answer.starts_with("HTTP/1.1 503 "), "{answer}");
    assert!(answer.contains("retry-after: 1"), "{answer}");
    assert_eq!(server.refused_connections(), 1);
    assert!(server.requests().is_empty(), "a refused connection is not a request");

    // Closing one frees its place.
    drop(held.pop());
    eventually("a free place", || server.open_connections() == 1).await;
    let mut fourth = TcpStream::connect(server.addr()).await.expect("connects");
    fourth
        .write_all(b"GET /v2/backups HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .expect("writes");
    let answer = read_until_closed(&mut fourth).await;
    assert!(answer.starts_with("HTTP/1.1 401 "), "checked as usual: {answer}");
    assert_eq!(server.refused_connections(), 1);
}
