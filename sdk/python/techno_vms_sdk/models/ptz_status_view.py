from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PtzStatusView")


@_attrs_define
class PtzStatusView:
    """Answer of `GET /api/cameras/{id}/ptz/status`.

    Example:
        {'moving': False, 'pan': 0.25, 'tilt': -0.1, 'zoom': 0.0}

    Attributes:
        moving (bool): Whether it moves.
        pan (float | None | Unset): Pan, if the camera reports its position.
        tilt (float | None | Unset): Tilt.
        zoom (float | None | Unset): Zoom.
    """

    moving: bool
    pan: float | None | Unset = UNSET
    tilt: float | None | Unset = UNSET
    zoom: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        moving = self.moving

        pan: float | None | Unset
        if isinstance(self.pan, Unset):
            pan = UNSET
        else:
            pan = self.pan

        tilt: float | None | Unset
        if isinstance(self.tilt, Unset):
            tilt = UNSET
        else:
            tilt = self.tilt

        zoom: float | None | Unset
        if isinstance(self.zoom, Unset):
            zoom = UNSET
        else:
            zoom = self.zoom

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "moving": moving,
            }
        )
        if pan is not UNSET:
            field_dict["pan"] = pan
        if tilt is not UNSET:
            field_dict["tilt"] = tilt
        if zoom is not UNSET:
            field_dict["zoom"] = zoom

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        moving = d.pop("moving")

        def _parse_pan(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        pan = _parse_pan(d.pop("pan", UNSET))

        def _parse_tilt(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        tilt = _parse_tilt(d.pop("tilt", UNSET))

        def _parse_zoom(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        zoom = _parse_zoom(d.pop("zoom", UNSET))

        ptz_status_view = cls(
            moving=moving,
            pan=pan,
            tilt=tilt,
            zoom=zoom,
        )

        ptz_status_view.additional_properties = d
        return ptz_status_view

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
