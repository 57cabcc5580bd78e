from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_list import AccountList
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    connection_name: str | Unset = UNSET,
    status: str | Unset = UNSET,
    auth_scheme: str | Unset = UNSET,
    page_token: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["connection_name"] = connection_name

    params["status"] = status

    params["auth_scheme"] = auth_scheme

    params["page_token"] = page_token

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/connected_accounts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountList | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AccountList.from_dict(response.json())

        return response_200

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
) -> Response[AccountList | ErrorBody]:
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
    status: str | Unset = UNSET,
    auth_scheme: str | Unset = UNSET,
    page_token: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[AccountList | ErrorBody]:
    """A page of accounts.

    Args:
        connection_name (str | Unset):
        status (str | Unset):
        auth_scheme (str | Unset):
        page_token (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountList | ErrorBody]
    """

    kwargs = _get_kwargs(
        connection_name=connection_name,
        status=status,
        auth_scheme=auth_scheme,
        page_token=page_token,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    connection_name: str | Unset = UNSET,
    status: str | Unset = UNSET,
    auth_scheme: str | Unset = UNSET,
    page_token: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> AccountList | ErrorBody | None:
    """A page of accounts.

    Args:
        connection_name (str | Unset):
        status (str | Unset):
        auth_scheme (str | Unset):
        page_token (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountList | ErrorBody
    """

    return sync_detailed(
        client=client,
        connection_name=connection_name,
        status=status,
        auth_scheme=auth_scheme,
        page_token=page_token,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    connection_name: str | Unset = UNSET,
    status: str | Unset = UNSET,
    auth_scheme: str | Unset = UNSET,
    page_token: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[AccountList | ErrorBody]:
    """A page of accounts.

    Args:
        connection_name (str | Unset):
        status (str | Unset):
        auth_scheme (str | Unset):
        page_token (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountList | ErrorBody]
    """

    kwargs = _get_kwargs(
        connection_name=connection_name,
        status=status,
        auth_scheme=auth_scheme,
        page_token=page_token,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    connection_name: str | Unset = UNSET,
    status: str | Unset = UNSET,
    auth_scheme: str | Unset = UNSET,
    page_token: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> AccountList | ErrorBody | None:
    """A page of accounts.

    Args:
        connection_name (str | Unset):
        status (str | Unset):
        auth_scheme (str | Unset):
        page_token (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountList | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            connection_name=connection_name,
            status=status,
            auth_scheme=auth_scheme,
            page_token=page_token,
            limit=limit,
        )
    ).parsed
