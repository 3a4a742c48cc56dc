from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stream_input import StreamInput


T = TypeVar("T", bound="CreateCamera")


@_attrs_define
class CreateCamera:
    """Body of `POST /api/cameras`.

    Example:
        {'description': 'Dock door, north wall', 'enabled': True, 'name': 'Loading bay 2', 'site_id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'streams': [{'password': 'Cam-pass-2026', 'role': 'main', 'transport':
            'tcp', 'url': 'rtsp://192.0.2.10:554/Streaming/Channels/101', 'username': 'vms'}, {'password': 'Cam-pass-2026',
            'role': 'sub', 'transport': 'tcp', 'url': 'rtsp://192.0.2.10:554/Streaming/Channels/102', 'username': 'vms'}]}

    Attributes:
        name (str): Name, unique within the site.
        site_id (UUID): Site of the caller's tenant.
        streams (list[StreamInput]): At least one stream.
        description (str | Unset): Free text.
        enabled (bool | Unset): Whether the planes pull it (default true).
    """

    name: str
    site_id: UUID
    streams: list[StreamInput]
    description: str | Unset = UNSET
    enabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        site_id = str(self.site_id)

        streams = []
        for streams_item_data in self.streams:
            streams_item = streams_item_data.to_dict()
            streams.append(streams_item)

        description = self.description

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "site_id": site_id,
                "streams": streams,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stream_input import StreamInput  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        site_id = UUID(d.pop("site_id"))

        streams = []
        _streams = d.pop("streams")
        for streams_item_data in _streams:
            streams_item = StreamInput.from_dict(streams_item_data)

            streams.append(streams_item)

        description = d.pop("description", UNSET)

        enabled = d.pop("enabled", UNSET)

        create_camera = cls(
            name=name,
            site_id=site_id,
            streams=streams,
            description=description,
            enabled=enabled,
        )

        return create_camera
