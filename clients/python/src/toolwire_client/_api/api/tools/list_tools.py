from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.tool_list import ToolList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    connection_name: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    identifier: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["connection_name"] = connection_name

    params["format"] = format_

    params["identifier"] = identifier

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tools",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ToolList | None:
    if response.status_code == 200:
        response_200 = ToolList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ToolList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    connection_name: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    identifier: str | Unset = UNSET,
) -> Response[ErrorBody | ToolList]:
    """Tool definitions of one connection (default: every loaded connection).

    Args:
        connection_name (str | Unset):
        format_ (str | Unset):
        identifier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ToolList]
    """

    kwargs = _get_kwargs(
        connection_name=connection_name,
        format_=format_,
        identifier=identifier,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    connection_name: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    identifier: str | Unset = UNSET,
) -> ErrorBody | ToolList | None:
    """Tool definitions of one connection (default: every loaded connection).

    Args:
        connection_name (str | Unset):
        format_ (str | Unset):
        identifier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ToolList
    """

    return sync_detailed(
        client=client,
        connection_name=connection_name,
        format_=format_,
        identifier=identifier,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    connection_name: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    identifier: str | Unset = UNSET,
) -> Response[ErrorBody | ToolList]:
    """Tool definitions of one connection (default: every loaded connection).

    Args:
        connection_name (str | Unset):
        format_ (str | Unset):
        identifier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ToolList]
    """

    kwargs = _get_kwargs(
        connection_name=connection_name,
        format_=format_,
        identifier=identifier,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    connection_name: str | Unset = UNSET,
    format_: str | Unset = UNSET,
    identifier: str | Unset = UNSET,
) -> ErrorBody | ToolList | None:
    """Tool definitions of one connection (default: every loaded connection).

    Args:
        connection_name (str | Unset):
        format_ (str | Unset):
        identifier (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ToolList
    """

    return (
        await asyncio_detailed(
            client=client,
            connection_name=connection_name,
            format_=format_,
            identifier=identifier,
        )
    ).parsed
