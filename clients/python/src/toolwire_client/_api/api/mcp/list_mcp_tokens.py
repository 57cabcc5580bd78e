from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.mcp_token_list import McpTokenList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    identifier: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["identifier"] = identifier

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/mcp_tokens",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | McpTokenList | None:
    if response.status_code == 200:
        response_200 = McpTokenList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | McpTokenList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    identifier: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[ErrorBody | McpTokenList]:
    """Lists tokens (never their values), newest first.

    Args:
        identifier (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | McpTokenList]
    """

    kwargs = _get_kwargs(
        identifier=identifier,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    identifier: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> ErrorBody | McpTokenList | None:
    """Lists tokens (never their values), newest first.

    Args:
        identifier (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | McpTokenList
    """

    return sync_detailed(
        client=client,
        identifier=identifier,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    identifier: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[ErrorBody | McpTokenList]:
    """Lists tokens (never their values), newest first.

    Args:
        identifier (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | McpTokenList]
    """

    kwargs = _get_kwargs(
        identifier=identifier,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    identifier: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> ErrorBody | McpTokenList | None:
    """Lists tokens (never their values), newest first.

    Args:
        identifier (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | McpTokenList
    """

    return (
        await asyncio_detailed(
            client=client,
            identifier=identifier,
            limit=limit,
        )
    ).parsed
