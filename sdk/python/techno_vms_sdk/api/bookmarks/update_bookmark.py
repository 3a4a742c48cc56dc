from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bookmark_body import BookmarkBody
from ...models.bookmark_view import BookmarkView
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: BookmarkBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/bookmarks/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BookmarkView | ErrorBody | None:
    if response.status_code == 200:
        response_200 = BookmarkView.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 412:
        response_412 = ErrorBody.from_dict(response.json())

        return response_412

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
) -> Response[BookmarkView | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookmarkBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[BookmarkView | ErrorBody]:
    """Replaces a bookmark whole

     Replaces a bookmark whole. A locked one keeps its cameras and range
    (409 if they would change); its name, description and tags may change.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (BookmarkBody): A bookmark as written: create, or replace whole. Example: {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'description': 'Person forces the door at 10:14;
            police report 2026-4471', 'end': '2026-12-01T10:20:00Z', 'name': 'Forced entry at dock
            door', 'start': '2026-12-01T10:00:00Z', 'tags': ['break-in', 'police']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookmarkView | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookmarkBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> BookmarkView | ErrorBody | None:
    """Replaces a bookmark whole

     Replaces a bookmark whole. A locked one keeps its cameras and range
    (409 if they would change); its name, description and tags may change.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (BookmarkBody): A bookmark as written: create, or replace whole. Example: {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'description': 'Person forces the door at 10:14;
            police report 2026-4471', 'end': '2026-12-01T10:20:00Z', 'name': 'Forced entry at dock
            door', 'start': '2026-12-01T10:00:00Z', 'tags': ['break-in', 'police']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookmarkView | ErrorBody
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        if_match=if_match,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookmarkBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[BookmarkView | ErrorBody]:
    """Replaces a bookmark whole

     Replaces a bookmark whole. A locked one keeps its cameras and range
    (409 if they would change); its name, description and tags may change.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (BookmarkBody): A bookmark as written: create, or replace whole. Example: {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'description': 'Person forces the door at 10:14;
            police report 2026-4471', 'end': '2026-12-01T10:20:00Z', 'name': 'Forced entry at dock
            door', 'start': '2026-12-01T10:00:00Z', 'tags': ['break-in', 'police']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookmarkView | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: BookmarkBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> BookmarkView | ErrorBody | None:
    """Replaces a bookmark whole

     Replaces a bookmark whole. A locked one keeps its cameras and range
    (409 if they would change); its name, description and tags may change.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (BookmarkBody): A bookmark as written: create, or replace whole. Example: {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'description': 'Person forces the door at 10:14;
            police report 2026-4471', 'end': '2026-12-01T10:20:00Z', 'name': 'Forced entry at dock
            door', 'start': '2026-12-01T10:00:00Z', 'tags': ['break-in', 'police']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookmarkView | ErrorBody
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            if_match=if_match,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
