"""LangChain tools over `execute_tool`: one `StructuredTool` per tool of a connection, whose
argument schema is the tool's own JSON Schema (`inputSchema` from `GET /v1/tools`) and whose
call runs `ToolwireClient.execute_tool` for the identifier the app chose (never the model).

Errors the model can fix (invalid input, not found, the vendor's validation, rate limits) come
back to the model as the tool's result (`"INVALID_INPUT: ..."`) when `handle_errors` is on;
errors only the app can fix — the account is REVOKED/EXPIRED/..., a wrong API key, an unknown
tool — are raised as the typed `ToolwireError` (with `reconnect_url`) for the app to handle."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from langchain_core.tools import StructuredTool, ToolException

from .errors import AccountNotActiveError, ToolwireError, UnauthorizedError

if TYPE_CHECKING:
    from .client import ToolwireClient

_APP_ERRORS = (AccountNotActiveError, UnauthorizedError)


class LangChainTools:
    """`client.actions.langchain`: builds LangChain tools."""

    def __init__(self, client: ToolwireClient) -> None:
        self._client = client

    def get_tools(
        self,
        identifier: str,
        connection_name: str | None = None,
        *,
        providers: list[str] | None = None,
        tool_names: list[str] | None = None,
        page_size: int | None = None,
        handle_errors: bool = True,
    ) -> list[StructuredTool]:
        """The tools of `connection_name` (or of each of `providers`, case-insensitive; default:
        every connection), optionally only `tool_names`, at most `page_size` of them."""
        connections: list[str | None] = (
            [connection_name]
            if connection_name is not None
            else [p.lower() for p in providers]
            if providers
            else [None]
        )
        tools: list[StructuredTool] = []
        for connection in connections:
            for definition in self._client.list_tools(connection, format="mcp"):
                if tool_names is not None and definition["name"] not in tool_names:
                    continue
                tools.append(self._tool(definition, identifier, connection, handle_errors))
        return tools[:page_size] if page_size is not None else tools

    def _tool(
        self, definition: dict[str, Any], identifier: str, connection: str | None, handle_errors: bool
    ) -> StructuredTool:
        name = definition["name"]
        client = self._client

        def run(**tool_input: Any) -> tuple[str, dict[str, Any]]:
            try:
                result = client.execute_tool(name, identifier, tool_input, connection_name=connection)
            except _APP_ERRORS:
                raise
            except ToolwireError as e:
                if not handle_errors:
                    raise
                raise ToolException(f"{e.code}: {e.message}") from e
            return json.dumps(result.data), result.to_dict()

        return StructuredTool.from_function(
            func=run,
            name=name,
            description=definition.get("description") or name,
            args_schema=definition.get("inputSchema") or {"type": "object", "properties": {}},
            response_format="content_and_artifact",
            handle_tool_error=handle_errors,
        )
