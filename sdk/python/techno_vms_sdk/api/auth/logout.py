from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.logout_request import LogoutRequest
from ...types import Response


def _get_kwargs(
    *,
    body: LogoutRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/auth/logout",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: LogoutRequest,
) -> Response[Any | ErrorBody]:
    """Ends the caller's session: the login the access token belongs to, and the one the refresh token
    belongs to when one is given (it must be the caller's)

     Ends the caller's session: the login the access token belongs to, and the
    one the refresh token belongs to when one is given (it must be the
    caller's). Both the access token and every refresh token of that login stop
    working at once. The body is optional; an API key (which has no session)
    must name a refresh token. A client whose access token has lapsed signs out
    with its refresh token alone: holding it proves the session.

    Args:
        body (LogoutRequest): Body of `POST /api/auth/logout` (optional: without it, the session
            of the
            access token ends). Example: {'refresh_token':
            'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
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
    client: AuthenticatedClient,
    body: LogoutRequest,
) -> Any | ErrorBody | None:
    """Ends the caller's session: the login the access token belongs to, and the one the refresh token
    belongs to when one is given (it must be the caller's)

     Ends the caller's session: the login the access token belongs to, and the
    one the refresh token belongs to when one is given (it must be the
    caller's). Both the access token and every refresh token of that login stop
    working at once. The body is optional; an API key (which has no session)
    must name a refresh token. A client whose access token has lapsed signs out
    with its refresh token alone: holding it proves the session.

    Args:
        body (LogoutRequest): Body of `POST /api/auth/logout` (optional: without it, the session
            of the
            access token ends). Example: {'refresh_token':
            'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: LogoutRequest,
) -> Response[Any | ErrorBody]:
    """Ends the caller's session: the login the access token belongs to, and the one the refresh token
    belongs to when one is given (it must be the caller's)

     Ends the caller's session: the login the access token belongs to, and the
    one the refresh token belongs to when one is given (it must be the
    caller's). Both the access token and every refresh token of that login stop
    working at once. The body is optional; an API key (which has no session)
    must name a refresh token. A client whose access token has lapsed signs out
    with its refresh token alone: holding it proves the session.

    Args:
        body (LogoutRequest): Body of `POST /api/auth/logout` (optional: without it, the session
            of the
            access token ends). Example: {'refresh_token':
            'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: LogoutRequest,
) -> Any | ErrorBody | None:
    """Ends the caller's session: the login the access token belongs to, and the one the refresh token
    belongs to when one is given (it must be the caller's)

     Ends the caller's session: the login the access token belongs to, and the
    one the refresh token belongs to when one is given (it must be the
    caller's). Both the access token and every refresh token of that login stop
    working at once. The body is optional; an API key (which has no session)
    must name a refresh token. A client whose access token has lapsed signs out
    with its refresh token alone: holding it proves the session.

    Args:
        body (LogoutRequest): Body of `POST /api/auth/logout` (optional: without it, the session
            of the
            access token ends). Example: {'refresh_token':
            'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
