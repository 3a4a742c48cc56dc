from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.nvr_vendor import NvrVendor
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImportNvr")


@_attrs_define
class ImportNvr:
    """Body of `POST /api/nvrs`.

    Example:
        {'address': '192.168.1.20', 'channels': [1, 2, 5], 'password': 'secret', 'site_id':
            '7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'username': 'admin', 'vendor': 'hikvision'}

    Attributes:
        address (str): `host`, `host:port` or `http://host:port` (ONVIF: or its device service URL).
        password (str): Its password (write-only; sealed at rest, used for its streams too).
        site_id (UUID): The site its cameras join.
        username (str): Its user name.
        vendor (NvrVendor): The protocol an NVR is spoken to with.
        channels (list[int] | None | Unset): The channels to make cameras of (default: every channel, and channels
            a later sync finds too).
        name (None | str | Unset): Its name (default: what it calls itself, else its model and address).
    """

    address: str
    password: str
    site_id: UUID
    username: str
    vendor: NvrVendor
    channels: list[int] | None | Unset = UNSET
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        password = self.password

        site_id = str(self.site_id)

        username = self.username

        vendor = self.vendor.value

        channels: list[int] | None | Unset
        if isinstance(self.channels, Unset):
            channels = UNSET
        elif isinstance(self.channels, list):
            channels = self.channels

        else:
            channels = self.channels

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "address": address,
                "password": password,
                "site_id": site_id,
                "username": username,
                "vendor": vendor,
            }
        )
        if channels is not UNSET:
            field_dict["channels"] = channels
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address = d.pop("address")

        password = d.pop("password")

        site_id = UUID(d.pop("site_id"))

        username = d.pop("username")

        vendor = NvrVendor(d.pop("vendor"))

        def _parse_channels(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                channels_type_0 = cast(list[int], data)

                return channels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        channels = _parse_channels(d.pop("channels", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        import_nvr = cls(
            address=address,
            password=password,
            site_id=site_id,
            username=username,
            vendor=vendor,
            channels=channels,
            name=name,
        )

        return import_nvr
