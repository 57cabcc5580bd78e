from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.mcp_body import McpBody
from ...models.mcp_response_200 import McpResponse200
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: McpBody,
    x_toolwire_identifier: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_toolwire_identifier, Unset):
        headers["X-Toolwire-Identifier"] = x_toolwire_identifier

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/mcp",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | McpResponse200 | None:
    if response.status_code == 200:
        response_200 = McpResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = cast(Any, None)
        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorBody | McpResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: McpBody,
    x_toolwire_identifier: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | McpResponse200]:
    """`POST /mcp` (documented by this stub; served by rmcp's streamable HTTP transport).

     MCP JSON-RPC over streamable HTTP (stateless; JSON responses). Two ways in: an end user's MCP access
    token (`mcp_token`: from the MCP sign-in, whose 401 names the resource metadata in `WWW-
    Authenticate`, or from `POST /v1/mcp_tokens`) — the identifier and toolset come from the token and
    `X-Toolwire-Identifier` is ignored — or the API key (`api_key`) with the identifier in `X-Toolwire-
    Identifier`. Never from the model. `_meta["toolwire/full"]: true` on `tools/call` adds the tool's
    whole output as the result's `_meta["toolwire/full"]`.

    Args:
        x_toolwire_identifier (None | str | Unset):
        body (McpBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | McpResponse200]
    """

    kwargs = _get_kwargs(
        body=body,
        x_toolwire_identifier=x_toolwire_identifier,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: McpBody,
    x_toolwire_identifier: None | str | Unset = UNSET,
) -> Any | ErrorBody | McpResponse200 | None:
    """`POST /mcp` (documented by this stub; served by rmcp's streamable HTTP transport).

     MCP JSON-RPC over streamable HTTP (stateless; JSON responses). Two ways in: an end user's MCP access
    token (`mcp_token`: from the MCP sign-in, whose 401 names the resource metadata in `WWW-
    Authenticate`, or from `POST /v1/mcp_tokens`) — the identifier and toolset come from the token and
    `X-Toolwire-Identifier` is ignored — or the API key (`api_key`) with the identifier in `X-Toolwire-
    Identifier`. Never from the model. `_meta["toolwire/full"]: true` on `tools/call` adds the tool's
    whole output as the result's `_meta["toolwire/full"]`.

    Args:
        x_toolwire_identifier (None | str | Unset):
        body (McpBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | McpResponse200
    """

    return sync_detailed(
        client=client,
        body=body,
        x_toolwire_identifier=x_toolwire_identifier,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: McpBody,
    x_toolwire_identifier: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | McpResponse200]:
    """`POST /mcp` (documented by this stub; served by rmcp's streamable HTTP transport).

     MCP JSON-RPC over streamable HTTP (stateless; JSON responses). Two ways in: an end user's MCP access
    token (`mcp_token`: from the MCP sign-in, whose 401 names the resource metadata in `WWW-
    Authenticate`, or from `POST /v1/mcp_tokens`) — the identifier and toolset come from the token and
    `X-Toolwire-Identifier` is ignored — or the API key (`api_key`) with the identifier in `X-Toolwire-
    Identifier`. Never from the model. `_meta["toolwire/full"]: true` on `tools/call` adds the tool's
    whole output as the result's `_meta["toolwire/full"]`.

    Args:
        x_toolwire_identifier (None | str | Unset):
        body (McpBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | McpResponse200]
    """

    kwargs = _get_kwargs(
        body=body,
        x_toolwire_identifier=x_toolwire_identifier,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: McpBody,
    x_toolwire_identifier: None | str | Unset = UNSET,
) -> Any | ErrorBody | McpResponse200 | None:
    """`POST /mcp` (documented by this stub; served by rmcp's streamable HTTP transport).

     MCP JSON-RPC over streamable HTTP (stateless; JSON responses). Two ways in: an end user's MCP access
    token (`mcp_token`: from the MCP sign-in, whose 401 names the resource metadata in `WWW-
    Authenticate`, or from `POST /v1/mcp_tokens`) — the identifier and toolset come from the token and
    `X-Toolwire-Identifier` is ignored — or the API key (`api_key`) with the identifier in `X-Toolwire-
    Identifier`. Never from the model. `_meta["toolwire/full"]: true` on `tools/call` adds the tool's
    whole output as the result's `_meta["toolwire/full"]`.

    Args:
        x_toolwire_identifier (None | str | Unset):
        body (McpBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | McpResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_toolwire_identifier=x_toolwire_identifier,
        )
    ).parsed
