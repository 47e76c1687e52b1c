//! End to end over TCP: hostile request values. A path parameter arrives as
//! exactly one path segment holding the literal value, whatever it contains
//! (`/`, `..`, `?`, `#`, `%`, CR/LF); values a documented pattern forbids,
//! dot segments, and CR/LF bound for a header are refused before anything
//! is sent.

mod common;

use cloudsnap::auth::SignError;
use cloudsnap::client::Error;
use cloudsnap::runtime::{AuthScheme, BuildError};
use cloudsnap::{aliyun, huawei, zilliz};
use cloudsnap_mock::{MockServer, RecordedRequest, TestCredentials};

use common::e2e;
use common::start;

/// Values that would change the path if they were not encoded as one segment.
const HOSTILE: [&str; 8] = [
    "../../admin",
    "a/b",
    "x?y#z",
    "50%",
    "%2e%2e",
    "a\r\nX-Injected: 1",
    "back up;1",
    "снимок",
];

/// The last request reached `operation`, was accepted, and its path
/// parameters arrived decoded as `params`, each one segment of the raw path.
fn arrived_intact(server: &MockServer, operation: &str, segments: usize, params: &[(&str, &str)]) -> RecordedRequest {
    let log = server.requests();
    let r = log.last().expect("a request arrived").clone();
    let origin = format!("{operation} {params:?}: {}", r.path);
    assert_eq!(r.operation.as_deref(), Some(operation), "{origin}");
    assert!(r.accepted(), "{origin}: {:?}", r.problems);
    let want: Vec<(String, String)> = params.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    assert_eq!(r.path_params, want, "{origin}: path parameters");
    let decoded = e2e::decoded_segments(&r);
    assert_eq!(decoded.len(), segments, "{origin}: segment count");
    for (_, value) in params {
        assert!(
            decoded.iter().any(|s| s == value),
            "{origin}: no segment holds {value:?}"
        );
    }
    assert!(
        r.query.is_empty(),
        "{origin}: the value leaked into the query: {:?}",
        r.query
    );
    assert!(
        !r.headers.iter().any(|(n, _)| n == "x-injected"),
        "{origin}: header injected"
    );
    r
}

#[tokio::test]
async fn hostile_path_values_stay_one_segment_under_every_signature() {
    let cbr = start("huawei-cbr.yaml").await;
    let css = start("huawei-css.yaml").await;
    let zilliz = start("zilliz-cloud.yaml").await;
    let es = start("aliyun-elasticsearch.yaml").await;
    let cbr_clients = [AuthScheme::HuaweiAksk, AuthScheme::HuaweiToken].map(|s| (s, e2e::cbr(&cbr, s)));
    let css_client = e2e::css(&css, AuthScheme::HuaweiAksk);
    let (zilliz_client, es_client) = (e2e::zilliz(&zilliz), e2e::es(&es));
    for value in HOSTILE {
        // AK/SK signs the encoded path: the mock recomputes it from the wire.
        for (scheme, client) in &cbr_clients {
            let request = huawei::cbr::ShowBackupRequest::new(value, value);
            let got = client.show_backup(&request).await;
            got.unwrap_or_else(|e| panic!("CBR {value:?} {scheme:?}: {e}"));
            arrived_intact(&cbr, "ShowBackup", 5, &[("project_id", value), ("backup_id", value)]);
        }

        let request =
            huawei::css::CreateSnapshotRequest::new(value, "ea244205-d641-45d9-9dcb-ab2236bcd07e", "snapshot_001");
        let got = css_client.create_snapshot(&request).await;
        got.unwrap_or_else(|e| panic!("CSS {value:?}: {e}"));
        let params = [
            ("project_id", value),
            ("cluster_id", "ea244205-d641-45d9-9dcb-ab2236bcd07e"),
        ];
        arrived_intact(&css, "CreateSnapshot", 6, &params);

        let request = zilliz::cloud::DescribeBackupRequest::new(value, "backup1_0b9d15a0ddexxxx");
        let got = zilliz_client.describe_backup(&request).await;
        got.unwrap_or_else(|e| panic!("Zilliz {value:?}: {e}"));
        let params = [("CLUSTER_ID", value), ("BACKUP_ID", "backup1_0b9d15a0ddexxxx")];
        arrived_intact(&zilliz, "DescribeBackup", 6, &params);

        // `_status` after the value must still be the literal last segment.
        let request = aliyun::elasticsearch::GetSnapshotStatusRequest::new("aliyun_auto_snapshot", value);
        let got = es_client.get_snapshot_status(&request).await;
        got.unwrap_or_else(|e| panic!("ES {value:?}: {e}"));
        let r = arrived_intact(
            &es,
            "GetSnapshotStatus",
            5,
            &[("repository", "aliyun_auto_snapshot"), ("snapshot", value)],
        );
        assert!(r.path.ends_with("/_status"), "{}", r.path);
    }
}

