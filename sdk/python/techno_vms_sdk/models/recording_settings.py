from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.schedule_range import ScheduleRange


T = TypeVar("T", bound="RecordingSettings")


@_attrs_define
class RecordingSettings:
    """A camera's recording settings.

    Example:
        {'event_retention_days': 90, 'mode': 'scheduled', 'post_buffer_secs': 10, 'pre_buffer_secs': 5,
            'retention_days': 30, 'schedule': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'end': '06:00', 'start':
            '18:00'}, {'days': ['sat', 'sun'], 'end': '24:00', 'start': '00:00'}]}

    Attributes:
        event_retention_days (int | None | Unset): Days event footage is kept (1–36500); `null`: as `retention_days`.
        mode (str | Unset): `continuous` (the default), `scheduled` (during `schedule`, in the
            local time of the camera's site, daylight saving included) or `event`
            (while an event is open, from `pre_buffer_secs` before it to
            `post_buffer_secs` after it).
        post_buffer_secs (int | Unset): Seconds recorded after an event ends (0–300, default 10).
        pre_buffer_secs (int | Unset): Seconds kept from before an event starts (0–30, default 5).
        retention_days (int | None | Unset): Days recordings are kept (1–36500); `null` keeps them until their
            storage root needs the space for newer ones (oldest go first).
        schedule (list[ScheduleRange] | Unset): Weekly ranges for `scheduled`: at most 336 (one per half hour of the
            week); repeats are dropped.
    """

    event_retention_days: int | None | Unset = UNSET
    mode: str | Unset = UNSET
    post_buffer_secs: int | Unset = UNSET
    pre_buffer_secs: int | Unset = UNSET
    retention_days: int | None | Unset = UNSET
    schedule: list[ScheduleRange] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event_retention_days: int | None | Unset
        if isinstance(self.event_retention_days, Unset):
            event_retention_days = UNSET
        else:
            event_retention_days = self.event_retention_days

        mode = self.mode

        post_buffer_secs = self.post_buffer_secs

        pre_buffer_secs = self.pre_buffer_secs

        retention_days: int | None | Unset
        if isinstance(self.retention_days, Unset):
            retention_days = UNSET
        else:
            retention_days = self.retention_days

        schedule: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.schedule, Unset):
            schedule = []
            for schedule_item_data in self.schedule:
                schedule_item = schedule_item_data.to_dict()
                schedule.append(schedule_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if event_retention_days is not UNSET:
            field_dict["event_retention_days"] = event_retention_days
        if mode is not UNSET:
            field_dict["mode"] = mode
        if post_buffer_secs is not UNSET:
            field_dict["post_buffer_secs"] = post_buffer_secs
        if pre_buffer_secs is not UNSET:
            field_dict["pre_buffer_secs"] = pre_buffer_secs
        if retention_days is not UNSET:
            field_dict["retention_days"] = retention_days
        if schedule is not UNSET:
            field_dict["schedule"] = schedule

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_range import ScheduleRange  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_event_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        event_retention_days = _parse_event_retention_days(d.pop("event_retention_days", UNSET))

        mode = d.pop("mode", UNSET)

        post_buffer_secs = d.pop("post_buffer_secs", UNSET)

        pre_buffer_secs = d.pop("pre_buffer_secs", UNSET)

        def _parse_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retention_days = _parse_retention_days(d.pop("retention_days", UNSET))

        _schedule = d.pop("schedule", UNSET)
        schedule: list[ScheduleRange] | Unset = UNSET
        if _schedule is not UNSET:
            schedule = []
            for schedule_item_data in _schedule:
                schedule_item = ScheduleRange.from_dict(schedule_item_data)

                schedule.append(schedule_item)

        recording_settings = cls(
            event_retention_days=event_retention_days,
            mode=mode,
            post_buffer_secs=post_buffer_secs,
            pre_buffer_secs=pre_buffer_secs,
            retention_days=retention_days,
            schedule=schedule,
        )

        return recording_settings
