//! The `connector!` proc-macro: a thin shell over [`toolwire_codegen::Generator`].
//!
//! `toolwire::connector!("connectors/zendesk.yaml")` reads the spec (relative to the calling
//! crate's `CARGO_MANIFEST_DIR`; when no such file exists there, relative to the directory of
//! the file calling the macro, as `include_str!` does), checks it, and expands to `pub mod zendesk { .. }`: typed
//! tool inputs with `impl Tool`, outputs, models, closed enums and a `TOOLS` catalog. The spec
//! is embedded with `include_str!`, so cargo rebuilds when it changes. A spec error becomes a
//! compile error at the string literal, listing every problem as `file:line:column: message`
//! with a hint.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use syn::{LitStr, parse_macro_input};
use toolwire_codegen::Generator;

/// Generates the typed tools of a connector spec: `connector!("connectors/zendesk.yaml")`
/// expands to `pub mod zendesk { .. }`.
#[proc_macro]
pub fn connector(input: TokenStream) -> TokenStream {
    let lit = parse_macro_input!(input as LitStr);
    match expand(&lit) {
        Ok(tokens) => tokens.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

fn expand(lit: &LitStr) -> syn::Result<proc_macro2::TokenStream> {
    let relative = lit.value();
    let path = resolve(&relative);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        syn::Error::new(
            lit.span(),
            format!("cannot read connector spec {}: {e}", path.display()),
        )
    })?;
    let generator = Generator::from_source(&relative, &text)
        .map_err(|e| syn::Error::new(lit.span(), format!("invalid connector spec:\n{e}")))?;
    Ok(generator.with_include_path(path).tokens())
}

/// `relative` against `CARGO_MANIFEST_DIR`, else against the calling file's directory.
fn resolve(relative: &str) -> PathBuf {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let from_manifest = Path::new(&dir).join(relative);
    if from_manifest.exists() {
        return from_manifest;
    }
    proc_macro::Span::call_site()
        .local_file()
        .and_then(|file| file.parent().map(|d| d.join(relative)))
        .filter(|p| p.exists())
        .unwrap_or(from_manifest)
}
