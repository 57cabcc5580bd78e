"""Shared settings for the real-client MCP tests (set by scripts/test-mcp-clients.sh).

Environment:
  TOOLWIRE_BIN            the built `toolwire` binary
  TOOLWIRE_URL            base URL of a running `toolwire serve` (e.g. http://127.0.0.1:18090)
  TOOLWIRE_API_KEY        its API key
  TOOLWIRE_IDENTIFIER     a connected (ACTIVE) identifier
  TOOLWIRE_DATA_DIR       the server's data dir (for `toolwire mcp` over stdio)
  TOOLWIRE_SIM_CA         the simulator's CA (PEM file)
  TOOLWIRE_SIM_ADDR       the simulator's HOST:PORT
  TOOLWIRE_MASTER_KEY     the vault key the server uses (the stdio server needs the same)
  TOOLWIRE_MCP_LOGIN_SECRET    the host app's login assertion secret (OAuth tests)
  TOOLWIRE_CLIENT_DOCUMENT_URL an MCP client's metadata document (https, served by
                               client_document_server.py; the OAuth tests)
"""

import os

import pytest

try:  # the 2.x SDK's high-level client, which speaks the stateless revision
    from mcp.client.client import Client  # noqa: F401

    collect_ignore: list[str] = []
except ImportError:  # the 1.x SDK speaks 2025-11-25 only
    collect_ignore = ["test_stateless.py"]

EXPECTED_TOOLS = {
    "zendesk_ticket_create", "zendesk_ticket_get", "zendesk_ticket_update",
    "zendesk_ticket_reply", "zendesk_ticket_comments_list", "zendesk_tickets_list",
    "zendesk_search_tickets", "zendesk_user_create", "zendesk_user_get",
    "zendesk_users_list", "zendesk_organization_get", "zendesk_organizations_list",
    "zendesk_groups_list", "zendesk_views_list",
}


def zendesk_tools(names) -> set:
    """The Zendesk part of a tool listing: the server loads every connector in connectors/,
    and these tests connect a Zendesk account only."""
    return {n for n in names if n.startswith("zendesk_")}


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run scripts/test-mcp-clients.sh")
    return value


@pytest.fixture
def settings() -> dict:
    return {name: env(name) for name in (
        "TOOLWIRE_BIN", "TOOLWIRE_URL", "TOOLWIRE_API_KEY", "TOOLWIRE_IDENTIFIER",
        "TOOLWIRE_DATA_DIR", "TOOLWIRE_SIM_CA", "TOOLWIRE_SIM_ADDR", "TOOLWIRE_MASTER_KEY",
    )}


def stdio_args(s: dict) -> list[str]:
    return ["mcp", "--identifier", s["TOOLWIRE_IDENTIFIER"], "--data-dir", s["TOOLWIRE_DATA_DIR"],
            "--extra-ca", s["TOOLWIRE_SIM_CA"], "--resolve", f"zendesk.com={s['TOOLWIRE_SIM_ADDR']}"]


def stdio_server(s: dict):
    """`toolwire mcp` as the SDK starts it (the SDK passes only a minimal environment, so the
    master key is handed over explicitly)."""
    from mcp import StdioServerParameters

    return StdioServerParameters(
        command=s["TOOLWIRE_BIN"],
        args=stdio_args(s),
        env={"TOOLWIRE_MASTER_KEY": s["TOOLWIRE_MASTER_KEY"], "PATH": os.environ.get("PATH", "")},
    )


def http_headers(s: dict, identifier: str | None = None) -> dict:
    return {"Authorization": f"Bearer {s['TOOLWIRE_API_KEY']}",
            "X-Toolwire-Identifier": identifier or s["TOOLWIRE_IDENTIFIER"]}
