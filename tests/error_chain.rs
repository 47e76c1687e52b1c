//! Errors follow one convention (the Rust API guidelines'): a message says
//! what failed at its own level and never repeats its cause, which is
//! `source()`. A chain printer, like `anyhow`'s `{:#}`, then shows every
//! link once, down to the root cause.

use std::time::Duration;

use cloudsnap::auth::ApiKey;
use cloudsnap::client::RetryPolicy;
use cloudsnap::zilliz::cloud::{Client, ListBackupsRequest};

/// The links of an error chain, outermost first (what `{:#}` joins with ": ").
fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut links = vec![e.to_string()];
    let mut next = e.source();
    while let Some(cause) = next {
        links.push(cause.to_string());
        next = cause.source();
    }
    links
}

/// No link repeats the text of the link below it.
fn assert_no_link_repeats_its_cause(links: &[String]) {
    for pair in links.windows(2) {
        assert!(
            !pair[1].is_empty() && !pair[0].contains(pair[1].as_str()),
            "`{}` repeats its cause `{}` (whole chain: {links:?})",
            pair[0],
            pair[1]
        );
    }
}

#[tokio::test]
async fn a_refused_connection_prints_each_link_once_down_to_the_root_cause() {
    // A port nothing listens on: bind, note it, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let config = Client::config()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        });
    let client = Client::with_api_key(config, ApiKey::new("k")).expect("client");
    let err = client
        .list_backups(&ListBackupsRequest::new())
        .await
        .expect_err("nothing listens there");
    let links = chain(&err);
    assert!(links[0].starts_with("ListBackups: transport failure"), "{links:?}");
    let printed = cloudsnap::runtime::error_chain(&err);
    assert_eq!(printed, links.join(": "));
    assert!(
        printed.to_ascii_lowercase().contains("connection refused"),
        "the root cause is in the chain: {printed}"
    );
    assert_no_link_repeats_its_cause(&links);
}

#[tokio::test]
async fn a_service_error_prints_each_link_once() {
    use cloudsnap::client::{BoxFuture, Limits, Transport, TransportError};

    /// Answers every request with a Zilliz error envelope.
    struct Refuses;
    impl Transport for Refuses {
        fn send(
            &self,
            _: http::Request<Vec<u8>>,
            _: Limits,
        ) -> BoxFuture<'_, Result<http::Response<Vec<u8>>, TransportError>> {
            Box::pin(async {
                Ok(http::Response::builder()
                    .status(200)
                    .body(br#"{"code": 80001, "message": "invalid token"}"#.to_vec())
                    .expect("response"))
            })
        }
    }
    let config = Client::config().endpoint("http://127.0.0.1:9");
    let client =
        Client::with_transport(config, cloudsnap::auth::BearerSigner::new(ApiKey::new("k")), Refuses).expect("client");
    let err = client
        .list_backups(&ListBackupsRequest::new())
        .await
        .expect_err("an error envelope");
    let links = chain(&err);
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links[1].contains("invalid token"), "{links:?}");
    assert_no_link_repeats_its_cause(&links);
}
