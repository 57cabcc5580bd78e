//! [`Ty`] → type tokens, and identifiers (raw ones included).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Module, Ty};

/// An identifier token; `r#type` becomes a raw identifier.
pub(super) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The tokens of a type.
pub(super) fn ty(ty: &Ty, module: &Module) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Integer => quote!(i64),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::Any => quote!(::toolwire::__private::serde_json::Value),
        Ty::Object => quote!(
            ::toolwire::__private::serde_json::Map<::std::string::String, ::toolwire::__private::serde_json::Value>
        ),
        Ty::Struct(name) => {
            let name = ident(name);
            quote!(#name)
        }
        Ty::Enum(i) => {
            let name = ident(&module.enums[*i].name);
            quote!(#name)
        }
        Ty::List(inner) => {
            let inner = self::ty(inner, module);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Option(inner) => {
            let inner = self::ty(inner, module);
            quote!(::std::option::Option<#inner>)
        }
    }
}
