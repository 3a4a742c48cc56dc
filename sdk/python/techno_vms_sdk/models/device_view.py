from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeviceView")


@_attrs_define
class DeviceView:
    """What onboarding learnt about the device.

    Attributes:
        device_url (str): The device service URL.
        ptz (bool): Whether the camera has PTZ.
        snapshot (bool): Whether the device gave a snapshot URI.
        firmware (None | str | Unset): Firmware version.
        main_profile (None | str | Unset): The profile of the main stream.
        manufacturer (None | str | Unset): Manufacturer.
        model (None | str | Unset): Model.
        serial (None | str | Unset): Serial number.
        sub_profile (None | str | Unset): The profile of the sub stream.
    """

    device_url: str
    ptz: bool
    snapshot: bool
    firmware: None | str | Unset = UNSET
    main_profile: None | str | Unset = UNSET
    manufacturer: None | str | Unset = UNSET
    model: None | str | Unset = UNSET
    serial: None | str | Unset = UNSET
    sub_profile: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        device_url = self.device_url

        ptz = self.ptz

        snapshot = self.snapshot

        firmware: None | str | Unset
        if isinstance(self.firmware, Unset):
            firmware = UNSET
        else:
            firmware = self.firmware

        main_profile: None | str | Unset
        if isinstance(self.main_profile, Unset):
            main_profile = UNSET
        else:
            main_profile = self.main_profile

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

        sub_profile: None | str | Unset
        if isinstance(self.sub_profile, Unset):
            sub_profile = UNSET
        else:
            sub_profile = self.sub_profile

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device_url": device_url,
                "ptz": ptz,
                "snapshot": snapshot,
            }
        )
        if firmware is not UNSET:
            field_dict["firmware"] = firmware
        if main_profile is not UNSET:
            field_dict["main_profile"] = main_profile
        if manufacturer is not UNSET:
            field_dict["manufacturer"] = manufacturer
        if model is not UNSET:
            field_dict["model"] = model
        if serial is not UNSET:
            field_dict["serial"] = serial
        if sub_profile is not UNSET:
            field_dict["sub_profile"] = sub_profile

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        device_url = d.pop("device_url")

        ptz = d.pop("ptz")

        snapshot = d.pop("snapshot")

        def _parse_firmware(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        firmware = _parse_firmware(d.pop("firmware", UNSET))

        def _parse_main_profile(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        main_profile = _parse_main_profile(d.pop("main_profile", UNSET))

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

        def _parse_sub_profile(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sub_profile = _parse_sub_profile(d.pop("sub_profile", UNSET))

        device_view = cls(
            device_url=device_url,
            ptz=ptz,
            snapshot=snapshot,
            firmware=firmware,
            main_profile=main_profile,
            manufacturer=manufacturer,
            model=model,
            serial=serial,
            sub_profile=sub_profile,
        )

        device_view.additional_properties = d
        return device_view

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
