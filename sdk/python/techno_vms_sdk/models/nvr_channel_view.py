from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NvrChannelView")


@_attrs_define
class NvrChannelView:
    """One channel of an NVR.

    Attributes:
        main_url (str): Main stream address (credentials are the NVR's, never in it).
        number (int): Its number as the NVR shows it, from 1.
        camera_id (None | Unset | UUID): The camera made from it, if it is one.
        name (None | str | Unset): Its title on the NVR.
        online (bool | None | Unset): Whether a camera streams to it, where the NVR says.
        sub_url (None | str | Unset): Sub stream address.
    """

    main_url: str
    number: int
    camera_id: None | Unset | UUID = UNSET
    name: None | str | Unset = UNSET
    online: bool | None | Unset = UNSET
    sub_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        main_url = self.main_url

        number = self.number

        camera_id: None | str | Unset
        if isinstance(self.camera_id, Unset):
            camera_id = UNSET
        elif isinstance(self.camera_id, UUID):
            camera_id = str(self.camera_id)
        else:
            camera_id = self.camera_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        online: bool | None | Unset
        if isinstance(self.online, Unset):
            online = UNSET
        else:
            online = self.online

        sub_url: None | str | Unset
        if isinstance(self.sub_url, Unset):
            sub_url = UNSET
        else:
            sub_url = self.sub_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "main_url": main_url,
                "number": number,
            }
        )
        if camera_id is not UNSET:
            field_dict["camera_id"] = camera_id
        if name is not UNSET:
            field_dict["name"] = name
        if online is not UNSET:
            field_dict["online"] = online
        if sub_url is not UNSET:
            field_dict["sub_url"] = sub_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        main_url = d.pop("main_url")

        number = d.pop("number")

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

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_online(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        online = _parse_online(d.pop("online", UNSET))

        def _parse_sub_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sub_url = _parse_sub_url(d.pop("sub_url", UNSET))

        nvr_channel_view = cls(
            main_url=main_url,
            number=number,
            camera_id=camera_id,
            name=name,
            online=online,
            sub_url=sub_url,
        )

        nvr_channel_view.additional_properties = d
        return nvr_channel_view

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
