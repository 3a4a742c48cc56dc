from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line import Line
    from ..models.zone import Zone


T = TypeVar("T", bound="CameraAnalytics")


@_attrs_define
class CameraAnalytics:
    """How one camera is analysed.

    Example:
        {'enabled': True, 'fps': 5, 'labels': ['person', 'car'], 'lines': [{'a': [0.2, 0.6], 'b': [0.8, 0.6], 'labels':
            ['car'], 'name': 'gate'}], 'masks': [[[0.78, 0.0], [1.0, 0.0], [1.0, 0.08], [0.78, 0.08]]], 'min_area': 0.002,
            'min_score': 0.5, 'motion_sensitivity': 60, 'stream': 'sub', 'zones': [{'labels': ['person'], 'loiter_secs': 60,
            'name': 'dock_door', 'points': [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]]}]}

    Attributes:
        enabled (bool | Unset): Whether the camera is analysed at all (default true).
        fps (int | None | Unset): Pictures analysed a second, 1 to 30; the plane's `analytics.detect_fps` by default.
        labels (list[str] | Unset): The labels of the model that count (`person`, `car`); empty for all.
        lines (list[Line] | Unset): Lines: an object crosses one when the bottom centre of its box does.
        masks (list[list[list[float]]] | Unset): Areas never looked at for motion (a clock overlay, a tree, a busy
            road).
        max_area (float | None | Unset): The largest box that counts, as a share of the picture (0–1).
        min_area (float | None | Unset): The smallest box that counts, as a share of the picture (0–1).
        min_score (float | None | Unset): The median score an object needs, 0.05 to 0.99; the plane's
            `analytics.min_score` by default.
        motion_sensitivity (int | None | Unset): Motion sensitivity, 1 (only large, strong changes) to 100 (the
            faintest); 50 by default.
        stream (None | str | Unset): The stream analysed: `sub` or `main`; by default the sub stream, or
            the main stream of a camera that has none. Example: sub.
        zones (list[Zone] | Unset): Zones: an object is in one while the bottom centre of its box is.
    """

    enabled: bool | Unset = UNSET
    fps: int | None | Unset = UNSET
    labels: list[str] | Unset = UNSET
    lines: list[Line] | Unset = UNSET
    masks: list[list[list[float]]] | Unset = UNSET
    max_area: float | None | Unset = UNSET
    min_area: float | None | Unset = UNSET
    min_score: float | None | Unset = UNSET
    motion_sensitivity: int | None | Unset = UNSET
    stream: None | str | Unset = UNSET
    zones: list[Zone] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        fps: int | None | Unset
        if isinstance(self.fps, Unset):
            fps = UNSET
        else:
            fps = self.fps

        labels: list[str] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels

        lines: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lines, Unset):
            lines = []
            for lines_item_data in self.lines:
                lines_item = lines_item_data.to_dict()
                lines.append(lines_item)

        masks: list[list[list[float]]] | Unset = UNSET
        if not isinstance(self.masks, Unset):
            masks = []
            for masks_item_data in self.masks:
                masks_item = []
                for masks_item_item_data in masks_item_data:
                    masks_item_item = masks_item_item_data

                    masks_item.append(masks_item_item)

                masks.append(masks_item)

        max_area: float | None | Unset
        if isinstance(self.max_area, Unset):
            max_area = UNSET
        else:
            max_area = self.max_area

        min_area: float | None | Unset
        if isinstance(self.min_area, Unset):
            min_area = UNSET
        else:
            min_area = self.min_area

        min_score: float | None | Unset
        if isinstance(self.min_score, Unset):
            min_score = UNSET
        else:
            min_score = self.min_score

        motion_sensitivity: int | None | Unset
        if isinstance(self.motion_sensitivity, Unset):
            motion_sensitivity = UNSET
        else:
            motion_sensitivity = self.motion_sensitivity

        stream: None | str | Unset
        if isinstance(self.stream, Unset):
            stream = UNSET
        else:
            stream = self.stream

        zones: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.zones, Unset):
            zones = []
            for zones_item_data in self.zones:
                zones_item = zones_item_data.to_dict()
                zones.append(zones_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if fps is not UNSET:
            field_dict["fps"] = fps
        if labels is not UNSET:
            field_dict["labels"] = labels
        if lines is not UNSET:
            field_dict["lines"] = lines
        if masks is not UNSET:
            field_dict["masks"] = masks
        if max_area is not UNSET:
            field_dict["max_area"] = max_area
        if min_area is not UNSET:
            field_dict["min_area"] = min_area
        if min_score is not UNSET:
            field_dict["min_score"] = min_score
        if motion_sensitivity is not UNSET:
            field_dict["motion_sensitivity"] = motion_sensitivity
        if stream is not UNSET:
            field_dict["stream"] = stream
        if zones is not UNSET:
            field_dict["zones"] = zones

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.line import Line  # noqa: PLC0415
        from ..models.zone import Zone  # noqa: PLC0415

        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        def _parse_fps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        fps = _parse_fps(d.pop("fps", UNSET))

        labels = cast(list[str], d.pop("labels", UNSET))

        _lines = d.pop("lines", UNSET)
        lines: list[Line] | Unset = UNSET
        if _lines is not UNSET:
            lines = []
            for lines_item_data in _lines:
                lines_item = Line.from_dict(lines_item_data)

                lines.append(lines_item)

        _masks = d.pop("masks", UNSET)
        masks: list[list[list[float]]] | Unset = UNSET
        if _masks is not UNSET:
            masks = []
            for masks_item_data in _masks:
                masks_item = []
                _masks_item = masks_item_data
                for masks_item_item_data in _masks_item:
                    masks_item_item = cast(list[float], masks_item_item_data)

                    masks_item.append(masks_item_item)

                masks.append(masks_item)

        def _parse_max_area(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_area = _parse_max_area(d.pop("max_area", UNSET))

        def _parse_min_area(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_area = _parse_min_area(d.pop("min_area", UNSET))

        def _parse_min_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_score = _parse_min_score(d.pop("min_score", UNSET))

        def _parse_motion_sensitivity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        motion_sensitivity = _parse_motion_sensitivity(d.pop("motion_sensitivity", UNSET))

        def _parse_stream(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stream = _parse_stream(d.pop("stream", UNSET))

        _zones = d.pop("zones", UNSET)
        zones: list[Zone] | Unset = UNSET
        if _zones is not UNSET:
            zones = []
            for zones_item_data in _zones:
                zones_item = Zone.from_dict(zones_item_data)

                zones.append(zones_item)

        camera_analytics = cls(
            enabled=enabled,
            fps=fps,
            labels=labels,
            lines=lines,
            masks=masks,
            max_area=max_area,
            min_area=min_area,
            min_score=min_score,
            motion_sensitivity=motion_sensitivity,
            stream=stream,
            zones=zones,
        )

        return camera_analytics
