from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookView")


@_attrs_define
class WebhookView:
    """A webhook.

    Example:
        {'created_at': '2026-11-25T08:31:02Z', 'enabled': True, 'id': '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a', 'name':
            'Control room dispatcher', 'updated_at': '2026-11-25T08:31:02Z', 'url': 'https://hooks.example.com/vms/events'}

    Attributes:
        created_at (datetime.datetime): When it was made.
        enabled (bool): Whether calls are made.
        id (UUID): Its id.
        name (str): Its name.
        updated_at (datetime.datetime): When it last changed.
        url (str): Where calls go.
        secret (None | str | Unset): The signing secret: only in the answer to its creation.
    """

    created_at: datetime.datetime
    enabled: bool
    id: UUID
    name: str
    updated_at: datetime.datetime
    url: str
    secret: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        enabled = self.enabled

        id = str(self.id)

        name = self.name

        updated_at = self.updated_at.isoformat()

        url = self.url

        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "enabled": enabled,
                "id": id,
                "name": name,
                "updated_at": updated_at,
                "url": url,
            }
        )
        if secret is not UNSET:
            field_dict["secret"] = secret

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        enabled = d.pop("enabled")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

        webhook_view = cls(
            created_at=created_at,
            enabled=enabled,
            id=id,
            name=name,
            updated_at=updated_at,
            url=url,
            secret=secret,
        )

        webhook_view.additional_properties = d
        return webhook_view

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
