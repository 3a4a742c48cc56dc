from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    camera: UUID,
    role: str,
    session: str,
    file: str,
    *,
    field_hls_msn: int | Unset = UNSET,
    field_hls_part: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["_HLS_msn"] = field_hls_msn

    params["_HLS_part"] = field_hls_part

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/live/{camera}/{role}/hls/s/{session}/{file}".format(
            camera=quote(str(camera), safe=""),
            role=quote(str(role), safe=""),
            session=quote(str(session), safe=""),
            file=quote(str(file), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    camera: UUID,
    role: str,
    session: str,
    file: str,
    *,
    client: AuthenticatedClient | Client,
    field_hls_msn: int | Unset = UNSET,
    field_hls_part: int | Unset = UNSET,
) -> Response[ErrorBody | File]:
    """Reads a file of a Low-Latency HLS session: `media.m3u8`, the init segment, a segment or a part

    Args:
        camera (UUID):
        role (str):
        session (str):
        file (str):
        field_hls_msn (int | Unset):
        field_hls_part (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
    """

    kwargs = _get_kwargs(
        camera=camera,
        role=role,
        session=session,
        file=file,
        field_hls_msn=field_hls_msn,
        field_hls_part=field_hls_part,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    camera: UUID,
    role: str,
    session: str,
    file: str,
    *,
    client: AuthenticatedClient | Client,
    field_hls_msn: int | Unset = UNSET,
    field_hls_part: int | Unset = UNSET,
) -> ErrorBody | File | None:
    """Reads a file of a Low-Latency HLS session: `media.m3u8`, the init segment, a segment or a part

    Args:
        camera (UUID):
        role (str):
        session (str):
        file (str):
        field_hls_msn (int | Unset):
        field_hls_part (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
    """

    return sync_detailed(
        camera=camera,
        role=role,
        session=session,
        file=file,
        client=client,
        field_hls_msn=field_hls_msn,
        field_hls_part=field_hls_part,
    ).parsed


async def asyncio_detailed(
    camera: UUID,
    role: str,
    session: str,
    file: str,
    *,
    client: AuthenticatedClient | Client,
    field_hls_msn: int | Unset = UNSET,
    field_hls_part: int | Unset = UNSET,
) -> Response[ErrorBody | File]:
    """Reads a file of a Low-Latency HLS session: `media.m3u8`, the init segment, a segment or a part

    Args:
        camera (UUID):
        role (str):
        session (str):
        file (str):
        field_hls_msn (int | Unset):
        field_hls_part (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
    """

    kwargs = _get_kwargs(
        camera=camera,
        role=role,
        session=session,
        file=file,
        field_hls_msn=field_hls_msn,
        field_hls_part=field_hls_part,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    camera: UUID,
    role: str,
    session: str,
    file: str,
    *,
    client: AuthenticatedClient | Client,
    field_hls_msn: int | Unset = UNSET,
    field_hls_part: int | Unset = UNSET,
) -> ErrorBody | File | None:
    """Reads a file of a Low-Latency HLS session: `media.m3u8`, the init segment, a segment or a part

    Args:
        camera (UUID):
        role (str):
        session (str):
        file (str):
        field_hls_msn (int | Unset):
        field_hls_part (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
    """

    return (
        await asyncio_detailed(
            camera=camera,
            role=role,
            session=session,
            file=file,
            client=client,
            field_hls_msn=field_hls_msn,
            field_hls_part=field_hls_part,
        )
    ).parsed
