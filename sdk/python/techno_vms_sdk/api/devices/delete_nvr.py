from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_nvr_cameras import DeleteNvrCameras
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    cameras: DeleteNvrCameras,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

    json_cameras = cameras.value
    params["cameras"] = json_cameras

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/nvrs/{id}".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorBody]:
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
    cameras: DeleteNvrCameras,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Forgets an NVR

     Forgets an NVR. `cameras=keep` keeps its cameras (and their
    recordings), no longer linked to it; `cameras=remove` deletes them too,
    which needs `camera.manage` on each.

    Args:
        id (UUID):
        cameras (DeleteNvrCameras): What happens to an NVR's cameras when it is removed.
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
        cameras=cameras,
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
    cameras: DeleteNvrCameras,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Forgets an NVR

     Forgets an NVR. `cameras=keep` keeps its cameras (and their
    recordings), no longer linked to it; `cameras=remove` deletes them too,
    which needs `camera.manage` on each.

    Args:
        id (UUID):
        cameras (DeleteNvrCameras): What happens to an NVR's cameras when it is removed.
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return sync_detailed(
        id=id,
        client=client,
        cameras=cameras,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cameras: DeleteNvrCameras,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Forgets an NVR

     Forgets an NVR. `cameras=keep` keeps its cameras (and their
    recordings), no longer linked to it; `cameras=remove` deletes them too,
    which needs `camera.manage` on each.

    Args:
        id (UUID):
        cameras (DeleteNvrCameras): What happens to an NVR's cameras when it is removed.
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
        cameras=cameras,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cameras: DeleteNvrCameras,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Forgets an NVR

     Forgets an NVR. `cameras=keep` keeps its cameras (and their
    recordings), no longer linked to it; `cameras=remove` deletes them too,
    which needs `camera.manage` on each.

    Args:
        id (UUID):
        cameras (DeleteNvrCameras): What happens to an NVR's cameras when it is removed.
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            cameras=cameras,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
