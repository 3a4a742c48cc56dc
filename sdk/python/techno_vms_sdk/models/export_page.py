from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.export_view import ExportView


T = TypeVar("T", bound="ExportPage")


@_attrs_define
class ExportPage:
    """A page of exports, newest first.

    Example:
        {'items': [{'bytes': None, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'created_at':
            '2026-12-03T11:20:45Z', 'end': '2026-12-03T11:15:00Z', 'error': None, 'expires_at': None, 'file_url': None,
            'id': 'f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b6c', 'manifest_url': None, 'progress': 0.42, 'requested_by':
            '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'sha256': None, 'start': '2026-12-03T11:00:00Z', 'status': 'running',
            'stream': 'main'}], 'next_cursor': 'MTc5NjI5Njg0NTAwMDAwMC5mMmEzYjRjNS1kNmU3LTRmOGEtOWIwYy0xZDJlM2Y0YTViNmM'}

    Attributes:
        items (list[ExportView]): The exports.
        next_cursor (None | str | Unset): Pass as `cursor` for the next page; absent on the last.
    """

    items: list[ExportView]
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
        from ..models.export_view import ExportView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ExportView.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        export_page = cls(
            items=items,
            next_cursor=next_cursor,
        )

        export_page.additional_properties = d
        return export_page

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
