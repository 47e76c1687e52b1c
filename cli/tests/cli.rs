//! The `cloudsnap-codegen` binary: exit status, all files reported, colour,
//! atomic output.

use std::path::PathBuf;
use std::process::{Command, Output};

fn codegen(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cloudsnap-codegen"));
    cmd.args(args).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const VALID: &str = "../specs/huawei-cbr.yaml";

#[test]
fn exit_status_is_0_for_valid_1_for_spec_errors_2_when_it_cannot_run() {
    assert_eq!(codegen(&["check", VALID], &[]).status.code(), Some(0));
    let bad = codegen(&["check", "../codegen/tests/corpus/unknown_type_reference.yaml"], &[]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    let missing = codegen(&["check", "../codegen/tests/corpus/no_such_file.yaml"], &[]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert_eq!(codegen(&["check", "--no-such-flag"], &[]).status.code(), Some(2));
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let file = "../codegen/tests/corpus/warn_unused_type.yaml";
    let lenient = codegen(&["check", file], &[]);
    assert_eq!(lenient.status.code(), Some(0), "{}", stderr(&lenient));
    assert!(stderr(&lenient).contains("warning: type `Orphan` is not used"));
    let strict = codegen(&["check", "--deny-warnings", file], &[]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(
        stderr(&strict).contains("error: 1 warning in 1 of 1 spec file, denied by --deny-warnings"),
        "{}",
        stderr(&strict)
    );
}

#[test]
fn a_yaml_syntax_error_in_one_file_does_not_stop_the_others() {
    let o = codegen(
        &[
            "check",
            "../codegen/tests/corpus/yaml_tab_indentation.yaml",
            VALID,
            "../codegen/tests/corpus/unknown_keys_all_reported.yaml",
        ],
        &[],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("yaml_tab_indentation.yaml:22:1"), "{err}");
    for key in ["exmaple", "dosc", "rust_nmae"] {
        assert!(err.contains(&format!("unknown key `{key}`")), "{err}");
    }
    assert!(err.contains("error: 4 errors in 2 of 3 spec files"), "{err}");
}

#[test]
fn colour_only_when_asked_for() {
    let file = "../codegen/tests/corpus/misspelled_type_reference.yaml";
    // stderr is a pipe here: plain unless forced.
    assert!(!stderr(&codegen(&["check", file], &[])).contains('\u{1b}'));
    let forced = stderr(&codegen(&["check", file], &[("CLICOLOR_FORCE", "1")]));
    assert!(forced.contains("\u{1b}["), "{forced}");
    let off = stderr(&codegen(&["check", file], &[("NO_COLOR", "1")]));
    assert!(!off.contains('\u{1b}'), "{off}");
}

/// Every file under `dir` with its bytes, sorted by path.
fn snapshot_dir(dir: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).expect("readable file")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn generate_with_an_invalid_spec_leaves_the_output_dir_byte_identical() {
    let out = std::env::temp_dir().join(format!("cloudsnap-codegen-atomic-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_str().expect("utf-8 temp dir");
    // A first, valid run fills the directory.
    let first = codegen(&["generate", VALID, "--out", out_arg], &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    std::fs::write(out.join("huawei").join("keep.txt"), b"hand-written").expect("write");
    let before = snapshot_dir(&out);
    assert_eq!(before.len(), 2, "{before:?}");
    // A valid spec next to an invalid one: nothing may change.
    let second = codegen(
        &[
            "generate",
            VALID,
            "../codegen/tests/corpus/recursion_mutual.yaml",
            "--out",
            out_arg,
        ],
        &[],
    );
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(err.contains("nothing written to"), "{err}");
    assert_eq!(snapshot_dir(&out), before);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn two_specs_generating_the_same_module_are_an_error() {
    let dir = std::env::temp_dir().join(format!("cloudsnap-codegen-twins-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for name in ["a.yaml", "b.yaml"] {
        std::fs::copy(VALID, dir.join(name)).expect("copy spec");
    }
    let o = codegen(&["check", dir.to_str().expect("utf-8")], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("module `huawei::cbr` is already generated from"), "{err}");
    assert!(err.contains("b.yaml:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn from_another_directory_check_and_audit_say_so_and_cannot_run() {
    let dir = std::env::temp_dir();
    for args in [&["check"][..], &["audit", "--all"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_cloudsnap-codegen"))
            .args(args)
            .current_dir(&dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("the binary runs");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("no `specs` directory here"), "{args:?}: {err}");
        assert!(!err.contains("error: error:"), "{args:?}: {err}");
    }
}

/// The rendered snippet of a tab error: the location names the tab's line
/// and column, and the snippet shows that line with the caret under the tab
/// (not the key before it, which serde_yaml's path points at).
#[test]
fn a_tab_error_points_at_the_tab() {
    for file in [
        "../codegen/tests/corpus/yaml_tab_indentation.yaml",
        "../codegen/tests/corpus/yaml_tab_on_blank_line.yaml",
        "../codegen/tests/corpus/yaml_tab_after_plain_scalar.yaml",
    ] {
        let text = std::fs::read_to_string(file).expect("corpus file");
        // The first line indented with a tab, and the tab's column.
        let (line, column) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                let indent = &l[..l.len() - l.trim_start().len()];
                indent.find('\t').map(|c| (i + 1, c + 1))
            })
            .expect("the file has a tab");
        let o = codegen(&["check", file], &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("{file}:{line}:{column}")), "{file}: {err}");
        assert!(err.contains("indent with spaces"), "{file}: {err}");
        // `NN | <the line>` then `   | <spaces up to the column>^`.
        let rendered: Vec<&str> = err.lines().collect();
        let at = rendered
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{line} |")))
            .unwrap_or_else(|| panic!("{file}: no snippet of line {line}: {err}"));
        let source_line = text.lines().nth(line - 1).expect("line");
        assert!(rendered[at].ends_with(source_line), "{file}: {err}");
        let caret = rendered[at + 1];
        let gutter = rendered[at].find('|').expect("gutter");
        assert_eq!(caret.find('|'), Some(gutter), "{file}: {err}");
        let under = &caret[gutter + 1..];
        assert_eq!(
            under.trim_end(),
            format!(" {}^", " ".repeat(column - 1)),
            "{file}: {err}"
        );
    }
}

/// A temporary directory outside any git repository (git stops looking at
/// its parent), holding a copy of one spec.
fn outside_git(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudsnap-codegen-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(VALID, dir.join("spec.yaml")).expect("copy spec");
    dir
}

fn codegen_in(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cloudsnap-codegen"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

#[test]
fn diff_outside_a_repository_says_so_and_what_to_do() {
    let dir = outside_git("norepo");
    let parent = dir.parent().expect("parent").to_str().expect("utf-8").to_owned();
    let ceiling = [("GIT_CEILING_DIRECTORIES", parent.as_str())];
    for args in [
        &["diff", "HEAD:spec.yaml", "spec.yaml"][..],
        &["diff", "--git", "HEAD", "."][..],
    ] {
        let o = codegen_in(&dir, args, &ceiling);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("is not inside a git repository"), "{args:?}: {err}");
        assert!(err.contains("compare two spec files"), "{args:?}: {err}");
        assert!(!err.contains("is not a commit git knows"), "{args:?}: {err}");
        assert!(!err.contains("must validate"), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_without_git_installed_says_so() {
    let dir = outside_git("nogit");
    // An empty PATH: no git to run.
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&empty).expect("dir");
    let o = codegen_in(
        &dir,
        &["diff", "HEAD:spec.yaml", "spec.yaml"],
        &[("PATH", empty.to_str().expect("utf-8"))],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("git is not installed or not on PATH"), "{err}");
    assert!(!err.contains("must validate"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_of_a_file_missing_at_a_revision_says_it_does_not_exist_there() {
    // This test runs inside the repository's checkout (cli/): `HEAD` is a
    // commit, and no spec of this name was ever committed.
    let o = codegen(
        &["diff", "HEAD:specs/no-such-spec-anywhere.yaml", VALID],
        &[("NO_COLOR", "1")],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`specs/no-such-spec-anywhere.yaml` does not exist at `HEAD`"),
        "{err}"
    );
    assert!(err.contains("diff failed: a spec could not be read"), "{err}");
    assert!(!err.contains("must validate"), "{err}");
    // An unknown revision names the revision, not the file.
    let o = codegen(&["diff", "no-such-rev-xyz:specs/huawei-cbr.yaml", VALID], &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("`no-such-rev-xyz` is not a commit git knows"), "{err}");
}

/// Reports name spec values as the spec spells them (`huawei_token`,
/// `[huawei_token, huawei_aksk]`), never in Rust's Debug form
/// (`HuaweiToken`, `[HuaweiToken, HuaweiAksk]`).
#[test]
fn diff_reports_spell_values_as_the_spec_does() {
    let text = std::fs::read_to_string(VALID).expect("spec");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("auth: ["))
        .expect("an auth list");
    let inner = line
        .split_once('[')
        .and_then(|(_, r)| r.split_once(']'))
        .expect("[..]")
        .0;
    let mut schemes: Vec<&str> = inner.split(',').map(str::trim).collect();
    assert!(schemes.len() > 1, "{schemes:?}");
    let before = format!("[{}]", schemes.join(", "));
    schemes.reverse();
    let after = format!("[{}]", schemes.join(", "));
    let dir = outside_git("spelling");
    std::fs::write(
        dir.join("new.yaml"),
        text.replace(line, &line.replace(inner, &schemes.join(", "))),
    )
    .expect("write");
    let o = codegen_in(&dir, &["diff", "--format", "json", "spec.yaml", "new.yaml"], &[]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
    assert!(out.contains(&before) && out.contains(&after), "{out}");
    for scheme in &schemes {
        // `huawei_token` in Debug form is `HuaweiToken`.
        let debug: String = scheme
            .split('_')
            .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
            .collect();
        assert!(!out.contains(&debug), "{debug} in {out}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Top-level help sends to each command's help for its exit status, and
/// every command's help states its own.
#[test]
fn every_command_states_its_own_exit_status() {
    let top = codegen(&["--help"], &[]);
    let top = String::from_utf8_lossy(&top.stdout).into_owned();
    assert!(top.contains("help COMMAND"), "{top}");
    assert!(!top.contains("--deny-warnings"), "check's exit codes at the top: {top}");
    // Every subcommand the top-level help lists.
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect();
    assert!(commands.len() >= 5, "{commands:?}");
    for command in &commands {
        let o = codegen(&[command, "--help"], &[]);
        let help = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{command}");
        let status = help
            .split_once("Exit status:")
            .or_else(|| help.split_once("Exit codes:"))
            .unwrap_or_else(|| panic!("{command} --help has no exit status:\n{help}"))
            .1;
        assert!(status.contains('0'), "{command}: {status}");
    }
    let check = String::from_utf8_lossy(&codegen(&["check", "--help"], &[]).stdout).into_owned();
    assert!(check.contains("--deny-warnings"), "{check}");
}
