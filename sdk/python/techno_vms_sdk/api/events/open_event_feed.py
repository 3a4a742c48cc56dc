from http import HTTPStatus
from typing import Any, cast
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["ticket"] = ticket

    json_after: str | Unset = UNSET
    if not isinstance(after, Unset):
        json_after = str(after)
    params["after"] = json_after

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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/events/ws",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | None:
    if response.status_code == 101:
        response_101 = cast(Any, None)
        return response_101

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
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Streams new and updated events the caller may read (needs `event.read` on their cameras; events with
    no camera to tenant-wide readers only)

     Streams new and updated events the caller may read (needs `event.read`
    on their cameras; events with no camera to tenant-wide readers only).
    Authenticate with a bearer token or API key header, or `ticket` from
    `POST /api/events/ws-ticket`. `after` (an event id) replays what changed
    since that event first. Filters: `cameras`, `sites`, `types`, `labels`,
    `zones` (comma-separated).

    Args:
        ticket (str | Unset):
        after (UUID | Unset):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        ticket=ticket,
        after=after,
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Streams new and updated events the caller may read (needs `event.read` on their cameras; events with
    no camera to tenant-wide readers only)

     Streams new and updated events the caller may read (needs `event.read`
    on their cameras; events with no camera to tenant-wide readers only).
    Authenticate with a bearer token or API key header, or `ticket` from
    `POST /api/events/ws-ticket`. `after` (an event id) replays what changed
    since that event first. Filters: `cameras`, `sites`, `types`, `labels`,
    `zones` (comma-separated).

    Args:
        ticket (str | Unset):
        after (UUID | Unset):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return sync_detailed(
        client=client,
        ticket=ticket,
        after=after,
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Streams new and updated events the caller may read (needs `event.read` on their cameras; events with
    no camera to tenant-wide readers only)

     Streams new and updated events the caller may read (needs `event.read`
    on their cameras; events with no camera to tenant-wide readers only).
    Authenticate with a bearer token or API key header, or `ticket` from
    `POST /api/events/ws-ticket`. `after` (an event id) replays what changed
    since that event first. Filters: `cameras`, `sites`, `types`, `labels`,
    `zones` (comma-separated).

    Args:
        ticket (str | Unset):
        after (UUID | Unset):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        ticket=ticket,
        after=after,
        cameras=cameras,
        sites=sites,
        types=types,
        labels=labels,
        zones=zones,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    sites: list[UUID] | Unset = UNSET,
    types: list[str] | Unset = UNSET,
    labels: list[str] | Unset = UNSET,
    zones: list[str] | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Streams new and updated events the caller may read (needs `event.read` on their cameras; events with
    no camera to tenant-wide readers only)

     Streams new and updated events the caller may read (needs `event.read`
    on their cameras; events with no camera to tenant-wide readers only).
    Authenticate with a bearer token or API key header, or `ticket` from
    `POST /api/events/ws-ticket`. `after` (an event id) replays what changed
    since that event first. Filters: `cameras`, `sites`, `types`, `labels`,
    `zones` (comma-separated).

    Args:
        ticket (str | Unset):
        after (UUID | Unset):
        cameras (list[UUID] | Unset):
        sites (list[UUID] | Unset):
        types (list[str] | Unset):
        labels (list[str] | Unset):
        zones (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            ticket=ticket,
            after=after,
            cameras=cameras,
            sites=sites,
            types=types,
            labels=labels,
            zones=zones,
        )
    ).parsed
