from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_view import EventView


T = TypeVar("T", bound="EventPage")


@_attrs_define
class EventPage:
    """A page of events, newest first.

    Example:
        {'items': [{'acknowledged_at': '2026-12-03T10:16:40Z', 'acknowledged_by':
            '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'attributes': {'box': [0.42, 0.31, 0.55, 0.88], 'label': 'person',
            'score': 0.91, 'track_id': 4187, 'zones': ['dock_door']}, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
            'camera_name': 'Loading bay 2', 'end': '2026-12-03T10:14:31Z', 'has_snapshot': True, 'id':
            '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'site_id': '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'site_name': 'Harbour
            depot', 'snapshot_at': '2026-12-03T10:14:07Z', 'start': '2026-12-03T10:14:07Z', 'tenant_id':
            '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'type': 'zone_enter', 'updated_at': '2026-12-03T10:16:40Z'}],
            'next_cursor': 'MTc5NjI5Mjg0NzAwMDAwMC43YzllNjY3OS03NDI1LTQwZGUtOTQ0Yi1lMDdmYzFmOTBhZTc'}

    Attributes:
        items (list[EventView]): The events.
        next_cursor (None | str | Unset): Pass as `cursor` for the next page; absent on the last.
    """

    items: list[EventView]
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
        from ..models.event_view import EventView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = EventView.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        event_page = cls(
            items=items,
            next_cursor=next_cursor,
        )

        event_page.additional_properties = d
        return event_page

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
