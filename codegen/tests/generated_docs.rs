//! What the generated documentation looks like on a service page, for every
//! shipped spec: the module docs open with the overview and link to a
//! separate `errata` page; spec prose never shows an escape literally;
//! client items carry their docs.rs feature badge.

use std::path::{Path, PathBuf};

fn specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let files = cloudsnap_codegen::spec_files(&[dir]);
    assert!(!files.is_empty(), "no specs found");
    files
}

fn generated(spec: &Path) -> cloudsnap_codegen::Generated {
    cloudsnap_codegen::generate_file(spec).unwrap_or_else(|d| panic!("{}: {d:?}", spec.display()))
}

#[test]
fn errata_are_on_their_own_page_linked_from_the_module_docs() {
    for spec in specs() {
        let g = generated(&spec);
        let module_docs: Vec<&str> = g.code.lines().filter(|l| l.starts_with("//!")).collect();
        let text = module_docs.join("\n");
        assert!(
            !text.contains("# Errata"),
            "{}: errata in the module docs",
            spec.display()
        );
        assert!(
            !text.contains("**erratum**") && !text.contains("**addition**"),
            "{}",
            spec.display()
        );
        let count = g.model.errata.len();
        if count == 0 {
            assert!(!g.code.contains("pub mod errata"), "{}", spec.display());
            continue;
        }
        assert!(
            text.contains("[`errata`]"),
            "{}: no link to the errata page",
            spec.display()
        );
        assert!(text.contains(&format!("{count} place")), "{}", spec.display());
        // The errata page: one list item per entry, right above the module.
        let page: Vec<&str> = g
            .code
            .lines()
            .take_while(|l| !l.starts_with("pub mod errata {}"))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .take_while(|l| l.starts_with("///"))
            .collect();
        let items = page.iter().filter(|l| l.starts_with("/// - **")).count();
        assert_eq!(items, count, "{}", spec.display());
        for e in &g.model.errata {
            let at = format!("at `{}`", e.at);
            assert!(page.iter().any(|l| l.contains(&at)), "{}: {at}", spec.display());
        }
    }
}

/// An odd number of backslashes right before `&` escapes the entity, and
/// rustdoc then shows `&lt;` literally.
fn escapes_an_entity(line: &str) -> bool {
    line.match_indices('&').any(|(i, _)| {
        let backslashes = line[..i].chars().rev().take_while(|c| *c == '\\').count();
        backslashes % 2 == 1
    })
}

#[test]
fn no_doc_line_shows_an_escape_literally() {
    assert!(escapes_an_entity(r#"(including "\&lt;|&gt;)"#));
    assert!(!escapes_an_entity(r#"(including "\\&lt;|&gt;)"#));
    for spec in specs() {
        let g = generated(&spec);
        for line in g.code.lines().map(str::trim_start).filter(|l| l.starts_with("//")) {
            assert!(!escapes_an_entity(line), "{}: {line}", spec.display());
            // Generator prose keeps working intra-doc links.
            assert!(!line.contains("\\[`Client::config`\\]"), "{}: {line}", spec.display());
            assert!(
                !line.contains("owned by the signing work"),
                "{}: {line}",
                spec.display()
            );
        }
    }
}

#[test]
fn client_items_carry_a_docs_rs_feature_badge() {
    for spec in specs() {
        let g = generated(&spec);
        let lines: Vec<&str> = g.code.lines().map(str::trim).collect();
        let gated: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i] == "#[cfg(feature = \"client\")]")
            .collect();
        assert!(!gated.is_empty(), "{}: no client items", spec.display());
        for i in gated {
            assert_eq!(
                lines.get(i + 1).copied(),
                Some("#[cfg_attr(docsrs, doc(cfg(feature = \"client\")))]"),
                "{}: line {}",
                spec.display(),
                i + 1
            );
        }
    }
}
