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
    id: UUID,
    role: str,
    *,
    start: str,
    end: str,
    ticket: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["start"] = start

    params["end"] = end

    params["ticket"] = ticket

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/cameras/{id}/streams/{role}/playback.m3u8".format(
            id=quote(str(id), safe=""),
            role=quote(str(role), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
        return response_200

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

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

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
    id: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    ticket: str,
) -> Response[ErrorBody | str]:
    """An HLS playlist (fMP4) of what a camera stream recorded between `start` and `end`: one `EXT-X-
    BYTERANGE` per fragment, starting at the keyframe at or before `start`, with a discontinuity between
    files

     An HLS playlist (fMP4) of what a camera stream recorded between `start`
    and `end`: one `EXT-X-BYTERANGE` per fragment, starting at the keyframe
    at or before `start`, with a discontinuity between files. Spends the
    ticket; the fragment URLs carry a ticket of their own that opens only this
    window's bytes and lives the window's length plus a margin.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        ticket (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | str]
    """

    kwargs = _get_kwargs(
        id=id,
        role=role,
        start=start,
        end=end,
        ticket=ticket,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    ticket: str,
) -> ErrorBody | str | None:
    """An HLS playlist (fMP4) of what a camera stream recorded between `start` and `end`: one `EXT-X-
    BYTERANGE` per fragment, starting at the keyframe at or before `start`, with a discontinuity between
    files

     An HLS playlist (fMP4) of what a camera stream recorded between `start`
    and `end`: one `EXT-X-BYTERANGE` per fragment, starting at the keyframe
    at or before `start`, with a discontinuity between files. Spends the
    ticket; the fragment URLs carry a ticket of their own that opens only this
    window's bytes and lives the window's length plus a margin.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        ticket (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | str
    """

    return sync_detailed(
        id=id,
        role=role,
        client=client,
        start=start,
        end=end,
        ticket=ticket,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    ticket: str,
) -> Response[ErrorBody | str]:
    """An HLS playlist (fMP4) of what a camera stream recorded between `start` and `end`: one `EXT-X-
    BYTERANGE` per fragment, starting at the keyframe at or before `start`, with a discontinuity between
    files

     An HLS playlist (fMP4) of what a camera stream recorded between `start`
    and `end`: one `EXT-X-BYTERANGE` per fragment, starting at the keyframe
    at or before `start`, with a discontinuity between files. Spends the
    ticket; the fragment URLs carry a ticket of their own that opens only this
    window's bytes and lives the window's length plus a margin.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        ticket (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | str]
    """

    kwargs = _get_kwargs(
        id=id,
        role=role,
        start=start,
        end=end,
        ticket=ticket,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    ticket: str,
) -> ErrorBody | str | None:
    """An HLS playlist (fMP4) of what a camera stream recorded between `start` and `end`: one `EXT-X-
    BYTERANGE` per fragment, starting at the keyframe at or before `start`, with a discontinuity between
    files

     An HLS playlist (fMP4) of what a camera stream recorded between `start`
    and `end`: one `EXT-X-BYTERANGE` per fragment, starting at the keyframe
    at or before `start`, with a discontinuity between files. Spends the
    ticket; the fragment URLs carry a ticket of their own that opens only this
    window's bytes and lives the window's length plus a margin.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        ticket (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | str
    """

    return (
        await asyncio_detailed(
            id=id,
            role=role,
            client=client,
            start=start,
            end=end,
            ticket=ticket,
        )
    ).parsed
