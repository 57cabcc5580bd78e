//! The build-script entry point: generate a connector's Rust into `OUT_DIR` and tell cargo
//! when to run again.
//!
//! In `build.rs`:
//!
//! ```no_run
//! toolwire_codegen::build::generate("connectors/zendesk.yaml", "zendesk.rs").unwrap();
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/zendesk.rs"));`, which defines
//! `pub mod zendesk { .. }` exactly as `toolwire::connector!` does.

use std::path::{Path, PathBuf};

use crate::{CodegenError, Generator};

/// Generates the Rust for the spec at `spec` into `out_file` and prints
/// `cargo:rerun-if-changed=<spec>`.
///
/// A relative `spec` is resolved against `CARGO_MANIFEST_DIR` and a relative `out_file`
/// against `OUT_DIR` (when those are set, as in a build script). The file is only rewritten
/// when its content changes. Returns the path written.
pub fn generate(
    spec: impl AsRef<Path>,
    out_file: impl AsRef<Path>,
) -> Result<PathBuf, CodegenError> {
    let spec = resolve(spec.as_ref(), "CARGO_MANIFEST_DIR");
    let out = resolve(out_file.as_ref(), "OUT_DIR");
    println!("cargo:rerun-if-changed={}", spec.display());
    let source = Generator::from_file(&spec)?.rust_source()?;
    write_if_changed(&out, &source)?;
    Ok(out)
}

fn resolve(path: &Path, var: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(dir) if path.is_relative() => Path::new(&dir).join(path),
        _ => path.to_path_buf(),
    }
}

/// Writes `text` to `path` unless it already holds exactly that (keeps mtimes stable).
pub(crate) fn write_if_changed(path: &Path, text: &str) -> Result<(), CodegenError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let err = |source| CodegenError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    std::fs::write(path, text).map_err(err)
}
