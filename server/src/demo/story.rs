//! The support-assistant story, played through the runtime exactly as an agent would call it:
//! connect two customers (acme with an API token, globex with OAuth), triage urgent tickets (search, summarise, internal SLA note, tag,
//! public reply), then a rotated token is detected (REVOKED, with a re-credential link) and
//! fixed (new credentials → ACTIVE).

use serde_json::{Map, Value, json};
use toolwire_runtime::{Credentials, Toolwire};
use toolwire_sim::{AgentCredentials, Sim, TenantInfo};

use super::print::{detail, header, mask, preview, step};
use crate::error::{Result, ServerError};

const CONNECTION: &str = "zendesk";
const URGENT: &str = "status:open priority:urgent assignee:me";
/// Tickets the assistant works on (the story stays short).
const MAX_TICKETS: usize = 3;

/// Plays the whole story; fails if a step does not behave as described. OAuth redirects go
/// to `redirect_uri`.
pub async fn play(tw: &Toolwire, sim: &Sim, redirect_uri: &str) -> Result<()> {
    header(
        "Two customers connect their Zendesk (credentials verified live, then sealed in the vault)",
    );
    let acme = connect(tw, &sim.tenant("acme")?).await?;
    super::oauth::connect(tw, sim, "globex", redirect_uri).await?;

    header("The support assistant works acme's urgent queue");
    let ids = triage(tw, "acme").await?;
    if ids.is_empty() {
        return Err(ServerError::Demo("the search found no tickets".into()));
    }
    step("Meanwhile globex's assistant sees only globex's tickets (same tool, per-tenant routing)");
    let out = tw
        .execute_tool("globex", "zendesk_search_tickets", json!({"query": URGENT}))
        .await?;
    detail(&format!(
        "globex: {} ticket(s) for `{URGENT}`",
        out.data["count"]
    ));

    header("acme rotates its API token in Zendesk");
    rotate_and_recover(tw, sim, &acme).await
}

/// Connects one tenant's agent; the subdomain is pasted as a full ticket URL on purpose.
async fn connect(tw: &Toolwire, tenant: &TenantInfo) -> Result<AgentCredentials> {
    let agent = tenant
        .agent()
        .or(tenant.agents.first())
        .cloned()
        .ok_or_else(|| ServerError::Demo(format!("tenant {} has no agent", tenant.subdomain)))?;
    let pasted = format!("https://{}.zendesk.com/agent/tickets/1", tenant.subdomain);
    step(&format!(
        "{}: {} pastes `{pasted}` and API token {}",
        tenant.subdomain,
        agent.email,
        mask(&agent.api_token)
    ));
    let record = set_credentials(
        tw,
        &tenant.subdomain,
        &pasted,
        &agent.email,
        &agent.api_token,
    )
    .await?;
    detail(&format!(
        "subdomain stored as {:?}; status {}",
        record
            .config
            .get("subdomain")
            .and_then(Value::as_str)
            .unwrap_or("?"),
        record.status
    ));
    Ok(agent)
}

async fn set_credentials(
    tw: &Toolwire,
    identifier: &str,
    subdomain: &str,
    email: &str,
    token: &str,
) -> Result<toolwire_runtime::AccountRecord> {
    tw.accounts().get_or_create(CONNECTION, identifier).await?;
    let mut config = Map::new();
    config.insert("subdomain".into(), json!(subdomain));
    let creds = Credentials::from_fields([("email", email), ("api_token", token)]);
    Ok(tw
        .accounts()
        .set_credentials(CONNECTION, identifier, &config, None, creds)
        .await?)
}

