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
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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

    params["cameras"] = cameras

    params["sites"] = sites

    params["types"] = types

    params["labels"] = labels

    params["zones"] = zones

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
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):
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
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):
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
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):
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
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):
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
