from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BookmarkView")


@_attrs_define
class BookmarkView:
    """A bookmark.

    Example:
        {'cameras': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'created_at': '2026-12-01T10:58:03Z', 'created_by':
            '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'description': 'Person forces the door at 10:14; police report
            2026-4471', 'end': '2026-12-01T10:20:00Z', 'id': '5b1e2f3a-8c4d-4e6f-9a0b-1c2d3e4f5a6b', 'locked': True,
            'locked_at': '2026-12-01T11:05:42Z', 'locked_by': '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'name': 'Forced entry
            at dock door', 'start': '2026-12-01T10:00:00Z', 'tags': ['break-in', 'police'], 'updated_at':
            '2026-12-01T11:05:42Z'}

    Attributes:
        cameras (list[UUID]): Its cameras.
        created_at (datetime.datetime): When it was made.
        description (str): Its description.
        end (datetime.datetime): Where it ends.
        id (UUID): Its id.
        locked (bool): Whether its footage is locked as evidence.
        name (str): Its name.
        start (datetime.datetime): Where its range starts.
        tags (list[str]): Its tags.
        updated_at (datetime.datetime): When it last changed.
        created_by (None | Unset | UUID): Who made it.
        locked_at (datetime.datetime | None | Unset): When it was locked.
        locked_by (None | Unset | UUID): Who locked it.
    """

    cameras: list[UUID]
    created_at: datetime.datetime
    description: str
    end: datetime.datetime
    id: UUID
    locked: bool
    name: str
    start: datetime.datetime
    tags: list[str]
    updated_at: datetime.datetime
    created_by: None | Unset | UUID = UNSET
    locked_at: datetime.datetime | None | Unset = UNSET
    locked_by: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cameras = []
        for cameras_item_data in self.cameras:
            cameras_item = str(cameras_item_data)
            cameras.append(cameras_item)

        created_at = self.created_at.isoformat()

        description = self.description

        end = self.end.isoformat()

        id = str(self.id)

        locked = self.locked

        name = self.name

        start = self.start.isoformat()

        tags = self.tags

        updated_at = self.updated_at.isoformat()

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        elif isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        locked_at: None | str | Unset
        if isinstance(self.locked_at, Unset):
            locked_at = UNSET
        elif isinstance(self.locked_at, datetime.datetime):
            locked_at = self.locked_at.isoformat()
        else:
            locked_at = self.locked_at

        locked_by: None | str | Unset
        if isinstance(self.locked_by, Unset):
            locked_by = UNSET
        elif isinstance(self.locked_by, UUID):
            locked_by = str(self.locked_by)
        else:
            locked_by = self.locked_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cameras": cameras,
                "created_at": created_at,
                "description": description,
                "end": end,
                "id": id,
                "locked": locked,
                "name": name,
                "start": start,
                "tags": tags,
                "updated_at": updated_at,
            }
        )
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if locked_at is not UNSET:
            field_dict["locked_at"] = locked_at
        if locked_by is not UNSET:
            field_dict["locked_by"] = locked_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cameras = []
        _cameras = d.pop("cameras")
        for cameras_item_data in _cameras:
            cameras_item = UUID(cameras_item_data)

            cameras.append(cameras_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        description = d.pop("description")

        end = datetime.datetime.fromisoformat(d.pop("end"))

        id = UUID(d.pop("id"))

        locked = d.pop("locked")

        name = d.pop("name")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        tags = cast(list[str], d.pop("tags"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_created_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        def _parse_locked_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locked_at_type_0 = datetime.datetime.fromisoformat(data)

                return locked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        locked_at = _parse_locked_at(d.pop("locked_at", UNSET))

        def _parse_locked_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locked_by_type_0 = UUID(data)

                return locked_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        locked_by = _parse_locked_by(d.pop("locked_by", UNSET))

        bookmark_view = cls(
            cameras=cameras,
            created_at=created_at,
            description=description,
            end=end,
            id=id,
            locked=locked,
            name=name,
            start=start,
            tags=tags,
            updated_at=updated_at,
            created_by=created_by,
            locked_at=locked_at,
            locked_by=locked_by,
        )

        bookmark_view.additional_properties = d
        return bookmark_view

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