/// Search, summarise, note, tag, reply; returns the ticket ids worked on.
async fn triage(tw: &Toolwire, who: &str) -> Result<Vec<u64>> {
    step(&format!("zendesk_search_tickets `{URGENT}`"));
    let out = tw
        .execute_tool(
            who,
            "zendesk_search_tickets",
            json!({"query": URGENT, "per_page": 10}),
        )
        .await?;
    let results = out.data["results"].as_array().cloned().unwrap_or_default();
    detail(&format!(
        "{} match(es); working on the first {}",
        out.data["count"],
        results.len().min(MAX_TICKETS)
    ));
    let ids: Vec<u64> = results
        .iter()
        .filter_map(|t| t["id"].as_u64())
        .take(MAX_TICKETS)
        .collect();

    step("Summarise each (zendesk_ticket_get + zendesk_ticket_comments_list)");
    for id in &ids {
        let t = tw
            .execute_tool(who, "zendesk_ticket_get", json!({"ticket_id": id}))
            .await?
            .data;
        let c = tw
            .execute_tool(
                who,
                "zendesk_ticket_comments_list",
                json!({"ticket_id": id, "sort_order": "desc", "page_size": 1}),
            )
            .await?
            .data;
        let ticket = &t["ticket"];
        detail(&format!(
            "#{id} [{} / {}] {}",
            s(&ticket["status"]),
            s(&ticket["priority"]),
            preview(s(&ticket["subject"]), 70)
        ));
        if let Some(last) = c["comments"].as_array().and_then(|a| a.first()) {
            detail(&format!(
                "     last comment ({}): {}",
                if last["public"].as_bool() == Some(false) {
                    "internal"
                } else {
                    "public"
                },
                preview(s(&last["body"]), 90)
            ));
        }
    }

    step("Flag the SLA with an internal note on each (zendesk_ticket_reply public=false)");
    for id in &ids {
        let body = "SLA watch: urgent and still open. First response is due within 1 hour; escalate if blocked.";
        tw.execute_tool(
            who,
            "zendesk_ticket_reply",
            json!({"ticket_id": id, "body": body, "public": false}),
        )
        .await?;
        detail(&format!(
            "#{id}: internal note added (the requester does not see it)"
        ));
    }

    step("Tag them `sla_watch` without losing existing tags (zendesk_ticket_update add_tags)");
    for id in &ids {
        let before = tw
            .execute_tool(who, "zendesk_ticket_get", json!({"ticket_id": id}))
            .await?
            .data["ticket"]["tags"]
            .clone();
        let after = tw
            .execute_tool(
                who,
                "zendesk_ticket_update",
                json!({"ticket_id": id, "add_tags": ["sla_watch"]}),
            )
            .await?
            .data["tags"]
            .clone();
        detail(&format!("#{id}: tags {before} -> {after}"));
    }

    if let Some(id) = ids.first() {
        step(&format!("Reply publicly on #{id} (zendesk_ticket_reply)"));
        let body = "Thanks for your patience: we're on it with priority and will update you within the hour.";
        tw.execute_tool(
            who,
            "zendesk_ticket_reply",
            json!({"ticket_id": id, "body": body}),
        )
        .await?;
        detail(&format!(
            "#{id}: public reply sent: \"{}\"",
            preview(body, 60)
        ));
    }
    Ok(ids)
}

/// Rotates the token in the sim, shows the failure and the REVOKED status, re-credentials.
async fn rotate_and_recover(tw: &Toolwire, sim: &Sim, agent: &AgentCredentials) -> Result<()> {
    let new_token = sim.rotate_token("acme", &agent.email)?;
    detail(&format!(
        "old token {} no longer works; the new one is {}",
        mask(&agent.api_token),
        mask(&new_token)
    ));

    step("The assistant's next call fails");
    match tw
        .execute_tool("acme", "zendesk_search_tickets", json!({"query": URGENT}))
        .await
    {
        Ok(_) => {
            return Err(ServerError::Demo(
                "the call with a rotated token succeeded".into(),
            ));
        }
        Err(e) => detail(&format!("error {}: {e}", e.code())),
    }
    let account = tw
        .accounts()
        .get(CONNECTION, "acme")
        .await?
        .ok_or_else(|| ServerError::Demo("the acme account vanished".into()))?;
    detail(&format!(
        "account acme is now {} ({})",
        account.status,
        account.status_message.as_deref().unwrap_or("")
    ));

    step(
        "Calls now fail fast, without touching Zendesk, and tell the agent where the user can fix it",
    );
    if let Err(e) = tw
        .execute_tool("acme", "zendesk_search_tickets", json!({"query": URGENT}))
        .await
    {
        detail(&format!("error {}: {e}", e.code()));
        if let Some(url) = e.reconnect_url() {
            detail(&format!("re-credential link: {url}"));
        }
    }

    step(&format!(
        "The customer enters the new token ({})",
        mask(&new_token)
    ));
    let record = set_credentials(tw, "acme", "acme", &agent.email, &new_token).await?;
    detail(&format!("account acme is {} again", record.status));
    let out = tw
        .execute_tool("acme", "zendesk_search_tickets", json!({"query": URGENT}))
        .await?;
    detail(&format!(
        "the search works again: {} ticket(s)",
        out.data["count"]
    ));

    let history = tw.accounts().history(CONNECTION, "acme").await?;
    let path: Vec<String> = history.iter().map(|h| h.to.to_string()).collect();
    step(&format!("acme's status history: {}", path.join(" -> ")));
    Ok(())
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("-")
}
