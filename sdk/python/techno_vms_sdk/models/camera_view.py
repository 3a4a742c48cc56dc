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

    Example:
        {'created_at': '2026-11-20T09:12:44Z', 'description': 'Dock door, north wall', 'enabled': True, 'id':
            '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'name': 'Loading bay 2', 'site_id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'streams': [{'has_credentials': True, 'id':
            '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 'role': 'main', 'state': {'bitrate_kbps': 4096.0, 'codec': 'h264',
            'codec_string': 'avc1.640028', 'fps': 25.0, 'height': 1080, 'last_keyframe_at': '2026-12-03T10:14:04Z',
            'node_id': 'node-a', 'status': 'online', 'updated_at': '2026-12-03T10:14:05Z', 'width': 1920}, 'transport':
            'tcp', 'url': 'rtsp://192.0.2.10:554/Streaming/Channels/101'}, {'has_credentials': True, 'id':
            '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', 'role': 'sub', 'state': {'detail': '401 Unauthorized from the camera',
            'node_id': 'node-a', 'reason': 'auth_failed', 'status': 'offline', 'updated_at': '2026-12-03T10:13:58Z'},
            'transport': 'tcp', 'url': 'rtsp://192.0.2.10:554/Streaming/Channels/102'}], 'tenant_id':
            '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'updated_at': '2026-12-01T16:03:10Z'}

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
