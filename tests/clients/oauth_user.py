"""An end user of the official MCP Python SDK's OAuth client (`mcp.client.auth.OAuthClientProvider`)
against `/mcp` on `toolwire serve` started with `--mcp-login-url` and TOOLWIRE_MCP_LOGIN_SECRET:
the SDK discovers the authorization server from the 401, registers itself, and sends the user to
`/authorize`; [`Browser`] plays the browser and the host app (it signs the login assertion with
the shared secret), approves the consent page, and hands the code back to the SDK. It also
completes toolwire's onboarding form ([`Browser.connect_account`]) as a user opening a connect
link would. Shared by test_oauth.py and test_elicitation.py; works with the 1.x and 2.x SDKs."""

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import time
from urllib.parse import parse_qs, urlencode, urlparse

import mcp.client.auth.oauth2 as sdk_oauth
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

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


def sim_agent(subdomain: str) -> dict:
    """The simulator tenant's first agent ({"email", "api_token"}), read from its admin API."""
    port = os.environ["TOOLWIRE_SIM_ADDR"].rsplit(":", 1)[1]
    out = subprocess.run(
        ["curl", "-fsS", "--cacert", os.environ["TOOLWIRE_SIM_CA"], "--resolve",
         f"{subdomain}.zendesk.com:{port}:127.0.0.1", f"https://{subdomain}.zendesk.com:{port}/__sim/tenants"],
        check=True, capture_output=True, text=True).stdout
    tenant = next(t for t in json.loads(out) if t["subdomain"] == subdomain)
    agent = next(a for a in tenant["agents"] if a["role"] == "agent")
    return {"email": agent["email"], "api_token": agent["api_token"]}


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} field in: {page[:2000]}"
    return found.group(1).replace("&amp;", "&")


class Browser:
    """The user's browser (cookies kept, redirects followed by hand) and the host app's login."""

    def __init__(self, base: str, identifier: str):
        self.base = base
        self.identifier = identifier
        self.authorize_url = None
        self.consent_page = ""
        self.opened: list[str] = []

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

    async def connect_account(self, url: str, subdomain: str = "acme") -> str:
        """Opens an onboarding link and submits the Zendesk form with the simulator agent's API
        token, as the user would; returns the page shown after saving."""
        assert url.startswith(f"{self.base}/connect/"), url
        self.opened.append(url)
        agent = sim_agent(subdomain)
        async with httpx.AsyncClient(follow_redirects=False, timeout=30) as browser:
            page = await browser.get(url)
            assert page.status_code == 200, page.text
            done = await browser.post(url, data={
                "csrf": hidden(page.text, "csrf"),
                "config.subdomain": subdomain,
                "api_token.email": agent["email"],
                "api_token.api_token": agent["api_token"],
                "scheme": "api_token",
            })
            assert done.status_code == 200, done.text
            assert "status-ACTIVE" in done.text, done.text
            return done.text


def oauth_provider(base: str, browser: Browser, client_metadata_url: str | None = None) -> OAuthClientProvider:
    """The SDK's OAuth client: registers itself, or names its metadata document when
    `client_metadata_url` is given (and the server supports them)."""
    extra = {"client_metadata_url": client_metadata_url} if client_metadata_url else {}
    return OAuthClientProvider(
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
        **extra,
    )


def is_error(call) -> bool:
    """`isError` (1.x) or `is_error` (2.x)."""
    return getattr(call, "is_error", None) if hasattr(call, "is_error") else call.isError


def structured(call) -> dict:
    return getattr(call, "structured_content", None) or call.structuredContent


def text_of(call) -> str:
    return " ".join(c.text for c in call.content if c.type == "text")
