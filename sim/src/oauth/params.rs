//! The request and reply vocabulary the OAuth endpoints share: [`Params`] (query or form
//! values), HTML pages ([`html`]) and redirects back to the client ([`redirect`]).

use std::collections::HashMap;

use crate::api::reply::{Reply, ReplyBody};

/// Request parameters (query or form/JSON body); the first value of a name wins, empty
/// values count as absent.
#[derive(Debug, Clone, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    pub fn from_pairs<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Params {
        let mut m = HashMap::new();
        for (k, v) in pairs {
            m.entry(k).or_insert(v);
        }
        Params(m)
    }

    pub fn from_query(q: Option<&str>) -> Params {
        Params::from_pairs(url::form_urlencoded::parse(q.unwrap_or("").as_bytes()).into_owned())
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

/// An HTML reply.
pub fn html(status: u16, body: String) -> Reply {
    Reply {
        status,
        body: ReplyBody::Html(body),
        headers: Vec::new(),
        list: false,
    }
    .header("cache-control", "no-store")
}

/// A 302 to `uri` with `pairs` appended to its query.
pub fn redirect(uri: &str, pairs: &[(&str, &str)]) -> Reply {
    let location = match url::Url::parse(uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => uri.to_string(),
    };
    Reply::empty(302)
        .header("location", location)
        .header("cache-control", "no-store")
}
