//! Every documented example request of every operation of every shipped
//! spec, built by the generated request type, signed with each scheme the
//! spec accepts (test credentials), and sent over TCP: the mock accepts it
//! and answers with the documented example response, byte for byte, which
//! the generated parser accepts.

mod common;

use cloudsnap::auth::SigningContext;
use cloudsnap_codegen::model::Model;
use cloudsnap_mock::TestCredentials;
use serde_json::Value;

use common::{driver, send_signed, spec, start_verbatim, SPECS};

fn model(name: &str) -> Model {
    let loaded = cloudsnap_codegen::load::load_file(&spec(name)).expect("spec loads");
    cloudsnap_codegen::model::build(&loaded).expect("spec validates")
}

async fn every_example_is_accepted(name: &str) {
    let server = start_verbatim(name).await;
    let model = model(name);
    let credentials = TestCredentials::default();
    let mut sent = 0;
    for op in &model.operations {
        let driver = driver(&server.service_name(), &op.id)
            .unwrap_or_else(|| panic!("{name}: add {} to the request type table in tests/common", op.id));
        // Request-only examples are answered with the first success example.
        let fallback = op
            .examples
            .iter()
            .filter_map(|e| e.response.as_ref())
            .find(|r| (200..300).contains(&r.status))
            .unwrap_or_else(|| panic!("{name} {}: no success example response", op.id));
        let mut requests = 0;
        for ex in &op.examples {
            let Some(req) = &ex.request else { continue };
            requests += 1;
            let params = Value::Object(req.params.clone().into_iter().collect());
            let want = ex.response.as_ref().unwrap_or(fallback);
            for scheme in server.auth_schemes() {
                let origin = format!("{name} {} example `{}` with {scheme:?}", op.id, ex.name);
                let signer = credentials.signer(*scheme);
                let got = send_signed(&server, driver.build(&params), &*signer, &SigningContext::now()).await;
                assert_eq!(got.status, want.status, "{origin}: {}", got.text());
                assert_eq!(got.text(), want.body, "{origin}: body");
                assert_eq!(driver.parse(&got.response()), Ok(()), "{origin}: parse");
                sent += 1;
            }
        }
        assert!(requests > 0, "{name} {}: no example request to send", op.id);
    }
    let log = server.requests();
    assert_eq!(log.len(), sent);
    for r in &log {
        assert!(
            r.accepted(),
            "{name}: {} {} rejected: {:?}",
            r.method,
            r.uri,
            r.problems
        );
        assert!(r.operation.is_some() && r.auth_scheme.is_some() && !r.scripted);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn aliyun_ecs_examples() {
    every_example_is_accepted(SPECS[0]).await;
}

#[tokio::test]
async fn aliyun_elasticsearch_examples() {
    every_example_is_accepted(SPECS[1]).await;
}

#[tokio::test]
async fn huawei_cbr_examples() {
    every_example_is_accepted(SPECS[2]).await;
}

#[tokio::test]
async fn huawei_css_examples() {
    every_example_is_accepted(SPECS[3]).await;
}

#[tokio::test]
async fn zilliz_cloud_examples() {
    every_example_is_accepted(SPECS[4]).await;
}
