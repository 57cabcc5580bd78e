//! Spec names → Rust identifiers: `snake_case` fields (raw identifiers for keywords), and
//! `UpperCamelCase` types and variants (`end-user` → `EndUser`, `-name` → `MinusName`).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// True when `s` cannot be a plain identifier because it is a keyword.
fn is_keyword(s: &str) -> bool {
    syn::parse_str::<syn::Ident>(s).is_err()
}

/// A field or module identifier for the JSON name `name`.
pub fn field_ident(name: &str) -> String {
    let mut ident = name.to_snake_case();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident = format!("field_{ident}");
    }
    if is_keyword(&ident) {
        if matches!(ident.as_str(), "self" | "super" | "crate" | "_") {
            ident.push('_');
        } else {
            ident = format!("r#{ident}");
        }
    }
    ident
}

/// A type name for `name` (`ticket_create` → `TicketCreate`).
pub fn type_name(name: &str) -> String {
    let mut ident = name.to_upper_camel_case();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident = format!("T{ident}");
    }
    if is_keyword(&ident) {
        ident.push('_');
    }
    ident
}

/// An enum variant for the wire value `value`; a leading `-` or `+` is spelled out so that
/// `name` and `-name` stay distinct.
pub fn variant_name(value: &str) -> String {
    let (prefix, rest) = match value.chars().next() {
        Some('-') => ("Minus", &value[1..]),
        Some('+') => ("Plus", &value[1..]),
        _ => ("", value),
    };
    let mut ident = format!("{prefix}{}", rest.to_upper_camel_case());
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident = format!("V{ident}");
    }
    if is_keyword(&ident) {
        ident.push('_');
    }
    ident
}

/// Makes `candidate` unique among `taken` by appending `2`, `3`, ... and records it.
pub fn claim(taken: &mut Vec<String>, candidate: String) -> String {
    let mut name = candidate.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{candidate}{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_snake_case_and_keywords_raw() {
        assert_eq!(field_ident("comment_body"), "comment_body");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("pageSize"), "page_size");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("2fa"), "field_2fa");
    }

    #[test]
    fn types_and_variants_are_camel_case() {
        assert_eq!(type_name("ticket_create"), "TicketCreate");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(variant_name("end-user"), "EndUser");
        assert_eq!(variant_name("assignee.name"), "AssigneeName");
        assert_eq!(variant_name("-created_at"), "MinusCreatedAt");
        assert_eq!(variant_name("2xx"), "V2xx");
    }

    #[test]
    fn claim_appends_a_number_on_collision() {
        let mut taken = vec!["Ticket".to_string()];
        assert_eq!(claim(&mut taken, "Ticket".into()), "Ticket2");
        assert_eq!(claim(&mut taken, "Ticket".into()), "Ticket3");
        assert_eq!(claim(&mut taken, "User".into()), "User");
    }
}
