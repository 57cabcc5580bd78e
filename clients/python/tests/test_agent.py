"""A LangChain agent loop over `client.actions.langchain.get_tools(...)`, driven by a scripted
chat model (langchain-core's GenericFakeChatModel): two tools called through execute_tool, an
invalid input handed back to the model as INVALID_INPUT, and a REVOKED account raised to the
app as the typed error with its reconnect link."""

import json
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool

from toolwire_client import (
    AccountNotActiveError,
    ErrorCode,
    NotFoundError,
    RateLimitedError,
    ToolwireClient,
    UnauthorizedError,
)


def call(name: str, args: dict[str, Any], n: int) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call_{n}"}])


def run_agent(model: GenericFakeChatModel, tools: list[StructuredTool], question: str) -> list[BaseMessage]:
    """The tool-calling loop: ask the model, run the tools it calls, until it answers."""
    by_name = {t.name: t for t in tools}
    messages: list[BaseMessage] = [HumanMessage(question)]
    while True:
        reply = model.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            return messages
        for tool_call in reply.tool_calls:
            messages.append(by_name[tool_call["name"]].invoke({**tool_call, "type": "tool_call"}))


def find_ids(value: Any) -> set[int]:
    """Every `id` of every object in a JSON value."""
    if isinstance(value, dict):
        own = {value["id"]} if isinstance(value.get("id"), int) else set()
        return own.union(*(find_ids(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(find_ids(v) for v in value))
    return set()


def test_agent_calls_two_tools_and_gets_invalid_input_back(client: ToolwireClient, settings: dict[str, str]) -> None:
    identifier = settings["TOOLWIRE_IDENTIFIER"]
    tools = client.actions.langchain.get_tools(identifier=identifier, connection_name="zendesk")
    names = {t.name for t in tools}
    assert {"zendesk_search_tickets", "zendesk_ticket_get"} <= names
    listed = {t["name"]: t for t in client.list_tools("zendesk")}
    get = next(t for t in tools if t.name == "zendesk_ticket_get")
    # The LangChain schema is the tool's own JSON Schema.
    assert get.args_schema == listed["zendesk_ticket_get"]["inputSchema"]

    model = GenericFakeChatModel(
        messages=iter(
            [
                call("zendesk_search_tickets", {"query": "status:open"}, 1),
                call("zendesk_ticket_get", {"ticket_id": 1}, 2),
                call("zendesk_ticket_get", {"ticket_id": "one"}, 3),
                AIMessage(content="Ticket 1 is open."),
            ]
        )
    )
    messages = run_agent(model, tools, "What is ticket 1 about?")

    results = [m for m in messages if isinstance(m, ToolMessage)]
    assert [r.tool_call_id for r in results] == ["call_1", "call_2", "call_3"]
    search, ticket, bad = results
    assert search.status == "success" and find_ids(json.loads(search.content)), search.content
    assert ticket.status == "success" and 1 in find_ids(json.loads(ticket.content)), ticket.content
    # The artifact is execute_tool's whole answer; the same call made directly agrees.
    assert ticket.artifact["execution_id"]
    direct = client.execute_tool("zendesk_ticket_get", identifier, {"ticket_id": 1})
    assert json.loads(ticket.content) == direct.data
    assert direct.execution_id != ticket.artifact["execution_id"]
    # `full=True` is the whole vendor output, larger than the projection the model gets.
    whole = client.execute_tool("zendesk_ticket_get", identifier, {"ticket_id": 1}, full=True)
    assert 1 in find_ids(whole.data) and len(json.dumps(whole.data)) > len(ticket.content)
    # A model mistake comes back to the model with the stable code, naming the field.
    assert bad.status == "error" and bad.content.startswith("INVALID_INPUT: "), bad.content
    assert "ticket_id" in bad.content
    assert messages[-1].content == "Ticket 1 is open."


def test_revoked_account_reaches_the_app_as_a_typed_error(client: ToolwireClient, settings: dict[str, str]) -> None:
    identifier = settings["TOOLWIRE_REVOKED_IDENTIFIER"]
    tools = client.get_tools("zendesk", identifier)
    model = GenericFakeChatModel(messages=iter([call("zendesk_search_tickets", {"query": "status:open"}, 1)]))
    with pytest.raises(AccountNotActiveError) as caught:
        run_agent(model, tools, "Any open tickets?")
    err = caught.value
    assert err.code == ErrorCode.ACCOUNT_REVOKED and err.status == 409
    assert err.reconnect_url and err.reconnect_url.startswith(settings["TOOLWIRE_URL"] + "/connect/"), err.reconnect_url
    assert "revoked" in err.message.lower()
    # The app's answer: the account is REVOKED, and a fresh link lets the user fix it.
    account = client.get_or_create_connected_account("zendesk", identifier).connected_account
    assert account.status == "REVOKED" and account.id == f"zendesk/{identifier}"
    link = client.actions.get_authorization_link(connection_name="zendesk", identifier=identifier)
    assert link.link.startswith(settings["TOOLWIRE_URL"] + "/connect/")


def test_errors_are_typed(client: ToolwireClient, settings: dict[str, str]) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.execute_tool("zendesk_no_such_tool", settings["TOOLWIRE_IDENTIFIER"], {})
    assert caught.value.code == "UNKNOWN_TOOL" and caught.value.status == 404
    wrong = ToolwireClient(settings["TOOLWIRE_URL"], "not-the-key-" + "x" * 20)
    with pytest.raises(UnauthorizedError) as caught:
        wrong.list_tools()
    assert caught.value.code == "UNAUTHORIZED" and caught.value.status == 401
    with pytest.raises(ValueError, match="api_key is required"):
        ToolwireClient(settings["TOOLWIRE_URL"], "")
    # The key never shows in the client's repr or in the error.
    assert settings["TOOLWIRE_API_KEY"] not in repr(client) and "x" * 20 not in str(caught.value)


def test_rate_limit_carries_retry_after(client: ToolwireClient, settings: dict[str, str]) -> None:
    identifier = settings["TOOLWIRE_LIMITED_IDENTIFIER"]
    with pytest.raises(RateLimitedError) as caught:
        client.execute_tool("zendesk_ticket_get", identifier, {"ticket_id": 1})
    err = caught.value
    assert err.code == ErrorCode.RATE_LIMITED and err.status == 429
    assert err.retry_after_s is not None and 0 < err.retry_after_s <= 300, err.retry_after_s
    # In an agent, the model is told to wait (it can act on it); the account stays ACTIVE.
    tools = client.get_tools("zendesk", identifier)
    model = GenericFakeChatModel(
        messages=iter([call("zendesk_ticket_get", {"ticket_id": 1}, 1), AIMessage(content="Busy; later.")])
    )
    result = run_agent(model, tools, "Ticket 1?")[2]
    assert isinstance(result, ToolMessage) and result.status == "error"
    assert result.content.startswith("RATE_LIMITED: "), result.content
    assert client.get_connected_account("zendesk", identifier).status == "ACTIVE"
