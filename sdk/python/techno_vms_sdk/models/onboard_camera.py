from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OnboardCamera")


@_attrs_define
class OnboardCamera:
    """Body of `POST /api/cameras/onboard`.

    Example:
        {'device_url': 'http://192.0.2.64/onvif/device_service', 'name': 'Gate', 'password': 'Cam-pass-2026', 'site_id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'username': 'vms'}

    Attributes:
        password (str): The device's password (write-only, sealed at rest).
        site_id (UUID): The site of a new camera.
        username (str): The device's user name.
        address (None | str | Unset): The device's address (`192.0.2.64` or `192.0.2.64:8080`); give this or
            `device_url`.
        device_url (None | str | Unset): The device service URL, as a scan found it; give this or `address`.
        name (None | str | Unset): The camera's name (default: the device's model, or its address).
    """

    password: str
    site_id: UUID
    username: str
    address: None | str | Unset = UNSET
    device_url: None | str | Unset = UNSET
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        site_id = str(self.site_id)

        username = self.username

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        device_url: None | str | Unset
        if isinstance(self.device_url, Unset):
            device_url = UNSET
        else:
            device_url = self.device_url

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "password": password,
                "site_id": site_id,
                "username": username,
            }
        )
        if address is not UNSET:
            field_dict["address"] = address
        if device_url is not UNSET:
            field_dict["device_url"] = device_url
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        password = d.pop("password")

        site_id = UUID(d.pop("site_id"))

        username = d.pop("username")

        def _parse_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        def _parse_device_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_url = _parse_device_url(d.pop("device_url", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        onboard_camera = cls(
            password=password,
            site_id=site_id,
            username=username,
            address=address,
            device_url=device_url,
            name=name,
        )

        return onboard_camera
