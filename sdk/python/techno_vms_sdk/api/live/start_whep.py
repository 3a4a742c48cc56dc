from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, Response


def _get_kwargs(
    camera: UUID,
    role: str,
    *,
    body: str,
    ticket: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["ticket"] = ticket

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/live/{camera}/{role}/whep".format(
            camera=quote(str(camera), safe=""),
            role=quote(str(role), safe=""),
        ),
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/sdp"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | str | None:
    if response.status_code == 201:
        response_201 = cast(str, response.content)
        return response_201

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 415:
        response_415 = ErrorBody.from_dict(response.json())

        return response_415

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    camera: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    body: str,
    ticket: str,
) -> Response[ErrorBody | str]:
    """Starts a WebRTC viewer (WHEP, RFC 9725)

     The body is the browser's SDP offer with one receive-only video; the
    answer lists every candidate (the server is ICE-lite, so no trickle ICE).
    H.264 without B-frames only: an H.265 stream or one with B-frames gets
    415 (use `openLiveMse`).

    Args:
        camera (UUID):
        role (str):
        ticket (str):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | str]
    """

    kwargs = _get_kwargs(
        camera=camera,
        role=role,
        body=body,
        ticket=ticket,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    camera: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    body: str,
    ticket: str,
) -> ErrorBody | str | None:
    """Starts a WebRTC viewer (WHEP, RFC 9725)

     The body is the browser's SDP offer with one receive-only video; the
    answer lists every candidate (the server is ICE-lite, so no trickle ICE).
    H.264 without B-frames only: an H.265 stream or one with B-frames gets
    415 (use `openLiveMse`).

    Args:
        camera (UUID):
        role (str):
        ticket (str):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | str
    """

    return sync_detailed(
        camera=camera,
        role=role,
        client=client,
        body=body,
        ticket=ticket,
    ).parsed


async def asyncio_detailed(
    camera: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    body: str,
    ticket: str,
) -> Response[ErrorBody | str]:
    """Starts a WebRTC viewer (WHEP, RFC 9725)

     The body is the browser's SDP offer with one receive-only video; the
    answer lists every candidate (the server is ICE-lite, so no trickle ICE).
    H.264 without B-frames only: an H.265 stream or one with B-frames gets
    415 (use `openLiveMse`).

    Args:
        camera (UUID):
        role (str):
        ticket (str):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | str]
    """

    kwargs = _get_kwargs(
        camera=camera,
        role=role,
        body=body,
        ticket=ticket,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    camera: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    body: str,
    ticket: str,
) -> ErrorBody | str | None:
    """Starts a WebRTC viewer (WHEP, RFC 9725)

     The body is the browser's SDP offer with one receive-only video; the
    answer lists every candidate (the server is ICE-lite, so no trickle ICE).
    H.264 without B-frames only: an H.265 stream or one with B-frames gets
    415 (use `openLiveMse`).

    Args:
        camera (UUID):
        role (str):
        ticket (str):
        body (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | str
    """

    return (
        await asyncio_detailed(
            camera=camera,
            role=role,
            client=client,
            body=body,
            ticket=ticket,
        )
    ).parsed
