"""The official MCP Python SDK over streamable HTTP: `/mcp` on `toolwire serve`, with the API
key and the identifier in headers."""

import asyncio

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from conftest import http_headers
from mcp_checks import check_session


async def run(settings: dict, headers: dict) -> None:
    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        async with streamable_http_client(f"{settings['TOOLWIRE_URL']}/mcp", http_client=http) as (read, write, _):
            async with ClientSession(read, write) as session:
                await check_session(session)


def test_http_lists_and_calls_tools(settings):
    asyncio.run(run(settings, http_headers(settings)))


def test_http_identifier_decides_the_account(settings):
    async def other() -> str:
        async with httpx.AsyncClient(headers=http_headers(settings, "nobody_here"), timeout=30) as http:
            async with streamable_http_client(f"{settings['TOOLWIRE_URL']}/mcp", http_client=http) as (r, w, _):
                async with ClientSession(r, w) as session:
                    await session.initialize()
                    res = await session.call_tool("zendesk_ticket_get", {"ticket_id": 1})
                    assert res.isError is True
                    return " ".join(c.text for c in res.content if c.type == "text")

    assert "ACCOUNT_NOT_FOUND" in asyncio.run(other())


def test_http_without_api_key_is_refused(settings):
    resp = httpx.post(f"{settings['TOOLWIRE_URL']}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                      headers={"X-Toolwire-Identifier": settings["TOOLWIRE_IDENTIFIER"]})
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "UNAUTHORIZED"
    resp = httpx.post(f"{settings['TOOLWIRE_URL']}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                      headers={"Authorization": f"Bearer {settings['TOOLWIRE_API_KEY']}"})
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "MISSING_IDENTIFIER"
