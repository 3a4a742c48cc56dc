from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.multi_ranges import MultiRanges
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    camera_id: list[UUID],
    stream: str | Unset = UNSET,
    start: str,
    end: str,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

    json_camera_id = []
    for camera_id_item_data in camera_id:
        camera_id_item = str(camera_id_item_data)
        json_camera_id.append(camera_id_item)

    params["camera_id"] = json_camera_id

    params["stream"] = stream

    params["start"] = start

    params["end"] = end

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/recordings/ranges",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | MultiRanges | None:
    if response.status_code == 200:
        response_200 = MultiRanges.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | MultiRanges]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    camera_id: list[UUID],
    stream: str | Unset = UNSET,
    start: str,
    end: str,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | MultiRanges]:
    """Lists what several cameras recorded between `start` and `end` (at most 31 days), for a multi-camera
    timeline: per camera, the stretches with video, oldest first, in one request (`camera_id` repeats, 1
    to 64 cameras; `stream` is `main` or `sub`, `main` by default)

     Lists what several cameras recorded between `start` and `end` (at most
    31 days), for a multi-camera timeline: per camera, the stretches with
    video, oldest first, in one request (`camera_id` repeats, 1 to 64
    cameras; `stream` is `main` or `sub`, `main` by default). Needs
    `camera.view_archive` on every camera named (403 naming none of them
    otherwise); an unknown camera is 404.

    Args:
        camera_id (list[UUID]):
        stream (str | Unset):
        start (str):
        end (str):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | MultiRanges]
    """

    kwargs = _get_kwargs(
        camera_id=camera_id,
        stream=stream,
        start=start,
        end=end,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    camera_id: list[UUID],
    stream: str | Unset = UNSET,
    start: str,
    end: str,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | MultiRanges | None:
    """Lists what several cameras recorded between `start` and `end` (at most 31 days), for a multi-camera
    timeline: per camera, the stretches with video, oldest first, in one request (`camera_id` repeats, 1
    to 64 cameras; `stream` is `main` or `sub`, `main` by default)

     Lists what several cameras recorded between `start` and `end` (at most
    31 days), for a multi-camera timeline: per camera, the stretches with
    video, oldest first, in one request (`camera_id` repeats, 1 to 64
    cameras; `stream` is `main` or `sub`, `main` by default). Needs
    `camera.view_archive` on every camera named (403 naming none of them
    otherwise); an unknown camera is 404.

    Args:
        camera_id (list[UUID]):
        stream (str | Unset):
        start (str):
        end (str):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | MultiRanges
    """

    return sync_detailed(
        client=client,
        camera_id=camera_id,
        stream=stream,
        start=start,
        end=end,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    camera_id: list[UUID],
    stream: str | Unset = UNSET,
    start: str,
    end: str,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | MultiRanges]:
    """Lists what several cameras recorded between `start` and `end` (at most 31 days), for a multi-camera
    timeline: per camera, the stretches with video, oldest first, in one request (`camera_id` repeats, 1
    to 64 cameras; `stream` is `main` or `sub`, `main` by default)

     Lists what several cameras recorded between `start` and `end` (at most
    31 days), for a multi-camera timeline: per camera, the stretches with
    video, oldest first, in one request (`camera_id` repeats, 1 to 64
    cameras; `stream` is `main` or `sub`, `main` by default). Needs
    `camera.view_archive` on every camera named (403 naming none of them
    otherwise); an unknown camera is 404.

    Args:
        camera_id (list[UUID]):
        stream (str | Unset):
        start (str):
        end (str):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | MultiRanges]
    """

    kwargs = _get_kwargs(
        camera_id=camera_id,
        stream=stream,
        start=start,
        end=end,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    camera_id: list[UUID],
    stream: str | Unset = UNSET,
    start: str,
    end: str,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | MultiRanges | None:
    """Lists what several cameras recorded between `start` and `end` (at most 31 days), for a multi-camera
    timeline: per camera, the stretches with video, oldest first, in one request (`camera_id` repeats, 1
    to 64 cameras; `stream` is `main` or `sub`, `main` by default)

     Lists what several cameras recorded between `start` and `end` (at most
    31 days), for a multi-camera timeline: per camera, the stretches with
    video, oldest first, in one request (`camera_id` repeats, 1 to 64
    cameras; `stream` is `main` or `sub`, `main` by default). Needs
    `camera.view_archive` on every camera named (403 naming none of them
    otherwise); an unknown camera is 404.

    Args:
        camera_id (list[UUID]):
        stream (str | Unset):
        start (str):
        end (str):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | MultiRanges
    """

    return (
        await asyncio_detailed(
            client=client,
            camera_id=camera_id,
            stream=stream,
            start=start,
            end=end,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
