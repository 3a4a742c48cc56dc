from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ChangePassword")


@_attrs_define
class ChangePassword:
    """Body of `POST /api/auth/password`.

    Example:
        {'current_password': 'Harbour-depot-2026', 'new_password': 'Quay-lights-at-dusk-7'}

    Attributes:
        current_password (str): The password in use.
        new_password (str): The new password (at least 12 characters, two character classes).
    """

    current_password: str
    new_password: str

    def to_dict(self) -> dict[str, Any]:
        current_password = self.current_password

        new_password = self.new_password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "current_password": current_password,
                "new_password": new_password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        current_password = d.pop("current_password")

        new_password = d.pop("new_password")

        change_password = cls(
            current_password=current_password,
            new_password=new_password,
        )

        return change_password
