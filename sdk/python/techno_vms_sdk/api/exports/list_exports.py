from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.export_page import ExportPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cameras: list[UUID] | Unset = UNSET,
    status: list[str] | Unset = UNSET,
    mine: bool | Unset = UNSET,
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

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params["mine"] = mine

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/exports",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | ExportPage | None:
    if response.status_code == 200:
        response_200 = ExportPage.from_dict(response.json())

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
) -> Response[ErrorBody | ExportPage]:
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
    status: list[str] | Unset = UNSET,
    mine: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | ExportPage]:
    """Lists the exports of the cameras on which the caller holds `camera.export`, newest first: `cameras`
    and `status` take several values (repeated or comma-separated), `mine=true` keeps the caller's own

     Lists the exports of the cameras on which the caller holds
    `camera.export`, newest first: `cameras` and `status` take several
    values (repeated or comma-separated), `mine=true` keeps the caller's
    own. Pages hold `limit` exports (1 to 500, 100 by default);
    `next_cursor` passed as `cursor` gives the next.

    Args:
        cameras (list[UUID] | Unset):
        status (list[str] | Unset):
        mine (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ExportPage]
    """

    kwargs = _get_kwargs(
        cameras=cameras,
        status=status,
        mine=mine,
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
    status: list[str] | Unset = UNSET,
    mine: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | ExportPage | None:
    """Lists the exports of the cameras on which the caller holds `camera.export`, newest first: `cameras`
    and `status` take several values (repeated or comma-separated), `mine=true` keeps the caller's own

     Lists the exports of the cameras on which the caller holds
    `camera.export`, newest first: `cameras` and `status` take several
    values (repeated or comma-separated), `mine=true` keeps the caller's
    own. Pages hold `limit` exports (1 to 500, 100 by default);
    `next_cursor` passed as `cursor` gives the next.

    Args:
        cameras (list[UUID] | Unset):
        status (list[str] | Unset):
        mine (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ExportPage
    """

    return sync_detailed(
        client=client,
        cameras=cameras,
        status=status,
        mine=mine,
        limit=limit,
        cursor=cursor,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cameras: list[UUID] | Unset = UNSET,
    status: list[str] | Unset = UNSET,
    mine: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | ExportPage]:
    """Lists the exports of the cameras on which the caller holds `camera.export`, newest first: `cameras`
    and `status` take several values (repeated or comma-separated), `mine=true` keeps the caller's own

     Lists the exports of the cameras on which the caller holds
    `camera.export`, newest first: `cameras` and `status` take several
    values (repeated or comma-separated), `mine=true` keeps the caller's
    own. Pages hold `limit` exports (1 to 500, 100 by default);
    `next_cursor` passed as `cursor` gives the next.

    Args:
        cameras (list[UUID] | Unset):
        status (list[str] | Unset):
        mine (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ExportPage]
    """

    kwargs = _get_kwargs(
        cameras=cameras,
        status=status,
        mine=mine,
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
    status: list[str] | Unset = UNSET,
    mine: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | ExportPage | None:
    """Lists the exports of the cameras on which the caller holds `camera.export`, newest first: `cameras`
    and `status` take several values (repeated or comma-separated), `mine=true` keeps the caller's own

     Lists the exports of the cameras on which the caller holds
    `camera.export`, newest first: `cameras` and `status` take several
    values (repeated or comma-separated), `mine=true` keeps the caller's
    own. Pages hold `limit` exports (1 to 500, 100 by default);
    `next_cursor` passed as `cursor` gives the next.

    Args:
        cameras (list[UUID] | Unset):
        status (list[str] | Unset):
        mine (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ExportPage
    """

    return (
        await asyncio_detailed(
            client=client,
            cameras=cameras,
            status=status,
            mine=mine,
            limit=limit,
            cursor=cursor,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
