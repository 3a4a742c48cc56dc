from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.layout_view import LayoutView
from ...models.save_layout import SaveLayout
from ...types import UNSET, Response, Unset


def _get_kwargs(
    name: str,
    *,
    body: SaveLayout,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/layouts/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | LayoutView | None:
    if response.status_code == 200:
        response_200 = LayoutView.from_dict(response.json())

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
) -> Response[ErrorBody | LayoutView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: SaveLayout,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | LayoutView]:
    """Saves (creates or replaces) one of the caller's layouts

    Args:
        name (str):
        x_vms_tenant (UUID | Unset):
        body (SaveLayout): Body of `PUT /api/layouts/{name}`. Example: {'cells':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e', None,
            'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | LayoutView]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: SaveLayout,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | LayoutView | None:
    """Saves (creates or replaces) one of the caller's layouts

    Args:
        name (str):
        x_vms_tenant (UUID | Unset):
        body (SaveLayout): Body of `PUT /api/layouts/{name}`. Example: {'cells':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e', None,
            'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | LayoutView
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: SaveLayout,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | LayoutView]:
    """Saves (creates or replaces) one of the caller's layouts

    Args:
        name (str):
        x_vms_tenant (UUID | Unset):
        body (SaveLayout): Body of `PUT /api/layouts/{name}`. Example: {'cells':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e', None,
            'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | LayoutView]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: SaveLayout,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | LayoutView | None:
    """Saves (creates or replaces) one of the caller's layouts

    Args:
        name (str):
        x_vms_tenant (UUID | Unset):
        body (SaveLayout): Body of `PUT /api/layouts/{name}`. Example: {'cells':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e', None,
            'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | LayoutView
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
