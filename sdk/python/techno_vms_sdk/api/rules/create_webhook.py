from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_webhook import CreateWebhook
from ...models.error_body import ErrorBody
from ...models.webhook_view import WebhookView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateWebhook,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | WebhookView | None:
    if response.status_code == 201:
        response_201 = WebhookView.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | WebhookView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateWebhook,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | WebhookView]:
    """Creates a webhook; the answer holds its signing secret, shown this once

    Args:
        x_vms_tenant (UUID | Unset):
        body (CreateWebhook): A new webhook. Example: {'enabled': True, 'name': 'Control room
            dispatcher', 'url': 'https://hooks.example.com/vms/events'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookView]
    """

    kwargs = _get_kwargs(
        body=body,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateWebhook,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | WebhookView | None:
    """Creates a webhook; the answer holds its signing secret, shown this once

    Args:
        x_vms_tenant (UUID | Unset):
        body (CreateWebhook): A new webhook. Example: {'enabled': True, 'name': 'Control room
            dispatcher', 'url': 'https://hooks.example.com/vms/events'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookView
    """

    return sync_detailed(
        client=client,
        body=body,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateWebhook,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[ErrorBody | WebhookView]:
    """Creates a webhook; the answer holds its signing secret, shown this once

    Args:
        x_vms_tenant (UUID | Unset):
        body (CreateWebhook): A new webhook. Example: {'enabled': True, 'name': 'Control room
            dispatcher', 'url': 'https://hooks.example.com/vms/events'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookView]
    """

    kwargs = _get_kwargs(
        body=body,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateWebhook,
    x_vms_tenant: UUID | Unset = UNSET,
) -> ErrorBody | WebhookView | None:
    """Creates a webhook; the answer holds its signing secret, shown this once

    Args:
        x_vms_tenant (UUID | Unset):
        body (CreateWebhook): A new webhook. Example: {'enabled': True, 'name': 'Control room
            dispatcher', 'url': 'https://hooks.example.com/vms/events'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookView
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
