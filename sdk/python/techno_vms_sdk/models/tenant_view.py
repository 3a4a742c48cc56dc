from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TenantView")


@_attrs_define
class TenantView:
    """A tenant.

    Attributes:
        created_at (datetime.datetime): Creation time.
        event_retention_days (int): Days its events are kept.
        id (UUID): Id.
        name (str): Name.
        admin_id (None | Unset | UUID): The administrator created with it, if any.
        camera_quota (int | None | Unset): Most cameras it may have; `null`: only the licence's limit applies.
    """

    created_at: datetime.datetime
    event_retention_days: int
    id: UUID
    name: str
    admin_id: None | Unset | UUID = UNSET
    camera_quota: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        event_retention_days = self.event_retention_days

        id = str(self.id)

        name = self.name

        admin_id: None | str | Unset
        if isinstance(self.admin_id, Unset):
            admin_id = UNSET
        elif isinstance(self.admin_id, UUID):
            admin_id = str(self.admin_id)
        else:
            admin_id = self.admin_id

        camera_quota: int | None | Unset
        if isinstance(self.camera_quota, Unset):
            camera_quota = UNSET
        else:
            camera_quota = self.camera_quota

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "event_retention_days": event_retention_days,
                "id": id,
                "name": name,
            }
        )
        if admin_id is not UNSET:
            field_dict["admin_id"] = admin_id
        if camera_quota is not UNSET:
            field_dict["camera_quota"] = camera_quota

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        event_retention_days = d.pop("event_retention_days")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        def _parse_admin_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                admin_id_type_0 = UUID(data)

                return admin_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        admin_id = _parse_admin_id(d.pop("admin_id", UNSET))

        def _parse_camera_quota(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        camera_quota = _parse_camera_quota(d.pop("camera_quota", UNSET))

        tenant_view = cls(
            created_at=created_at,
            event_retention_days=event_retention_days,
            id=id,
            name=name,
            admin_id=admin_id,
            camera_quota=camera_quota,
        )

        tenant_view.additional_properties = d
        return tenant_view

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
