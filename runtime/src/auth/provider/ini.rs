//! A minimal INI reader for the vendors' credentials files: `[section]`
//! headers, `key = value` lines, `#` and `;` comment lines. Keys and
//! section names are case-sensitive, values trimmed.

use std::collections::BTreeMap;

/// Sections by name, keys by name.
pub(crate) type Ini = BTreeMap<String, BTreeMap<String, String>>;

/// Parses `text`. A line that is neither a header, a pair nor a comment is
/// an error carrying its line number (never its content: it may be a key).
pub(crate) fn parse(text: &str) -> Result<Ini, usize> {
    let mut out = Ini::new();
    let mut section: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_owned();
            out.entry(name.clone()).or_default();
            section = Some(name);
            continue;
        }
        let (key, value) = line.split_once('=').ok_or(i + 1)?;
        let section = section.as_ref().ok_or(i + 1)?;
        let value = value.trim().trim_matches('"');
        out.entry(section.clone())
            .or_default()
            .insert(key.trim().to_owned(), value.to_owned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_pairs_and_comments() {
        let ini =
            parse("# c\n[default]\ntype = access_key\n; x\naccess_key_id=\"id\"\n\n[other]\nk = v = w\n").unwrap();
        assert_eq!(ini["default"]["type"], "access_key");
        assert_eq!(ini["default"]["access_key_id"], "id");
        assert_eq!(ini["other"]["k"], "v = w");
        assert_eq!(parse("[a]\nnot a pair\n"), Err(2));
        assert_eq!(parse("k = v\n"), Err(1));
    }
}
