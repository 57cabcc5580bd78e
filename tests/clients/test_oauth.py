"""The official MCP Python SDK's OAuth client (`mcp.client.auth.OAuthClientProvider`) against
`/mcp` on `toolwire serve` started with `--mcp-login-url` and TOOLWIRE_MCP_LOGIN_SECRET: the SDK
discovers the authorization server from the 401, registers itself, and sends the user to
`/authorize`; this test plays the browser and the host app (it signs the login assertion with
the shared secret), approves the consent page, and hands the code back to the SDK. Then the
SDK lists only that user's tools and calls one. Runs with the pinned 1.x SDK (2025-11-25, with
`initialize`) and with the current 2.x SDK in its own venv (scripts/test-mcp-clients.sh). The
browser and host-app parts are in oauth_user.py."""

import asyncio
import os
from urllib.parse import parse_qs, urlparse

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from conftest import EXPECTED_TOOLS
from oauth_user import Browser, httpx, is_error, oauth_provider, structured, text_of


async def connect_as(base: str, identifier: str, client_metadata_url: str | None = None):
    browser = Browser(base, identifier)
    provider = oauth_provider(base, browser, client_metadata_url)
    async with httpx.AsyncClient(auth=provider, timeout=30) as http:
        # 1.x yields (read, write, session id); 2.x (read, write).
        async with streamable_http_client(f"{base}/mcp", http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                tools = {t.name for t in (await session.list_tools()).tools}
                call = await session.call_tool("zendesk_ticket_get", {"ticket_id": 1})
                return browser, tools, call


def test_oauth_client_connects_as_one_user_and_sees_only_their_tools(settings):
    base, who = settings["TOOLWIRE_URL"], settings["TOOLWIRE_IDENTIFIER"]
    browser, tools, call = asyncio.run(connect_as(base, who))
    assert "SDK test client" in browser.consent_page and who in browser.consent_page
    # An end user sees the tools of the connections they have (Zendesk here) plus the way to
    # connect the others.
    assert tools == EXPECTED_TOOLS | {"toolwire_connect_account"}
    assert is_error(call) is False, call.content
    assert structured(call)["ticket"]["id"] == 1


def test_a_second_user_reaches_no_account_of_the_first(settings):
    base = settings["TOOLWIRE_URL"]
    _, tools, call = asyncio.run(connect_as(base, "oauth_second_user"))
    assert tools == {"toolwire_connect_account"}
    assert is_error(call) is True
    text = text_of(call)
    assert "ACCOUNT_NOT_FOUND" in text, text


def test_a_client_named_by_its_metadata_document_needs_no_registration(settings):
    base, who = settings["TOOLWIRE_URL"], settings["TOOLWIRE_IDENTIFIER"]
    document = os.environ["TOOLWIRE_CLIENT_DOCUMENT_URL"]
    browser, tools, call = asyncio.run(connect_as(base, who, client_metadata_url=document))
    # The SDK used the document's URL as its client_id (no /register), and toolwire fetched the
    # document: the consent page names the client from it.
    assert parse_qs(urlparse(browser.authorize_url).query)["client_id"] == [document]
    assert "SDK metadata-document client (client.example)" in browser.consent_page, browser.consent_page
    assert tools == EXPECTED_TOOLS | {"toolwire_connect_account"}
    assert is_error(call) is False, call.content
