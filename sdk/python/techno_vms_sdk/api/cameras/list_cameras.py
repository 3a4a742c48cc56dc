from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.camera_list import CameraList
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    site_id: list[UUID] | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

    json_site_id: list[str] | Unset = UNSET
    if not isinstance(site_id, Unset):
        json_site_id = []
        for site_id_item_data in site_id:
            site_id_item = str(site_id_item_data)
            json_site_id.append(site_id_item)

    params["site_id"] = json_site_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/cameras",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CameraList | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CameraList.from_dict(response.json())

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
) -> Response[CameraList | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    site_id: list[UUID] | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[CameraList | ErrorBody]:
    """Lists the cameras the caller may watch, with their streams and live state; `site_id` (repeated or
    comma-separated) keeps those of any of the sites named

    Args:
        site_id (list[UUID] | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CameraList | ErrorBody]
    """

    kwargs = _get_kwargs(
        site_id=site_id,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    site_id: list[UUID] | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> CameraList | ErrorBody | None:
    """Lists the cameras the caller may watch, with their streams and live state; `site_id` (repeated or
    comma-separated) keeps those of any of the sites named

    Args:
        site_id (list[UUID] | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CameraList | ErrorBody
    """

    return sync_detailed(
        client=client,
        site_id=site_id,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    site_id: list[UUID] | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[CameraList | ErrorBody]:
    """Lists the cameras the caller may watch, with their streams and live state; `site_id` (repeated or
    comma-separated) keeps those of any of the sites named

    Args:
        site_id (list[UUID] | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CameraList | ErrorBody]
    """

    kwargs = _get_kwargs(
        site_id=site_id,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    site_id: list[UUID] | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> CameraList | ErrorBody | None:
    """Lists the cameras the caller may watch, with their streams and live state; `site_id` (repeated or
    comma-separated) keeps those of any of the sites named

    Args:
        site_id (list[UUID] | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CameraList | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            site_id=site_id,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
