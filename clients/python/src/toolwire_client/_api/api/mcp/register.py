from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.register_response_201 import RegisterResponse201
from ...models.register_response_400 import RegisterResponse400
from ...models.registration import Registration
from ...types import Response


def _get_kwargs(
    *,
    body: Registration,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/register",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> RegisterResponse201 | RegisterResponse400 | None:
    if response.status_code == 201:
        response_201 = RegisterResponse201.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = RegisterResponse400.from_dict(response.json())

        return response_400

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[RegisterResponse201 | RegisterResponse400]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Registration,
) -> Response[RegisterResponse201 | RegisterResponse400]:
    """Registers a public client (`token_endpoint_auth_method: none`; PKCE is required).

    Args:
        body (Registration): The registration request (other RFC 7591 fields are accepted and
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[RegisterResponse201 | RegisterResponse400]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: Registration,
) -> RegisterResponse201 | RegisterResponse400 | None:
    """Registers a public client (`token_endpoint_auth_method: none`; PKCE is required).

    Args:
        body (Registration): The registration request (other RFC 7591 fields are accepted and
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        RegisterResponse201 | RegisterResponse400
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Registration,
) -> Response[RegisterResponse201 | RegisterResponse400]:
    """Registers a public client (`token_endpoint_auth_method: none`; PKCE is required).

    Args:
        body (Registration): The registration request (other RFC 7591 fields are accepted and
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[RegisterResponse201 | RegisterResponse400]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Registration,
) -> RegisterResponse201 | RegisterResponse400 | None:
    """Registers a public client (`token_endpoint_auth_method: none`; PKCE is required).

    Args:
        body (Registration): The registration request (other RFC 7591 fields are accepted and
            ignored).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        RegisterResponse201 | RegisterResponse400
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
