from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RoleView")


@_attrs_define
class RoleView:
    """A role.

    Example:
        {'built_in': False, 'description': 'Gate staff: live video and playback, no exports', 'id':
            '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d', 'name': 'gatehouse', 'permissions': ['camera.view_live',
            'camera.view_archive', 'event.read']}

    Attributes:
        built_in (bool): Built-in roles cannot be changed.
        description (str): Free text.
        id (UUID): Id.
        name (str): Name.
        permissions (list[str]): Granted permissions.
    """

    built_in: bool
    description: str
    id: UUID
    name: str
    permissions: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        built_in = self.built_in

        description = self.description

        id = str(self.id)

        name = self.name

        permissions = self.permissions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "built_in": built_in,
                "description": description,
                "id": id,
                "name": name,
                "permissions": permissions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        built_in = d.pop("built_in")

        description = d.pop("description")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        permissions = cast(list[str], d.pop("permissions"))

        role_view = cls(
            built_in=built_in,
            description=description,
            id=id,
            name=name,
            permissions=permissions,
        )

        role_view.additional_properties = d
        return role_view

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
