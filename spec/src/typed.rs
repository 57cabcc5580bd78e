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
    /// [`fingerprint`] of [`SPEC_SOURCE`](Self::SPEC_SOURCE), computed at compile time.
    const SPEC_FINGERPRINT: u64 = fingerprint(Self::SPEC_SOURCE);
}

/// A stable fingerprint of a spec's source text (FNV-1a 64), used to detect drift between
/// generated code and the spec loaded at run time.
pub const fn fingerprint(source: &str) -> u64 {
    let bytes = source.as_bytes();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash = (hash ^ bytes[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}
