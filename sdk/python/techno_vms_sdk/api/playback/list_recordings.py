from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.recorded_ranges import RecordedRanges
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    role: str,
    *,
    start: str,
    end: str,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

    params["start"] = start

    params["end"] = end

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/cameras/{id}/streams/{role}/recordings".format(
            id=quote(str(id), safe=""),
            role=quote(str(role), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | RecordedRanges | None:
    if response.status_code == 200:
        response_200 = RecordedRanges.from_dict(response.json())

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
) -> Response[ErrorBody | RecordedRanges]:
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | RecordedRanges]:
    """Lists what a camera stream has recorded between `start` and `end`: the stretches with video, oldest
    first, so the gaps show (needs `camera.view_archive` on the camera)

     Lists what a camera stream has recorded between `start` and `end`: the
    stretches with video, oldest first, so the gaps show (needs
    `camera.view_archive` on the camera). Pages hold `limit` stretches (1 to
    500, 100 by default); `next_cursor` passed as `cursor` gives the next.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RecordedRanges]
    """

    kwargs = _get_kwargs(
        id=id,
        role=role,
        start=start,
        end=end,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | RecordedRanges | None:
    """Lists what a camera stream has recorded between `start` and `end`: the stretches with video, oldest
    first, so the gaps show (needs `camera.view_archive` on the camera)

     Lists what a camera stream has recorded between `start` and `end`: the
    stretches with video, oldest first, so the gaps show (needs
    `camera.view_archive` on the camera). Pages hold `limit` stretches (1 to
    500, 100 by default); `next_cursor` passed as `cursor` gives the next.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RecordedRanges
    """

    return sync_detailed(
        id=id,
        role=role,
        client=client,
        start=start,
        end=end,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    role: str,
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | RecordedRanges]:
    """Lists what a camera stream has recorded between `start` and `end`: the stretches with video, oldest
    first, so the gaps show (needs `camera.view_archive` on the camera)

     Lists what a camera stream has recorded between `start` and `end`: the
    stretches with video, oldest first, so the gaps show (needs
    `camera.view_archive` on the camera). Pages hold `limit` stretches (1 to
    500, 100 by default); `next_cursor` passed as `cursor` gives the next.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RecordedRanges]
    """

    kwargs = _get_kwargs(
        id=id,
        role=role,
        start=start,
        end=end,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | RecordedRanges | None:
    """Lists what a camera stream has recorded between `start` and `end`: the stretches with video, oldest
    first, so the gaps show (needs `camera.view_archive` on the camera)

     Lists what a camera stream has recorded between `start` and `end`: the
    stretches with video, oldest first, so the gaps show (needs
    `camera.view_archive` on the camera). Pages hold `limit` stretches (1 to
    500, 100 by default); `next_cursor` passed as `cursor` gives the next.

    Args:
        id (UUID):
        role (str):
        start (str):
        end (str):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RecordedRanges
    """

    return (
        await asyncio_detailed(
            id=id,
            role=role,
            client=client,
            start=start,
            end=end,
            limit=limit,
            cursor=cursor,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
