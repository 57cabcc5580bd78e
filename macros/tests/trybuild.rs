//! Compile-time behaviour of `connector!`: the Zendesk module passes
//! `#![deny(warnings, missing_docs)]`; spec mistakes are compile errors naming the spec's
//! `file:line:column` with a hint.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass_zendesk.rs");
    t.compile_fail("tests/ui/unknown_key.rs");
    t.compile_fail("tests/ui/undeclared_var.rs");
}
