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
    ticket: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["ticket"] = ticket

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/live/{camera}/{role}/hls/index.m3u8".format(
            camera=quote(str(camera), safe=""),
            role=quote(str(role), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
        return response_200

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
    ticket: str,
) -> Response[ErrorBody | str]:
    """Opens a Low-Latency HLS viewing session

     A multivariant playlist naming this session's media playlist
    (`s/{session}/media.m3u8`): one segment per GOP, parts of about 200 ms,
    blocking reload (`_HLS_msn`, `_HLS_part`) and preload hints. The session
    lapses after 30 s unasked.

    Args:
        camera (UUID):
        role (str):
        ticket (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | str]
    """

    kwargs = _get_kwargs(
        camera=camera,
        role=role,
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
    ticket: str,
) -> ErrorBody | str | None:
    """Opens a Low-Latency HLS viewing session

     A multivariant playlist naming this session's media playlist
    (`s/{session}/media.m3u8`): one segment per GOP, parts of about 200 ms,
    blocking reload (`_HLS_msn`, `_HLS_part`) and preload hints. The session
    lapses after 30 s unasked.

    Args:
        camera (UUID):
        role (str):
        ticket (str):

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
        ticket=ticket,
    ).parsed


async def asyncio_detailed(
    camera: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    ticket: str,
) -> Response[ErrorBody | str]:
    """Opens a Low-Latency HLS viewing session

     A multivariant playlist naming this session's media playlist
    (`s/{session}/media.m3u8`): one segment per GOP, parts of about 200 ms,
    blocking reload (`_HLS_msn`, `_HLS_part`) and preload hints. The session
    lapses after 30 s unasked.

    Args:
        camera (UUID):
        role (str):
        ticket (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | str]
    """

    kwargs = _get_kwargs(
        camera=camera,
        role=role,
        ticket=ticket,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    camera: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    ticket: str,
) -> ErrorBody | str | None:
    """Opens a Low-Latency HLS viewing session

     A multivariant playlist naming this session's media playlist
    (`s/{session}/media.m3u8`): one segment per GOP, parts of about 200 ms,
    blocking reload (`_HLS_msn`, `_HLS_part`) and preload hints. The session
    lapses after 30 s unasked.

    Args:
        camera (UUID):
        role (str):
        ticket (str):

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
            ticket=ticket,
        )
    ).parsed
