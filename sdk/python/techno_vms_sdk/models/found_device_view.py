from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FoundDeviceView")


@_attrs_define
class FoundDeviceView:
    """A device that answered.

    Attributes:
        address (str): The address its answer came from.
        device_url (str): Its ONVIF device service URL (what onboarding takes).
        endpoint (str): Its WS-Discovery endpoint reference.
        scopes (list[str]): Every scope it sent.
        camera_id (None | Unset | UUID): The camera already made from it in this tenant, if any.
        location (None | str | Unset): From its `location` scope.
        manufacturer (None | str | Unset): From its scopes.
        model (None | str | Unset): From its `hardware` scope.
        name (None | str | Unset): From its `name` scope.
    """

    address: str
    device_url: str
    endpoint: str
    scopes: list[str]
    camera_id: None | Unset | UUID = UNSET
    location: None | str | Unset = UNSET
    manufacturer: None | str | Unset = UNSET
    model: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        device_url = self.device_url

        endpoint = self.endpoint

        scopes = self.scopes

        camera_id: None | str | Unset
        if isinstance(self.camera_id, Unset):
            camera_id = UNSET
        elif isinstance(self.camera_id, UUID):
            camera_id = str(self.camera_id)
        else:
            camera_id = self.camera_id

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

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

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "address": address,
                "device_url": device_url,
                "endpoint": endpoint,
                "scopes": scopes,
            }
        )
        if camera_id is not UNSET:
            field_dict["camera_id"] = camera_id
        if location is not UNSET:
            field_dict["location"] = location
        if manufacturer is not UNSET:
            field_dict["manufacturer"] = manufacturer
        if model is not UNSET:
            field_dict["model"] = model
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        address = d.pop("address")

        device_url = d.pop("device_url")

        endpoint = d.pop("endpoint")

        scopes = cast(list[str], d.pop("scopes"))

        def _parse_camera_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                camera_id_type_0 = UUID(data)

                return camera_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        camera_id = _parse_camera_id(d.pop("camera_id", UNSET))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

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

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        found_device_view = cls(
            address=address,
            device_url=device_url,
            endpoint=endpoint,
            scopes=scopes,
            camera_id=camera_id,
            location=location,
            manufacturer=manufacturer,
            model=model,
            name=name,
        )

        found_device_view.additional_properties = d
        return found_device_view

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
