"""The official MCP Python SDK's OAuth client (`mcp.client.auth.OAuthClientProvider`) against
`/mcp` on `toolwire serve` started with `--mcp-login-url` and TOOLWIRE_MCP_LOGIN_SECRET: the SDK
discovers the authorization server from the 401, registers itself, and sends the user to
`/authorize`; this test plays the browser and the host app (it signs the login assertion with
the shared secret), approves the consent page, and hands the code back to the SDK. Then the
SDK lists only that user's tools and calls one. Runs with the pinned 1.x SDK (2025-11-25, with
`initialize`) and with the current 2.x SDK in its own venv (scripts/test-mcp-clients.sh)."""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import time
from urllib.parse import parse_qs, urlencode, urlparse

import mcp.client.auth.oauth2 as sdk_oauth
from mcp import ClientSession
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from conftest import EXPECTED_TOOLS

# The HTTP client the SDK's OAuth provider is made for (2.x ships its own fork of httpx).
httpx = getattr(sdk_oauth, "httpx2", None) or sdk_oauth.httpx

REDIRECT = "http://localhost:3030/callback"


class MemoryStorage(TokenStorage):
    def __init__(self):
        self.tokens = None
        self.client = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull):
        self.client = client_info


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assertion(secret: str, identifier: str, audience: str) -> str:
    """What the host app signs once its user is signed in (HS256 compact JWS)."""
    now = int(time.time())
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({"sub": identifier, "aud": audience, "iat": now, "exp": now + 120}).encode())
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


class Browser:
    """The user's browser (cookies kept, redirects followed by hand) and the host app's login."""

    def __init__(self, base: str, identifier: str):
        self.base = base
        self.identifier = identifier
        self.authorize_url = None
        self.consent_page = ""

    async def redirect_handler(self, url: str) -> None:
        self.authorize_url = url

    async def callback_handler(self):
        secret = os.environ["TOOLWIRE_MCP_LOGIN_SECRET"]
        async with httpx.AsyncClient(follow_redirects=False, timeout=30) as browser:
            resp = await browser.get(self.authorize_url)
            assert resp.status_code == 302, resp.text
            login = urlparse(resp.headers["location"])
            q = parse_qs(login.query)
            # The host app signs its user in, then sends the browser back with the assertion.
            back = q["return_to"][0] + "?" + urlencode({
                "request": q["request"][0],
                "assertion": assertion(secret, self.identifier, self.base),
            })
            page = await browser.get(back)
            assert page.status_code == 200, page.text
            self.consent_page = page.text
            fields = dict(re.findall(r'name="(consent|csrf)" value="([^"]*)"', page.text))
            fields = {k: v.replace("&amp;", "&") for k, v in fields.items()}
            done = await browser.post(f"{self.base}/authorize/consent", data={**fields, "decision": "approve"})
            assert done.status_code == 303, done.text
            params = parse_qs(urlparse(done.headers["location"]).query)
            code, state = params["code"][0], params.get("state", [None])[0]
            try:  # 2.x wants a result object, 1.x a (code, state) tuple
                from mcp.shared.auth import AuthorizationCodeResult

                return AuthorizationCodeResult(code=code, state=state)
            except ImportError:
                return code, state


async def connect_as(base: str, identifier: str):
    browser = Browser(base, identifier)
    provider = OAuthClientProvider(
        server_url=f"{base}/mcp",
        client_metadata=OAuthClientMetadata(
            client_name="SDK test client",
            redirect_uris=[REDIRECT],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
        ),
        storage=MemoryStorage(),
        redirect_handler=browser.redirect_handler,
        callback_handler=browser.callback_handler,
    )
    async with httpx.AsyncClient(auth=provider, timeout=30) as http:
        # 1.x yields (read, write, session id); 2.x (read, write).
        async with streamable_http_client(f"{base}/mcp", http_client=http) as streams:
            async with ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                tools = {t.name for t in (await session.list_tools()).tools}
                call = await session.call_tool("zendesk_ticket_get", {"ticket_id": 1})
                return browser, tools, call


def is_error(call) -> bool:
    """`isError` (1.x) or `is_error` (2.x)."""
    return getattr(call, "is_error", None) if hasattr(call, "is_error") else call.isError


def structured(call) -> dict:
    return getattr(call, "structured_content", None) or call.structuredContent


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
    text = " ".join(c.text for c in call.content if c.type == "text")
    assert "ACCOUNT_NOT_FOUND" in text, text
