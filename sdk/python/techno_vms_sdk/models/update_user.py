from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.role_input_type_1 import RoleInputType1


T = TypeVar("T", bound="UpdateUser")


@_attrs_define
class UpdateUser:
    """Body of `PATCH /api/users/{id}`; absent fields stay unchanged.

    Example:
        {'disabled': False, 'display_name': 'Jana Meyer-Schulz', 'roles': [{'camera_id':
            '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'role': 'operator'}]}

    Attributes:
        disabled (bool | None | Unset): Refuse (true) or allow (false) login; disabling ends the user's sessions.
        display_name (None | str | Unset): Full name.
        roles (list[RoleInputType1 | str] | None | Unset): Replaces every grant (as in [`CreateUser`]).
    """

    disabled: bool | None | Unset = UNSET
    display_name: None | str | Unset = UNSET
    roles: list[RoleInputType1 | str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.role_input_type_1 import RoleInputType1  # noqa: PLC0415

        disabled: bool | None | Unset
        if isinstance(self.disabled, Unset):
            disabled = UNSET
        else:
            disabled = self.disabled

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        roles: list[dict[str, Any] | str] | None | Unset
        if isinstance(self.roles, Unset):
            roles = UNSET
        elif isinstance(self.roles, list):
            roles = []
            for roles_type_0_item_data in self.roles:
                roles_type_0_item: dict[str, Any] | str
                if isinstance(roles_type_0_item_data, RoleInputType1):
                    roles_type_0_item = roles_type_0_item_data.to_dict()
                else:
                    roles_type_0_item = roles_type_0_item_data
                roles.append(roles_type_0_item)

        else:
            roles = self.roles

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if disabled is not UNSET:
            field_dict["disabled"] = disabled
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if roles is not UNSET:
            field_dict["roles"] = roles

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.role_input_type_1 import RoleInputType1  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_disabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        disabled = _parse_disabled(d.pop("disabled", UNSET))

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_roles(data: object) -> list[RoleInputType1 | str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                roles_type_0 = []
                _roles_type_0 = data
                for roles_type_0_item_data in _roles_type_0:

                    def _parse_roles_type_0_item(data: object) -> RoleInputType1 | str:
                        try:
                            if not isinstance(data, dict):
                                raise TypeError()
                            componentsschemas_role_input_type_1 = RoleInputType1.from_dict(data)

                            return componentsschemas_role_input_type_1
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(RoleInputType1 | str, data)

                    roles_type_0_item = _parse_roles_type_0_item(roles_type_0_item_data)

                    roles_type_0.append(roles_type_0_item)

                return roles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RoleInputType1 | str] | None | Unset, data)

        roles = _parse_roles(d.pop("roles", UNSET))

        update_user = cls(
            disabled=disabled,
            display_name=display_name,
            roles=roles,
        )

        return update_user
