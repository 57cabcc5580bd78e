//! The HTML of the authorization flow: sign-in form, consent page and error page. Plain
//! forms without JavaScript; stable ids and names for headless browsers (`email`,
//! `password`, `#login`, `#allow`, `#deny`).

/// Escape text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <style>body{{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}}\
         label{{display:block;margin:.6rem 0}}input{{width:100%;padding:.4rem}}\
         button{{margin:.8rem .4rem 0 0;padding:.5rem 1.2rem}}.error{{color:#b00}}</style>\
         </head><body>\n{body}\n</body></html>\n",
        t = esc(title)
    )
}

/// The sign-in form. `hidden` are the authorization parameters carried through the POST.
pub fn login(sub: &str, client_name: &str, hidden: &[(&str, &str)], error: Option<&str>) -> String {
    let fields: String = hidden
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                esc(k),
                esc(v)
            )
        })
        .collect();
    let err = error
        .map(|e| format!("<p class=\"error\" id=\"error\">{}</p>\n", esc(e)))
        .unwrap_or_default();
    page(
        "Sign in to Zendesk",
        &format!(
            "<h1>Sign in to {sub}</h1>\n<p><strong>{client}</strong> wants to access your Zendesk account.</p>\n{err}\
             <form method=\"post\" action=\"/oauth/authorizations/new\" id=\"login-form\">\n{fields}\
             <label>Email <input type=\"email\" name=\"email\" id=\"email\" autocomplete=\"username\" required></label>\n\
             <label>Password <input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" required></label>\n\
             <button type=\"submit\" id=\"login\">Sign in</button>\n</form>",
            sub = esc(sub),
            client = esc(client_name),
        ),
    )
}

/// The consent page for a signed-in user.
pub fn consent(client_name: &str, user: &str, scopes: &[String], nonce: &str) -> String {
    let items: String = scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", esc(s)))
        .collect();
    page(
        "Authorize access",
        &format!(
            "<h1>Allow {client}?</h1>\n<p>Signed in as <span id=\"user\">{user}</span>. \
             <strong>{client}</strong> asks for:</p>\n<ul id=\"scopes\">{items}</ul>\n\
             <form method=\"post\" action=\"/oauth/authorizations\" id=\"consent-form\">\n\
             <input type=\"hidden\" name=\"nonce\" value=\"{nonce}\">\n\
             <button type=\"submit\" id=\"allow\" name=\"decision\" value=\"allow\">Allow</button>\n\
             <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n</form>",
            client = esc(client_name),
            user = esc(user),
            nonce = esc(nonce),
        ),
    )
}

/// An error shown to the user instead of redirecting (unknown client, bad redirect URI,
/// stale consent).
pub fn error(code: &str, detail: &str) -> String {
    page(
        "Authorization error",
        &format!(
            "<h1>Authorization error</h1>\n<p class=\"error\" id=\"error\" data-error=\"{c}\">{c}</p>\n<p id=\"error-description\">{d}</p>",
            c = esc(code),
            d = esc(detail)
        ),
    )
}
