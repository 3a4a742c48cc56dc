from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alert_kind import AlertKind
from ..models.severity import Severity
from ..types import UNSET, Unset

T = TypeVar("T", bound="AlertRuleView")


@_attrs_define
class AlertRuleView:
    """A built-in alert rule as in force.

    Example:
        {'clear_after_secs': 60, 'description': "Free space on a recorder's storage root below the threshold",
            'enabled': True, 'for_secs': 30, 'kind': 'disk_free_low', 'severity': 'critical', 'threshold': 5.0,
            'threshold_max': 99.9, 'threshold_min': 0.1, 'unit': 'percent', 'updated_at': None}

    Attributes:
        clear_after_secs (int): Seconds the condition must be gone before the alert clears.
        description (str): What it watches.
        enabled (bool): Whether it is checked; a disabled rule's alerts clear at once.
        for_secs (int): Seconds the condition must hold before the alert is raised.
        kind (AlertKind): Which built-in rule.
        severity (Severity): How urgent an alert is.
        threshold (float | None | Unset): Its threshold, in `unit` (absent for rules without one).
        threshold_max (float | None | Unset): Largest threshold allowed.
        threshold_min (float | None | Unset): Smallest threshold allowed.
        unit (None | str | Unset): The threshold's unit: `seconds`, `percent`, `days` or `restarts`.
        updated_at (datetime.datetime | None | Unset): When a super-admin last changed it; `null`: the defaults.
        window_secs (int | None | Unset): Its window in seconds: restarts are counted over it (`plane_restarts`),
            a hung plane's alert lasts it (`plane_hung`), the chain is verified
            this often (`audit_chain`). Absent for rules without one.
    """

    clear_after_secs: int
    description: str
    enabled: bool
    for_secs: int
    kind: AlertKind
    severity: Severity
    threshold: float | None | Unset = UNSET
    threshold_max: float | None | Unset = UNSET
    threshold_min: float | None | Unset = UNSET
    unit: None | str | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    window_secs: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        clear_after_secs = self.clear_after_secs

        description = self.description

        enabled = self.enabled

        for_secs = self.for_secs

        kind = self.kind.value

        severity = self.severity.value

        threshold: float | None | Unset
        if isinstance(self.threshold, Unset):
            threshold = UNSET
        else:
            threshold = self.threshold

        threshold_max: float | None | Unset
        if isinstance(self.threshold_max, Unset):
            threshold_max = UNSET
        else:
            threshold_max = self.threshold_max

        threshold_min: float | None | Unset
        if isinstance(self.threshold_min, Unset):
            threshold_min = UNSET
        else:
            threshold_min = self.threshold_min

        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        window_secs: int | None | Unset
        if isinstance(self.window_secs, Unset):
            window_secs = UNSET
        else:
            window_secs = self.window_secs

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clear_after_secs": clear_after_secs,
                "description": description,
                "enabled": enabled,
                "for_secs": for_secs,
                "kind": kind,
                "severity": severity,
            }
        )
        if threshold is not UNSET:
            field_dict["threshold"] = threshold
        if threshold_max is not UNSET:
            field_dict["threshold_max"] = threshold_max
        if threshold_min is not UNSET:
            field_dict["threshold_min"] = threshold_min
        if unit is not UNSET:
            field_dict["unit"] = unit
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if window_secs is not UNSET:
            field_dict["window_secs"] = window_secs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        clear_after_secs = d.pop("clear_after_secs")

        description = d.pop("description")

        enabled = d.pop("enabled")

        for_secs = d.pop("for_secs")

        kind = AlertKind(d.pop("kind"))

        severity = Severity(d.pop("severity"))

        def _parse_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        threshold = _parse_threshold(d.pop("threshold", UNSET))

        def _parse_threshold_max(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        threshold_max = _parse_threshold_max(d.pop("threshold_max", UNSET))

        def _parse_threshold_min(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        threshold_min = _parse_threshold_min(d.pop("threshold_min", UNSET))

        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        def _parse_window_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        window_secs = _parse_window_secs(d.pop("window_secs", UNSET))

        alert_rule_view = cls(
            clear_after_secs=clear_after_secs,
            description=description,
            enabled=enabled,
            for_secs=for_secs,
            kind=kind,
            severity=severity,
            threshold=threshold,
            threshold_max=threshold_max,
            threshold_min=threshold_min,
            unit=unit,
            updated_at=updated_at,
            window_secs=window_secs,
        )

        alert_rule_view.additional_properties = d
        return alert_rule_view

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
