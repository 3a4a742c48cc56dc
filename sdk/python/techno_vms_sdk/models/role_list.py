from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.permission_view import PermissionView
    from ..models.role_view import RoleView


T = TypeVar("T", bound="RoleList")


@_attrs_define
class RoleList:
    """Roles and every permission a role may carry.

    Example:
        {'items': [{'built_in': False, 'description': 'Gate staff: live video and playback, no exports', 'id':
            '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d', 'name': 'gatehouse', 'permissions': ['camera.view_live',
            'camera.view_archive', 'event.read']}], 'permissions': [{'description': 'watch live video and see cameras and
            sites', 'name': 'camera.view_live'}, {'description': 'play back recordings', 'name': 'camera.view_archive'}]}

    Attributes:
        items (list[RoleView]): Built-in roles first, then custom ones, by name.
        permissions (list[PermissionView]): Every permission, with what it allows.
    """

    items: list[RoleView]
    permissions: list[PermissionView]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        permissions = []
        for permissions_item_data in self.permissions:
            permissions_item = permissions_item_data.to_dict()
            permissions.append(permissions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "permissions": permissions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.permission_view import PermissionView  # noqa: PLC0415
        from ..models.role_view import RoleView  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = RoleView.from_dict(items_item_data)

            items.append(items_item)

        permissions = []
        _permissions = d.pop("permissions")
        for permissions_item_data in _permissions:
            permissions_item = PermissionView.from_dict(permissions_item_data)

            permissions.append(permissions_item)

        role_list = cls(
            items=items,
            permissions=permissions,
        )

        role_list.additional_properties = d
        return role_list

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
