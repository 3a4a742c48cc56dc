from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.rule_body import RuleBody
from ...models.rule_view import RuleView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: RuleBody,
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
        "url": "/api/rules/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | RuleView | None:
    if response.status_code == 200:
        response_200 = RuleView.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

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
) -> Response[ErrorBody | RuleView]:
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
    body: RuleBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | RuleView]:
    """Replaces a rule whole

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (RuleBody): A rule as written: `PUT` replaces it whole. Example: {'actions':
            [{'kind': 'snapshot'}, {'kind': 'webhook', 'webhook_id':
            '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a'}], 'conditions': {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'labels': ['person'], 'min_duration_secs': 2,
            'schedule': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'end': '06:00', 'start':
            '18:00'}], 'types': ['zone_enter'], 'zones': ['dock_door']}, 'cooldown_secs': 300,
            'enabled': True, 'name': 'People at the dock door after hours'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RuleView]
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
    body: RuleBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | RuleView | None:
    """Replaces a rule whole

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (RuleBody): A rule as written: `PUT` replaces it whole. Example: {'actions':
            [{'kind': 'snapshot'}, {'kind': 'webhook', 'webhook_id':
            '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a'}], 'conditions': {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'labels': ['person'], 'min_duration_secs': 2,
            'schedule': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'end': '06:00', 'start':
            '18:00'}], 'types': ['zone_enter'], 'zones': ['dock_door']}, 'cooldown_secs': 300,
            'enabled': True, 'name': 'People at the dock door after hours'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RuleView
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
    body: RuleBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | RuleView]:
    """Replaces a rule whole

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (RuleBody): A rule as written: `PUT` replaces it whole. Example: {'actions':
            [{'kind': 'snapshot'}, {'kind': 'webhook', 'webhook_id':
            '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a'}], 'conditions': {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'labels': ['person'], 'min_duration_secs': 2,
            'schedule': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'end': '06:00', 'start':
            '18:00'}], 'types': ['zone_enter'], 'zones': ['dock_door']}, 'cooldown_secs': 300,
            'enabled': True, 'name': 'People at the dock door after hours'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | RuleView]
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
    body: RuleBody,
    if_match: str | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | RuleView | None:
    """Replaces a rule whole

    Args:
        id (UUID):
        if_match (str | Unset):
        x_vms_tenant (UUID | Unset):
        body (RuleBody): A rule as written: `PUT` replaces it whole. Example: {'actions':
            [{'kind': 'snapshot'}, {'kind': 'webhook', 'webhook_id':
            '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a'}], 'conditions': {'cameras':
            ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'labels': ['person'], 'min_duration_secs': 2,
            'schedule': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'end': '06:00', 'start':
            '18:00'}], 'types': ['zone_enter'], 'zones': ['dock_door']}, 'cooldown_secs': 300,
            'enabled': True, 'name': 'People at the dock door after hours'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | RuleView
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
