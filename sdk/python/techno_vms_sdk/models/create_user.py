from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.role_input_type_1 import RoleInputType1


T = TypeVar("T", bound="CreateUser")


@_attrs_define
class CreateUser:
    """Body of `POST /api/users`.

    Example:
        {'display_name': 'Jana Meyer', 'password': 'Harbour-depot-2026', 'roles': ['viewer', {'role': 'operator',
            'site_id': '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f'}], 'username': 'j.meyer'}

    Attributes:
        password (str): Initial password (at least 12 characters, two character classes).
        username (str): Login name, unique across the system regardless of case: ASCII
            letters, digits and `._@-` after NFKC normalisation.
        display_name (str | Unset): Full name.
        roles (list[RoleInputType1 | str] | Unset): Roles to grant: at most 256; repeats are dropped.
        tenant_id (None | Unset | UUID): Tenant of the new user; only a super-admin may name another tenant. Default:
            the caller's.
    """

    password: str
    username: str
    display_name: str | Unset = UNSET
    roles: list[RoleInputType1 | str] | Unset = UNSET
    tenant_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.role_input_type_1 import RoleInputType1  # noqa: PLC0415

        password = self.password

        username = self.username

        display_name = self.display_name

        roles: list[dict[str, Any] | str] | Unset = UNSET
        if not isinstance(self.roles, Unset):
            roles = []
            for roles_item_data in self.roles:
                roles_item: dict[str, Any] | str
                if isinstance(roles_item_data, RoleInputType1):
                    roles_item = roles_item_data.to_dict()
                else:
                    roles_item = roles_item_data
                roles.append(roles_item)

        tenant_id: None | str | Unset
        if isinstance(self.tenant_id, Unset):
            tenant_id = UNSET
        elif isinstance(self.tenant_id, UUID):
            tenant_id = str(self.tenant_id)
        else:
            tenant_id = self.tenant_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "password": password,
                "username": username,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if roles is not UNSET:
            field_dict["roles"] = roles
        if tenant_id is not UNSET:
            field_dict["tenant_id"] = tenant_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.role_input_type_1 import RoleInputType1  # noqa: PLC0415

        d = dict(src_dict)
        password = d.pop("password")

        username = d.pop("username")

        display_name = d.pop("display_name", UNSET)

        _roles = d.pop("roles", UNSET)
        roles: list[RoleInputType1 | str] | Unset = UNSET
        if _roles is not UNSET:
            roles = []
            for roles_item_data in _roles:

                def _parse_roles_item(data: object) -> RoleInputType1 | str:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_role_input_type_1 = RoleInputType1.from_dict(data)

                        return componentsschemas_role_input_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(RoleInputType1 | str, data)

                roles_item = _parse_roles_item(roles_item_data)

                roles.append(roles_item)

        def _parse_tenant_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tenant_id_type_0 = UUID(data)

                return tenant_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        tenant_id = _parse_tenant_id(d.pop("tenant_id", UNSET))

        create_user = cls(
            password=password,
            username=username,
            display_name=display_name,
            roles=roles,
            tenant_id=tenant_id,
        )

        return create_user
