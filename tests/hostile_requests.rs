//! Hostile request values through every generated request builder: values
//! that break a documented constraint are refused before anything is built,
//! with an error naming the parameter; hostile text is percent-encoded so it
//! stays inside its one path segment or query value, or is refused.
//!
//! Rust strings are always valid UTF-8, so a lone surrogate cannot reach a
//! builder at all; `lone_surrogates_cannot_be_constructed` shows where one is
//! stopped instead (deserializing request parameters from JSON).

use cloudsnap::runtime::{BuildError, Operation, ValidationError};

use cloudsnap::aliyun::ecs::{DescribeSnapshotsRequest, DescribeSnapshotsTag, SnapshotStatusFilter, SourceDiskType};
use cloudsnap::aliyun::elasticsearch::{GetSnapshotStatusRequest, GetSnapshotsRequest};
use cloudsnap::huawei::cbr::ShowBackupRequest;
use cloudsnap::huawei::css::CreateSnapshotRequest;
use cloudsnap::zilliz::cloud::{DescribeBackupRequest, ListBackupsRequest};

/// Hostile texts and their exact percent-encoding (RFC 3986 unreserved
/// characters stay, every other byte of the UTF-8 is `%XX`).
const HOSTILE: &[(&str, &str)] = &[
    ("../../admin", "..%2F..%2Fadmin"),
    ("a/b", "a%2Fb"),
    ("x?y#z", "x%3Fy%23z"),
    ("%2e%2e", "%252e%252e"),
    ("%2F", "%252F"),
    ("a\r\nHost: evil.example", "a%0D%0AHost%3A%20evil.example"),
    ("a&Action=DeleteSnapshot", "a%26Action%3DDeleteSnapshot"),
    ("\u{202e}gpj.exe", "%E2%80%AEgpj.exe"),
    ("nul\0byte", "nul%00byte"),
    ("\u{1f4f8}", "%F0%9F%93%B8"),
    ("e\u{301}", "e%CC%81"),
    (" +;,=", "%20%2B%3B%2C%3D"),
    ("~-._", "~-._"),
    ("\\..\\", "%5C..%5C"),
    ("...", "..."),
];

/// Build, expecting success, and return the origin-form URI.
fn uri<O: Operation>(request: &O) -> String {
    let built = request
        .build_request()
        .unwrap_or_else(|e| panic!("{}: {e}", O::INFO.name));
    let uri = built.uri().to_string();
    // The URI a transport would send parses back to the same text.
    let reparsed: http::Uri = uri.parse().expect("origin-form URI");
    assert_eq!(reparsed.to_string(), uri);
    uri
}

/// Expect a documented-constraint failure naming `parameter`, from both
/// `validate` and `build_request` (so nothing is built); return its message.
fn refused<O: Operation>(request: &O, parameter: &str) -> String {
    let e: ValidationError = request.validate().expect_err("must be refused");
    assert_eq!(e.parameter, parameter);
    match request.build_request() {
        Err(BuildError::Validation(b)) => assert_eq!(b, e),
        other => panic!("{}: expected a validation error, got {other:?}", O::INFO.name),
    }
    let text = e.to_string();
    assert!(text.starts_with(&format!("parameter `{parameter}` ")), "{text}");
    text
}

/// Expect a path-parameter refusal naming `parameter`.
fn refused_path<O: Operation>(request: &O, parameter: &str) {
    match request.build_request() {
        Err(e @ BuildError::PathParameter { .. }) => {
            let text = e.to_string();
            let BuildError::PathParameter { parameter: p, .. } = e else {
                unreachable!()
            };
            assert_eq!(p, parameter);
            assert!(text.starts_with(&format!("path parameter `{parameter}` ")), "{text}");
        }
        other => panic!("{}: expected a path parameter error, got {other:?}", O::INFO.name),
    }
}

// ---------------------------------------------------------------------------
// Documented constraints.

