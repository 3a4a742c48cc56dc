from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.site_view import SiteView


T = TypeVar("T", bound="SiteList")


@_attrs_define
class SiteList:
    """A list of sites.

    Example:
        {'items': [{'created_at': '2026-11-20T09:05:12Z', 'description': 'Warehouse and yard, Pier 4', 'id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'name': 'Harbour depot', 'tenant_id':
            '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'timezone': 'Europe/Berlin', 'updated_at': '2026-11-20T09:05:12Z'}]}

    Attributes:
        items (list[SiteView]): The sites, by name.
    """

    items: list[SiteView]
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
        from ..models.site_view import SiteView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = SiteView.from_dict(items_item_data)

            items.append(items_item)

        site_list = cls(
            items=items,
        )

        site_list.additional_properties = d
        return site_list

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
