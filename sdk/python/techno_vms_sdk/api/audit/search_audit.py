from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_page import AuditPage
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    actor_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    outcome: list[str] | Unset = UNSET,
    target_kind: list[str] | Unset = UNSET,
    target_id: list[str] | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    before: int | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_vms_tenant, Unset):
        headers["X-VMS-Tenant"] = x_vms_tenant

    params: dict[str, Any] = {}

    params["from"] = from_

    params["to"] = to

    json_actor_id: list[str] | Unset = UNSET
    if not isinstance(actor_id, Unset):
        json_actor_id = []
        for actor_id_item_data in actor_id:
            actor_id_item = str(actor_id_item_data)
            json_actor_id.append(actor_id_item)

    params["actor_id"] = json_actor_id

    json_action: list[str] | Unset = UNSET
    if not isinstance(action, Unset):
        json_action = action

    params["action"] = json_action

    json_outcome: list[str] | Unset = UNSET
    if not isinstance(outcome, Unset):
        json_outcome = outcome

    params["outcome"] = json_outcome

    json_target_kind: list[str] | Unset = UNSET
    if not isinstance(target_kind, Unset):
        json_target_kind = target_kind

    params["target_kind"] = json_target_kind

    json_target_id: list[str] | Unset = UNSET
    if not isinstance(target_id, Unset):
        json_target_id = target_id

    params["target_id"] = json_target_id

    params["limit"] = limit

    params["cursor"] = cursor

    params["before"] = before

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/audit",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditPage | ErrorBody | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

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
) -> Response[AuditPage | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    actor_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    outcome: list[str] | Unset = UNSET,
    target_kind: list[str] | Unset = UNSET,
    target_id: list[str] | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    before: int | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[AuditPage | ErrorBody]:
    """Searches the tenant's audit trail, newest first

     Searches the tenant's audit trail, newest first. List filters take
    several values, repeated or comma-separated, and keep entries matching
    any of them; pages hold `limit` entries (1 to 500, 100 by default), and
    `next_cursor` passed as `cursor` gives the next, older page.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        actor_id (list[UUID] | Unset):
        action (list[str] | Unset):
        outcome (list[str] | Unset):
        target_kind (list[str] | Unset):
        target_id (list[str] | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        before (int | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        target_kind=target_kind,
        target_id=target_id,
        limit=limit,
        cursor=cursor,
        before=before,
        x_vms_tenant=x_vms_tenant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    actor_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    outcome: list[str] | Unset = UNSET,
    target_kind: list[str] | Unset = UNSET,
    target_id: list[str] | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    before: int | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> AuditPage | ErrorBody | None:
    """Searches the tenant's audit trail, newest first

     Searches the tenant's audit trail, newest first. List filters take
    several values, repeated or comma-separated, and keep entries matching
    any of them; pages hold `limit` entries (1 to 500, 100 by default), and
    `next_cursor` passed as `cursor` gives the next, older page.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        actor_id (list[UUID] | Unset):
        action (list[str] | Unset):
        outcome (list[str] | Unset):
        target_kind (list[str] | Unset):
        target_id (list[str] | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        before (int | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | ErrorBody
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        target_kind=target_kind,
        target_id=target_id,
        limit=limit,
        cursor=cursor,
        before=before,
        x_vms_tenant=x_vms_tenant,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    actor_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    outcome: list[str] | Unset = UNSET,
    target_kind: list[str] | Unset = UNSET,
    target_id: list[str] | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    before: int | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> Response[AuditPage | ErrorBody]:
    """Searches the tenant's audit trail, newest first

     Searches the tenant's audit trail, newest first. List filters take
    several values, repeated or comma-separated, and keep entries matching
    any of them; pages hold `limit` entries (1 to 500, 100 by default), and
    `next_cursor` passed as `cursor` gives the next, older page.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        actor_id (list[UUID] | Unset):
        action (list[str] | Unset):
        outcome (list[str] | Unset):
        target_kind (list[str] | Unset):
        target_id (list[str] | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        before (int | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | ErrorBody]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        target_kind=target_kind,
        target_id=target_id,
        limit=limit,
        cursor=cursor,
        before=before,
        x_vms_tenant=x_vms_tenant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    actor_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    outcome: list[str] | Unset = UNSET,
    target_kind: list[str] | Unset = UNSET,
    target_id: list[str] | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    before: int | Unset = UNSET,
    x_vms_tenant: UUID | Unset = UNSET,
) -> AuditPage | ErrorBody | None:
    """Searches the tenant's audit trail, newest first

     Searches the tenant's audit trail, newest first. List filters take
    several values, repeated or comma-separated, and keep entries matching
    any of them; pages hold `limit` entries (1 to 500, 100 by default), and
    `next_cursor` passed as `cursor` gives the next, older page.

    Args:
        from_ (str | Unset):
        to (str | Unset):
        actor_id (list[UUID] | Unset):
        action (list[str] | Unset):
        outcome (list[str] | Unset):
        target_kind (list[str] | Unset):
        target_id (list[str] | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        before (int | Unset):
        x_vms_tenant (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            actor_id=actor_id,
            action=action,
            outcome=outcome,
            target_kind=target_kind,
            target_id=target_id,
            limit=limit,
            cursor=cursor,
            before=before,
            x_vms_tenant=x_vms_tenant,
        )
    ).parsed
