//! Where a JSON path (`$.backup.children[0].status`) is in JSON text, so a
//! problem inside an example body can point at its line rather than at the
//! start of the body.

/// Byte offset in `text` of the node at `path` (for an object member, of its
/// key), if the text is JSON and has that node.
pub fn offset(text: &str, path: &str) -> Option<usize> {
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
        target: path,
        found: None,
    };
    s.value("$", None);
    s.found
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    target: &'a str,
    found: Option<usize>,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    /// Scan a value whose path is `path`; `key_at` is where its member key is.
    fn value(&mut self, path: &str, key_at: Option<usize>) {
        self.ws();
        if self.found.is_some() {
            return;
        }
        if path == self.target {
            self.found = Some(key_at.unwrap_or(self.i));
            return;
        }
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'"') => {
                            let at = self.i;
                            let key = self.string();
                            self.ws();
                            if self.b.get(self.i) != Some(&b':') {
                                return;
                            }
                            self.i += 1;
                            self.value(&format!("{path}.{key}"), Some(at));
                            if self.found.is_some() {
                                return;
                            }
                        }
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        Some(b',') => self.i += 1,
                        Some(_) => {
                            let before = self.i;
                            self.value(&format!("{path}[{n}]"), None);
                            if self.found.is_some() || self.i == before {
                                return;
                            }
                            n += 1;
                        }
                        None => return,
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self.b.get(self.i).is_some_and(|c| !b",}] \t\r\n".contains(c)) {
                    self.i += 1;
                }
            }
            None => {}
        }
    }

    /// Scan a string starting at its quote; returns its raw contents.
    fn string(&mut self) -> String {
        let start = self.i + 1;
        self.i += 1;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => break,
                _ => {}
            }
        }
        let end = self.i.saturating_sub(1).max(start);
        String::from_utf8_lossy(&self.b[start.min(end)..end]).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_and_items() {
        let text = "{\"a\": 1,\n \"b\": [ {\"c\": \"x\"}, {\"c\": \"y\"} ]}";
        assert_eq!(offset(text, "$"), Some(0));
        assert_eq!(offset(text, "$.a"), Some(1));
        assert_eq!(offset(text, "$.b[1].c").map(|o| &text[o..o + 3]), Some("\"c\""));
        assert_eq!(offset(text, "$.b[1]").map(|o| &text[o..o + 1]), Some("{"));
        assert_eq!(offset(text, "$.zz"), None);
    }
}
