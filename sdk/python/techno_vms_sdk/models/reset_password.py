from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ResetPassword")


@_attrs_define
class ResetPassword:
    """Body of `POST /api/auth/reset-password`.

    Example:
        {'new_password': 'Quay-lights-at-dusk-7', 'token': '5qGzm8r4VV13c2PXhFNZtUMybJzQfp5rjqkFKOsf4A8'}

    Attributes:
        new_password (str): The new password.
        token (str): The one-time token an administrator issued.
    """

    new_password: str
    token: str

    def to_dict(self) -> dict[str, Any]:
        new_password = self.new_password

        token = self.token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "new_password": new_password,
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        new_password = d.pop("new_password")

        token = d.pop("token")

        reset_password = cls(
            new_password=new_password,
            token=token,
        )

        return reset_password
