from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.camera_analytics import CameraAnalytics
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: CameraAnalytics,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/cameras/{id}/analytics".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CameraAnalytics | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CameraAnalytics.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 412:
        response_412 = ErrorBody.from_dict(response.json())

        return response_412

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
) -> Response[CameraAnalytics | ErrorBody]:
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
    body: CameraAnalytics,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[CameraAnalytics | ErrorBody]:
    """Sets a camera's analytics settings: whether and how fast it is analysed, which objects count, its
    masks, zones and lines (needs `camera.manage` on it)

     Sets a camera's analytics settings: whether and how fast it is
    analysed, which objects count, its masks, zones and lines (needs
    `camera.manage` on it). The whole setting is replaced; 400 names the
    first field at fault (a polygon that crosses itself, a point off the
    picture, two shapes of one name, a setting over 96 KiB as JSON). Names
    and labels are stored trimmed, each label once.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CameraAnalytics): How one camera is analysed. Example: {'enabled': True, 'fps': 5,
            'labels': ['person', 'car'], 'lines': [{'a': [0.2, 0.6], 'b': [0.8, 0.6], 'labels':
            ['car'], 'name': 'gate'}], 'masks': [[[0.78, 0.0], [1.0, 0.0], [1.0, 0.08], [0.78,
            0.08]]], 'min_area': 0.002, 'min_score': 0.5, 'motion_sensitivity': 60, 'stream': 'sub',
            'zones': [{'labels': ['person'], 'loiter_secs': 60, 'name': 'dock_door', 'points': [[0.1,
            0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CameraAnalytics | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
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
    body: CameraAnalytics,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> CameraAnalytics | ErrorBody | None:
    """Sets a camera's analytics settings: whether and how fast it is analysed, which objects count, its
    masks, zones and lines (needs `camera.manage` on it)

     Sets a camera's analytics settings: whether and how fast it is
    analysed, which objects count, its masks, zones and lines (needs
    `camera.manage` on it). The whole setting is replaced; 400 names the
    first field at fault (a polygon that crosses itself, a point off the
    picture, two shapes of one name, a setting over 96 KiB as JSON). Names
    and labels are stored trimmed, each label once.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CameraAnalytics): How one camera is analysed. Example: {'enabled': True, 'fps': 5,
            'labels': ['person', 'car'], 'lines': [{'a': [0.2, 0.6], 'b': [0.8, 0.6], 'labels':
            ['car'], 'name': 'gate'}], 'masks': [[[0.78, 0.0], [1.0, 0.0], [1.0, 0.08], [0.78,
            0.08]]], 'min_area': 0.002, 'min_score': 0.5, 'motion_sensitivity': 60, 'stream': 'sub',
            'zones': [{'labels': ['person'], 'loiter_secs': 60, 'name': 'dock_door', 'points': [[0.1,
            0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CameraAnalytics | ErrorBody
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        if_match=if_match,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: CameraAnalytics,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[CameraAnalytics | ErrorBody]:
    """Sets a camera's analytics settings: whether and how fast it is analysed, which objects count, its
    masks, zones and lines (needs `camera.manage` on it)

     Sets a camera's analytics settings: whether and how fast it is
    analysed, which objects count, its masks, zones and lines (needs
    `camera.manage` on it). The whole setting is replaced; 400 names the
    first field at fault (a polygon that crosses itself, a point off the
    picture, two shapes of one name, a setting over 96 KiB as JSON). Names
    and labels are stored trimmed, each label once.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CameraAnalytics): How one camera is analysed. Example: {'enabled': True, 'fps': 5,
            'labels': ['person', 'car'], 'lines': [{'a': [0.2, 0.6], 'b': [0.8, 0.6], 'labels':
            ['car'], 'name': 'gate'}], 'masks': [[[0.78, 0.0], [1.0, 0.0], [1.0, 0.08], [0.78,
            0.08]]], 'min_area': 0.002, 'min_score': 0.5, 'motion_sensitivity': 60, 'stream': 'sub',
            'zones': [{'labels': ['person'], 'loiter_secs': 60, 'name': 'dock_door', 'points': [[0.1,
            0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CameraAnalytics | ErrorBody]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: CameraAnalytics,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> CameraAnalytics | ErrorBody | None:
    """Sets a camera's analytics settings: whether and how fast it is analysed, which objects count, its
    masks, zones and lines (needs `camera.manage` on it)

     Sets a camera's analytics settings: whether and how fast it is
    analysed, which objects count, its masks, zones and lines (needs
    `camera.manage` on it). The whole setting is replaced; 400 names the
    first field at fault (a polygon that crosses itself, a point off the
    picture, two shapes of one name, a setting over 96 KiB as JSON). Names
    and labels are stored trimmed, each label once.

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (CameraAnalytics): How one camera is analysed. Example: {'enabled': True, 'fps': 5,
            'labels': ['person', 'car'], 'lines': [{'a': [0.2, 0.6], 'b': [0.8, 0.6], 'labels':
            ['car'], 'name': 'gate'}], 'masks': [[[0.78, 0.0], [1.0, 0.0], [1.0, 0.08], [0.78,
            0.08]]], 'min_area': 0.002, 'min_score': 0.5, 'motion_sensitivity': 60, 'stream': 'sub',
            'zones': [{'labels': ['person'], 'loiter_secs': 60, 'name': 'dock_door', 'points': [[0.1,
            0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]]}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CameraAnalytics | ErrorBody
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            if_match=if_match,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
