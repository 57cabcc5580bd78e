//! The one rule for a host app's identifier (the id of its user or customer), the same on
//! every surface — Rust API, REST, magic links, onboarding UI, MCP: 1 to [`MAX_BYTES`] bytes
//! of UTF-8, no control characters (NUL, newlines, tabs, ...), no leading or trailing
//! whitespace (MCP's header is trimmed, so `"a "` could never be reached there).
//!
//! The runtime enforces it where accounts are created or used (get-or-create, credentials,
//! OAuth start, tool calls); lookups and deletes accept anything, so a row stored before the
//! rule existed can still be found and removed.

use crate::error::{Error, FieldProblem, Result};

/// The longest identifier, in bytes.
pub const MAX_BYTES: usize = 256;

/// What is wrong with `identifier`, if anything (one sentence, every broken rule).
pub fn problem(identifier: &str) -> Option<String> {
    if identifier.is_empty() {
        return Some("must not be empty".into());
    }
    let mut wrong = Vec::new();
    if identifier.len() > MAX_BYTES {
        wrong.push(format!(
            "must be at most {MAX_BYTES} bytes (got {})",
            identifier.len()
        ));
    }
    if identifier.chars().any(char::is_control) {
        wrong.push("must not contain control characters (NUL, newline, tab, ...)".into());
    }
    if identifier.trim() != identifier {
        wrong.push("must not start or end with whitespace".into());
    }
    (!wrong.is_empty()).then(|| wrong.join("; "))
}

/// `Ok` when `identifier` follows the rule, else `INVALID_INPUT` naming the field
/// `identifier`; `operation` is what was asked (a tool name, `connected account`, ...).
pub fn check(identifier: &str, operation: &str) -> Result<()> {
    match problem(identifier) {
        None => Ok(()),
        Some(message) => Err(Error::InvalidInput {
            tool: operation.into(),
            problems: vec![FieldProblem {
                field: "identifier".into(),
                message,
            }],
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        for ok in ["a", "user_zd_123", "cust 1/é", &"x".repeat(MAX_BYTES)] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("", "empty"),
            (" a", "whitespace"),
            ("a\n", "control"),
            ("a\0b", "control"),
            ("\u{85}a", "control"),
        ] {
            assert!(problem(bad).is_some_and(|p| p.contains(why)), "{bad:?}");
        }
        let long = "é".repeat(MAX_BYTES / 2 + 1);
        assert!(problem(&long).is_some_and(|p| p.contains("at most 256 bytes")));
        let e = check("a\0", "tickets_get").unwrap_err();
        assert_eq!(e.code(), "INVALID_INPUT");
        assert_eq!(e.details().unwrap()[0]["field"], "identifier");
    }
}
