from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bookmark_page import BookmarkPage
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    locked: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

    params["q"] = q

    json_tags: list[str] | Unset = UNSET
    if not isinstance(tags, Unset):
        json_tags = tags

    params["tags"] = json_tags

    json_cameras: list[str] | Unset = UNSET
    if not isinstance(cameras, Unset):
        json_cameras = []
        for cameras_item_data in cameras:
            cameras_item = str(cameras_item_data)
            json_cameras.append(cameras_item)

    params["cameras"] = json_cameras

    params["start"] = start

    params["end"] = end

    params["locked"] = locked

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/bookmarks",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BookmarkPage | ErrorBody | None:
    if response.status_code == 200:
        response_200 = BookmarkPage.from_dict(response.json())

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
) -> Response[BookmarkPage | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    locked: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[BookmarkPage | ErrorBody]:
    """Searches the bookmarks the caller may see, newest first (by start)

    Args:
        q (str | Unset):
        tags (list[str] | Unset):
        cameras (list[UUID] | Unset):
        start (str | Unset):
        end (str | Unset):
        locked (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookmarkPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        q=q,
        tags=tags,
        cameras=cameras,
        start=start,
        end=end,
        locked=locked,
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
    q: str | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    locked: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> BookmarkPage | ErrorBody | None:
    """Searches the bookmarks the caller may see, newest first (by start)

    Args:
        q (str | Unset):
        tags (list[str] | Unset):
        cameras (list[UUID] | Unset):
        start (str | Unset):
        end (str | Unset):
        locked (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookmarkPage | ErrorBody
    """

    return sync_detailed(
        client=client,
        q=q,
        tags=tags,
        cameras=cameras,
        start=start,
        end=end,
        locked=locked,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    locked: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[BookmarkPage | ErrorBody]:
    """Searches the bookmarks the caller may see, newest first (by start)

    Args:
        q (str | Unset):
        tags (list[str] | Unset):
        cameras (list[UUID] | Unset):
        start (str | Unset):
        end (str | Unset):
        locked (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BookmarkPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        q=q,
        tags=tags,
        cameras=cameras,
        start=start,
        end=end,
        locked=locked,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    q: str | Unset = UNSET,
    tags: list[str] | Unset = UNSET,
    cameras: list[UUID] | Unset = UNSET,
    start: str | Unset = UNSET,
    end: str | Unset = UNSET,
    locked: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> BookmarkPage | ErrorBody | None:
    """Searches the bookmarks the caller may see, newest first (by start)

    Args:
        q (str | Unset):
        tags (list[str] | Unset):
        cameras (list[UUID] | Unset):
        start (str | Unset):
        end (str | Unset):
        locked (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BookmarkPage | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            tags=tags,
            cameras=cameras,
            start=start,
            end=end,
            locked=locked,
            limit=limit,
            cursor=cursor,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
