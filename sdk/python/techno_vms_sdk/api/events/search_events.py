from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.event_page import EventPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

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

    params["start"] = start

    params["end"] = end

    params["has_snapshot"] = has_snapshot

    params["q"] = q

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/events",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | EventPage | None:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())

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
) -> Response[ErrorBody | EventPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | EventPage]:
    """Searches the caller's events, newest first (by start)

     Searches the caller's events, newest first (by start). Lists take
    comma-separated values (or repeat): `cameras`, `sites`, `types`,
    `labels`, `zones`; `start` and `end` (RFC 3339) keep events going on in
    that window; `q` finds text in the type, label or camera name. Pages
    hold `limit` events (1 to 500, 100 by default); pass `next_cursor` as
    `cursor` for the next.

    Args:
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        start (str | Unset):
        end (str | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventPage]
    """

    kwargs = _get_kwargs(
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
        start=start,
        end=end,
        has_snapshot=has_snapshot,
        q=q,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | EventPage | None:
    """Searches the caller's events, newest first (by start)

     Searches the caller's events, newest first (by start). Lists take
    comma-separated values (or repeat): `cameras`, `sites`, `types`,
    `labels`, `zones`; `start` and `end` (RFC 3339) keep events going on in
    that window; `q` finds text in the type, label or camera name. Pages
    hold `limit` events (1 to 500, 100 by default); pass `next_cursor` as
    `cursor` for the next.

    Args:
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        start (str | Unset):
        end (str | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventPage
    """

    return sync_detailed(
        client=client,
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
        start=start,
        end=end,
        has_snapshot=has_snapshot,
        q=q,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | EventPage]:
    """Searches the caller's events, newest first (by start)

     Searches the caller's events, newest first (by start). Lists take
    comma-separated values (or repeat): `cameras`, `sites`, `types`,
    `labels`, `zones`; `start` and `end` (RFC 3339) keep events going on in
    that window; `q` finds text in the type, label or camera name. Pages
    hold `limit` events (1 to 500, 100 by default); pass `next_cursor` as
    `cursor` for the next.

    Args:
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        start (str | Unset):
        end (str | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | EventPage]
    """

    kwargs = _get_kwargs(
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
        start=start,
        end=end,
        has_snapshot=has_snapshot,
        q=q,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    has_snapshot: bool | Unset = UNSET,
    q: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | EventPage | None:
    """Searches the caller's events, newest first (by start)

     Searches the caller's events, newest first (by start). Lists take
    comma-separated values (or repeat): `cameras`, `sites`, `types`,
    `labels`, `zones`; `start` and `end` (RFC 3339) keep events going on in
    that window; `q` finds text in the type, label or camera name. Pages
    hold `limit` events (1 to 500, 100 by default); pass `next_cursor` as
    `cursor` for the next.

    Args:
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):
        start (str | Unset):
        end (str | Unset):
        has_snapshot (bool | Unset):
        q (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | EventPage
    """

    return (
        await asyncio_detailed(
            client=client,
            cameras=cameras,
            sites=sites,
            types=types,
            labels=labels,
            zones=zones,
            start=start,
            end=end,
            has_snapshot=has_snapshot,
            q=q,
            limit=limit,
            cursor=cursor,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
