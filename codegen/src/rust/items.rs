//! Structs, enums and `impl Tool` blocks, with docs from the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{ident, ty};
use crate::ir::{EnumDef, Field, Module, StructDef, Ty};

/// `#[doc = ".."]` attributes, one per line.
pub(super) fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = ".."]` attributes, one per line.
pub(super) fn inner_docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote!(#(#![doc = #lines])*)
}

const SERDE: &str = "::toolwire::__private::serde";
const SCHEMARS: &str = "::toolwire::__private::schemars";

/// A struct, followed by its `impl Tool` when it is a tool's input.
pub(super) fn structure(def: &StructDef, module: &Module) -> TokenStream {
    let name = ident(&def.name);
    let docs = docs(&def.docs);
    let default = def.default.then(|| quote!(Default,));
    let closed = def.closed.then(|| quote!(#[serde(deny_unknown_fields)]));
    let fields = def.fields.iter().map(|f| field(f, module));
    let tool = def.tool.as_ref().map(|t| {
        let tool_name = &t.name;
        let output = ty(&t.output, module);
        quote! {
            impl ::toolwire::Tool for #name {
                type Output = #output;
                const CONNECTOR: &'static str = self::CONNECTOR;
                const NAME: &'static str = #tool_name;
                const SPEC_SOURCE: &'static str = self::SPEC_SOURCE;
            }
        }
    });
    quote! {
        #docs
        #[derive(
            Debug, Clone, PartialEq, #default
            ::toolwire::__private::serde::Serialize,
            ::toolwire::__private::serde::Deserialize,
            ::toolwire::__private::schemars::JsonSchema
        )]
        #[serde(crate = #SERDE)]
        #[schemars(crate = #SCHEMARS)]
        #closed
        pub struct #name {
            #(#fields)*
        }

        #tool
    }
}

fn field(f: &Field, module: &Module) -> TokenStream {
    let name = ident(&f.ident);
    let fallback = [format!("The `{}` property.", f.wire)];
    let docs = docs(if f.docs.is_empty() {
        &fallback
    } else {
        &f.docs
    });
    let bare = f.ident.strip_prefix("r#").unwrap_or(&f.ident);
    let wire = &f.wire;
    let rename = (bare != f.wire).then(|| quote!(#[serde(rename = #wire)]));
    let optional = matches!(f.ty, Ty::Option(_))
        .then(|| quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]));
    let ty = ty(&f.ty, module);
    quote! {
        #docs
        #rename
        #optional
        pub #name: #ty,
    }
}

/// A closed enum and its `as_str`.
pub(super) fn enumeration(def: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = docs(&def.docs);
    let variants = def.variants.iter().map(|(variant, wire)| {
        let variant = ident(variant);
        let doc = format!(" `{wire}`");
        quote! {
            #[doc = #doc]
            #[serde(rename = #wire)]
            #variant,
        }
    });
    let arms = def.variants.iter().map(|(variant, wire)| {
        let variant = ident(variant);
        quote!(#name::#variant => #wire,)
    });
    quote! {
        #docs
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            ::toolwire::__private::serde::Serialize,
            ::toolwire::__private::serde::Deserialize,
            ::toolwire::__private::schemars::JsonSchema
        )]
        #[serde(crate = #SERDE)]
        #[schemars(crate = #SCHEMARS)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as written in JSON.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
