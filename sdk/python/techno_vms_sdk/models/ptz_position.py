from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PtzPosition")


@_attrs_define
class PtzPosition:
    """A position (`/ptz/absolute`: pan and tilt −1..1, zoom 0..1) or a
    translation (`/ptz/relative`: each −1..1).

        Example:
            {'pan': -0.25, 'tilt': 0.1, 'zoom': 0.5}

        Attributes:
            pan (float | Unset): Pan.
            tilt (float | Unset): Tilt.
            zoom (float | Unset): Zoom.
    """

    pan: float | Unset = UNSET
    tilt: float | Unset = UNSET
    zoom: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        pan = self.pan

        tilt = self.tilt

        zoom = self.zoom

        field_dict: dict[str, Any] = {}

        field_dict.update({})
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
        pan = d.pop("pan", UNSET)

        tilt = d.pop("tilt", UNSET)

        zoom = d.pop("zoom", UNSET)

        ptz_position = cls(
            pan=pan,
            tilt=tilt,
            zoom=zoom,
        )

        return ptz_position
