from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.layout_view import LayoutView


T = TypeVar("T", bound="LayoutList")


@_attrs_define
class LayoutList:
    """The caller's layouts.

    Example:
        {'items': [{'cells': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e', None,
            'c8d9e0f1-a2b3-4c4d-9e5f-6a7b8c9d0e1f'], 'name': 'Dock overview', 'size': 4, 'updated_at':
            '2026-12-02T17:22:09Z'}]}

    Attributes:
        items (list[LayoutView]): By name.
    """

    items: list[LayoutView]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.layout_view import LayoutView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = LayoutView.from_dict(items_item_data)

            items.append(items_item)

        layout_list = cls(
            items=items,
        )

        layout_list.additional_properties = d
        return layout_list

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
