"""Connecting an account inside the conversation, with the official MCP Python SDK (1.x and 2.x)
as an end user's OAuth client speaking 2025-11-25 with `initialize` (tests/clients/oauth_user.py):
the user has no Zendesk account yet and calls `zendesk_ticket_get`. `/mcp` keeps no session, so
it cannot know that the client declared URL elicitation at `initialize`; the call answers the
text result with the onboarding link (never `-32042`); the "user" opens it and completes the
form against the simulator, and calling the same tool again succeeds. The stateless revision,
where the client IS asked to open the page, is in test_stateless.py.
"""

import asyncio
import re
import secrets

from mcp import ClientSession, types
from mcp.client.streamable_http import streamable_http_client

from oauth_user import Browser, httpx, is_error, oauth_provider, structured, text_of


def fresh_user() -> str:
    return f"elicit_{secrets.token_hex(6)}"


async def handshake_calls(base: str, identifier: str):
    browser = Browser(base, identifier)
    asked = []

    async def on_elicitation(context, params):
        asked.append(params)
        return types.ElicitResult(action="cancel")

    async with httpx.AsyncClient(auth=oauth_provider(base, browser), timeout=30) as http:
        # 1.x yields (read, write, session id); 2.x (read, write).
        async with streamable_http_client(f"{base}/mcp", http_client=http) as streams:
            async with ClientSession(streams[0], streams[1], elicitation_callback=on_elicitation) as session:
                await session.initialize()
                first = await session.call_tool("zendesk_ticket_get", {"ticket_id": 1})
                link = re.search(rf"{re.escape(base)}/connect/[A-Za-z0-9._~-]+", text_of(first))
                assert link, text_of(first)
                await browser.connect_account(link.group(0))
                again = await session.call_tool("zendesk_ticket_get", {"ticket_id": 1})
                return asked, first, again


def test_handshake_client_gets_the_link_as_text_and_the_same_call_then_succeeds(settings):
    asked, first, again = asyncio.run(handshake_calls(settings["TOOLWIRE_URL"], fresh_user()))
    assert asked == []
    assert is_error(first) is True
    assert "ACCOUNT_NOT_FOUND" in text_of(first)
    assert is_error(again) is False, again.content
    assert structured(again)["ticket"]["id"] == 1
