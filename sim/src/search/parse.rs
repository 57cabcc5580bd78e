//! Search query parsing: Zendesk's syntax (terms ANDed, `field:value`, `< > <= >=`, `-`
//! negation, `"quoted phrases"`, trailing `*`, `order_by:` / `sort:`).

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Gt,
    Le,
    Ge,
}

/// One query term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub negated: bool,
    /// `None` for free text.
    pub field: Option<String>,
    pub cmp: Cmp,
    /// Lowercased value without quotes.
    pub value: String,
    /// The value was quoted (a phrase).
    pub phrase: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default)]
pub struct ParsedQuery {
    pub terms: Vec<Term>,
    /// `type:` values (ticket, user, organization, group).
    pub types: Vec<String>,
    pub order_by: Option<String>,
    pub sort: Option<String>,
}

fn split_tokens(q: &str) -> Vec<(String, bool)> {
    // (token, contains a quoted part)
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut in_q = false;
    for ch in q.chars() {
        match ch {
            '"' => {
                in_q = !in_q;
                quoted = true;
            }
            c if c.is_whitespace() && !in_q => {
                if !cur.is_empty() || quoted {
                    out.push((std::mem::take(&mut cur), quoted));
                }
                quoted = false;
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() || quoted {
        out.push((cur, quoted));
    }
    out
}

fn split_field(tok: &str) -> Option<(String, Cmp, String)> {
    let idx = tok.find([':', '<', '>'])?;
    let field = &tok[..idx];
    if field.is_empty() || !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let rest = &tok[idx..];
    let (cmp, n) = if rest.starts_with("<=") {
        (Cmp::Le, 2)
    } else if rest.starts_with(">=") {
        (Cmp::Ge, 2)
    } else if rest.starts_with('<') {
        (Cmp::Lt, 1)
    } else if rest.starts_with('>') {
        (Cmp::Gt, 1)
    } else {
        // `:` optionally followed by an operator (`created:>2024-01-01`).
        let r = &rest[1..];
        if r.starts_with("<=") {
            (Cmp::Le, 3)
        } else if r.starts_with(">=") {
            (Cmp::Ge, 3)
        } else if r.starts_with('<') {
            (Cmp::Lt, 2)
        } else if r.starts_with('>') {
            (Cmp::Gt, 2)
        } else {
            (Cmp::Eq, 1)
        }
    };
    Some((field.to_ascii_lowercase(), cmp, rest[n..].to_string()))
}

/// Parse a query string.
pub fn parse(q: &str) -> ParsedQuery {
    let mut pq = ParsedQuery::default();
    for (tok, quoted) in split_tokens(q) {
        let (negated, body) = match tok.strip_prefix('-') {
            Some(r) if !r.is_empty() || quoted => (true, r.to_string()),
            _ => (false, tok.clone()),
        };
        match split_field(&body) {
            Some((field, cmp, value)) => {
                let value = value.to_lowercase();
                match field.as_str() {
                    "type" if !negated => pq.types.push(value),
                    "order_by" => pq.order_by = Some(value),
                    "sort" => pq.sort = Some(value),
                    _ => pq.terms.push(Term {
                        negated,
                        field: Some(field),
                        cmp,
                        value,
                        phrase: quoted,
                    }),
                }
            }
            None if body.is_empty() => {}
            None => pq.terms.push(Term {
                negated,
                field: None,
                cmp: Cmp::Eq,
                value: body.to_lowercase(),
                phrase: quoted,
            }),
        }
    }
    pq
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operators_negation_and_phrases() {
        let q = parse(
            "status<solved -tags:vip \"printer fire\" assignee:me type:ticket order_by:priority sort:desc",
        );
        assert_eq!(q.types, vec!["ticket"]);
        assert_eq!(q.order_by.as_deref(), Some("priority"));
        assert_eq!(q.sort.as_deref(), Some("desc"));
        assert_eq!(q.terms.len(), 4);
        assert_eq!(q.terms[3].field.as_deref(), Some("assignee"));
        assert_eq!(q.terms[0].cmp, Cmp::Lt);
        assert!(q.terms[1].negated);
        assert_eq!(q.terms[2].field, None);
        assert!(q.terms[2].phrase);
        assert_eq!(q.terms[2].value, "printer fire");
    }

    #[test]
    fn parses_ge_le_and_quoted_field_values() {
        let q = parse("created>=2024-01-01 priority<=high requester:\"Jane Doe\"");
        assert_eq!(q.terms[0].cmp, Cmp::Ge);
        assert_eq!(q.terms[1].cmp, Cmp::Le);
        assert_eq!(q.terms[2].value, "jane doe");
    }
}
