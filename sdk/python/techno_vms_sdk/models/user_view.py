from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.grant_view import GrantView


T = TypeVar("T", bound="UserView")


@_attrs_define
class UserView:
    """A user; never includes the password hash.

    Example:
        {'created_at': '2026-11-20T09:30:00Z', 'disabled': False, 'display_name': 'Jana Meyer', 'id':
            '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'last_login_at': '2026-12-03T07:58:12Z', 'roles': [{'role': 'viewer',
            'scope': 'tenant', 'scope_id': None}, {'role': 'operator', 'scope': 'site', 'scope_id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f'}], 'super_admin': False, 'tenant_id':
            '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'updated_at': '2026-11-28T14:02:51Z', 'username': 'j.meyer'}

    Attributes:
        created_at (datetime.datetime): Creation time.
        disabled (bool): Login refused.
        display_name (str): Full name.
        id (UUID): Id.
        roles (list[GrantView]): Granted roles.
        super_admin (bool): May act in every tenant.
        tenant_id (UUID): Tenant.
        updated_at (datetime.datetime): Last change.
        username (str): Login name.
        last_login_at (datetime.datetime | None | Unset): Last successful login.
    """

    created_at: datetime.datetime
    disabled: bool
    display_name: str
    id: UUID
    roles: list[GrantView]
    super_admin: bool
    tenant_id: UUID
    updated_at: datetime.datetime
    username: str
    last_login_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        disabled = self.disabled

        display_name = self.display_name

        id = str(self.id)

        roles = []
        for roles_item_data in self.roles:
            roles_item = roles_item_data.to_dict()
            roles.append(roles_item)

        super_admin = self.super_admin

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        username = self.username

        last_login_at: None | str | Unset
        if isinstance(self.last_login_at, Unset):
            last_login_at = UNSET
        elif isinstance(self.last_login_at, datetime.datetime):
            last_login_at = self.last_login_at.isoformat()
        else:
            last_login_at = self.last_login_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "disabled": disabled,
                "display_name": display_name,
                "id": id,
                "roles": roles,
                "super_admin": super_admin,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
                "username": username,
            }
        )
        if last_login_at is not UNSET:
            field_dict["last_login_at"] = last_login_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.grant_view import GrantView  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        disabled = d.pop("disabled")

        display_name = d.pop("display_name")

        id = UUID(d.pop("id"))

        roles = []
        _roles = d.pop("roles")
        for roles_item_data in _roles:
            roles_item = GrantView.from_dict(roles_item_data)

            roles.append(roles_item)

        super_admin = d.pop("super_admin")

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        username = d.pop("username")

        def _parse_last_login_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_login_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_login_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_login_at = _parse_last_login_at(d.pop("last_login_at", UNSET))

        user_view = cls(
            created_at=created_at,
            disabled=disabled,
            display_name=display_name,
            id=id,
            roles=roles,
            super_admin=super_admin,
            tenant_id=tenant_id,
            updated_at=updated_at,
            username=username,
            last_login_at=last_login_at,
        )

        user_view.additional_properties = d
        return user_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
