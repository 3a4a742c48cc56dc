from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bookmark_view import BookmarkView


T = TypeVar("T", bound="BookmarkPage")


@_attrs_define
class BookmarkPage:
    """A page of bookmarks, newest first.

    Example:
        {'items': [{'cameras': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'created_at': '2026-12-01T10:58:03Z',
            'created_by': '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'description': 'Person forces the door at 10:14; police
            report 2026-4471', 'end': '2026-12-01T10:20:00Z', 'id': '5b1e2f3a-8c4d-4e6f-9a0b-1c2d3e4f5a6b', 'locked': True,
            'locked_at': '2026-12-01T11:05:42Z', 'locked_by': '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'name': 'Forced entry
            at dock door', 'start': '2026-12-01T10:00:00Z', 'tags': ['break-in', 'police'], 'updated_at':
            '2026-12-01T11:05:42Z'}], 'next_cursor':
            'MTc5NjExOTIwMDAwMDAwMC41YjFlMmYzYS04YzRkLTRlNmYtOWEwYi0xYzJkM2U0ZjVhNmI'}

    Attributes:
        items (list[BookmarkView]): The bookmarks.
        next_cursor (None | str | Unset): Pass as `cursor` for the next page; absent on the last.
    """

    items: list[BookmarkView]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bookmark_view import BookmarkView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = BookmarkView.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        bookmark_page = cls(
            items=items,
            next_cursor=next_cursor,
        )

        bookmark_page.additional_properties = d
        return bookmark_page

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
