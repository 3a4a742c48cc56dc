from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_view import UserView


T = TypeVar("T", bound="UserList")


@_attrs_define
class UserList:
    """A list of users.

    Example:
        {'items': [{'created_at': '2026-11-20T09:30:00Z', 'disabled': False, 'display_name': 'Jana Meyer', 'id':
            '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'last_login_at': '2026-12-03T07:58:12Z', 'roles': [{'role': 'viewer',
            'scope': 'tenant', 'scope_id': None}, {'role': 'operator', 'scope': 'site', 'scope_id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f'}], 'super_admin': False, 'tenant_id':
            '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'updated_at': '2026-11-28T14:02:51Z', 'username': 'j.meyer'}]}

    Attributes:
        items (list[UserView]): The users, by name.
        next_cursor (None | str | Unset): Pass as `cursor` for the next page; absent on the last.
    """

    items: list[UserView]
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
        from ..models.user_view import UserView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = UserView.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        user_list = cls(
            items=items,
            next_cursor=next_cursor,
        )

        user_list.additional_properties = d
        return user_list

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
