from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateRole")


@_attrs_define
class CreateRole:
    """Body of `POST /api/roles`.

    Example:
        {'description': 'Gate staff: live video and playback, no exports', 'name': 'gatehouse', 'permissions':
            ['camera.view_live', 'camera.view_archive', 'event.read']}

    Attributes:
        name (str): Name, unique among the tenant's roles and the built-in ones.
        permissions (list[str]): Permissions the role grants: at most as many as exist; repeats are dropped.
        description (str | Unset): Free text.
    """

    name: str
    permissions: list[str]
    description: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        permissions = self.permissions

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "permissions": permissions,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        permissions = cast(list[str], d.pop("permissions"))

        description = d.pop("description", UNSET)

        create_role = cls(
            name=name,
            permissions=permissions,
            description=description,
        )

        return create_role
