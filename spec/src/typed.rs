//! The contract between generated Rust tool types and the engine.
//!
//! `toolwire-codegen` emits, per tool, an input struct implementing [`Tool`]; the runtime's
//! typed `execute` serializes it to the same JSON the dynamic path takes and runs the same
//! engine. The embedded spec text lets the runtime refuse a typed call whose generated code was
//! built from a different spec than the one loaded (no silent drift).

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A typed tool input generated from a connector spec.
pub trait Tool: Serialize {
    /// The tool's output type.
    type Output: DeserializeOwned;
    /// Connector name (`zendesk`).
    const CONNECTOR: &'static str;
    /// Tool name (`zendesk_ticket_create`).
    const NAME: &'static str;
    /// The spec source the type was generated from.
    const SPEC_SOURCE: &'static str;
}

/// A stable fingerprint of a spec's source text (FNV-1a 64), used to detect drift between
/// generated code and the spec loaded at run time.
pub fn fingerprint(source: &str) -> u64 {
    source.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
