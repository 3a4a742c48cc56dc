from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Line")


@_attrs_define
class Line:
    """A line drawn on the picture, with a direction: from `a` to `b`.
    Crossings are reported as `left_to_right` or `right_to_left`, as seen
    standing on `a` looking at `b`.

        Attributes:
            a (list[float]): One end. Example: [0.2, 0.6].
            b (list[float]): The other end. Example: [0.8, 0.6].
            name (str): Its name, unique among the camera's zones and lines.
            labels (list[str] | Unset): The labels that count here; empty for every label the camera counts.
    """

    a: list[float]
    b: list[float]
    name: str
    labels: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        a = self.a

        b = self.b

        name = self.name

        labels: list[str] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "a": a,
                "b": b,
                "name": name,
            }
        )
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        a = cast(list[float], d.pop("a"))

        b = cast(list[float], d.pop("b"))

        name = d.pop("name")

        labels = cast(list[str], d.pop("labels", UNSET))

        line = cls(
            a=a,
            b=b,
            name=name,
            labels=labels,
        )

        return line
