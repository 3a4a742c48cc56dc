from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_export import CreateExport
from ...models.error_body import ErrorBody
from ...models.export_view import ExportView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateExport,
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
        "url": "/api/exports",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | ExportView | None:
    if response.status_code == 202:
        response_202 = ExportView.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ExportView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateExport,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | ExportView]:
    """Starts exporting a camera stream's window into one MP4 (needs `camera.export` on the camera); poll
    it with `GET /api/exports/{id}`

     Starts exporting a camera stream's window into one MP4 (needs
    `camera.export` on the camera); poll it with `GET /api/exports/{id}`.
    With `"watermark": true` the pictures are re-encoded (as H.264) with the
    caller's user name, the export time and the camera's name burnt in, and
    the signed manifest says so; otherwise they are copied as recorded.
    Refused with 429 while the caller or the server runs as many exports as
    allowed, and with 409 when exports would hold more than `export.max_bytes`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CreateExport): Body of an export request. Example: {'camera_id':
            '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'end': '2026-12-03T10:30:00Z', 'start':
            '2026-12-03T10:00:00Z', 'stream': 'main', 'watermark': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ExportView]
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
    body: CreateExport,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | ExportView | None:
    """Starts exporting a camera stream's window into one MP4 (needs `camera.export` on the camera); poll
    it with `GET /api/exports/{id}`

     Starts exporting a camera stream's window into one MP4 (needs
    `camera.export` on the camera); poll it with `GET /api/exports/{id}`.
    With `"watermark": true` the pictures are re-encoded (as H.264) with the
    caller's user name, the export time and the camera's name burnt in, and
    the signed manifest says so; otherwise they are copied as recorded.
    Refused with 429 while the caller or the server runs as many exports as
    allowed, and with 409 when exports would hold more than `export.max_bytes`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CreateExport): Body of an export request. Example: {'camera_id':
            '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'end': '2026-12-03T10:30:00Z', 'start':
            '2026-12-03T10:00:00Z', 'stream': 'main', 'watermark': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ExportView
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
    body: CreateExport,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | ExportView]:
    """Starts exporting a camera stream's window into one MP4 (needs `camera.export` on the camera); poll
    it with `GET /api/exports/{id}`

     Starts exporting a camera stream's window into one MP4 (needs
    `camera.export` on the camera); poll it with `GET /api/exports/{id}`.
    With `"watermark": true` the pictures are re-encoded (as H.264) with the
    caller's user name, the export time and the camera's name burnt in, and
    the signed manifest says so; otherwise they are copied as recorded.
    Refused with 429 while the caller or the server runs as many exports as
    allowed, and with 409 when exports would hold more than `export.max_bytes`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CreateExport): Body of an export request. Example: {'camera_id':
            '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'end': '2026-12-03T10:30:00Z', 'start':
            '2026-12-03T10:00:00Z', 'stream': 'main', 'watermark': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ExportView]
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
    body: CreateExport,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | ExportView | None:
    """Starts exporting a camera stream's window into one MP4 (needs `camera.export` on the camera); poll
    it with `GET /api/exports/{id}`

     Starts exporting a camera stream's window into one MP4 (needs
    `camera.export` on the camera); poll it with `GET /api/exports/{id}`.
    With `"watermark": true` the pictures are re-encoded (as H.264) with the
    caller's user name, the export time and the camera's name burnt in, and
    the signed manifest says so; otherwise they are copied as recorded.
    Refused with 429 while the caller or the server runs as many exports as
    allowed, and with 409 when exports would hold more than `export.max_bytes`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CreateExport): Body of an export request. Example: {'camera_id':
            '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'end': '2026-12-03T10:30:00Z', 'start':
            '2026-12-03T10:00:00Z', 'stream': 'main', 'watermark': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ExportView
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
