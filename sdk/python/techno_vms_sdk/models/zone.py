from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Zone")


@_attrs_define
class Zone:
    """A zone drawn on the picture.

    Attributes:
        name (str): Its name, unique among the camera's zones and lines (it names the events).
        points (list[list[float]]): Its corners, 3 to 64, in order; the last joins the first. The
            polygon must not cross itself. Example: [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]].
        labels (list[str] | Unset): The labels that count here; empty for every label the camera counts.
        loiter_secs (int | None | Unset): An object staying this many seconds is loitering (1 to 86,400); none by
            default.
    """

    name: str
    points: list[list[float]]
    labels: list[str] | Unset = UNSET
    loiter_secs: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        points = []
        for points_item_data in self.points:
            points_item = points_item_data

            points.append(points_item)

        labels: list[str] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels

        loiter_secs: int | None | Unset
        if isinstance(self.loiter_secs, Unset):
            loiter_secs = UNSET
        else:
            loiter_secs = self.loiter_secs

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "points": points,
            }
        )
        if labels is not UNSET:
            field_dict["labels"] = labels
        if loiter_secs is not UNSET:
            field_dict["loiter_secs"] = loiter_secs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        points = []
        _points = d.pop("points")
        for points_item_data in _points:
            points_item = cast(list[float], points_item_data)

            points.append(points_item)

        labels = cast(list[str], d.pop("labels", UNSET))

        def _parse_loiter_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        loiter_secs = _parse_loiter_secs(d.pop("loiter_secs", UNSET))

        zone = cls(
            name=name,
            points=points,
            labels=labels,
            loiter_secs=loiter_secs,
        )

        return zone
