"""`ToolwireClient`: the hand-written layer over the generated API (`toolwire_client._api`,
made by openapi-python-client from `clients/openapi.json`). It turns every non-2xx answer into
a typed `ToolwireError` and spells the calls the way agent builders know them
(`client.actions.get_or_create_connected_account(...)`, `client.actions.execute_tool(...)`,
`client.actions.langchain.get_tools(...)`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._api import AuthenticatedClient
from ._api.api.accounts import (
    create_connected_account,
    get_connected_account,
    magic_link,
    oauth_authorize,
)
from ._api.api.tools import execute_tool as execute_tool_api
from ._api.api.tools import list_tools as list_tools_api
from ._api.models import (
    AccountView,
    Authorization,
    AuthorizeRequest,
    CreateAccount,
    ExecuteResult,
    ExecuteTool,
    MagicLink,
    MagicLinkRequest,
    ToolList,
)
from ._api.types import UNSET, Response
from .errors import ToolwireError, from_response

if TYPE_CHECKING:
    from .langchain import LangChainTools


class ConnectedAccount(AccountView):
    """A connected account (the generated `AccountView`) plus `id`."""

    @property
    def id(self) -> str:
        """How the API addresses the account: `connection_name/identifier`."""
        return f"{self.connection_name}/{self.identifier}"


@dataclass(frozen=True)
class ConnectedAccountResponse:
    """`get_or_create_connected_account`'s answer."""

    connected_account: ConnectedAccount


@dataclass(frozen=True)
class AuthorizationLink:
    """Where to send the user to connect (or reconnect) their account."""

    link: str
    expires_at: str


def _ok(response: Response[Any]) -> Any:
    """The parsed body of a 2xx answer; raises the typed error otherwise."""
    status = int(response.status_code)
    if 200 <= status < 300 and response.parsed is not None:
        return response.parsed
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        body = None
    raise from_response(status, body)


class ToolwireClient:
    """A toolwire server: `ToolwireClient("http://127.0.0.1:8080", api_key)`.

    Every method raises `ToolwireError` (a subclass by family) with the server's stable code.
    `client.actions` is the same object (the spelling of other agent-auth SDKs), and
    `client.actions.langchain.get_tools(...)` returns LangChain tools.
    """

    def __init__(self, base_url: str, api_key: str, *, timeout_s: float = 60.0) -> None:
        import httpx

        if not api_key:
            raise ValueError("api_key is required (the server's TOOLWIRE_API_KEY or DATA_DIR/api.key)")
        self.base_url = base_url.rstrip("/")
        self.api = AuthenticatedClient(
            base_url=self.base_url,
            token=api_key,
            timeout=httpx.Timeout(timeout_s),
            raise_on_unexpected_status=False,
        )

    def __repr__(self) -> str:  # never the API key
        return f"ToolwireClient({self.base_url!r})"

    @property
    def actions(self) -> ToolwireClient:
        """This client (`client.actions.execute_tool(...)` reads like other SDKs)."""
        return self

    @property
    def langchain(self) -> LangChainTools:
        """LangChain tools backed by `execute_tool`."""
        from .langchain import LangChainTools

        return LangChainTools(self)

    # --- connected accounts -------------------------------------------------------------

    def get_or_create_connected_account(
        self,
        connection_name: str,
        identifier: str,
        *,
        config: dict[str, Any] | None = None,
        credentials: dict[str, Any] | None = None,
        auth_scheme: str | None = None,
    ) -> ConnectedAccountResponse:
        """The account for (connection, identifier), created as PENDING_AUTH when new; with
        `credentials` they are verified live and stored (the account becomes ACTIVE)."""
        body: dict[str, Any] = {"connection_name": connection_name, "identifier": identifier}
        for key, value in (("config", config), ("credentials", credentials), ("auth_scheme", auth_scheme)):
            if value is not None:
                body[key] = value
        account = _ok(create_connected_account.sync_detailed(client=self.api, body=CreateAccount.from_dict(body)))
        return ConnectedAccountResponse(connected_account=ConnectedAccount.from_dict(account.to_dict()))

    def get_connected_account(self, connection_name: str, identifier: str) -> AccountView:
        """The account (raises `NotFoundError` with `ACCOUNT_NOT_FOUND` when there is none)."""
        return _ok(get_connected_account.sync_detailed(connection_name, identifier, client=self.api))

    # --- links --------------------------------------------------------------------------

    def create_magic_link(self, connection_name: str, identifier: str, *, expires_in_s: int | None = None) -> MagicLink:
        """A signed, expiring, single-use onboarding link for the user (`url`, `expires_at`)."""
        body = MagicLinkRequest(expires_in_s=expires_in_s) if expires_in_s is not None else MagicLinkRequest()
        return _ok(magic_link.sync_detailed(connection_name, identifier, client=self.api, body=body))

    def get_authorization_link(
        self, connection_name: str, identifier: str, *, expires_in_s: int | None = None
    ) -> AuthorizationLink:
        """Where the user connects or reconnects: the onboarding page (a magic link), which
        offers every auth scheme of the connection (API token form, "Connect with ..." OAuth)."""
        link = self.create_magic_link(connection_name, identifier, expires_in_s=expires_in_s)
        return AuthorizationLink(link=link.url, expires_at=str(link.expires_at))

    def start_oauth(
        self,
        connection_name: str,
        identifier: str,
        config: dict[str, Any],
        *,
        redirect_uri: str | None = None,
    ) -> Authorization:
        """Starts an OAuth connection: `url` to redirect the signed-in user's own browser to."""
        body: dict[str, Any] = {"config": config}
        if redirect_uri is not None:
            body["redirect_uri"] = redirect_uri
        return _ok(
            oauth_authorize.sync_detailed(
                connection_name, identifier, client=self.api, body=AuthorizeRequest.from_dict(body)
            )
        )

    # --- tools --------------------------------------------------------------------------

    def list_tools(self, connection_name: str | None = None, *, format: str = "mcp") -> list[dict[str, Any]]:
        """Tool definitions (`mcp`: name, description, inputSchema, outputSchema, annotations;
        or `openai` / `anthropic`)."""
        tools: ToolList = _ok(
            list_tools_api.sync_detailed(
                client=self.api,
                connection_name=connection_name if connection_name is not None else UNSET,
                format_=format,
            )
        )
        return [t.to_dict() for t in tools.tools]

    def execute_tool(
        self,
        tool_name: str,
        identifier: str,
        tool_input: dict[str, Any] | None = None,
        *,
        connection_name: str | None = None,
        full: bool = False,
    ) -> ExecuteResult:
        """Runs one tool for one identifier: `data`, `execution_id`, `next_cursor`, `has_more`.
        `data` is the tool's output sized for a model (its `outputSchema`); `full=True` asks for
        the whole output instead."""
        body: dict[str, Any] = {"tool_name": tool_name, "identifier": identifier, "tool_input": tool_input or {}}
        if connection_name is not None:
            body["connection_name"] = connection_name
        if full:
            body["full"] = True
        return _ok(execute_tool_api.sync_detailed(client=self.api, body=ExecuteTool.from_dict(body)))

    def get_tools(self, connection_name: str, identifier: str) -> list[Any]:
        """The connection's tools as LangChain `StructuredTool`s acting for `identifier`."""
        return self.langchain.get_tools(identifier=identifier, connection_name=connection_name)


__all__ = ["AuthorizationLink", "ConnectedAccount", "ConnectedAccountResponse", "ToolwireClient", "ToolwireError"]
