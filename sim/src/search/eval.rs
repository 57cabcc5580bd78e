//! Search evaluation: matches parsed terms against tickets, users, organizations and groups.
//! Repeated keywords are ORed, different keywords and free text are ANDed.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use super::parse::{Cmp, ParsedQuery, Term};
use crate::tenants::{Group, Organization, Tenant, Ticket, User, priority_rank, status_rank};

/// A searchable record.
#[derive(Debug, Clone, Copy)]
pub enum Rec<'a> {
    Ticket(&'a Ticket),
    User(&'a User),
    Org(&'a Organization),
    Group(&'a Group),
}

impl Rec<'_> {
    pub fn id(&self) -> u64 {
        match self {
            Rec::Ticket(x) => x.id,
            Rec::User(x) => x.id,
            Rec::Org(x) => x.id,
            Rec::Group(x) => x.id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Rec::Ticket(_) => "ticket",
            Rec::User(_) => "user",
            Rec::Org(_) => "organization",
            Rec::Group(_) => "group",
        }
    }

    pub fn created(&self) -> DateTime<Utc> {
        match self {
            Rec::Ticket(x) => x.created_at,
            Rec::User(x) => x.created_at,
            Rec::Org(x) => x.created_at,
            Rec::Group(x) => x.created_at,
        }
    }

    pub fn updated(&self) -> DateTime<Utc> {
        match self {
            Rec::Ticket(x) => x.updated_at,
            Rec::User(x) => x.updated_at,
            Rec::Org(x) => x.updated_at,
            Rec::Group(x) => x.updated_at,
        }
    }
}

/// Words of a text, lowercased.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '_' && c != '-')
        .flat_map(|w| {
            // also index the parts of dotted / hyphenated words
            let mut v = vec![w.to_lowercase()];
            if w.contains(['.', '-', '@', '_']) {
                v.extend(w.split(['.', '-', '@', '_']).map(str::to_lowercase));
            }
            v
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Free-text match: every word of `value` must be a word or word prefix of `hay`; a phrase
/// must appear as consecutive words.
fn text_match(hay: &str, value: &str, phrase: bool) -> bool {
    let hay_words: Vec<String> = hay
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let all = words(hay);
    let value = value.trim_end_matches('*');
    if phrase {
        let needle: Vec<String> = value
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if needle.is_empty() {
            return true;
        }
        return hay_words.windows(needle.len()).any(|w| {
            w.iter().zip(&needle).enumerate().all(|(i, (a, b))| {
                if i + 1 == needle.len() {
                    a.starts_with(b.as_str())
                } else {
                    a == b
                }
            })
        });
    }
    let q = value.to_lowercase();
    if q.is_empty() {
        return true;
    }
    if all.iter().any(|w| w.starts_with(&q)) {
        return true;
    }
    let parts: Vec<&str> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    !parts.is_empty()
        && parts
            .iter()
            .all(|p| hay_words.iter().any(|w| w.starts_with(p)))
}

fn wildcard_eq(actual: &str, pattern: &str) -> bool {
    let a = actual.to_lowercase();
    match pattern.strip_suffix('*') {
        Some(p) => a.starts_with(p),
        None => a == pattern,
    }
}

fn cmp_ord<T: Ord>(a: T, cmp: Cmp, b: T) -> bool {
    match cmp {
        Cmp::Eq => a == b,
        Cmp::Lt => a < b,
        Cmp::Gt => a > b,
        Cmp::Le => a <= b,
        Cmp::Ge => a >= b,
    }
}

/// A date value: a whole day, or an instant.
enum DateVal {
    Day(DateTime<Utc>),
    Instant(DateTime<Utc>),
}

fn parse_date(v: &str, now: DateTime<Utc>) -> Option<DateVal> {
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Some(DateVal::Day(
            Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?),
        ));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&v.to_uppercase()) {
        return Some(DateVal::Instant(t.with_timezone(&Utc)));
    }
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    let n: i64 = digits.parse().ok()?;
    let unit = v[digits.len()..].trim_end_matches('s');
    let d = match unit {
        "minute" | "min" => Duration::minutes(n),
        "hour" | "h" => Duration::hours(n),
        "day" | "d" => Duration::days(n),
        "week" | "w" => Duration::weeks(n),
        "month" => Duration::days(30 * n),
        "year" | "y" => Duration::days(365 * n),
        _ => return None,
    };
    Some(DateVal::Instant(now - d))
}

fn date_match(ts: DateTime<Utc>, term: &Term, now: DateTime<Utc>) -> bool {
    let relative = term
        .value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit())
        && !term.value.contains('-')
        && !term.value.contains(':');
    match parse_date(&term.value, now) {
        Some(DateVal::Day(d)) => {
            let next = d + Duration::days(1);
            match term.cmp {
                Cmp::Eq => ts >= d && ts < next,
                Cmp::Lt => ts < d,
                Cmp::Le => ts < next,
                Cmp::Gt => ts >= next,
                Cmp::Ge => ts >= d,
            }
        }
        // `created>4hours` = newer than 4 hours ago; `created<4hours` = older.
        Some(DateVal::Instant(i)) if relative => match term.cmp {
            Cmp::Gt | Cmp::Ge | Cmp::Eq => ts >= i,
            Cmp::Lt | Cmp::Le => ts < i,
        },
        Some(DateVal::Instant(i)) => cmp_ord(ts.timestamp(), term.cmp, i.timestamp()),
        None => false,
    }
}

fn rank_match(actual: Option<usize>, term: &Term, ranker: fn(&str) -> Option<usize>) -> bool {
    if term.value == "none" {
        return actual.is_none() == (term.cmp == Cmp::Eq);
    }
    match (actual, ranker(&term.value)) {
        (Some(a), Some(b)) => cmp_ord(a, term.cmp, b),
        _ => false,
    }
}

/// Does user `id` match a user keyword value (`me`, `none`, id, email, name)?
fn user_ref(t: &Tenant, id: Option<u64>, value: &str, me: Option<u64>) -> bool {
    match value {
        "none" => id.is_none(),
        "me" => id.is_some() && id == me,
        v => {
            let Some(id) = id else { return false };
            if let Ok(n) = v.parse::<u64>() {
                return n == id;
            }
            let Some(u) = t.users.get(&id) else {
                return false;
            };
            if v.contains('@') {
                return u.email.as_deref().is_some_and(|e| wildcard_eq(e, v));
            }
            wildcard_eq(&u.name, v) || text_match(&u.name, v, true)
        }
    }
}

fn named_ref(name: Option<&str>, id: Option<u64>, value: &str) -> bool {
    if value == "none" {
        return id.is_none();
    }
    if let Ok(n) = value.parse::<u64>() {
        return id == Some(n);
    }
    name.is_some_and(|n| wildcard_eq(n, value) || text_match(n, value, true))
}

fn ticket_text(x: &Ticket) -> String {
    let mut s = format!("{} {} {}", x.subject, x.description, x.tags.join(" "));
    for c in &x.comments {
        s.push(' ');
        s.push_str(&c.body);
    }
    s
}

/// Field term against a ticket; `None` if the field is not a ticket field.
fn ticket_field(
    t: &Tenant,
    x: &Ticket,
    term: &Term,
    me: Option<u64>,
    now: DateTime<Utc>,
) -> Option<bool> {
    let f = term.field.as_deref()?;
    let v = term.value.as_str();
    Some(match f {
        "status" => rank_match(status_rank(&x.status), term, status_rank),
        "priority" => rank_match(
            x.priority.as_deref().and_then(priority_rank),
            term,
            priority_rank,
        ),
        "ticket_type" => match &x.kind {
            Some(k) => wildcard_eq(k, v),
            None => v == "none",
        },
        "assignee" => user_ref(t, x.assignee_id, v, me),
        "requester" => user_ref(t, Some(x.requester_id), v, me),
        "submitter" => user_ref(t, Some(x.submitter_id), v, me),
        "tags" | "tag" => {
            if v == "none" {
                x.tags.is_empty()
            } else {
                x.tags.iter().any(|g| wildcard_eq(g, v))
            }
        }
        "created" => date_match(x.created_at, term, now),
        "updated" => date_match(x.updated_at, term, now),
        "solved" => x.solved_at.is_some_and(|s| date_match(s, term, now)),
        "due_date" => x.due_at.is_some_and(|s| date_match(s, term, now)),
        "subject" => text_match(&x.subject, v, term.phrase),
        "description" => text_match(&x.description, v, term.phrase),
        "comment" => x
            .comments
            .iter()
            .any(|c| text_match(&c.body, v, term.phrase)),
        "group" => named_ref(
            x.group_id
                .and_then(|g| t.groups.get(&g))
                .map(|g| g.name.as_str()),
            x.group_id,
            v,
        ),
        "organization" => named_ref(
            x.organization_id
                .and_then(|o| t.organizations.get(&o))
                .map(|o| o.name.as_str()),
            x.organization_id,
            v,
        ),
        "id" => v.parse::<u64>().is_ok_and(|n| cmp_ord(x.id, term.cmp, n)),
        "external_id" => x.external_id.as_deref().is_some_and(|e| wildcard_eq(e, v)),
        "via" => wildcard_eq(&x.channel, v),
        _ => return None,
    })
}

fn user_field(t: &Tenant, u: &User, term: &Term, now: DateTime<Utc>) -> Option<bool> {
    let f = term.field.as_deref()?;
    let v = term.value.as_str();
    Some(match f {
        "name" => wildcard_eq(&u.name, v) || text_match(&u.name, v, term.phrase),
        "email" => u.email.as_deref().is_some_and(|e| wildcard_eq(e, v)),
        "role" => wildcard_eq(&u.role, v),
        "tags" | "tag" => u.tags.iter().any(|g| wildcard_eq(g, v)),
        "organization" => named_ref(
            u.organization_id
                .and_then(|o| t.organizations.get(&o))
                .map(|o| o.name.as_str()),
            u.organization_id,
            v,
        ),
        "group" => u
            .group_ids
            .iter()
            .any(|g| named_ref(t.groups.get(g).map(|x| x.name.as_str()), Some(*g), v)),
        "phone" => u.phone.as_deref().is_some_and(|p| wildcard_eq(p, v)),
        "created" => date_match(u.created_at, term, now),
        "updated" => date_match(u.updated_at, term, now),
        "id" => v.parse::<u64>().is_ok_and(|n| n == u.id),
        _ => return None,
    })
}

fn org_field(o: &Organization, term: &Term, now: DateTime<Utc>) -> Option<bool> {
    let v = term.value.as_str();
    Some(match term.field.as_deref()? {
        "name" => wildcard_eq(&o.name, v) || text_match(&o.name, v, term.phrase),
        "tags" | "tag" => o.tags.iter().any(|g| wildcard_eq(g, v)),
        "created" => date_match(o.created_at, term, now),
        "updated" => date_match(o.updated_at, term, now),
        "details" => o
            .details
            .as_deref()
            .is_some_and(|d| text_match(d, v, term.phrase)),
        "notes" => o
            .notes
            .as_deref()
            .is_some_and(|d| text_match(d, v, term.phrase)),
        "domain" => o.domain_names.iter().any(|d| wildcard_eq(d, v)),
        "id" => v.parse::<u64>().is_ok_and(|n| n == o.id),
        _ => return None,
    })
}

fn group_field(g: &Group, term: &Term, now: DateTime<Utc>) -> Option<bool> {
    let v = term.value.as_str();
    Some(match term.field.as_deref()? {
        "name" => wildcard_eq(&g.name, v) || text_match(&g.name, v, term.phrase),
        "created" => date_match(g.created_at, term, now),
        "updated" => date_match(g.updated_at, term, now),
        "id" => v.parse::<u64>().is_ok_and(|n| n == g.id),
        _ => return None,
    })
}

fn text_of(t: &Tenant, r: Rec) -> String {
    match r {
        Rec::Ticket(x) => ticket_text(x),
        Rec::User(u) => {
            let org = u
                .organization_id
                .and_then(|o| t.organizations.get(&o))
                .map(|o| o.name.as_str());
            format!(
                "{} {} {} {}",
                u.name,
                u.email.as_deref().unwrap_or(""),
                u.tags.join(" "),
                org.unwrap_or("")
            )
        }
        Rec::Org(o) => format!(
            "{} {} {}",
            o.name,
            o.domain_names.join(" "),
            o.tags.join(" ")
        ),
        Rec::Group(g) => format!("{} {}", g.name, g.description),
    }
}

fn term_match(t: &Tenant, r: Rec, term: &Term, me: Option<u64>, now: DateTime<Utc>) -> bool {
    if term.field.is_none() {
        return text_match(&text_of(t, r), &term.value, term.phrase);
    }
    let res = match r {
        Rec::Ticket(x) => ticket_field(t, x, term, me, now),
        Rec::User(u) => user_field(t, u, term, now),
        Rec::Org(o) => org_field(o, term, now),
        Rec::Group(g) => group_field(g, term, now),
    };
    // A keyword this record type does not have: the record does not match.
    res.unwrap_or(false)
}

/// Does a record match the whole query?
pub fn matches(t: &Tenant, r: Rec, q: &ParsedQuery, me: Option<u64>, now: DateTime<Utc>) -> bool {
    if !q.types.is_empty() && !q.types.iter().any(|ty| ty == r.kind()) {
        return false;
    }
    // Positive field terms: group by field (OR within a group), AND across groups.
    let mut groups: Vec<(&str, bool)> = Vec::new();
    for term in &q.terms {
        match (&term.field, term.negated) {
            (_, true) => {
                if term_match(t, r, term, me, now) {
                    return false;
                }
            }
            (None, false) => {
                if !term_match(t, r, term, me, now) {
                    return false;
                }
            }
            (Some(f), false) => {
                let hit = term_match(t, r, term, me, now);
                // `status<solved status:hold` — comparisons on one field are ANDed when they are
                // ranges; plain `:` repeats are ORed.
                let key = if term.cmp == Cmp::Eq { f.as_str() } else { "" };
                if key.is_empty() {
                    if !hit {
                        return false;
                    }
                } else if let Some(g) = groups.iter_mut().find(|(k, _)| *k == key) {
                    g.1 |= hit;
                } else {
                    groups.push((key, hit));
                }
            }
        }
    }
    groups.iter().all(|(_, hit)| *hit)
}
