from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_view import AccountView
from ...models.error_body import ErrorBody
from ...models.put_credentials import PutCredentials
from ...types import Response


def _get_kwargs(
    connection_name: str,
    identifier: str,
    *,
    body: PutCredentials,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/connected_accounts/{connection_name}/{identifier}/credentials".format(
            connection_name=quote(str(connection_name), safe=""),
            identifier=quote(str(identifier), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountView | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AccountView.from_dict(response.json())

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
) -> Response[AccountView | ErrorBody]:
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
    body: PutCredentials,
) -> Response[AccountView | ErrorBody]:
    """Replaces credentials (config defaults to the account's current config).

    Args:
        connection_name (str):
        identifier (str):
        body (PutCredentials): `PUT .../credentials` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountView | ErrorBody]
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
    body: PutCredentials,
) -> AccountView | ErrorBody | None:
    """Replaces credentials (config defaults to the account's current config).

    Args:
        connection_name (str):
        identifier (str):
        body (PutCredentials): `PUT .../credentials` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountView | ErrorBody
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
    body: PutCredentials,
) -> Response[AccountView | ErrorBody]:
    """Replaces credentials (config defaults to the account's current config).

    Args:
        connection_name (str):
        identifier (str):
        body (PutCredentials): `PUT .../credentials` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountView | ErrorBody]
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
    body: PutCredentials,
) -> AccountView | ErrorBody | None:
    """Replaces credentials (config defaults to the account's current config).

    Args:
        connection_name (str):
        identifier (str):
        body (PutCredentials): `PUT .../credentials` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountView | ErrorBody
    """

    return (
        await asyncio_detailed(
            connection_name=connection_name,
            identifier=identifier,
            client=client,
            body=body,
        )
    ).parsed
