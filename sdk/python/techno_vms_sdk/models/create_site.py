from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateSite")


@_attrs_define
class CreateSite:
    """Body of `POST /api/sites`.

    Example:
        {'description': 'Warehouse and yard, Pier 4', 'name': 'Harbour depot', 'timezone': 'Europe/Berlin'}

    Attributes:
        name (str): Name, unique within the tenant.
        description (str | Unset): Free text.
        timezone (None | str | Unset): IANA time zone (default `UTC`).
    """

    name: str
    description: str | Unset = UNSET
    timezone: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if timezone is not UNSET:
            field_dict["timezone"] = timezone

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description", UNSET)

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        create_site = cls(
            name=name,
            description=description,
            timezone=timezone,
        )

        return create_site
