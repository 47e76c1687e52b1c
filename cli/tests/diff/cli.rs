//! The `diff` binary: exit codes a CI job can gate on, the JSON format, and
//! the `REV:path` and `--git REV` forms against a scratch git repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{edit, BASE};

/// A fresh, empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-{name}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clean scratch dir");
    }
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    std::fs::write(&path, text).expect("write spec");
    path
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_cloudsnap-codegen"))
        .arg("diff")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run cloudsnap-codegen");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const OPTIONAL_ADDED: (&str, &str) = (
    "      - {name: mode, in: query, type: Mode}\n",
    "      - {name: mode, in: query, type: Mode}\n      - {name: label, in: query, type: string}\n",
);

#[test]
fn exit_codes() {
    let dir = scratch("exit-codes");
    write(&dir, "old.yaml", BASE);
    write(&dir, "same.yaml", BASE);
    write(&dir, "compatible.yaml", &edit(&[OPTIONAL_ADDED]));
    write(&dir, "breaking.yaml", &edit(&[("      - {value: SLOW}\n", "")]));
    write(&dir, "broken.yaml", &edit(&[("type: Mode}\n", "type: Mood}\n")]));

    let (code, out, _) = run(&dir, &["old.yaml", "same.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no changes"), "{out}");

    let (code, out, _) = run(&dir, &["old.yaml", "compatible.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("COMPATIBLE   operations.GetThing.parameters.label: optional parameter added"),
        "{out}"
    );
    let (code, _, _) = run(&dir, &["--fail-on", "compatible", "old.yaml", "compatible.yaml"]);
    assert_eq!(code, 1);
    let (code, _, _) = run(&dir, &["--fail-on", "none", "old.yaml", "same.yaml"]);
    assert_eq!(code, 0);

    let (code, out, _) = run(&dir, &["old.yaml", "breaking.yaml"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("BREAKING     types.Mode.values.SLOW: value removed"),
        "{out}"
    );

    let (code, out, err) = run(&dir, &["old.yaml", "broken.yaml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "no report when a side does not validate: {out}");
    assert!(
        err.contains("unknown type `Mood`") && err.contains("broken.yaml"),
        "{err}"
    );

    assert_eq!(run(&dir, &["old.yaml"]).0, 2, "one spec is a usage error");
    assert_eq!(run(&dir, &["old.yaml", "missing.yaml"]).0, 2);
    assert_eq!(run(&dir, &["--fail-on", "sometimes", "old.yaml", "same.yaml"]).0, 2);
}

#[test]
fn help_documents_exit_codes() {
    let dir = scratch("help");
    let (code, out, _) = run(&dir, &["--help"]);
    assert_eq!(code, 0);
    for line in [
        "Exit codes:",
        "0  no change at or above --fail-on",
        "1  a change at or above --fail-on",
        "2  usage error",
    ] {
        assert!(out.contains(line), "{line:?} missing from:\n{out}");
    }
}

#[test]
fn json_format() {
    let dir = scratch("json");
    write(&dir, "old.yaml", BASE);
    write(
        &dir,
        "new.yaml",
        &edit(&[OPTIONAL_ADDED, ("max_length: 64", "max_length: 10")]),
    );
    let (code, out, _) = run(&dir, &["--format", "json", "old.yaml", "new.yaml"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    assert_eq!(v["highest"], "behavioural");
    assert_eq!(v["summary"]["compatible"], 1);
    assert_eq!(v["summary"]["behavioural"], 1);
    let spec = &v["specs"][0];
    assert_eq!(
        (spec["old"].as_str(), spec["new"].as_str()),
        (Some("old.yaml"), Some("new.yaml"))
    );
    let changes = spec["changes"].as_array().expect("changes");
    let tightened = changes
        .iter()
        .find(|c| c["kind"] == "constraint_tightened")
        .expect("tightened");
    assert_eq!(
        tightened["path"],
        "operations.GetThing.parameters.name.constraints.max_length"
    );
    assert_eq!(
        (tightened["old"].as_str(), tightened["new"].as_str()),
        (Some("64"), Some("10"))
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=diff test",
            "-c",
            "user.email=diff@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

#[test]
fn git_revisions() {
    let dir = scratch("git");
    git(&dir, &["init", "-q"]);
    write(&dir, "specs/acme-things.yaml", BASE);
    write(&dir, "specs/gone.yaml", &BASE.replace("id: things", "id: gone"));
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "first"]);
    // Working tree: one spec changed, one deleted, one new.
    write(
        &dir,
        "specs/acme-things.yaml",
        &edit(&[("      - {value: SLOW}\n", "")]),
    );
    std::fs::remove_file(dir.join("specs/gone.yaml")).expect("remove spec");
    write(&dir, "specs/new.yaml", &BASE.replace("id: things", "id: fresh"));

    let (code, out, err) = run(&dir, &["HEAD:specs/acme-things.yaml", "specs/acme-things.yaml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.starts_with("acme::things (HEAD:specs/acme-things.yaml -> specs/acme-things.yaml)"),
        "{out}"
    );
    assert!(out.contains("types.Mode.values.SLOW: value removed"), "{out}");

    let (code, out, err) = run(&dir, &["--git", "HEAD"]);
    assert_eq!(code, 1, "{out}{err}");
    for line in [
        "acme::things (HEAD:./specs/acme-things.yaml -> specs/acme-things.yaml)",
        "acme::gone (HEAD:./specs/gone.yaml -> (none))",
        "BREAKING     service: spec removed (module cloudsnap::acme::gone no longer exists)",
        "acme::fresh ((none) -> specs/new.yaml)",
        "COMPATIBLE   service: spec added (new module cloudsnap::acme::fresh)",
        "(3 specs compared)",
    ] {
        assert!(out.contains(line), "{line:?} missing from:\n{out}");
    }
    let (code, out, _) = run(&dir, &["--git", "HEAD", "specs/new.yaml"]);
    // Only the named spec: header, one change, its count, the total.
    assert_eq!((code, out.lines().count()), (0, 4), "{out}");

    let (code, _, err) = run(&dir, &["HEAD:specs/missing.yaml", "specs/acme-things.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`specs/missing.yaml` does not exist at `HEAD`") && !err.contains("must validate"),
        "{err}"
    );
    let (code, _, err) = run(&dir, &["--git", "no-such-rev"]);
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-rev` is not a commit git knows"), "{err}");
    let (code, _, err) = run(&dir, &["--git", "--output=x"]);
    assert_eq!(code, 2, "{err}");
}
