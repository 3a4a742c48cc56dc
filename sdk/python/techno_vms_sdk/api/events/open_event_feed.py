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
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["ticket"] = ticket

    json_after: str | Unset = UNSET
    if not isinstance(after, Unset):
        json_after = str(after)
    params["after"] = json_after

    params["cameras"] = cameras

    params["sites"] = sites

    params["types"] = types

    params["labels"] = labels

    params["zones"] = zones

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
    client: AuthenticatedClient | Client,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):

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
    client: AuthenticatedClient | Client,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):

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
    client: AuthenticatedClient | Client,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):

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
    client: AuthenticatedClient | Client,
    ticket: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    cameras: str | Unset = UNSET,
    sites: str | Unset = UNSET,
    types: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    zones: str | Unset = UNSET,
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
        cameras (str | Unset):
        sites (str | Unset):
        types (str | Unset):
        labels (str | Unset):
        zones (str | Unset):

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
