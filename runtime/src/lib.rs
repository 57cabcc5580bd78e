//! The toolwire engine: spec interpreter, encrypted vault, connected accounts, tenant routing,
//! safe execution.

pub mod store;
pub mod vault;
