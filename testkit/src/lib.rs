//! The connector test kit behind `toolwire spec test`: cassettes (recorded request/response
//! pairs, each citing its source) replayed through the real engine against a local HTTPS
//! stand-in, with the exact requests and the tools' results checked.
//!
//! - [`model`]: the cassette format (`connectors/cassettes/<name>.yaml`, see docs/cassettes.md);
//! - [`load`]: the located loader (every problem at once, `file:line:column`, with a fix);
//! - [`standin`]: the HTTPS stand-in (throwaway CA, scripted answers, recorded requests);
//! - [`matching`]: request and result comparison with readable diffs;
//! - [`runner`]: one fresh runtime and SQLite store per cassette, steps through the engine.
//!
//! ```no_run
//! # async fn f() -> Result<(), toolwire_testkit::TestkitError> {
//! let report = toolwire_testkit::run(std::path::Path::new("connectors/notes.yaml"), None).await?;
//! print!("{}", report.render());
//! assert!(report.passed());
//! # Ok(()) }
//! ```

pub mod load;
pub mod matching;
pub mod model;
pub mod runner;
pub mod standin;

mod error;

pub use error::{Result, TestkitError};
pub use runner::{IDENTIFIER, Outcome, Report, cassettes_beside, run};
