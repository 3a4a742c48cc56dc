from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.refresh_request import RefreshRequest
from ...models.token_response import TokenResponse
from ...types import Response


def _get_kwargs(
    *,
    body: RefreshRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/auth/refresh",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshRequest,
) -> Response[ErrorBody | TokenResponse]:
    """Trades a refresh token for a new pair; the old one becomes invalid

     Trades a refresh token for a new pair; the old one becomes invalid. Presenting
    a token twice revokes every token of its login.

    Args:
        body (RefreshRequest): A refresh token, for `POST /api/auth/refresh`. Example:
            {'refresh_token': 'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TokenResponse]
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
    body: RefreshRequest,
) -> ErrorBody | TokenResponse | None:
    """Trades a refresh token for a new pair; the old one becomes invalid

     Trades a refresh token for a new pair; the old one becomes invalid. Presenting
    a token twice revokes every token of its login.

    Args:
        body (RefreshRequest): A refresh token, for `POST /api/auth/refresh`. Example:
            {'refresh_token': 'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshRequest,
) -> Response[ErrorBody | TokenResponse]:
    """Trades a refresh token for a new pair; the old one becomes invalid

     Trades a refresh token for a new pair; the old one becomes invalid. Presenting
    a token twice revokes every token of its login.

    Args:
        body (RefreshRequest): A refresh token, for `POST /api/auth/refresh`. Example:
            {'refresh_token': 'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshRequest,
) -> ErrorBody | TokenResponse | None:
    """Trades a refresh token for a new pair; the old one becomes invalid

     Trades a refresh token for a new pair; the old one becomes invalid. Presenting
    a token twice revokes every token of its login.

    Args:
        body (RefreshRequest): A refresh token, for `POST /api/auth/refresh`. Example:
            {'refresh_token': 'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