/// The error of a call that must fail before sending, and the proof that
/// nothing reached the server.
fn refused_before_sending<O: std::fmt::Debug, C: std::fmt::Debug + std::fmt::Display>(
    server: &MockServer,
    result: Result<O, Error<C>>,
) -> Error<C> {
    let error = result.expect_err("refused before sending");
    assert_eq!(error.attempts(), 0, "{error}");
    assert!(server.requests().is_empty(), "the mock saw {:?}", server.requests());
    error
}

#[tokio::test]
async fn empty_and_dot_segments_are_refused_before_sending() {
    let server = start("huawei-cbr.yaml").await;
    let client = e2e::cbr(&server, AuthScheme::HuaweiAksk);
    for value in ["", ".", ".."] {
        let request = huawei::cbr::ShowBackupRequest::new("4229d7a45436489f8c3dc2b1d35d4987", value);
        match refused_before_sending(&server, client.show_backup(&request).await) {
            Error::Build {
                source: BuildError::PathParameter { parameter, .. },
                ..
            } => assert_eq!(parameter, "backup_id"),
            other => panic!("{value:?}: expected a path parameter error, got {other:?}"),
        }
    }
}

/// CSS documents patterns for its body members; hostile values break them
/// and are refused by the client, naming the parameter.
#[tokio::test]
async fn values_a_documented_pattern_forbids_are_refused_before_sending() {
    let server = start("huawei-css.yaml").await;
    let client = e2e::css(&server, AuthScheme::HuaweiAksk);
    let project = "6204a5bd270343b5885144cf9c8c158d";
    let cluster = "ea244205-d641-45d9-9dcb-ab2236bcd07e";
    let cases = [
        (
            "name",
            huawei::css::CreateSnapshotRequest::new(project, cluster, "../../admin"),
        ),
        (
            "indices",
            huawei::css::CreateSnapshotRequest::new(project, cluster, "snapshot_001").with_indices("a/b?c"),
        ),
        (
            "description",
            huawei::css::CreateSnapshotRequest::new(project, cluster, "snapshot_001").with_description("<script>"),
        ),
    ];
    for (parameter, request) in cases {
        match refused_before_sending(&server, client.create_snapshot(&request).await) {
            Error::Build {
                source: BuildError::Validation(e),
                ..
            } => assert_eq!(e.parameter, parameter),
            other => panic!("{parameter}: expected a validation error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn cr_lf_bound_for_a_header_is_refused_before_sending() {
    // The user agent.
    let server = start("zilliz-cloud.yaml").await;
    let config = e2e::at(&server, zilliz::cloud::Client::config()).user_agent("cloudsnap\r\nX-Injected: 1");
    let client = e2e::zilliz_with(config, AuthScheme::Bearer, server.credentials());
    let request = zilliz::cloud::ListBackupsRequest::new();
    match refused_before_sending(&server, client.list_backups(&request).await) {
        Error::Build {
            source: BuildError::Header { name, .. },
            ..
        } => assert_eq!(name, "user-agent"),
        other => panic!("expected a header error, got {other:?}"),
    }

    // Credentials that travel in headers.
    let api_key = TestCredentials {
        api_key: "key\r\nX-Injected: 1".into(),
        ..TestCredentials::default()
    };
    let client = e2e::zilliz_with(
        e2e::at(&server, zilliz::cloud::Client::config()),
        AuthScheme::Bearer,
        &api_key,
    );
    match refused_before_sending(&server, client.list_backups(&request).await) {
        Error::Sign {
            source: SignError::InvalidHeaderValue { name },
            ..
        } => assert_eq!(name, "authorization"),
        other => panic!("expected a signing error, got {other:?}"),
    }

    let cbr = start("huawei-cbr.yaml").await;
    let token = TestCredentials {
        iam_token: "token\nX-Injected: 1".into(),
        ..TestCredentials::default()
    };
    let client = e2e::cbr_with(
        e2e::at(&cbr, huawei::cbr::Client::config()),
        AuthScheme::HuaweiToken,
        &token,
    );
    let request = huawei::cbr::ShowBackupRequest::new("p", "b");
    match refused_before_sending(&cbr, client.show_backup(&request).await) {
        Error::Sign {
            source: SignError::InvalidHeaderValue { name },
            ..
        } => assert_eq!(name, "x-auth-token"),
        other => panic!("expected a signing error, got {other:?}"),
    }

    let es = start("aliyun-elasticsearch.yaml").await;
    let basic = TestCredentials {
        basic_password: "pw\r\nX-Injected: 1".into(),
        ..TestCredentials::default()
    };
    let config = e2e::at(&es, aliyun::elasticsearch::Client::config());
    let client = e2e::es_with(config, AuthScheme::Basic, &basic);
    let request = aliyun::elasticsearch::GetSnapshotsRequest::new("aliyun_auto_snapshot");
    match refused_before_sending(&es, client.get_snapshots(&request).await) {
        Error::Sign {
            source: SignError::InvalidCredential(_),
            ..
        } => {}
        other => panic!("expected a credential error, got {other:?}"),
    }
}

/// CR/LF in a query value cannot break out of the query: it is
/// percent-encoded, signed as such, and arrives as the literal value.
#[tokio::test]
async fn cr_lf_in_a_query_value_arrives_literally() {
    let value = "in01\r\nX-Injected: 1&Action=DeleteSnapshot";
    let zilliz = start("zilliz-cloud.yaml").await;
    let request = zilliz::cloud::ListBackupsRequest::new().with_cluster_id(value);
    e2e::zilliz(&zilliz).list_backups(&request).await.expect("sent");
    let r = &zilliz.requests()[0];
    assert!(r.accepted(), "{:?}", r.problems);
    assert_eq!(r.query, [("clusterId".to_owned(), value.to_owned())]);
    assert!(!r.headers.iter().any(|(n, _)| n == "x-injected"));

    for scheme in [AuthScheme::AliyunRpcV1, AuthScheme::AliyunV3] {
        let ecs = start("aliyun-ecs.yaml").await;
        let request = aliyun::ecs::DescribeSnapshotsRequest::new()
            .with_region_id("cn-hangzhou")
            .with_snapshot_name(value);
        e2e::ecs(&ecs, scheme)
            .describe_snapshots(&request)
            .await
            .unwrap_or_else(|e| panic!("{scheme:?}: {e}"));
        let r = &ecs.requests()[0];
        assert!(r.accepted(), "{scheme:?}: {:?}", r.problems);
        assert_eq!(e2e::query(r, "SnapshotName"), Some(value), "{scheme:?}");
        let actions: Vec<&(String, String)> = r.query.iter().filter(|(n, _)| n == "Action").collect();
        assert!(actions.len() <= 1, "{scheme:?}: a second Action: {actions:?}");
        assert!(!r.headers.iter().any(|(n, _)| n == "x-injected"), "{scheme:?}");
    }
}

/// A redirect is not followed: it would replay the signed request (and its
/// credentials) to wherever the `Location` points.
#[tokio::test]
async fn redirects_are_not_followed() {
    let server = start("huawei-cbr.yaml").await;
    let elsewhere = format!("{}/v3/attacker/backups/steal", server.url());
    server.enqueue(
        "ShowBackup",
        cloudsnap_mock::MockResponse::status(302).with_header("location", elsewhere),
    );
    let request = huawei::cbr::ShowBackupRequest::new("4229d7a45436489f8c3dc2b1d35d4987", "b");
    let error = e2e::cbr(&server, AuthScheme::HuaweiAksk)
        .show_backup(&request)
        .await
        .expect_err("a redirect is not a success");
    assert_eq!((error.status(), error.attempts()), (Some(302), 1), "{error}");
    assert_eq!(server.requests().len(), 1, "the Location was not requested");
}

/// Neither a client nor its errors print the credentials it signs with.
#[tokio::test]
async fn clients_and_errors_do_not_print_secrets() {
    let creds = TestCredentials::default();
    let ecs = start("aliyun-ecs.yaml").await;
    let wrong = TestCredentials {
        access_key_secret: "wrong-secret".into(),
        ..TestCredentials::default()
    };
    let config = e2e::at(&ecs, aliyun::ecs::Client::config());
    let client = e2e::ecs_with(config, AuthScheme::AliyunRpcV1, &wrong);
    let error = client
        .describe_snapshots(&aliyun::ecs::DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou"))
        .await
        .expect_err("wrong secret");
    let zilliz = start("zilliz-cloud.yaml").await;
    let printed = [
        format!("{client:?}"),
        format!("{error}"),
        format!("{error:?}"),
        format!("{:?}", e2e::zilliz(&zilliz)),
        format!(
            "{:?}",
            e2e::cbr(&start("huawei-cbr.yaml").await, AuthScheme::HuaweiToken)
        ),
    ];
    for text in &printed {
        for secret in [
            "wrong-secret",
            &creds.api_key,
            &creds.iam_token,
            &creds.access_key_secret,
        ] {
            assert!(!text.contains(secret), "{secret} printed in {text}");
        }
        // The RPC signature travels in the query: the URI is never printed.
        assert!(!text.contains("Signature="), "{text}");
    }
}
