from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.post_event_attributes_type_0 import PostEventAttributesType0


T = TypeVar("T", bound="PostEvent")


@_attrs_define
class PostEvent:
    """An event posted by an integration (a door sensor, an access-control system).

    Example:
        {'attributes': {'badge': None, 'door': 'Loading bay 2', 'reader': 'ACS-17'}, 'camera_id':
            '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'id': 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a', 'type': 'door_forced'}

    Attributes:
        camera_id (UUID): The camera it concerns.
        type_ (str): Its type: 1 to 64 of `a-z`, `0-9` and `_`, starting with a letter.
        attributes (None | PostEventAttributesType0 | Unset): What the integration knows about it (at most 16 KiB of
            JSON).
        end (datetime.datetime | None | Unset): When it ended, if it has.
        id (None | Unset | UUID): The integration's own id for it, to post it again safely (repeats
            within two minutes are dropped): the event's id is then derived from
            it and the tenant, the same on every post. A new one by default.
        start (datetime.datetime | None | Unset): When it started; now by default.
    """

    camera_id: UUID
    type_: str
    attributes: None | PostEventAttributesType0 | Unset = UNSET
    end: datetime.datetime | None | Unset = UNSET
    id: None | Unset | UUID = UNSET
    start: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.post_event_attributes_type_0 import PostEventAttributesType0  # noqa: PLC0415

        camera_id = str(self.camera_id)

        type_ = self.type_

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, PostEventAttributesType0):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        end: None | str | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        elif isinstance(self.end, datetime.datetime):
            end = self.end.isoformat()
        else:
            end = self.end

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        start: None | str | Unset
        if isinstance(self.start, Unset):
            start = UNSET
        elif isinstance(self.start, datetime.datetime):
            start = self.start.isoformat()
        else:
            start = self.start

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "camera_id": camera_id,
                "type": type_,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if end is not UNSET:
            field_dict["end"] = end
        if id is not UNSET:
            field_dict["id"] = id
        if start is not UNSET:
            field_dict["start"] = start

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.post_event_attributes_type_0 import PostEventAttributesType0  # noqa: PLC0415

        d = dict(src_dict)
        camera_id = UUID(d.pop("camera_id"))

        type_ = d.pop("type")

        def _parse_attributes(data: object) -> None | PostEventAttributesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = PostEventAttributesType0.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PostEventAttributesType0 | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        def _parse_end(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_type_0 = datetime.datetime.fromisoformat(data)

                return end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_start(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_type_0 = datetime.datetime.fromisoformat(data)

                return start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start = _parse_start(d.pop("start", UNSET))

        post_event = cls(
            camera_id=camera_id,
            type_=type_,
            attributes=attributes,
            end=end,
            id=id,
            start=start,
        )

        return post_event
