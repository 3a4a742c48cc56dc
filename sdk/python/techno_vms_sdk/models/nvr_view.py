from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.nvr_vendor import NvrVendor
from ..types import UNSET, Unset

T = TypeVar("T", bound="NvrView")


@_attrs_define
class NvrView:
    """An imported NVR (never its credentials).

    Attributes:
        address (str): Where it answers.
        all_channels (bool): Whether channels found by a sync become cameras.
        camera_count (int): Its channels that are cameras.
        channel_count (int): Its channels.
        created_at (datetime.datetime): When it was imported.
        id (UUID): Its id.
        name (str): Its name.
        site_id (UUID): The site of its cameras.
        synced_at (datetime.datetime): When it was last read.
        vendor (NvrVendor): The protocol an NVR is spoken to with.
        firmware (None | str | Unset): Firmware version.
        manufacturer (None | str | Unset): Manufacturer, as it says.
        model (None | str | Unset): Model.
        serial (None | str | Unset): Serial number.
    """

    address: str
    all_channels: bool
    camera_count: int
    channel_count: int
    created_at: datetime.datetime
    id: UUID
    name: str
    site_id: UUID
    synced_at: datetime.datetime
    vendor: NvrVendor
    firmware: None | str | Unset = UNSET
    manufacturer: None | str | Unset = UNSET
    model: None | str | Unset = UNSET
    serial: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        all_channels = self.all_channels

        camera_count = self.camera_count

        channel_count = self.channel_count

        created_at = self.created_at.isoformat()

        id = str(self.id)

        name = self.name

        site_id = str(self.site_id)

        synced_at = self.synced_at.isoformat()

        vendor = self.vendor.value

        firmware: None | str | Unset
        if isinstance(self.firmware, Unset):
            firmware = UNSET
        else:
            firmware = self.firmware

        manufacturer: None | str | Unset
        if isinstance(self.manufacturer, Unset):
            manufacturer = UNSET
        else:
            manufacturer = self.manufacturer

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        serial: None | str | Unset
        if isinstance(self.serial, Unset):
            serial = UNSET
        else:
            serial = self.serial

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address": address,
                "all_channels": all_channels,
                "camera_count": camera_count,
                "channel_count": channel_count,
                "created_at": created_at,
                "id": id,
                "name": name,
                "site_id": site_id,
                "synced_at": synced_at,
                "vendor": vendor,
            }
        )
        if firmware is not UNSET:
            field_dict["firmware"] = firmware
        if manufacturer is not UNSET:
            field_dict["manufacturer"] = manufacturer
        if model is not UNSET:
            field_dict["model"] = model
        if serial is not UNSET:
            field_dict["serial"] = serial

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address = d.pop("address")

        all_channels = d.pop("all_channels")

        camera_count = d.pop("camera_count")

        channel_count = d.pop("channel_count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        site_id = UUID(d.pop("site_id"))

        synced_at = datetime.datetime.fromisoformat(d.pop("synced_at"))

        vendor = NvrVendor(d.pop("vendor"))

        def _parse_firmware(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        firmware = _parse_firmware(d.pop("firmware", UNSET))

        def _parse_manufacturer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manufacturer = _parse_manufacturer(d.pop("manufacturer", UNSET))

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_serial(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        serial = _parse_serial(d.pop("serial", UNSET))

        nvr_view = cls(
            address=address,
            all_channels=all_channels,
            camera_count=camera_count,
            channel_count=channel_count,
            created_at=created_at,
            id=id,
            name=name,
            site_id=site_id,
            synced_at=synced_at,
            vendor=vendor,
            firmware=firmware,
            manufacturer=manufacturer,
            model=model,
            serial=serial,
        )

        nvr_view.additional_properties = d
        return nvr_view

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
