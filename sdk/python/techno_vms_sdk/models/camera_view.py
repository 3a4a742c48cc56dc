from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.stream_view import StreamView


T = TypeVar("T", bound="CameraView")


@_attrs_define
class CameraView:
    """A camera with its streams.

    Attributes:
        created_at (datetime.datetime): Creation time.
        description (str): Free text.
        enabled (bool): Whether the planes pull it.
        id (UUID): Id.
        name (str): Name.
        site_id (UUID): Site.
        streams (list[StreamView]): Streams, main first.
        tenant_id (UUID): Owning tenant.
        updated_at (datetime.datetime): Last change.
    """

    created_at: datetime.datetime
    description: str
    enabled: bool
    id: UUID
    name: str
    site_id: UUID
    streams: list[StreamView]
    tenant_id: UUID
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        description = self.description

        enabled = self.enabled

        id = str(self.id)

        name = self.name

        site_id = str(self.site_id)

        streams = []
        for streams_item_data in self.streams:
            streams_item = streams_item_data.to_dict()
            streams.append(streams_item)

        tenant_id = str(self.tenant_id)

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "description": description,
                "enabled": enabled,
                "id": id,
                "name": name,
                "site_id": site_id,
                "streams": streams,
                "tenant_id": tenant_id,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stream_view import StreamView  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        enabled = d.pop("enabled")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        site_id = UUID(d.pop("site_id"))

        streams = []
        _streams = d.pop("streams")
        for streams_item_data in _streams:
            streams_item = StreamView.from_dict(streams_item_data)

            streams.append(streams_item)

        tenant_id = UUID(d.pop("tenant_id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        camera_view = cls(
            created_at=created_at,
            description=description,
            enabled=enabled,
            id=id,
            name=name,
            site_id=site_id,
            streams=streams,
            tenant_id=tenant_id,
            updated_at=updated_at,
        )

        camera_view.additional_properties = d
        return camera_view

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
