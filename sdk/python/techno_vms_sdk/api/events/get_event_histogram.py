from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.event_histogram import EventHistogram
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    start: str,
    end: str,
    bucket: int,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

    params["start"] = start

    params["end"] = end

    params["bucket"] = bucket

    json_cameras: list[str] | Unset = UNSET
    if not isinstance(cameras, Unset):
        json_cameras = []
        for cameras_item_data in cameras:
            cameras_item = str(cameras_item_data)
            json_cameras.append(cameras_item)

    params["cameras"] = json_cameras

    json_sites: list[str] | Unset = UNSET
    if not isinstance(sites, Unset):
        json_sites = []
        for sites_item_data in sites:
            sites_item = str(sites_item_data)
            json_sites.append(sites_item)

    params["sites"] = json_sites

    json_types: list[str] | Unset = UNSET
    if not isinstance(types, Unset):
        json_types = types

    params["types"] = json_types

    json_labels: list[str] | Unset = UNSET
    if not isinstance(labels, Unset):
        json_labels = labels

    params["labels"] = json_labels

    json_zones: list[str] | Unset = UNSET
    if not isinstance(zones, Unset):
        json_zones = zones

    params["zones"] = json_zones

    params["has_snapshot"] = has_snapshot

    params["q"] = q

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/events/histogram",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | EventHistogram | None:
    if response.status_code == 200:
        response_200 = EventHistogram.from_dict(response.json())

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
) -> Response[ErrorBody | EventHistogram]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    bucket: int,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | EventHistogram]:
    """Counts the caller's events per time bucket between `start` and `end` (RFC 3339, both required),
    `bucket` seconds wide (at most 2000 buckets), with the same filters as the search; for a timeline

    Args:
        start (str):
        end (str):
        bucket (int):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventHistogram]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        bucket=bucket,
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
        has_snapshot=has_snapshot,
        q=q,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    bucket: int,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | EventHistogram | None:
    """Counts the caller's events per time bucket between `start` and `end` (RFC 3339, both required),
    `bucket` seconds wide (at most 2000 buckets), with the same filters as the search; for a timeline

    Args:
        start (str):
        end (str):
        bucket (int):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventHistogram
    """

    return sync_detailed(
        client=client,
        start=start,
        end=end,
        bucket=bucket,
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
        has_snapshot=has_snapshot,
        q=q,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    bucket: int,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | EventHistogram]:
    """Counts the caller's events per time bucket between `start` and `end` (RFC 3339, both required),
    `bucket` seconds wide (at most 2000 buckets), with the same filters as the search; for a timeline

    Args:
        start (str):
        end (str):
        bucket (int):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventHistogram]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        bucket=bucket,
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
        has_snapshot=has_snapshot,
        q=q,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    start: str,
    end: str,
    bucket: int,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | EventHistogram | None:
    """Counts the caller's events per time bucket between `start` and `end` (RFC 3339, both required),
    `bucket` seconds wide (at most 2000 buckets), with the same filters as the search; for a timeline

    Args:
        start (str):
        end (str):
        bucket (int):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventHistogram
    """

    return (
        await asyncio_detailed(
            client=client,
            start=start,
            end=end,
            bucket=bucket,
            cameras=cameras,
            sites=sites,
            types=types,
            labels=labels,
            zones=zones,
            has_snapshot=has_snapshot,
            q=q,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
