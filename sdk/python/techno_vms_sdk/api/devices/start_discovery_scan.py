from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.scan_started import ScanStarted
from ...models.start_scan import StartScan
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: StartScan,
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
        "url": "/api/discovery/scan",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ScanStarted | None:
    if response.status_code == 202:
        response_202 = ScanStarted.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ScanStarted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: StartScan,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | ScanStarted]:
    """Starts a WS-Discovery scan of `ranges` (and the multicast group), which runs in the background: read
    it with `GET /api/discovery/scan/{id}`

     Starts a WS-Discovery scan of `ranges` (and the multicast group), which
    runs in the background: read it with `GET /api/discovery/scan/{id}`.
    Needs `camera.manage` tenant-wide, and a super-admin for multicast;
    every address must be one the installation may connect to.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (StartScan): Body of `POST /api/discovery/scan`. Example: {'multicast': True,
            'ranges': ['192.168.1.0/24', '10.0.0.5-10.0.0.40']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ScanStarted]
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
    body: StartScan,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | ScanStarted | None:
    """Starts a WS-Discovery scan of `ranges` (and the multicast group), which runs in the background: read
    it with `GET /api/discovery/scan/{id}`

     Starts a WS-Discovery scan of `ranges` (and the multicast group), which
    runs in the background: read it with `GET /api/discovery/scan/{id}`.
    Needs `camera.manage` tenant-wide, and a super-admin for multicast;
    every address must be one the installation may connect to.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (StartScan): Body of `POST /api/discovery/scan`. Example: {'multicast': True,
            'ranges': ['192.168.1.0/24', '10.0.0.5-10.0.0.40']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ScanStarted
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
    body: StartScan,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | ScanStarted]:
    """Starts a WS-Discovery scan of `ranges` (and the multicast group), which runs in the background: read
    it with `GET /api/discovery/scan/{id}`

     Starts a WS-Discovery scan of `ranges` (and the multicast group), which
    runs in the background: read it with `GET /api/discovery/scan/{id}`.
    Needs `camera.manage` tenant-wide, and a super-admin for multicast;
    every address must be one the installation may connect to.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (StartScan): Body of `POST /api/discovery/scan`. Example: {'multicast': True,
            'ranges': ['192.168.1.0/24', '10.0.0.5-10.0.0.40']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ScanStarted]
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
    body: StartScan,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | ScanStarted | None:
    """Starts a WS-Discovery scan of `ranges` (and the multicast group), which runs in the background: read
    it with `GET /api/discovery/scan/{id}`

     Starts a WS-Discovery scan of `ranges` (and the multicast group), which
    runs in the background: read it with `GET /api/discovery/scan/{id}`.
    Needs `camera.manage` tenant-wide, and a super-admin for multicast;
    every address must be one the installation may connect to.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (StartScan): Body of `POST /api/discovery/scan`. Example: {'multicast': True,
            'ranges': ['192.168.1.0/24', '10.0.0.5-10.0.0.40']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ScanStarted
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