#[test]
fn ecs_ranges_and_item_counts() {
    let base = || DescribeSnapshotsRequest::new().with_region_id("cn-hangzhou");
    let ids = |n: usize| (0..n).map(|i| format!("s-{i}")).collect::<Vec<_>>();
    assert!(base().with_snapshot_ids(ids(100)).build_request().is_ok());
    let m = refused(&base().with_snapshot_ids(ids(101)), "SnapshotIds");
    assert_eq!(
        m,
        "parameter `SnapshotIds` has 101 items; the document allows at most 100"
    );
    refused(&base().with_snapshot_link_id(ids(101)), "SnapshotLinkId");
    let m = refused(&base().with_page_number(0), "PageNumber");
    assert_eq!(m, "parameter `PageNumber` is 0; the document allows at least 1");
    refused(&base().with_page_number(i64::MIN), "PageNumber");
    assert!(
        base().with_page_number(i64::MAX).build_request().is_ok(),
        "no documented maximum"
    );
    for bad in [0, 101, -1, i64::MAX] {
        let m = refused(&base().with_page_size(bad), "PageSize");
        assert!(m.ends_with("the document allows 1 to 100"), "{m}");
        refused(&base().with_max_results(bad), "MaxResults");
    }
    let tags = |n: usize| {
        (0..n)
            .map(|i| DescribeSnapshotsTag::new().with_key(format!("k{i}")))
            .collect::<Vec<_>>()
    };
    assert!(base().with_tag(tags(20)).build_request().is_ok());
    let m = refused(&base().with_tag(tags(21)), "Tag");
    assert_eq!(m, "parameter `Tag` has 21 items; the document allows at most 20");
}

#[test]
fn css_length_and_pattern() {
    let req = |name: &str| CreateSnapshotRequest::new("p", "c", name);
    assert!(req("snap").build_request().is_ok());
    assert!(req(&format!("s{}", "a".repeat(63))).build_request().is_ok());
    let m = refused(&req("abc"), "name");
    assert_eq!(m, "parameter `name` has 3 characters; the document allows 4 to 64");
    refused(&req(&format!("s{}", "a".repeat(64))), "name");
    for bad in [
        "Snapshot",
        "1snap",
        "snap shot",
        "snap/../x",
        "snap\r\nx",
        "snäp",
        "snap\u{1f4f8}",
    ] {
        let m = refused(&req(bad), "name");
        assert!(m.contains("does not match the documented pattern"), "{bad:?}: {m}");
    }
    // A megabyte of text fails on its length, before the pattern runs.
    let m = refused(&req(&"a".repeat(1 << 20)), "name");
    assert!(m.contains("has 1048576 characters"), "{m}");

    let ok = req("snap");
    assert!(ok.clone().with_description("").build_request().is_ok());
    let m = refused(&ok.clone().with_description("d".repeat(257)), "description");
    assert!(m.contains("has 257 characters; the document allows at most 256"), "{m}");
    // Length is counted in characters, not bytes.
    assert!(ok
        .clone()
        .with_description("\u{1f4f8}".repeat(256))
        .build_request()
        .is_ok());
    refused(&ok.clone().with_description("<script>"), "description");
    refused(
        &ok.clone().with_description(format!("{}<", "x".repeat(100))),
        "description",
    );
    for bad in ["Logs", "a b", "a?b", "a/b", "a|b", "a\\b", "a\"b", "<a", "a>"] {
        refused(&ok.clone().with_indices(bad), "indices");
    }
    refused(&ok.clone().with_indices("i".repeat(1025)), "indices");
    assert!(ok.with_indices("logs-*,metrics").build_request().is_ok());
}

// ---------------------------------------------------------------------------
// Hostile text in path parameters: one encoded segment each.

#[test]
fn path_parameters_stay_in_their_segment() {
    for (value, enc) in HOSTILE {
        assert_eq!(
            uri(&ShowBackupRequest::new(*value, "b")),
            format!("/v3/{enc}/backups/b"),
            "{value:?}"
        );
        assert_eq!(
            uri(&ShowBackupRequest::new("p", *value)),
            format!("/v3/p/backups/{enc}")
        );
        assert_eq!(uri(&GetSnapshotsRequest::new(*value)), format!("/_snapshot/{enc}/_all"));
        assert_eq!(
            uri(&GetSnapshotStatusRequest::new(*value, *value)),
            format!("/_snapshot/{enc}/{enc}/_status")
        );
        assert_eq!(
            uri(&DescribeBackupRequest::new(*value, "b")),
            format!("/v2/clusters/{enc}/backups/b")
        );
        assert_eq!(
            uri(&DescribeBackupRequest::new("c", *value)),
            format!("/v2/clusters/c/backups/{enc}")
        );
        assert_eq!(
            uri(&CreateSnapshotRequest::new(*value, *value, "snap")),
            format!("/v1.0/{enc}/clusters/{enc}/index_snapshot")
        );
    }
}

