from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tenant_admin import TenantAdmin


T = TypeVar("T", bound="CreateTenant")


@_attrs_define
class CreateTenant:
    """Body of `POST /api/tenants`.

    Example:
        {'admin': {'password': 'Harbour-depot-2026', 'username': 'it.admin@example.com'}, 'camera_quota': 12, 'name':
            'Example Logistics'}

    Attributes:
        name (str): Unique name.
        admin (None | TenantAdmin | Unset):
        camera_quota (int | None | Unset): Most cameras the tenant may have, at most the licence's; absent or
            `null` leaves only the licence's limit.
    """

    name: str
    admin: None | TenantAdmin | Unset = UNSET
    camera_quota: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.tenant_admin import TenantAdmin  # noqa: PLC0415

        name = self.name

        admin: dict[str, Any] | None | Unset
        if isinstance(self.admin, Unset):
            admin = UNSET
        elif isinstance(self.admin, TenantAdmin):
            admin = self.admin.to_dict()
        else:
            admin = self.admin

        camera_quota: int | None | Unset
        if isinstance(self.camera_quota, Unset):
            camera_quota = UNSET
        else:
            camera_quota = self.camera_quota

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if admin is not UNSET:
            field_dict["admin"] = admin
        if camera_quota is not UNSET:
            field_dict["camera_quota"] = camera_quota

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant_admin import TenantAdmin  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_admin(data: object) -> None | TenantAdmin | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                admin_type_1 = TenantAdmin.from_dict(data)

                return admin_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantAdmin | Unset, data)

        admin = _parse_admin(d.pop("admin", UNSET))

        def _parse_camera_quota(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        camera_quota = _parse_camera_quota(d.pop("camera_quota", UNSET))

        create_tenant = cls(
            name=name,
            admin=admin,
            camera_quota=camera_quota,
        )

        return create_tenant
