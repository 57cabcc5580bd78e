from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorization import Authorization
from ...models.authorize_request import AuthorizeRequest
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    connection_name: str,
    identifier: str,
    *,
    body: AuthorizeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/connected_accounts/{connection_name}/{identifier}/oauth/authorize".format(
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
) -> Authorization | ErrorBody | None:
    if response.status_code == 200:
        response_200 = Authorization.from_dict(response.json())

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
) -> Response[Authorization | ErrorBody]:
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
    body: AuthorizeRequest,
) -> Response[Authorization | ErrorBody]:
    """Starts an OAuth authorization: the URL to send the user to.

     Starts an OAuth authorization code + PKCE flow: the URL to send the user to. With the onboarding UI
    on, `url` is a single-use start link on this server: it shows a confirmation page naming the
    connection and the identifier, whose button binds the flow to that browser and redirects to the
    vendor. Redirect your signed-in user's own browser to it from an authenticated request (never email
    or show it); the callback refuses other browsers.

    Args:
        connection_name (str):
        identifier (str):
        body (AuthorizeRequest): `oauth/authorize` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Authorization | ErrorBody]
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
    body: AuthorizeRequest,
) -> Authorization | ErrorBody | None:
    """Starts an OAuth authorization: the URL to send the user to.

     Starts an OAuth authorization code + PKCE flow: the URL to send the user to. With the onboarding UI
    on, `url` is a single-use start link on this server: it shows a confirmation page naming the
    connection and the identifier, whose button binds the flow to that browser and redirects to the
    vendor. Redirect your signed-in user's own browser to it from an authenticated request (never email
    or show it); the callback refuses other browsers.

    Args:
        connection_name (str):
        identifier (str):
        body (AuthorizeRequest): `oauth/authorize` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Authorization | ErrorBody
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
    body: AuthorizeRequest,
) -> Response[Authorization | ErrorBody]:
    """Starts an OAuth authorization: the URL to send the user to.

     Starts an OAuth authorization code + PKCE flow: the URL to send the user to. With the onboarding UI
    on, `url` is a single-use start link on this server: it shows a confirmation page naming the
    connection and the identifier, whose button binds the flow to that browser and redirects to the
    vendor. Redirect your signed-in user's own browser to it from an authenticated request (never email
    or show it); the callback refuses other browsers.

    Args:
        connection_name (str):
        identifier (str):
        body (AuthorizeRequest): `oauth/authorize` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Authorization | ErrorBody]
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
    body: AuthorizeRequest,
) -> Authorization | ErrorBody | None:
    """Starts an OAuth authorization: the URL to send the user to.

     Starts an OAuth authorization code + PKCE flow: the URL to send the user to. With the onboarding UI
    on, `url` is a single-use start link on this server: it shows a confirmation page naming the
    connection and the identifier, whose button binds the flow to that browser and redirects to the
    vendor. Redirect your signed-in user's own browser to it from an authenticated request (never email
    or show it); the callback refuses other browsers.

    Args:
        connection_name (str):
        identifier (str):
        body (AuthorizeRequest): `oauth/authorize` body.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Authorization | ErrorBody
    """

    return (
        await asyncio_detailed(
            connection_name=connection_name,
            identifier=identifier,
            client=client,
            body=body,
        )
    ).parsed
