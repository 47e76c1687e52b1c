//! The three HMAC signature schemes, verified the way the services do:
//! recomputed with cloudsnap's public signing functions
//! (`cloudsnap_runtime::auth::{aliyun_rpc, aliyun_v3, huawei}`), the mock's test
//! credentials, the time and nonce the request carries, the headers its
//! `SignedHeaders` names (the `Host` header as received), and its body. On
//! a mismatch the message shows the server's string to sign or canonical
//! request, as Alibaba Cloud's own error does, so a client can see which
//! part it signed differently.

use cloudsnap_runtime::auth::{aliyun_rpc, aliyun_v3, huawei};

use crate::auth::{authorization, check_security_token, check_time, incomplete, AuthContext};
use crate::envelope::{Kind, Problem};
use crate::incoming::Incoming;

/// Alibaba RPC signature v1: the common parameters, then HMAC-SHA1 over
/// every query and form parameter but `Signature`.
pub(crate) fn rpc_v1(inc: &Incoming, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    let params: Vec<(String, String)> = inc.rpc_params().cloned().collect();
    let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let required = [
        "AccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ];
    let missing: Vec<&str> = required.into_iter().filter(|n| get(n).is_none()).collect();
    if incomplete("RPC signature", &missing, out) {
        return;
    }
    let creds = ctx.credentials;
    for (name, want) in [("SignatureMethod", "HMAC-SHA1"), ("SignatureVersion", "1.0")] {
        if let Some(got) = get(name).filter(|g| *g != want) {
            out.push(Problem::new(
                Kind::Unauthenticated,
                format!("{name} `{got}` is not supported; use `{want}`"),
            ));
        }
    }
    check_time("Timestamp", get("Timestamp").unwrap_or_default(), false, ctx, out);
    check_security_token("SecurityToken", get("SecurityToken"), ctx, out);
    if get("AccessKeyId") != Some(creds.access_key_id.as_str()) {
        out.push(Problem::new(
            Kind::InvalidCredential,
            format!(
                "Specified access key is not found: AccessKeyId `{}` is not the mock's test AccessKey ID",
                get("AccessKeyId").unwrap_or_default()
            ),
        ));
        return;
    }
    let signed: Vec<&(String, String)> = params.iter().filter(|(n, _)| n != "Signature").collect();
    let signed: Vec<(&str, &str)> = signed.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let method = inc.method.as_str();
    match aliyun_rpc::signature(method, &signed, &creds.access_key_secret) {
        Ok(expected) if get("Signature") == Some(expected.as_str()) => {}
        Ok(_) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!(
                "Specified signature is not matched with our calculation. server string to sign is: {}",
                aliyun_rpc::string_to_sign(method, &signed)
            ),
        )),
        Err(e) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("cannot compute the signature: {e}"),
        )),
    }
}

/// `key=value` items of an `Authorization` header after its scheme word,
/// separated by commas (Alibaba V3) or commas and spaces (Huawei).
fn auth_items(rest: &str) -> Vec<(&str, &str)> {
    rest.split(',')
        .filter_map(|item| item.trim().split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// The signed `(name, value)` pairs, each value the received values trimmed
/// and joined with `,`; `None` (after a problem) when one is absent.
fn signed_headers(inc: &Incoming, names: &[&str], out: &mut Vec<Problem>) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for name in names {
        let values: Vec<&str> = inc
            .headers
            .get_all(*name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::trim)
            .collect();
        if values.is_empty() {
            out.push(Problem::new(
                Kind::Unauthenticated,
                format!("signed header `{name}` is not in the request"),
            ));
            return None;
        }
        pairs.push((name.to_ascii_lowercase(), values.join(",")));
    }
    Some(pairs)
}

/// The canonical query of both HMAC-SHA256 schemes (the same RFC 3986
/// rule cloudsnap publishes as `aliyun_rpc::canonicalized_query_string`).
fn canonical_query(inc: &Incoming) -> String {
    aliyun_rpc::canonicalized_query_string(&inc.query)
}

/// Alibaba `ACS3-HMAC-SHA256`: the `x-acs-*` headers, the body hash, then
/// the canonical request over the client's `SignedHeaders`.
pub(crate) fn v3(inc: &Incoming, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    let rest = authorization(inc).map(|(_, r)| r).unwrap_or_default();
    let items = auth_items(rest);
    let item = |k: &str| items.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let mut missing: Vec<&str> = ["Credential", "SignedHeaders", "Signature"]
        .into_iter()
        .filter(|k| item(k).is_none())
        .collect();
    for header in ["x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"] {
        if inc.header(header).is_none() {
            missing.push(header);
        }
    }
    if incomplete("ACS3-HMAC-SHA256 signature", &missing, out) {
        return;
    }
    check_time(
        "x-acs-date",
        inc.header("x-acs-date").unwrap_or_default(),
        false,
        ctx,
        out,
    );
    check_security_token("x-acs-security-token", inc.header("x-acs-security-token"), ctx, out);
    let creds = ctx.credentials;
    if item("Credential") != Some(creds.access_key_id.as_str()) {
        out.push(Problem::new(
            Kind::InvalidCredential,
            format!(
                "Specified access key is not found: Credential `{}` is not the mock's test AccessKey ID",
                item("Credential").unwrap_or_default()
            ),
        ));
        return;
    }
    let body_hash = cloudsnap_runtime::wire::sha256_hex(&inc.body);
    let content_hash = inc.header("x-acs-content-sha256").unwrap_or_default();
    if content_hash != body_hash {
        out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("x-acs-content-sha256 `{content_hash}` is not the SHA-256 of the body (`{body_hash}`)"),
        ));
    }
    let names: Vec<&str> = item("SignedHeaders").unwrap_or_default().split(';').collect();
    let mut unsigned: Vec<String> = inc
        .headers
        .keys()
        .map(|k| k.as_str())
        .filter(|k| k.starts_with("x-acs-") && !names.contains(k))
        .map(str::to_owned)
        .collect();
    if !names.contains(&"host") {
        unsigned.insert(0, "host".to_owned());
    }
    if !unsigned.is_empty() {
        out.push(Problem::new(
            Kind::Unauthenticated,
            format!(
                "SignedHeaders must include host and every x-acs-* header; not signed: {}",
                unsigned.join(", ")
            ),
        ));
        return;
    }
    let Some(headers) = signed_headers(inc, &names, out) else {
        return;
    };
    let Ok(path) = cloudsnap_runtime::wire::canonical_path(&inc.path) else {
        out.push(Problem::new(
            Kind::InvalidParameter,
            "the path is not valid percent-encoded UTF-8",
        ));
        return;
    };
    let method = inc.method.as_str();
    let request = aliyun_v3::canonical_request(method, &path, &canonical_query(inc), &headers, content_hash);
    let to_sign = aliyun_v3::string_to_sign(&request);
    compare_hex(
        aliyun_v3::signature(&creds.access_key_secret, &to_sign),
        item("Signature"),
        &request,
        "Specified signature is not matched with our calculation.",
        out,
    );
}

