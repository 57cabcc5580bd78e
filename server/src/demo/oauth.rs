//! The demo's OAuth customer: starts an authorization through the runtime, plays the user's
//! part on the simulator's sign-in and consent pages over HTTP (what a browser would do:
//! sign in, press Allow), then completes it with the `code` and `state` the vendor sends to
//! the redirect URI — the same call `GET /oauth/callback` makes.

use serde_json::json;
use toolwire_runtime::http::{HttpOptions, client};
use toolwire_runtime::{AccountRecord, Toolwire};
use toolwire_sim::Sim;

use super::print::{detail, mask, step};
use crate::error::{Result, ServerError};

/// Connects `sub`'s agent with OAuth (redirecting to `redirect_uri`).
pub async fn connect(
    tw: &Toolwire,
    sim: &Sim,
    sub: &str,
    redirect_uri: &str,
) -> Result<AccountRecord> {
    let tenant = sim.tenant(sub)?;
    let agent = tenant
        .agent()
        .cloned()
        .ok_or_else(|| ServerError::Demo(format!("tenant {sub} has no agent")))?;
    let config: serde_json::Map<String, serde_json::Value> =
        [("subdomain".to_string(), json!(sub))]
            .into_iter()
            .collect();
    let start = tw
        .oauth()
        .start("zendesk", sub, &config, redirect_uri)
        .await?;
    step(&format!(
        "{sub}: {} presses \"Connect with Zendesk\", signs in at {sub}.zendesk.com and allows access",
        agent.email
    ));
    let http = client(&HttpOptions {
        extra_roots_pem: vec![sim.ca_pem()],
        resolve_suffixes: vec![("zendesk.com".into(), sim.addr())],
        connect_timeout: None,
    })?;
    let fail = |what: &str| ServerError::Demo(format!("OAuth consent: {what}"));
    let origin = format!("https://{sub}.zendesk.com");
    let login = text(http.get(&start.url)).await?;
    let mut form = hidden_inputs(&login);
    form.push(("email".into(), agent.email.clone()));
    form.push(("password".into(), agent.password.clone()));
    let consent = text(
        http.post(format!("{origin}/oauth/authorizations/new"))
            .form(&form),
    )
    .await?;
    let nonce = hidden_inputs(&consent)
        .into_iter()
        .find(|(k, _)| k == "nonce")
        .ok_or_else(|| fail("no consent form (wrong password?)"))?
        .1;
    let back = http
        .post(format!("{origin}/oauth/authorizations"))
        .form(&[("nonce", nonce.as_str()), ("decision", "allow")])
        .send()
        .await
        .map_err(|e| fail(&e.to_string()))?;
    let location = back
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| fail("no redirect after consent"))?;
    let url = url::Url::parse(location).map_err(|e| fail(&e.to_string()))?;
    let param = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    let (Some(code), Some(state)) = (param("code"), param("state")) else {
        return Err(fail(&format!(
            "the vendor answered {}",
            param("error").unwrap_or_default()
        )));
    };
    detail(&format!(
        "Zendesk redirects to {redirect_uri} with code {}",
        mask(&code)
    ));
    let record = tw.oauth().complete(&state, &code).await?;
    detail(&format!(
        "code exchanged (PKCE), access token verified live; {sub} is {} on {}",
        record.status,
        record.auth_scheme.as_deref().unwrap_or("?")
    ));
    Ok(record)
}

async fn text(req: reqwest::RequestBuilder) -> Result<String> {
    let resp = req
        .send()
        .await
        .map_err(|e| ServerError::Demo(format!("OAuth consent: {e}")))?;
    resp.text()
        .await
        .map_err(|e| ServerError::Demo(format!("OAuth consent: {e}")))
}

/// `(name, value)` of the `type="hidden"` inputs of a plain HTML form.
fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    html.split("<input")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            let attr = |a: &str| {
                let start = tag.find(&format!("{a}=\""))? + a.len() + 2;
                let end = tag[start..].find('"')? + start;
                Some(
                    tag[start..end]
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&#39;", "'")
                        .replace("&amp;", "&"),
                )
            };
            (attr("type")? == "hidden")
                .then(|| Some((attr("name")?, attr("value").unwrap_or_default())))?
        })
        .collect()
}
