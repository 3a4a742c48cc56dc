from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ScheduleRange")


@_attrs_define
class ScheduleRange:
    """One weekly range of a schedule, in the site's local time.

    Attributes:
        days (list[str]): Days it starts on: `mon` … `sun`, at most 7; repeats are dropped.
        end (str): Local end, `HH:MM` (`24:00` for the end of the day); not after
            `start` means overnight into the next day.
        start (str): Local start, `HH:MM`.
    """

    days: list[str]
    end: str
    start: str

    def to_dict(self) -> dict[str, Any]:
        days = self.days

        end = self.end

        start = self.start

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "days": days,
                "end": end,
                "start": start,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        days = cast(list[str], d.pop("days"))

        end = d.pop("end")

        start = d.pop("start")

        schedule_range = cls(
            days=days,
            end=end,
            start=start,
        )

        return schedule_range
