//! Where the two sides of a diff come from: a file, or a file at a git
//! revision (`REV:path`, read with `git show`), and which pairs `--git REV`
//! compares.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use cloudsnap_codegen::diag::Diagnostic;
use cloudsnap_codegen::model::Model;

/// One side of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A spec file in the working tree.
    File(PathBuf),
    /// A spec file at a git revision.
    Git {
        /// Any revision git understands (`HEAD~1`, a tag, a commit); empty
        /// for the index.
        rev: String,
        /// The path as git reads it after `REV:` (relative to the repository
        /// root, or to the current directory when it starts with `./`).
        path: String,
    },
}

impl Source {
    /// An existing file is a file; otherwise `REV:path` names a file at a
    /// git revision; anything else is a (missing) file.
    pub fn parse(arg: &str) -> Source {
        if Path::new(arg).exists() {
            return Source::File(PathBuf::from(arg));
        }
        match arg.split_once(':') {
            Some((rev, path)) if !path.is_empty() => Source::Git {
                rev: rev.to_owned(),
                path: path.to_owned(),
            },
            _ => Source::File(PathBuf::from(arg)),
        }
    }

    /// How the source is shown in reports (`HEAD~1:specs/x.yaml`).
    pub fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Git { rev, path } => format!("{rev}:{path}"),
        }
    }

    /// Whether the spec can be read at all (the file exists; git runs, the
    /// revision is a commit and has the file), with what is wrong if not.
    /// [`Source::load`] reports the same problem as a diagnostic; this tells
    /// a missing side from one that does not validate.
    pub fn readable(&self) -> Result<(), String> {
        match self {
            Source::File(p) if p.is_file() => Ok(()),
            Source::File(p) => Err(format!("{} does not exist", p.display())),
            Source::Git { rev, path } => {
                check_rev(rev)?;
                let spec = format!("{rev}:{path}");
                git(&["cat-file", "-e", &spec]).map_err(|_| format!("`{path}` does not exist at `{rev}`"))?;
                Ok(())
            }
        }
    }

    /// Load and validate the spec through the same pipeline as `generate`.
    /// Every diagnostic is returned on failure, including git's.
    pub fn load(&self) -> Result<Model, Vec<Diagnostic>> {
        let loaded = match self {
            Source::File(path) => cloudsnap_codegen::load::load_file(path)?,
            Source::Git { rev, path } => {
                let label = self.label();
                let text = git_show(rev, path).map_err(|msg| {
                    vec![Diagnostic::error("", msg)
                        .locate(Path::new(&label), "", None)
                        .with_hint(
                            "check the revision and the path (relative to the repository root, or starting with ./)",
                        )]
                })?;
                cloudsnap_codegen::load::load_str(Path::new(&label), &text)?
            }
        };
        cloudsnap_codegen::generate(&loaded).map(|g| g.model)
    }
}

/// Run git with `args` in the current directory; stdout on success, a
/// message with git's own error otherwise.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git").args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "git is not installed or not on PATH; REV:path and --git read specs with git \
             (install git, or compare two spec files: diff OLD.yaml NEW.yaml)"
                .to_owned()
        } else {
            format!("cannot run git: {e}")
        }
    })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A revision that git cannot mistake for an option, of a repository the
/// current directory is in: git runs, the directory is in a work tree, and
/// `rev` names a commit. Each failure says what is wrong and what to do.
fn check_rev(rev: &str) -> Result<(), String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision (it starts with `-`)"));
    }
    git(&["rev-parse", "--is-inside-work-tree"]).map_err(|e| {
        if e.contains("not a git repository") {
            let cwd = std::env::current_dir().unwrap_or_default();
            format!(
                "{} is not inside a git repository, so `{rev}` cannot be read; run from the \
                 repository's checkout, or compare two spec files (diff OLD.yaml NEW.yaml)",
                cwd.display()
            )
        } else {
            e
        }
    })?;
    if rev.is_empty() {
        return Ok(()); // `:path` is the index
    }
    git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).map_err(|_| {
        format!(
            "`{rev}` is not a commit git knows in this repository (see `git log --oneline` or \
             `git branch -a`; fetch it first if it is another clone's)"
        )
    })?;
    Ok(())
}

/// The text of `path` at `rev`.
fn git_show(rev: &str, path: &str) -> Result<String, String> {
    check_rev(rev)?;
    let spec = format!("{rev}:{path}");
    if git(&["cat-file", "-e", &spec]).is_err() {
        let at = if rev.is_empty() {
            "in the index".to_owned()
        } else {
            format!("at `{rev}`")
        };
        return Err(format!(
            "`{path}` does not exist {at} (the path is relative to the repository root, or to \
             the current directory when it starts with ./; `git ls-tree -r --name-only {} specs` \
             lists the specs there)",
            if rev.is_empty() { "HEAD" } else { rev }
        ));
    }
    let bytes = git(&["show", &spec])?;
    String::from_utf8(bytes).map_err(|_| format!("{rev}:{path} is not UTF-8 text"))
}

/// `a/./b`, `./a/b` and `$PWD/a/b` all as `a/b`, so working-tree and git
/// paths (which git lists relative to the current directory) compare.
fn normal(p: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let p = p.strip_prefix(&cwd).unwrap_or(p);
    p.components().filter(|c| *c != Component::CurDir).collect()
}

fn is_spec(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// An old and a new side; `None` where the spec exists on one side only.
pub type Pair = (Option<Source>, Option<Source>);

/// The pairs `--git REV` compares: every spec file under `paths` (files, or
/// directories whose `*.yaml` files count, as for `check`) at `rev` against
/// the working tree. A spec on one side only pairs with `None`.
pub fn git_pairs(rev: &str, paths: &[PathBuf]) -> Result<Vec<Pair>, String> {
    if rev.is_empty() {
        return Err("--git needs a revision (HEAD, a branch, a tag or a commit)".to_owned());
    }
    check_rev(rev)?;
    let mut pairs: Vec<(PathBuf, bool, bool)> = Vec::new();
    let mut mark = |file: PathBuf, at_rev: bool| match pairs.iter_mut().find(|(f, _, _)| *f == file) {
        Some(entry) if at_rev => entry.1 = true,
        Some(entry) => entry.2 = true,
        None => pairs.push((file, at_rev, !at_rev)),
    };
    for file in cloudsnap_codegen::spec_files(paths) {
        if file.is_file() {
            mark(normal(&file), false);
        }
    }
    for dir in paths {
        let dir_text = dir.to_string_lossy();
        let listing = git(&["ls-tree", "-r", "--name-only", rev, "--", &dir_text])?;
        let dir = normal(dir);
        for line in String::from_utf8_lossy(&listing).lines() {
            let file = normal(Path::new(line));
            // Like `spec_files`: the path itself, or files directly in it.
            if is_spec(&file) && (file == dir || file.parent() == Some(dir.as_path())) {
                mark(file, true);
            }
        }
    }
    pairs.sort();
    Ok(pairs
        .into_iter()
        .map(|(file, at_rev, in_tree)| {
            let old = at_rev.then(|| Source::Git {
                rev: rev.to_owned(),
                path: format!("./{}", file.display()),
            });
            (old, in_tree.then_some(Source::File(file)))
        })
        .collect())
}
