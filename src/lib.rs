//! cloudsnap: typed Rust clients for cloud backup and snapshot APIs.
//!
//! Every service module (`cloudsnap::huawei::cbr`, `cloudsnap::aliyun::ecs`,
//! ...) is generated at build time from a YAML spec in `specs/`, which is
//! transcribed by hand from the vendor's API document. Each operation has a
//! `*Request` type with required parameters in `new` and optional ones in
//! `with_*` setters; through [`runtime::Operation`] it validates the
//! documented constraints, builds an `http::Request` and parses an
//! `http::Response` into typed output or a typed error. Each service module
//! also has an async `Client` (feature `client`, on by default) that signs
//! ([`auth`]), sends, retries and pages.
//!
//! Each service is a cargo feature named after its spec file (`huawei-cbr`,
//! `aliyun-ecs`, ...; all on by default), so a crate can compile only the
//! services it uses.

// The example needs its service; with the feature off it is left out.
#![cfg_attr(
    feature = "huawei-cbr",
    doc = r#"
```
use cloudsnap::huawei::cbr::ShowBackupRequest;
use cloudsnap::runtime::Operation;

let request = ShowBackupRequest::new("4229d7a45436489f8c3dc2b1d35d4987", "6df2b54c-dd62-4059-a07c-1b8f24f2725d");
let http = request.build_request()?;
assert_eq!(http.method(), "GET");
assert_eq!(http.uri().path(), "/v3/4229d7a45436489f8c3dc2b1d35d4987/backups/6df2b54c-dd62-4059-a07c-1b8f24f2725d");
# Ok::<(), cloudsnap::runtime::BuildError>(())
```
"#
)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Generated code names this crate by its absolute path, so the same code works
// here and in a crate that checks in `cloudsnap-codegen generate` output.
extern crate self as cloudsnap;

/// The runtime the generated code calls (the `cloudsnap-runtime` crate):
/// [`runtime::Operation`], request building, validation, response parsing
/// and errors.
pub use cloudsnap_runtime as runtime;

pub use cloudsnap_runtime::auth;
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use cloudsnap_runtime::client;
/// Snapshot lifecycle: normalized states and the cross-cloud
/// [`lifecycle::SnapshotSummary`].
pub use cloudsnap_runtime::lifecycle;

include!(concat!(env!("OUT_DIR"), "/services.rs"));

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(all(doctest, feature = "aliyun-ecs"))]
pub struct ReadmeDoctests;
