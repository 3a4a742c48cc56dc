from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alert_kind import AlertKind
from ..models.severity import Severity
from ..types import UNSET, Unset

T = TypeVar("T", bound="AlertView")


@_attrs_define
class AlertView:
    """An alert raised now.

    Example:
        {'camera_id': '6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b', 'id': '3f2b6c1d-8e4a-4b7c-9d1e-2f3a4b5c6d7e', 'kind':
            'camera_offline', 'message': 'the main stream of camera 6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b is offline
            (unreachable) since 2026-12-03 08:14:05 UTC', 'raised_at': '2026-12-03T08:15:05Z', 'scope': 'camera',
            'severity': 'warning', 'value': 75.0}

    Attributes:
        id (UUID): Stays the same from raise to clear; the `alert_id` of its events.
        kind (AlertKind): Which built-in rule.
        message (str): What is wrong.
        raised_at (datetime.datetime): When it was raised.
        scope (str): `camera` (one camera), `shared` (what records or serves every
            tenant: a recorder, a plane) or `installation` (the licence, the audit trail).
        severity (Severity): How urgent an alert is.
        camera_id (None | Unset | UUID): The camera, for a camera's alert.
        node (None | str | Unset): The node, for a recorder's or plane's alert.
        value (float | None | Unset): The figure compared with the threshold, in the rule's unit.
    """

    id: UUID
    kind: AlertKind
    message: str
    raised_at: datetime.datetime
    scope: str
    severity: Severity
    camera_id: None | Unset | UUID = UNSET
    node: None | str | Unset = UNSET
    value: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind.value

        message = self.message

        raised_at = self.raised_at.isoformat()

        scope = self.scope

        severity = self.severity.value

        camera_id: None | str | Unset
        if isinstance(self.camera_id, Unset):
            camera_id = UNSET
        elif isinstance(self.camera_id, UUID):
            camera_id = str(self.camera_id)
        else:
            camera_id = self.camera_id

        node: None | str | Unset
        if isinstance(self.node, Unset):
            node = UNSET
        else:
            node = self.node

        value: float | None | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "message": message,
                "raised_at": raised_at,
                "scope": scope,
                "severity": severity,
            }
        )
        if camera_id is not UNSET:
            field_dict["camera_id"] = camera_id
        if node is not UNSET:
            field_dict["node"] = node
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = AlertKind(d.pop("kind"))

        message = d.pop("message")

        raised_at = datetime.datetime.fromisoformat(d.pop("raised_at"))

        scope = d.pop("scope")

        severity = Severity(d.pop("severity"))

        def _parse_camera_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                camera_id_type_0 = UUID(data)

                return camera_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        camera_id = _parse_camera_id(d.pop("camera_id", UNSET))

        def _parse_node(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node = _parse_node(d.pop("node", UNSET))

        def _parse_value(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        value = _parse_value(d.pop("value", UNSET))

        alert_view = cls(
            id=id,
            kind=kind,
            message=message,
            raised_at=raised_at,
            scope=scope,
            severity=severity,
            camera_id=camera_id,
            node=node,
            value=value,
        )

        alert_view.additional_properties = d
        return alert_view

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