#[test]
fn empty_and_dot_segments_are_refused() {
    for bad in ["", ".", ".."] {
        refused_path(&ShowBackupRequest::new(bad, "b"), "project_id");
        refused_path(&ShowBackupRequest::new("p", bad), "backup_id");
        refused_path(&GetSnapshotsRequest::new(bad), "repository");
        refused_path(&GetSnapshotStatusRequest::new("r", bad), "snapshot");
        refused_path(&DescribeBackupRequest::new(bad, "b"), "CLUSTER_ID");
        refused_path(&DescribeBackupRequest::new("c", bad), "BACKUP_ID");
        refused_path(&CreateSnapshotRequest::new("p", bad, "snap"), "cluster_id");
    }
}

#[test]
fn very_long_values() {
    // Long values are encoded like any other, up to the URI limit of the
    // `http` crate (65534 bytes) ...
    let long = "\u{202e}".repeat(5_000);
    let enc = "%E2%80%AE".repeat(5_000);
    assert_eq!(
        uri(&GetSnapshotsRequest::new(long.as_str())),
        format!("/_snapshot/{enc}/_all")
    );
    // ... and past it the request is refused, not truncated.
    let mega = "a".repeat(1 << 20);
    for result in [
        GetSnapshotsRequest::new(mega.as_str()).build_request(),
        ShowBackupRequest::new("p", mega.as_str()).build_request(),
        DescribeSnapshotsRequest::new()
            .with_region_id(mega.as_str())
            .build_request(),
        ListBackupsRequest::new().with_start_time(mega.as_str()).build_request(),
    ] {
        match result {
            Err(e @ BuildError::Http(_)) => {
                let printed = cloudsnap::runtime::error_chain(&e);
                assert!(printed.contains("uri too long"), "{printed}")
            }
            other => panic!(
                "expected a too-long error, got {:?}",
                other.map(|r| r.uri().to_string().len())
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// Hostile text in query values: one encoded value each.

#[test]
fn query_values_stay_in_their_value() {
    for (value, enc) in HOSTILE {
        let r = DescribeSnapshotsRequest::new()
            .with_region_id(*value)
            .with_instance_id(*value);
        assert_eq!(
            uri(&r),
            format!("/?Action=DescribeSnapshots&Version=2014-05-26&Format=JSON&InstanceId={enc}&RegionId={enc}")
        );
        let r = ListBackupsRequest::new().with_cluster_id(*value).with_end_time(*value);
        assert_eq!(uri(&r), format!("/v2/backups?clusterId={enc}&endTime={enc}"));
    }
}

#[test]
fn json_and_flattened_query_lists_are_encoded() {
    let r = DescribeSnapshotsRequest::new()
        .with_region_id("cn")
        .with_snapshot_ids(vec!["a\",\"b".to_owned(), "c&d".to_owned()])
        .with_tag(vec![DescribeSnapshotsTag::new()
            .with_key("k=1&Tag.2.Key=x")
            .with_value("\u{202e}")]);
    assert_eq!(
        uri(&r),
        "/?Action=DescribeSnapshots&Version=2014-05-26&Format=JSON&RegionId=cn\
         &SnapshotIds=%5B%22a%5C%22%2C%5C%22b%22%2C%22c%26d%22%5D\
         &Tag.1.Key=k%3D1%26Tag.2.Key%3Dx&Tag.1.Value=%E2%80%AE"
    );
}

#[test]
fn unknown_enum_values_are_encoded_too() {
    let r = DescribeSnapshotsRequest::new()
        .with_region_id("cn")
        .with_status(SnapshotStatusFilter::from("all&DryRun=false"))
        .with_source_disk_type(SourceDiskType::from("DATA"));
    assert_eq!(
        uri(&r),
        "/?Action=DescribeSnapshots&Version=2014-05-26&Format=JSON&RegionId=cn\
         &Status=all%26DryRun%3Dfalse&SourceDiskType=data"
    );
}

// ---------------------------------------------------------------------------
// Hostile text in the JSON body: escaped, never structure.

#[test]
fn body_values_are_json_escaped() {
    let r = CreateSnapshotRequest::new("p", "c", "snap")
        .with_description("\"}, \"admin\": true, {\"\0\u{202e}\r\n")
        .with_indices("logs,\u{1f4f8}");
    let built = r.build_request().expect("builds");
    // Member order follows serde_json's map (sorted, or insertion order when
    // a crate in the build enables `preserve_order`), so check the members.
    let text = String::from_utf8(built.body().clone()).expect("UTF-8");
    assert!(
        text.contains("\"description\":\"\\\"}, \\\"admin\\\": true, {\\\"\\u0000\u{202e}\\r\\n\""),
        "{text}"
    );
    assert!(text.contains("\"indices\":\"logs,\u{1f4f8}\""), "{text}");
    assert!(text.contains("\"name\":\"snap\""), "{text}");
    let v: serde_json::Value = serde_json::from_slice(built.body()).expect("JSON");
    assert_eq!(v.as_object().map(|o| o.len()), Some(3), "no member was injected");
}

// ---------------------------------------------------------------------------
// Headers. No spec has a header parameter yet, so the runtime's header
// method is driven directly, as generated code would drive it.

mod headers {
    use cloudsnap::runtime::{
        AuthScheme, BuildError, ErrorEnvelope, OperationInfo, Protocol, RequestBuilder, ServiceInfo, SuccessEnvelope,
    };

    const SERVICE: ServiceInfo = ServiceInfo {
        id: "t",
        vendor: "v",
        title: "T",
        source: "s",
        protocol: Protocol::RestJson,
        api_version: None,
        endpoints: &[],
        auth: &[AuthScheme::Bearer],
        error_envelope: ErrorEnvelope::Huawei,
        success_envelope: SuccessEnvelope::Plain,
    };
    const INFO: OperationInfo = OperationInfo {
        service: &SERVICE,
        name: "Op",
        method: "GET",
        path: "/",
        action: "Op",
        success_status: 200,
        idempotent: true,
    };

    fn refused(name: &str, value: &str) -> String {
        let mut b = RequestBuilder::new(&INFO);
        match b.header(name, value) {
            Err(e @ BuildError::Header { .. }) => {
                let text = e.to_string();
                assert!(text.starts_with(&format!("header `{name}` cannot be sent: ")), "{text}");
                text
            }
            other => panic!("{name}: {value:?}: {other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused() {
        for value in ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b", "a\u{7f}b", "a\r\n b"] {
            let m = refused("X-Trace", value);
            assert!(m.contains("control characters"), "{m}");
        }
    }

    #[test]
    fn non_ascii_is_refused() {
        // Raw UTF-8 in a header is read as Latin-1 by many peers and would
        // carry an RTL override into logs unescaped.
        for value in ["\u{202e}gpj.exe", "\u{1f4f8}", "e\u{301}", "caf\u{e9}"] {
            let m = refused("X-Trace", value);
            assert!(m.contains("non-ASCII"), "{m}");
        }
    }

    #[test]
    fn bad_names_are_refused() {
        for name in ["X Trace", "X-Trace:", "", "X-\u{e9}", "X\r\nY"] {
            refused(name, "v");
        }
    }

    #[test]
    fn ordinary_values_pass_unchanged() {
        let mut b = RequestBuilder::new(&INFO);
        b.header("X-Trace", "abc-123 ~!@#$%^&*()\t")
            .expect("visible ASCII and tab");
        let req = b.finish().expect("builds");
        assert_eq!(req.headers()["x-trace"], "abc-123 ~!@#$%^&*()\t");
    }
}

#[test]
fn lone_surrogates_cannot_be_constructed() {
    // In Rust a lone surrogate is not a `char` and cannot be in a `String`:
    assert!(String::from_utf8(vec![0xed, 0xa0, 0x80]).is_err());
    assert!(char::from_u32(0xd800).is_none());
    // Where request parameters come from JSON, the escape is refused there.
    for json in [
        r#"{"project_id": "\ud800", "backup_id": "b"}"#,
        r#"{"project_id": "\udc00x", "backup_id": "b"}"#,
    ] {
        let e = serde_json::from_str::<ShowBackupRequest>(json).expect_err("lone surrogate");
        assert!(
            e.to_string().contains("escape") || e.to_string().contains("surrogate"),
            "{e}"
        );
    }
}
