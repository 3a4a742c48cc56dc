from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BookmarkBody")


@_attrs_define
class BookmarkBody:
    """A bookmark as written: create, or replace whole.

    Example:
        {'cameras': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'description': 'Person forces the door at 10:14; police
            report 2026-4471', 'end': '2026-12-01T10:20:00Z', 'name': 'Forced entry at dock door', 'start':
            '2026-12-01T10:00:00Z', 'tags': ['break-in', 'police']}

    Attributes:
        cameras (list[UUID]): 1 to 64 cameras of the tenant.
        end (datetime.datetime): Where it ends: after `start`, at most 31 days later.
        name (str): 1 to 200 characters.
        start (datetime.datetime): Where the range starts.
        description (str | Unset): At most 4,000 characters.
        tags (list[str] | Unset): At most 20 tags of 1 to 50 characters (repeats dropped).
    """

    cameras: list[UUID]
    end: datetime.datetime
    name: str
    start: datetime.datetime
    description: str | Unset = UNSET
    tags: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cameras = []
        for cameras_item_data in self.cameras:
            cameras_item = str(cameras_item_data)
            cameras.append(cameras_item)

        end = self.end.isoformat()

        name = self.name

        start = self.start.isoformat()

        description = self.description

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cameras": cameras,
                "end": end,
                "name": name,
                "start": start,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cameras = []
        _cameras = d.pop("cameras")
        for cameras_item_data in _cameras:
            cameras_item = UUID(cameras_item_data)

            cameras.append(cameras_item)

        end = datetime.datetime.fromisoformat(d.pop("end"))

        name = d.pop("name")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        description = d.pop("description", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        bookmark_body = cls(
            cameras=cameras,
            end=end,
            name=name,
            start=start,
            description=description,
            tags=tags,
        )

        return bookmark_body
