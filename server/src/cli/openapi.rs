//! `toolwire openapi`: prints the server's OpenAPI document (the same JSON `GET /openapi.json`
//! serves) without starting a server, so client generators (`scripts/gen-clients.sh`) need
//! nothing running.

use crate::error::Result;

/// Prints the document, pretty, with a trailing newline.
pub fn run() -> Result<()> {
    let doc = crate::app::openapi::document();
    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    Ok(())
}
