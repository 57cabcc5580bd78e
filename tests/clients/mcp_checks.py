"""The checks both transports must pass, on an initialised `mcp.ClientSession`."""

from mcp import ClientSession

from conftest import EXPECTED_TOOLS, zendesk_tools


async def check_session(session: ClientSession) -> None:
    init = await session.initialize()
    assert init.serverInfo.name == "toolwire"

    listed = await session.list_tools()
    names = {t.name for t in listed.tools}
    assert zendesk_tools(names) == EXPECTED_TOOLS, names
    for tool in listed.tools:
        assert tool.description, tool.name
        assert tool.inputSchema.get("type") == "object", tool.name
        assert tool.outputSchema, f"{tool.name} has no outputSchema"
        assert tool.annotations is not None, tool.name
    get = next(t for t in listed.tools if t.name == "zendesk_ticket_get")
    assert get.annotations.readOnlyHint is True

    found = await session.call_tool("zendesk_search_tickets", {"query": "status:open"})
    assert not found.isError, found.content
    assert found.structuredContent is not None
    assert found.structuredContent.get("results"), found.structuredContent

    ticket = await session.call_tool("zendesk_ticket_get", {"ticket_id": 1})
    assert not ticket.isError, ticket.content
    assert ticket.structuredContent["ticket"]["id"] == 1

    bad = await session.call_tool("zendesk_ticket_get", {"ticket_id": "one"})
    assert bad.isError is True
    text = " ".join(c.text for c in bad.content if c.type == "text")
    assert text.startswith("INVALID_INPUT") and "ticket_id" in text, text
