//! Spec features the shipped specs do not use, through a made-up fixture
//! spec (`tests/fixtures/features.yaml`): literal text around a path
//! parameter, the most specific of overlapping paths, header parameters,
//! int32 and number, comma lists, flattened scalars, JSON-encoded objects,
//! nested body objects, example choice, and operations without examples.

mod common;

use cloudsnap::auth::SigningContext;
use cloudsnap::runtime::AuthScheme;
use cloudsnap_mock::{MockServer, TestCredentials};

use common::{send_signed, Sent};

async fn fixture() -> MockServer {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features.yaml");
    MockServer::start(path).await.expect("the fixture spec loads")
}

async fn send(server: &MockServer, request: http::request::Builder, body: &str) -> Sent {
    let request = request.body(body.as_bytes().to_vec()).expect("request");
    let signer = TestCredentials::default().signer(AuthScheme::Bearer);
    send_signed(server, request, &*signer, &SigningContext::now()).await
}

fn error_message(got: &Sent) -> String {
    got.json()["error_msg"].as_str().expect("huawei envelope").to_owned()
}

#[tokio::test]
async fn examples_are_chosen_by_the_request_and_paths_by_specificity() {
    let server = fixture().await;
    let get = |uri: &str| http::Request::get(uri).header("x-tenant", "t-1");
    let got = send(&server, get("/v1/items/2.json"), "").await;
    assert_eq!((got.status, got.text().as_str()), (200, r#"{"id":2,"name":"two"}"#));
    // No example matches: the first success example.
    let got = send(&server, get("/v1/items/7.json"), "").await;
    assert_eq!((got.status, got.text().as_str()), (200, r#"{"id":1,"name":"one"}"#));
    // Segments are percent-decoded before matching.
    let got = send(&server, get("/v1/items/%37.json"), "").await;
    assert_eq!(got.status, 200, "{}", got.text());
    // `latest.json` is GetLatest (all literal), not GetItem with id `latest`;
    // without examples the answer is an empty output.
    let got = send(&server, http::Request::get("/v1/items/latest.json"), "").await;
    assert_eq!((got.status, got.text().as_str()), (200, "{}"));
    // Huawei AK/SK over an encoded query: the canonical query is recomputed.
    let uri =
        "/v1/items/2.json?fields=id,name&weight=1.5&Id.1=a%20b%2A&Id.2=%C3%A9&filter=%7B%22field%22%3A%22id%22%7D";
    let request = get(uri).body(Vec::new()).expect("request");
    let signer = TestCredentials::default().signer(AuthScheme::HuaweiAksk);
    let got = send_signed(&server, request, &*signer, &SigningContext::now()).await;
    assert_eq!(got.status, 200, "{}", got.text());
    let operations: Vec<Option<String>> = server.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(operations[3].as_deref(), Some("GetLatest"));
    let log = server.requests();
    assert!(log.iter().all(|r| r.accepted()), "{log:#?}");
    assert_eq!(log[4].auth_scheme.as_deref(), Some("huawei_aksk"));
    assert!(
        log[4].query.contains(&("Id.2".to_owned(), "é".to_owned())),
        "{:?}",
        log[4].query
    );
}

#[tokio::test]
async fn every_parameter_problem_is_listed() {
    let server = fixture().await;
    let uri = "/v1/items/0.json?fields=id,colour,name&weight=heavy&Id.1=a&Id.3=b&filter=%7B%22field%22%3A%22size%22%7D";
    let got = send(&server, http::Request::get(uri), "").await;
    assert_eq!(got.status, 400);
    assert_eq!(got.json()["error_code"], "MissingParameter");
    let message = error_message(&got);
    for part in [
        "7 problems",
        "path parameter `id` is 0; the document allows at least 1",
        "header `X-Tenant` is required",
        "query parameter `fields`[1]: `colour` is not a value of Field (known: `id`, `name`)",
        "query parameter `fields` has 3 items; the document allows at most 2",
        "query parameter `weight`: `heavy` is not a number",
        "query parameter `Id`: list items must be numbered 1, 2, 3, ... without gaps (got 1, 3)",
        "query parameter `filter`.field: `size` is not a value of Field",
    ] {
        assert!(message.contains(part), "missing {part:?} in {message}");
    }
    let got = send(
        &server,
        http::Request::get("/v1/items/abc.json").header("x-tenant", "tenant"),
        "",
    )
    .await;
    let message = error_message(&got);
    assert!(
        message.contains("path parameter `id`: `abc` is not a 32-bit integer"),
        "{message}"
    );
    assert!(
        message.contains("header `X-Tenant`: `tenant` does not match the documented pattern"),
        "{message}"
    );
}

#[tokio::test]
async fn bodies_are_checked_member_by_member() {
    let server = fixture().await;
    let put = || http::Request::put("/v1/items/3.json");
    let got = send(
        &server,
        put(),
        r#"{"name":"far-too-long","filter":{"min":1},"nmae":"x"}"#,
    )
    .await;
    assert_eq!(
        (got.status, got.json()["error_code"].as_str()),
        (400, Some("InvalidParameter"))
    );
    let message = error_message(&got);
    for part in [
        "the body must be sent as `Content-Type: application/json`, not without a Content-Type",
        "body member `name` has 12 characters; the document allows 1 to 8",
        "body member `filter`: required field `field` of Filter is missing",
        "unknown body member `nmae` (did you mean `name`?): PutItem does not take it",
    ] {
        assert!(message.contains(part), "missing {part:?} in {message}");
    }
    let got = send(&server, put().header("content-type", "application/json"), "[1]").await;
    assert_eq!(error_message(&got), "the body must be a JSON object");
    let got = send(&server, put().header("content-type", "application/json"), "").await;
    assert_eq!(
        error_message(&got),
        "body member `name` is required (the body is empty)"
    );
    let body = r#"{"name":"item","filter":{"field":"name","min":2}}"#;
    let got = send(&server, put().header("content-type", "application/json"), body).await;
    assert_eq!((got.status, got.body.len()), (204, 0), "{}", got.text());
    // GET takes no body.
    let got = send(
        &server,
        http::Request::get("/v1/items/1.json").header("x-tenant", "t-1"),
        "{}",
    )
    .await;
    assert_eq!(error_message(&got), "GetItem takes no body, but 2 bytes were sent");
}
