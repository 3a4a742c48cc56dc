from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.post_event import PostEvent
from ...models.posted_event import PostedEvent
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PostEvent,
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
        "url": "/api/events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | PostedEvent | None:
    if response.status_code == 202:
        response_202 = PostedEvent.from_dict(response.json())

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
) -> Response[ErrorBody | PostedEvent]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PostEvent,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | PostedEvent]:
    """Posts an event for a camera (needs `event.create` on it): a door sensor or an access-control system
    telling the VMS what happened

     Posts an event for a camera (needs `event.create` on it): a door sensor
    or an access-control system telling the VMS what happened. It travels
    the bus like every other event and is stored within moments; 503 while
    the bus is unreachable, so the integration can retry with the same `id`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (PostEvent): An event posted by an integration (a door sensor, an access-control
            system). Example: {'attributes': {'badge': None, 'door': 'Loading bay 2', 'reader':
            'ACS-17'}, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'id':
            'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a', 'type': 'door_forced'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PostedEvent]
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
    body: PostEvent,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | PostedEvent | None:
    """Posts an event for a camera (needs `event.create` on it): a door sensor or an access-control system
    telling the VMS what happened

     Posts an event for a camera (needs `event.create` on it): a door sensor
    or an access-control system telling the VMS what happened. It travels
    the bus like every other event and is stored within moments; 503 while
    the bus is unreachable, so the integration can retry with the same `id`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (PostEvent): An event posted by an integration (a door sensor, an access-control
            system). Example: {'attributes': {'badge': None, 'door': 'Loading bay 2', 'reader':
            'ACS-17'}, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'id':
            'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a', 'type': 'door_forced'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PostedEvent
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
    body: PostEvent,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | PostedEvent]:
    """Posts an event for a camera (needs `event.create` on it): a door sensor or an access-control system
    telling the VMS what happened

     Posts an event for a camera (needs `event.create` on it): a door sensor
    or an access-control system telling the VMS what happened. It travels
    the bus like every other event and is stored within moments; 503 while
    the bus is unreachable, so the integration can retry with the same `id`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (PostEvent): An event posted by an integration (a door sensor, an access-control
            system). Example: {'attributes': {'badge': None, 'door': 'Loading bay 2', 'reader':
            'ACS-17'}, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'id':
            'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a', 'type': 'door_forced'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PostedEvent]
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
    body: PostEvent,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | PostedEvent | None:
    """Posts an event for a camera (needs `event.create` on it): a door sensor or an access-control system
    telling the VMS what happened

     Posts an event for a camera (needs `event.create` on it): a door sensor
    or an access-control system telling the VMS what happened. It travels
    the bus like every other event and is stored within moments; 503 while
    the bus is unreachable, so the integration can retry with the same `id`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (PostEvent): An event posted by an integration (a door sensor, an access-control
            system). Example: {'attributes': {'badge': None, 'door': 'Loading bay 2', 'reader':
            'ACS-17'}, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'id':
            'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a', 'type': 'door_forced'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PostedEvent
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
