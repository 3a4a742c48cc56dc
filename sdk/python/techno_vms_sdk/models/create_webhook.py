from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateWebhook")


@_attrs_define
class CreateWebhook:
    """A new webhook.

    Example:
        {'enabled': True, 'name': 'Control room dispatcher', 'url': 'https://hooks.example.com/vms/events'}

    Attributes:
        name (str): Unique in the tenant, 1–200 characters.
        url (str): Where calls go: an `http` or `https` URL, at most 2000 characters.
        enabled (bool | None | Unset): Whether calls are made (default true); a disabled webhook's calls wait.
    """

    name: str
    url: str
    enabled: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        url = self.url

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "url": url,
            }
        )
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        url = d.pop("url")

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        create_webhook = cls(
            name=name,
            url=url,
            enabled=enabled,
        )

        return create_webhook
