//! Shared by the spec's integration tests: a shipped connector's text, and a way to break it
//! in several places and check that `load_str` reports every problem at its place, with its
//! hint. (Each test file that needs it declares `mod support;`.)

#![allow(dead_code)]

/// The text of `connectors/<name>.yaml`.
pub fn connector(name: &str) -> String {
    let path = format!("{}/../connectors/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `text` with `from` (which must occur once) replaced by `to`, and the 1-based line of `from`.
pub fn break_once(text: &str, from: &str, to: &str) -> (String, u32) {
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    let at = text.find(from).unwrap();
    let line = text[..at].matches('\n').count() as u32 + 1;
    (text.replacen(from, to, 1), line)
}

/// A spec broken in several places, each with the problem it must cause.
pub struct Breakage {
    file: &'static str,
    text: String,
    expect: Vec<(u32, &'static str, &'static str)>,
}

impl Breakage {
    /// Starts from `text`, loaded as `file` (the name diagnostics start with).
    pub fn new(file: &'static str, text: String) -> Self {
        Breakage {
            file,
            text,
            expect: Vec::new(),
        }
    }

    /// Replaces `from` (once) with `to`; the load must then report a problem whose message
    /// contains `message` and whose hint contains `hint`.
    pub fn step(mut self, from: &str, to: &str, message: &'static str, hint: &'static str) -> Self {
        let (text, line) = break_once(&self.text, from, to);
        self.text = text;
        self.expect.push((line, message, hint));
        self
    }

    /// Loads the broken text: every expected problem is reported, located in the file within
    /// `within` lines of the line that was broken (its key or a parent), with its hint.
    pub fn assert_all_reported(&self, within: u32) {
        let err = toolwire_spec::load_str(self.file, &self.text).unwrap_err();
        let diags = err.diagnostics().expect("located problems");
        let lines: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        for (line, message, hint) in &self.expect {
            let d = diags
                .iter()
                .find(|d| d.message.contains(message))
                .unwrap_or_else(|| panic!("missing `{message}` in {lines:#?}"));
            assert!(d.hint.as_deref().unwrap_or("").contains(hint), "{d}");
            assert!(d.line > 0 && d.column > 0, "{d}");
            assert!(d.to_string().starts_with(&format!("{}:", self.file)), "{d}");
            assert!(
                d.line.abs_diff(*line) <= within,
                "`{message}` at line {}, the broken line is {line}",
                d.line
            );
        }
    }
}
