from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.onboard_camera import OnboardCamera
from ...models.onboarded import Onboarded
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OnboardCamera,
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
        "url": "/api/cameras/onboard",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | Onboarded | None:
    if response.status_code == 200:
        response_200 = Onboarded.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Onboarded.from_dict(response.json())

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
) -> Response[ErrorBody | Onboarded]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OnboardCamera,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | Onboarded]:
    """Adds the camera of an ONVIF device (or updates it, if the device was onboarded before) with its main
    and sub streams, its PTZ capability and its snapshot address

     Adds the camera of an ONVIF device (or updates it, if the device was
    onboarded before) with its main and sub streams, its PTZ capability and
    its snapshot address. Needs `camera.manage` on the site (and on the
    existing camera). Wrong credentials are 400 `device_auth_failed`; a
    device that does not answer in time is 504 `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (OnboardCamera): Body of `POST /api/cameras/onboard`. Example: {'device_url':
            'http://192.0.2.64/onvif/device_service', 'name': 'Gate', 'password': 'Cam-pass-2026',
            'site_id': '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'username': 'vms'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Onboarded]
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
    body: OnboardCamera,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | Onboarded | None:
    """Adds the camera of an ONVIF device (or updates it, if the device was onboarded before) with its main
    and sub streams, its PTZ capability and its snapshot address

     Adds the camera of an ONVIF device (or updates it, if the device was
    onboarded before) with its main and sub streams, its PTZ capability and
    its snapshot address. Needs `camera.manage` on the site (and on the
    existing camera). Wrong credentials are 400 `device_auth_failed`; a
    device that does not answer in time is 504 `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (OnboardCamera): Body of `POST /api/cameras/onboard`. Example: {'device_url':
            'http://192.0.2.64/onvif/device_service', 'name': 'Gate', 'password': 'Cam-pass-2026',
            'site_id': '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'username': 'vms'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Onboarded
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
    body: OnboardCamera,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | Onboarded]:
    """Adds the camera of an ONVIF device (or updates it, if the device was onboarded before) with its main
    and sub streams, its PTZ capability and its snapshot address

     Adds the camera of an ONVIF device (or updates it, if the device was
    onboarded before) with its main and sub streams, its PTZ capability and
    its snapshot address. Needs `camera.manage` on the site (and on the
    existing camera). Wrong credentials are 400 `device_auth_failed`; a
    device that does not answer in time is 504 `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (OnboardCamera): Body of `POST /api/cameras/onboard`. Example: {'device_url':
            'http://192.0.2.64/onvif/device_service', 'name': 'Gate', 'password': 'Cam-pass-2026',
            'site_id': '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'username': 'vms'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Onboarded]
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
    body: OnboardCamera,
    idempotency_key: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | Onboarded | None:
    """Adds the camera of an ONVIF device (or updates it, if the device was onboarded before) with its main
    and sub streams, its PTZ capability and its snapshot address

     Adds the camera of an ONVIF device (or updates it, if the device was
    onboarded before) with its main and sub streams, its PTZ capability and
    its snapshot address. Needs `camera.manage` on the site (and on the
    existing camera). Wrong credentials are 400 `device_auth_failed`; a
    device that does not answer in time is 504 `device_unreachable`.

    Args:
        idempotency_key (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (OnboardCamera): Body of `POST /api/cameras/onboard`. Example: {'device_url':
            'http://192.0.2.64/onvif/device_service', 'name': 'Gate', 'password': 'Cam-pass-2026',
            'site_id': '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'username': 'vms'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Onboarded
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
