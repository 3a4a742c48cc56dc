from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_view import AuditView


T = TypeVar("T", bound="AuditPage")


@_attrs_define
class AuditPage:
    """A page of audit entries.

    Example:
        {'items': [{'action': 'export.create', 'actor_id': '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'actor_kind': 'user',
            'actor_name': 'j.meyer', 'details': {'end': '2026-12-03T10:30:00+00:00', 'export':
            'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'start': '2026-12-03T10:00:00+00:00', 'stream': 'main', 'watermark':
            True}, 'id': 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', 'occurred_at': '2026-12-03T10:31:12Z', 'outcome':
            'success', 'seq': 18342, 'source_ip': '198.51.100.23', 'target_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
            'target_kind': 'camera'}], 'next_before': 18342, 'next_cursor': 'bjE4MzQy'}

    Attributes:
        items (list[AuditView]): Newest first.
        next_before (int | None | Unset): The `seq` to pass as `before` for the next page: the older form of
            `next_cursor`, kept for clients of API 1.0.
        next_cursor (None | str | Unset): Pass as `cursor` for the next (older) page; absent on the last page.
    """

    items: list[AuditView]
    next_before: int | None | Unset = UNSET
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_before: int | None | Unset
        if isinstance(self.next_before, Unset):
            next_before = UNSET
        else:
            next_before = self.next_before

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
        if next_before is not UNSET:
            field_dict["next_before"] = next_before
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_view import AuditView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = AuditView.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_before(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        next_before = _parse_next_before(d.pop("next_before", UNSET))

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        audit_page = cls(
            items=items,
            next_before=next_before,
            next_cursor=next_cursor,
        )

        audit_page.additional_properties = d
        return audit_page

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
