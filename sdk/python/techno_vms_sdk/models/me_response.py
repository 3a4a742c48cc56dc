from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.me_response_access import MeResponseAccess


T = TypeVar("T", bound="MeResponse")


@_attrs_define
class MeResponse:
    """The caller, from `GET /api/auth/me`.

    Attributes:
        access (MeResponseAccess): Permissions by scope: `t` tenant-wide, `s` per site id, `c` per camera id.
        id (UUID): User id.
        permissions (list[str]): Every permission held somewhere.
        super_admin (bool): May act in every tenant.
        tenant_id (UUID): The tenant this request acts in.
        tenant_name (str): The tenant's name.
        username (str): User name.
    """

    access: MeResponseAccess
    id: UUID
    permissions: list[str]
    super_admin: bool
    tenant_id: UUID
    tenant_name: str
    username: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access = self.access.to_dict()

        id = str(self.id)

        permissions = self.permissions

        super_admin = self.super_admin

        tenant_id = str(self.tenant_id)

        tenant_name = self.tenant_name

        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access": access,
                "id": id,
                "permissions": permissions,
                "super_admin": super_admin,
                "tenant_id": tenant_id,
                "tenant_name": tenant_name,
                "username": username,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.me_response_access import MeResponseAccess  # noqa: PLC0415

        d = dict(src_dict)
        access = MeResponseAccess.from_dict(d.pop("access"))

        id = UUID(d.pop("id"))

        permissions = cast(list[str], d.pop("permissions"))

        super_admin = d.pop("super_admin")

        tenant_id = UUID(d.pop("tenant_id"))

        tenant_name = d.pop("tenant_name")

        username = d.pop("username")

        me_response = cls(
            access=access,
            id=id,
            permissions=permissions,
            super_admin=super_admin,
            tenant_id=tenant_id,
            tenant_name=tenant_name,
            username=username,
        )

        me_response.additional_properties = d
        return me_response

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
