from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.magic_link import MagicLink
from ...models.magic_link_request import MagicLinkRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    connection_name: str,
    identifier: str,
    *,
    body: MagicLinkRequest | None | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/connected_accounts/{connection_name}/{identifier}/magic_link".format(
            connection_name=quote(str(connection_name), safe=""),
            identifier=quote(str(identifier), safe=""),
        ),
    }

    if isinstance(body, MagicLinkRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | MagicLink | None:
    if response.status_code == 200:
        response_200 = MagicLink.from_dict(response.json())

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
) -> Response[ErrorBody | MagicLink]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    connection_name: str,
    identifier: str,
    *,
    client: AuthenticatedClient,
    body: MagicLinkRequest | None | Unset = UNSET,
) -> Response[ErrorBody | MagicLink]:
    """Mints a magic link for the account (created as PENDING_AUTH when new).

     Mints a signed, expiring, single-use onboarding link (creates the account as PENDING_AUTH when new).
    The body is optional.

    Args:
        connection_name (str):
        identifier (str):
        body (MagicLinkRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | MagicLink]
    """

    kwargs = _get_kwargs(
        connection_name=connection_name,
        identifier=identifier,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    connection_name: str,
    identifier: str,
    *,
    client: AuthenticatedClient,
    body: MagicLinkRequest | None | Unset = UNSET,
) -> ErrorBody | MagicLink | None:
    """Mints a magic link for the account (created as PENDING_AUTH when new).

     Mints a signed, expiring, single-use onboarding link (creates the account as PENDING_AUTH when new).
    The body is optional.

    Args:
        connection_name (str):
        identifier (str):
        body (MagicLinkRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | MagicLink
    """

    return sync_detailed(
        connection_name=connection_name,
        identifier=identifier,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    connection_name: str,
    identifier: str,
    *,
    client: AuthenticatedClient,
    body: MagicLinkRequest | None | Unset = UNSET,
) -> Response[ErrorBody | MagicLink]:
    """Mints a magic link for the account (created as PENDING_AUTH when new).

     Mints a signed, expiring, single-use onboarding link (creates the account as PENDING_AUTH when new).
    The body is optional.

    Args:
        connection_name (str):
        identifier (str):
        body (MagicLinkRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | MagicLink]
    """

    kwargs = _get_kwargs(
        connection_name=connection_name,
        identifier=identifier,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    connection_name: str,
    identifier: str,
    *,
    client: AuthenticatedClient,
    body: MagicLinkRequest | None | Unset = UNSET,
) -> ErrorBody | MagicLink | None:
    """Mints a magic link for the account (created as PENDING_AUTH when new).

     Mints a signed, expiring, single-use onboarding link (creates the account as PENDING_AUTH when new).
    The body is optional.

    Args:
        connection_name (str):
        identifier (str):
        body (MagicLinkRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | MagicLink
    """

    return (
        await asyncio_detailed(
            connection_name=connection_name,
            identifier=identifier,
            client=client,
            body=body,
        )
    ).parsed
