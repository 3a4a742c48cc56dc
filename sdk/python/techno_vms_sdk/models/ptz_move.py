from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PtzMove")


@_attrs_define
class PtzMove:
    """Pan, tilt and zoom velocities for `POST /api/cameras/{id}/ptz/move`.

    Example:
        {'pan': 0.5, 'tilt': 0.0, 'timeout_ms': 1000, 'zoom': 0.0}

    Attributes:
        pan (float | Unset): −1 (left) to 1 (right).
        tilt (float | Unset): −1 (down) to 1 (up).
        timeout_ms (int | None | Unset): Stop by itself after this long, 1–60000 ms (default: until stopped).
        zoom (float | Unset): −1 (out) to 1 (in).
    """

    pan: float | Unset = UNSET
    tilt: float | Unset = UNSET
    timeout_ms: int | None | Unset = UNSET
    zoom: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        pan = self.pan

        tilt = self.tilt

        timeout_ms: int | None | Unset
        if isinstance(self.timeout_ms, Unset):
            timeout_ms = UNSET
        else:
            timeout_ms = self.timeout_ms

        zoom = self.zoom

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if pan is not UNSET:
            field_dict["pan"] = pan
        if tilt is not UNSET:
            field_dict["tilt"] = tilt
        if timeout_ms is not UNSET:
            field_dict["timeout_ms"] = timeout_ms
        if zoom is not UNSET:
            field_dict["zoom"] = zoom

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pan = d.pop("pan", UNSET)

        tilt = d.pop("tilt", UNSET)

        def _parse_timeout_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        timeout_ms = _parse_timeout_ms(d.pop("timeout_ms", UNSET))

        zoom = d.pop("zoom", UNSET)

        ptz_move = cls(
            pan=pan,
            tilt=tilt,
            timeout_ms=timeout_ms,
            zoom=zoom,
        )

        return ptz_move
