from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateAlertRule")


@_attrs_define
class UpdateAlertRule:
    """New settings for a rule; what is left out keeps its value.

    Example:
        {'clear_after_secs': 120, 'enabled': True, 'for_secs': 60, 'threshold': 10.0}

    Attributes:
        clear_after_secs (int | None | Unset): Seconds the condition must be gone before clearing, at most 86400.
        enabled (bool | None | Unset): Whether it is checked.
        for_secs (int | None | Unset): Seconds the condition must hold before raising, at most 86400.
        threshold (float | None | Unset): Its threshold, within the rule's bounds (only for rules with one).
        window_secs (int | None | Unset): Its window in seconds (only for rules with one).
    """

    clear_after_secs: int | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    for_secs: int | None | Unset = UNSET
    threshold: float | None | Unset = UNSET
    window_secs: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        clear_after_secs: int | None | Unset
        if isinstance(self.clear_after_secs, Unset):
            clear_after_secs = UNSET
        else:
            clear_after_secs = self.clear_after_secs

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        for_secs: int | None | Unset
        if isinstance(self.for_secs, Unset):
            for_secs = UNSET
        else:
            for_secs = self.for_secs

        threshold: float | None | Unset
        if isinstance(self.threshold, Unset):
            threshold = UNSET
        else:
            threshold = self.threshold

        window_secs: int | None | Unset
        if isinstance(self.window_secs, Unset):
            window_secs = UNSET
        else:
            window_secs = self.window_secs

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if clear_after_secs is not UNSET:
            field_dict["clear_after_secs"] = clear_after_secs
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if for_secs is not UNSET:
            field_dict["for_secs"] = for_secs
        if threshold is not UNSET:
            field_dict["threshold"] = threshold
        if window_secs is not UNSET:
            field_dict["window_secs"] = window_secs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_clear_after_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        clear_after_secs = _parse_clear_after_secs(d.pop("clear_after_secs", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_for_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        for_secs = _parse_for_secs(d.pop("for_secs", UNSET))

        def _parse_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        threshold = _parse_threshold(d.pop("threshold", UNSET))

        def _parse_window_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        window_secs = _parse_window_secs(d.pop("window_secs", UNSET))

        update_alert_rule = cls(
            clear_after_secs=clear_after_secs,
            enabled=enabled,
            for_secs=for_secs,
            threshold=threshold,
            window_secs=window_secs,
        )

        return update_alert_rule
