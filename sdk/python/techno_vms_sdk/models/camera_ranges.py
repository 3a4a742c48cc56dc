from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.time_range import TimeRange


T = TypeVar("T", bound="CameraRanges")


@_attrs_define
class CameraRanges:
    """The recorded stretches of one camera.

    Attributes:
        camera_id (UUID): The camera.
        ranges (list[TimeRange]): Its stretches with video, clipped to the window, oldest first.
    """

    camera_id: UUID
    ranges: list[TimeRange]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        camera_id = str(self.camera_id)

        ranges = []
        for ranges_item_data in self.ranges:
            ranges_item = ranges_item_data.to_dict()
            ranges.append(ranges_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "camera_id": camera_id,
                "ranges": ranges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.time_range import TimeRange  # noqa: PLC0415

        d = dict(src_dict)
        camera_id = UUID(d.pop("camera_id"))

        ranges = []
        _ranges = d.pop("ranges")
        for ranges_item_data in _ranges:
            ranges_item = TimeRange.from_dict(ranges_item_data)

            ranges.append(ranges_item)

        camera_ranges = cls(
            camera_id=camera_id,
            ranges=ranges,
        )

        camera_ranges.additional_properties = d
        return camera_ranges

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
