from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stream_input import StreamInput


T = TypeVar("T", bound="UpdateCamera")


@_attrs_define
class UpdateCamera:
    """Body of `PATCH /api/cameras/{id}`; absent fields stay unchanged. `streams`,
    when given, is the complete new set (roles left out are removed).

        Example:
            {'description': 'Dock door, north wall; moved to the new mast', 'name': 'Loading bay 2 (north)', 'streams':
                [{'password': 'Cam-pass-2026', 'role': 'main', 'url': 'rtsp://192.0.2.11:554/Streaming/Channels/101',
                'username': 'vms'}]}

        Attributes:
            description (None | str | Unset): New description.
            enabled (bool | None | Unset): Enable or disable.
            name (None | str | Unset): New name.
            site_id (None | Unset | UUID): Move to this site.
            streams (list[StreamInput] | None | Unset): New stream set.
    """

    description: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    name: None | str | Unset = UNSET
    site_id: None | Unset | UUID = UNSET
    streams: list[StreamInput] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        site_id: None | str | Unset
        if isinstance(self.site_id, Unset):
            site_id = UNSET
        elif isinstance(self.site_id, UUID):
            site_id = str(self.site_id)
        else:
            site_id = self.site_id

        streams: list[dict[str, Any]] | None | Unset
        if isinstance(self.streams, Unset):
            streams = UNSET
        elif isinstance(self.streams, list):
            streams = []
            for streams_type_0_item_data in self.streams:
                streams_type_0_item = streams_type_0_item_data.to_dict()
                streams.append(streams_type_0_item)

        else:
            streams = self.streams

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if name is not UNSET:
            field_dict["name"] = name
        if site_id is not UNSET:
            field_dict["site_id"] = site_id
        if streams is not UNSET:
            field_dict["streams"] = streams

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stream_input import StreamInput  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_site_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                site_id_type_0 = UUID(data)

                return site_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        site_id = _parse_site_id(d.pop("site_id", UNSET))

        def _parse_streams(data: object) -> list[StreamInput] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                streams_type_0 = []
                _streams_type_0 = data
                for streams_type_0_item_data in _streams_type_0:
                    streams_type_0_item = StreamInput.from_dict(streams_type_0_item_data)

                    streams_type_0.append(streams_type_0_item)

                return streams_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[StreamInput] | None | Unset, data)

        streams = _parse_streams(d.pop("streams", UNSET))

        update_camera = cls(
            description=description,
            enabled=enabled,
            name=name,
            site_id=site_id,
            streams=streams,
        )

        return update_camera
