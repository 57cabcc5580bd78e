"""The stateless protocol revision (2026-07-28: `server/discover`, no `initialize`, client
context in every request's `_meta`) with the 2.x MCP Python SDK's `Client` as an end user's
OAuth client (tests/clients/oauth_user.py). Collected only where the SDK has `Client` (the 2.x
venv; conftest.py leaves this file out for 1.x, which speaks 2025-11-25 only).

- The SDK negotiates 2026-07-28 against `/mcp`, lists that user's tools and calls one.
- Connecting inside the conversation: the user has no Zendesk account yet and calls
  `zendesk_ticket_get`; the SDK declared URL elicitation, so the call answers an
  `InputRequiredResult` with a URL-mode elicitation; the SDK hands it to its elicitation
  callback, where the "user" opens the link and completes toolwire's onboarding form against
  the simulator; the SDK then retries the SAME call on its own, and it succeeds. A user who
  declines gets the link as text.
"""

import asyncio
import secrets

from mcp import types
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client

from conftest import EXPECTED_TOOLS
from oauth_user import Browser, httpx, is_error, oauth_provider, structured, text_of


def fresh_user() -> str:
    return f"elicit_{secrets.token_hex(6)}"


async def connected_user_call(base: str, identifier: str):
    browser = Browser(base, identifier)
    async with httpx.AsyncClient(auth=oauth_provider(base, browser), timeout=30) as http:
        transport = streamable_http_client(f"{base}/mcp", http_client=http)
        async with Client(transport, mode="auto") as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            call = await client.call_tool("zendesk_ticket_get", {"ticket_id": 1})
            return client.protocol_version, browser, tools, call


def test_stateless_oauth_client_sees_only_their_tools_and_calls_one(settings):
    base, who = settings["TOOLWIRE_URL"], settings["TOOLWIRE_IDENTIFIER"]
    version, browser, tools, call = asyncio.run(connected_user_call(base, who))
    assert version == "2026-07-28"
    assert "SDK test client" in browser.consent_page and who in browser.consent_page
    assert tools == EXPECTED_TOOLS | {"toolwire_connect_account"}
    assert is_error(call) is False, call.content
    assert structured(call)["ticket"]["id"] == 1


async def stateless_call(base: str, identifier: str):
    browser = Browser(base, identifier)
    asked = []

    async def on_elicitation(context, params):
        asked.append(params)
        await browser.connect_account(params.url)
        return types.ElicitResult(action="accept")

    async with httpx.AsyncClient(auth=oauth_provider(base, browser), timeout=30) as http:
        transport = streamable_http_client(f"{base}/mcp", http_client=http)
        async with Client(transport, mode="auto", elicitation_callback=on_elicitation) as client:
            before = {t.name for t in (await client.list_tools()).tools}
            call = await client.call_tool("zendesk_ticket_get", {"ticket_id": 1})
            after = {t.name for t in (await client.list_tools(cache_mode="bypass")).tools}
            return client.protocol_version, asked, call, browser, before, after


def test_stateless_client_is_asked_to_connect_and_the_same_call_then_succeeds(settings):
    base = settings["TOOLWIRE_URL"]
    version, asked, call, browser, before, after = asyncio.run(stateless_call(base, fresh_user()))
    assert version == "2026-07-28"
    assert len(asked) == 1, asked
    assert asked[0].mode == "url"
    assert asked[0].url.startswith(f"{base}/connect/"), asked[0].url
    assert "zendesk" in asked[0].message and "never in this chat" in asked[0].message
    assert browser.opened == [asked[0].url]
    assert is_error(call) is False, call.content
    assert structured(call)["ticket"]["id"] == 1
    assert before == {"toolwire_connect_account"}
    assert "zendesk_ticket_get" in after


async def declining_call(base: str, identifier: str):
    browser = Browser(base, identifier)
    asked = []

    async def on_elicitation(context, params):
        asked.append(params)
        return types.ElicitResult(action="decline")

    async with httpx.AsyncClient(auth=oauth_provider(base, browser), timeout=30) as http:
        transport = streamable_http_client(f"{base}/mcp", http_client=http)
        async with Client(transport, mode="auto", elicitation_callback=on_elicitation) as client:
            return asked, await client.call_tool("zendesk_ticket_get", {"ticket_id": 1})


def test_a_declined_elicitation_ends_with_the_link_as_text(settings):
    asked, call = asyncio.run(declining_call(settings["TOOLWIRE_URL"], fresh_user()))
    assert len(asked) == 1
    assert is_error(call) is True
    text = text_of(call)
    assert "ACCOUNT_NOT_FOUND" in text and f"{settings['TOOLWIRE_URL']}/connect/" in text, text
