from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scan_state import ScanState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.found_device_view import FoundDeviceView
    from ..models.scan_progress import ScanProgress


T = TypeVar("T", bound="ScanView")


@_attrs_define
class ScanView:
    """A scan and what it found.

    Example:
        {'devices': [{'address': '192.168.1.64', 'camera_id': None, 'device_url':
            'http://192.168.1.64/onvif/device_service', 'endpoint': 'urn:uuid:4d454930-0000-1000-8000-bcad28e4f7b1',
            'location': None, 'manufacturer': 'HIKVISION', 'model': 'DS-2CD2143G2-I', 'name': 'Gate', 'scopes':
            ['onvif://www.onvif.org/name/Gate']}], 'error': None, 'finished_at': '2026-12-03T10:00:05Z', 'id':
            '0b0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'progress': {'probed': 254, 'total': 254}, 'started_at':
            '2026-12-03T10:00:00Z', 'state': 'done'}

    Attributes:
        devices (list[FoundDeviceView]): Devices in the order they answered.
        id (UUID): The scan's id.
        progress (ScanProgress): How far a scan has come.
        started_at (datetime.datetime): When it started.
        state (ScanState): Where a scan is.
        error (None | str | Unset): Why it failed.
        finished_at (datetime.datetime | None | Unset): When it ended.
    """

    devices: list[FoundDeviceView]
    id: UUID
    progress: ScanProgress
    started_at: datetime.datetime
    state: ScanState
    error: None | str | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        devices = []
        for devices_item_data in self.devices:
            devices_item = devices_item_data.to_dict()
            devices.append(devices_item)

        id = str(self.id)

        progress = self.progress.to_dict()

        started_at = self.started_at.isoformat()

        state = self.state.value

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "devices": devices,
                "id": id,
                "progress": progress,
                "started_at": started_at,
                "state": state,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.found_device_view import FoundDeviceView  # noqa: PLC0415
        from ..models.scan_progress import ScanProgress  # noqa: PLC0415

        d = dict(src_dict)
        devices = []
        _devices = d.pop("devices")
        for devices_item_data in _devices:
            devices_item = FoundDeviceView.from_dict(devices_item_data)

            devices.append(devices_item)

        id = UUID(d.pop("id"))

        progress = ScanProgress.from_dict(d.pop("progress"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        state = ScanState(d.pop("state"))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        scan_view = cls(
            devices=devices,
            id=id,
            progress=progress,
            started_at=started_at,
            state=state,
            error=error,
            finished_at=finished_at,
        )

        scan_view.additional_properties = d
        return scan_view

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
