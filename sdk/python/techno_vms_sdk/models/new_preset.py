from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="NewPreset")


@_attrs_define
class NewPreset:
    """Body of `POST /api/cameras/{id}/ptz/presets`: stores where the camera points now.

    Example:
        {'name': 'Gate'}

    Attributes:
        name (str): Its name, 1–64 characters.
    """

    name: str

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        new_preset = cls(
            name=name,
        )

        return new_preset
