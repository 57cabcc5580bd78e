"""The official MCP Python SDK over stdio: `toolwire mcp --identifier ID`."""

import asyncio

from mcp import ClientSession
from mcp.client.stdio import stdio_client

from conftest import stdio_server
from mcp_checks import check_session


async def run(settings: dict) -> None:
    params = stdio_server(settings)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await check_session(session)


def test_stdio_lists_and_calls_tools(settings):
    asyncio.run(run(settings))
