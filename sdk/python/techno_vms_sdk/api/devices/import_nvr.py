from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.import_nvr import ImportNvr
from ...models.nvr_detail import NvrDetail
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ImportNvr,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/nvrs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | NvrDetail | None:
    if response.status_code == 200:
        response_200 = NvrDetail.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = NvrDetail.from_dict(response.json())

        return response_201

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

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorBody.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | NvrDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportNvr,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | NvrDetail]:
    """Imports an NVR: reads who it is and its channels, and makes a camera of each channel asked for
    (every channel by default) with its main and sub streams

     Imports an NVR: reads who it is and its channels, and makes a camera of
    each channel asked for (every channel by default) with its main and sub
    streams. Importing it again updates the NVR and its cameras and adds
    newly asked-for channels, never a camera twice. Wrong credentials are
    400 `device_auth_failed`; an NVR that does not answer is 504
    `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (ImportNvr): Body of `POST /api/nvrs`. Example: {'address': '192.168.1.20',
            'channels': [1, 2, 5], 'password': 'secret', 'site_id':
            '7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'username': 'admin', 'vendor': 'hikvision'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | NvrDetail]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ImportNvr,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | NvrDetail | None:
    """Imports an NVR: reads who it is and its channels, and makes a camera of each channel asked for
    (every channel by default) with its main and sub streams

     Imports an NVR: reads who it is and its channels, and makes a camera of
    each channel asked for (every channel by default) with its main and sub
    streams. Importing it again updates the NVR and its cameras and adds
    newly asked-for channels, never a camera twice. Wrong credentials are
    400 `device_auth_failed`; an NVR that does not answer is 504
    `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (ImportNvr): Body of `POST /api/nvrs`. Example: {'address': '192.168.1.20',
            'channels': [1, 2, 5], 'password': 'secret', 'site_id':
            '7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'username': 'admin', 'vendor': 'hikvision'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | NvrDetail
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportNvr,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | NvrDetail]:
    """Imports an NVR: reads who it is and its channels, and makes a camera of each channel asked for
    (every channel by default) with its main and sub streams

     Imports an NVR: reads who it is and its channels, and makes a camera of
    each channel asked for (every channel by default) with its main and sub
    streams. Importing it again updates the NVR and its cameras and adds
    newly asked-for channels, never a camera twice. Wrong credentials are
    400 `device_auth_failed`; an NVR that does not answer is 504
    `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (ImportNvr): Body of `POST /api/nvrs`. Example: {'address': '192.168.1.20',
            'channels': [1, 2, 5], 'password': 'secret', 'site_id':
            '7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'username': 'admin', 'vendor': 'hikvision'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | NvrDetail]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ImportNvr,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | NvrDetail | None:
    """Imports an NVR: reads who it is and its channels, and makes a camera of each channel asked for
    (every channel by default) with its main and sub streams

     Imports an NVR: reads who it is and its channels, and makes a camera of
    each channel asked for (every channel by default) with its main and sub
    streams. Importing it again updates the NVR and its cameras and adds
    newly asked-for channels, never a camera twice. Wrong credentials are
    400 `device_auth_failed`; an NVR that does not answer is 504
    `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (ImportNvr): Body of `POST /api/nvrs`. Example: {'address': '192.168.1.20',
            'channels': [1, 2, 5], 'password': 'secret', 'site_id':
            '7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'username': 'admin', 'vendor': 'hikvision'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | NvrDetail
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
