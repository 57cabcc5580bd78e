"""langchain-mcp-adapters: the toolwire tools as LangChain tools (the seed's LangChain use
case), over streamable HTTP (MultiServerMCPClient) and stdio (load_mcp_tools)."""

import asyncio
import json

from langchain_core.tools import BaseTool
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession
from mcp.client.stdio import stdio_client

from conftest import EXPECTED_TOOLS, http_headers, stdio_server, zendesk_tools


def text_of(result) -> str:
    if isinstance(result, str):
        return result
    if isinstance(result, (list, tuple)):
        return " ".join(text_of(r) for r in result)
    if isinstance(result, dict):
        return result.get("text") or json.dumps(result)
    return str(getattr(result, "content", result))


def test_multiserver_client_over_http(settings):
    async def run():
        client = MultiServerMCPClient({"toolwire": {
            "transport": "streamable_http",
            "url": f"{settings['TOOLWIRE_URL']}/mcp",
            "headers": http_headers(settings),
        }})
        tools = await client.get_tools()
        assert zendesk_tools(t.name for t in tools) == EXPECTED_TOOLS
        assert all(isinstance(t, BaseTool) for t in tools)
        get = next(t for t in tools if t.name == "zendesk_ticket_get")
        assert "ticket_id" in get.args
        out = await get.ainvoke({"ticket_id": 1})
        assert '"id": 1' in text_of(out) or '"id":1' in text_of(out), out
        # A tool error reaches LangChain as the agent message, not an exception.
        bad = await get.ainvoke({"ticket_id": "one"})
        assert "INVALID_INPUT" in text_of(bad), bad

    asyncio.run(run())


def test_load_mcp_tools_over_stdio(settings):
    async def run():
        params = stdio_server(settings)
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = await load_mcp_tools(session)
                assert zendesk_tools(t.name for t in tools) == EXPECTED_TOOLS
                search = next(t for t in tools if t.name == "zendesk_search_tickets")
                out = await search.ainvoke({"query": "status:open"})
                assert "results" in text_of(out), out

    asyncio.run(run())