/// Huawei `SDK-HMAC-SHA256`: `X-Sdk-Date`, then the canonical request
/// (path with its trailing `/`) over the client's `SignedHeaders`.
pub(crate) fn huawei_aksk(inc: &Incoming, ctx: &AuthContext<'_>, out: &mut Vec<Problem>) {
    let rest = authorization(inc).map(|(_, r)| r).unwrap_or_default();
    let items = auth_items(rest);
    let item = |k: &str| items.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let mut missing: Vec<&str> = ["Access", "SignedHeaders", "Signature"]
        .into_iter()
        .filter(|k| item(k).is_none())
        .collect();
    if inc.header("x-sdk-date").is_none() {
        missing.push("X-Sdk-Date");
    }
    if incomplete("SDK-HMAC-SHA256 signature", &missing, out) {
        return;
    }
    let date = inc.header("x-sdk-date").unwrap_or_default();
    check_time("X-Sdk-Date", date, true, ctx, out);
    check_security_token("X-Security-Token", inc.header("x-security-token"), ctx, out);
    let creds = ctx.credentials;
    if item("Access") != Some(creds.access_key_id.as_str()) {
        out.push(Problem::new(
            Kind::InvalidCredential,
            format!(
                "Incorrect IAM authentication information: Access `{}` is not the mock's test access key",
                item("Access").unwrap_or_default()
            ),
        ));
        return;
    }
    let names: Vec<&str> = item("SignedHeaders").unwrap_or_default().split(';').collect();
    let unsigned: Vec<&str> = ["host", "x-sdk-date"]
        .into_iter()
        .filter(|n| !names.contains(n))
        .collect();
    if !unsigned.is_empty() {
        out.push(Problem::new(
            Kind::Unauthenticated,
            format!(
                "SignedHeaders must include host and x-sdk-date; not signed: {}",
                unsigned.join(", ")
            ),
        ));
        return;
    }
    let Some(headers) = signed_headers(inc, &names, out) else {
        return;
    };
    let Ok(uri) = huawei::canonical_uri(&inc.path) else {
        out.push(Problem::new(
            Kind::InvalidParameter,
            "the path is not valid percent-encoded UTF-8",
        ));
        return;
    };
    let payload = cloudsnap_runtime::wire::sha256_hex(&inc.body);
    let method = inc.method.as_str();
    let request = huawei::canonical_request(method, &uri, &canonical_query(inc), &headers, &payload);
    let to_sign = huawei::string_to_sign(date, &request);
    compare_hex(
        huawei::signature(&creds.access_key_secret, &to_sign),
        item("Signature"),
        &request,
        "Incorrect IAM authentication information: verify aksk signature fail.",
        out,
    );
}

/// Compare the recomputed hex signature with the one given.
fn compare_hex(
    expected: Result<String, cloudsnap_runtime::auth::SignError>,
    given: Option<&str>,
    canonical_request: &str,
    lead: &str,
    out: &mut Vec<Problem>,
) {
    match expected {
        Ok(e) if given.is_some_and(|g| g.eq_ignore_ascii_case(&e)) => {}
        Ok(_) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("{lead} The server's canonical request is {canonical_request:?}"),
        )),
        Err(e) => out.push(Problem::new(
            Kind::SignatureMismatch,
            format!("cannot compute the signature: {e}"),
        )),
    }
}
