from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.alert_kind import AlertKind
from ...models.alert_rule_view import AlertRuleView
from ...models.error_body import ErrorBody
from ...models.update_alert_rule import UpdateAlertRule
from ...types import UNSET, Response, Unset


def _get_kwargs(
    kind: AlertKind,
    *,
    body: UpdateAlertRule,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/alert-rules/{kind}".format(
            kind=quote(str(kind), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AlertRuleView | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AlertRuleView.from_dict(response.json())

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
) -> Response[AlertRuleView | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    kind: AlertKind,
    *,
    client: AuthenticatedClient,
    body: UpdateAlertRule,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[AlertRuleView | ErrorBody]:
    """Changes a rule's settings; what the body leaves out keeps its value

     Changes a rule's settings; what the body leaves out keeps its value.
    Takes effect at the next check (within seconds).

    Args:
        kind (AlertKind): Which built-in rule.
        x_vms_tenant (UUID | Unset):
        body (UpdateAlertRule): New settings for a rule; what is left out keeps its value.
            Example: {'clear_after_secs': 120, 'enabled': True, 'for_secs': 60, 'threshold': 10.0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertRuleView | ErrorBody]
    """

    kwargs = _get_kwargs(
        kind=kind,
        body=body,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    kind: AlertKind,
    *,
    client: AuthenticatedClient,
    body: UpdateAlertRule,
    x_vms_tenant: UUID | Unset = UNSET,
) -> AlertRuleView | ErrorBody | None:
    """Changes a rule's settings; what the body leaves out keeps its value

     Changes a rule's settings; what the body leaves out keeps its value.
    Takes effect at the next check (within seconds).

    Args:
        kind (AlertKind): Which built-in rule.
        x_vms_tenant (UUID | Unset):
        body (UpdateAlertRule): New settings for a rule; what is left out keeps its value.
            Example: {'clear_after_secs': 120, 'enabled': True, 'for_secs': 60, 'threshold': 10.0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertRuleView | ErrorBody
    """

    return sync_detailed(
        kind=kind,
        client=client,
        body=body,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    kind: AlertKind,
    *,
    client: AuthenticatedClient,
    body: UpdateAlertRule,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[AlertRuleView | ErrorBody]:
    """Changes a rule's settings; what the body leaves out keeps its value

     Changes a rule's settings; what the body leaves out keeps its value.
    Takes effect at the next check (within seconds).

    Args:
        kind (AlertKind): Which built-in rule.
        x_vms_tenant (UUID | Unset):
        body (UpdateAlertRule): New settings for a rule; what is left out keeps its value.
            Example: {'clear_after_secs': 120, 'enabled': True, 'for_secs': 60, 'threshold': 10.0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlertRuleView | ErrorBody]
    """

    kwargs = _get_kwargs(
        kind=kind,
        body=body,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    kind: AlertKind,
    *,
    client: AuthenticatedClient,
    body: UpdateAlertRule,
    x_vms_tenant: UUID | Unset = UNSET,
) -> AlertRuleView | ErrorBody | None:
    """Changes a rule's settings; what the body leaves out keeps its value

     Changes a rule's settings; what the body leaves out keeps its value.
    Takes effect at the next check (within seconds).

    Args:
        kind (AlertKind): Which built-in rule.
        x_vms_tenant (UUID | Unset):
        body (UpdateAlertRule): New settings for a rule; what is left out keeps its value.
            Example: {'clear_after_secs': 120, 'enabled': True, 'for_secs': 60, 'threshold': 10.0}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlertRuleView | ErrorBody
    """

    return (
        await asyncio_detailed(
            kind=kind,
            client=client,
            body=body,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
