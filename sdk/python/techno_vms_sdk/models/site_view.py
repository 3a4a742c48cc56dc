from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SiteView")


@_attrs_define
class SiteView:
    """A site.

    Example:
        {'created_at': '2026-11-20T09:05:12Z', 'description': 'Warehouse and yard, Pier 4', 'id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'name': 'Harbour depot', 'tenant_id':
            '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'timezone': 'Europe/Berlin', 'updated_at': '2026-11-20T09:05:12Z'}

    Attributes:
        created_at (datetime.datetime): Creation time.
        description (str): Free text.
        id (UUID): Id.
        name (str): Name.
        tenant_id (UUID): Owning tenant.
        timezone (str): IANA time zone.
        updated_at (datetime.datetime): Last change.
    """

    created_at: datetime.datetime
    description: str
    id: UUID
    name: str
    tenant_id: UUID
    timezone: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        description = self.description

        id = str(self.id)

        name = self.name

        tenant_id = str(self.tenant_id)

        timezone = self.timezone

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "description": description,
                "id": id,
                "name": name,
                "tenant_id": tenant_id,
                "timezone": timezone,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        tenant_id = UUID(d.pop("tenant_id"))

        timezone = d.pop("timezone")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        site_view = cls(
            created_at=created_at,
            description=description,
            id=id,
            name=name,
            tenant_id=tenant_id,
            timezone=timezone,
            updated_at=updated_at,
        )

        site_view.additional_properties = d
        return site_view

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
