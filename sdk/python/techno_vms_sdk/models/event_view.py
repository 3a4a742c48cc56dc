from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_view_attributes import EventViewAttributes


T = TypeVar("T", bound="EventView")


@_attrs_define
class EventView:
    """An event.

    Example:
        {'acknowledged_at': '2026-12-03T10:16:40Z', 'acknowledged_by': '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
            'attributes': {'box': [0.42, 0.31, 0.55, 0.88], 'label': 'person', 'score': 0.91, 'track_id': 4187, 'zones':
            ['dock_door']}, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'camera_name': 'Loading bay 2', 'end':
            '2026-12-03T10:14:31Z', 'has_snapshot': True, 'id': '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'site_id':
            '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'site_name': 'Harbour depot', 'snapshot_at': '2026-12-03T10:14:07Z',
            'start': '2026-12-03T10:14:07Z', 'tenant_id': '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'type': 'zone_enter',
            'updated_at': '2026-12-03T10:16:40Z'}

    Attributes:
        attributes (EventViewAttributes): What its source reported (label, score, box, zones, line, direction, track id,
            …).
        has_snapshot (bool): Whether it has a snapshot (`GET /api/events/{id}/snapshot`).
        id (UUID): Its id.
        start (datetime.datetime): When it started.
        tenant_id (UUID): Its tenant.
        type_ (str): What happened: `motion`, `object`, `zone_enter`, `line_crossed`, …
        updated_at (datetime.datetime): When it last changed.
        acknowledged_at (datetime.datetime | None | Unset): When an operator acknowledged it.
        acknowledged_by (None | Unset | UUID): Who acknowledged it.
        camera_id (None | Unset | UUID): The camera it concerns.
        camera_name (None | str | Unset): The camera's name now (kept after the camera's deletion).
        end (datetime.datetime | None | Unset): When it ended; absent while it goes on.
        site_id (None | Unset | UUID): Its camera's site when it happened.
        site_name (None | str | Unset): That site's name now.
        snapshot_at (datetime.datetime | None | Unset): When the snapshot's keyframe arrived from the camera.
        snapshot_error (None | str | Unset): Why a rule could not take a snapshot (`no snapshot: camera offline: …`).
        tenant_name (None | str | Unset): That tenant's name now.
    """

    attributes: EventViewAttributes
    has_snapshot: bool
    id: UUID
    start: datetime.datetime
    tenant_id: UUID
    type_: str
    updated_at: datetime.datetime
    acknowledged_at: datetime.datetime | None | Unset = UNSET
    acknowledged_by: None | Unset | UUID = UNSET
    camera_id: None | Unset | UUID = UNSET
    camera_name: None | str | Unset = UNSET
    end: datetime.datetime | None | Unset = UNSET
    site_id: None | Unset | UUID = UNSET
    site_name: None | str | Unset = UNSET
    snapshot_at: datetime.datetime | None | Unset = UNSET
    snapshot_error: None | str | Unset = UNSET
    tenant_name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attributes = self.attributes.to_dict()

        has_snapshot = self.has_snapshot

        id = str(self.id)

        start = self.start.isoformat()

        tenant_id = str(self.tenant_id)

        type_ = self.type_

        updated_at = self.updated_at.isoformat()

        acknowledged_at: None | str | Unset
        if isinstance(self.acknowledged_at, Unset):
            acknowledged_at = UNSET
        elif isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        acknowledged_by: None | str | Unset
        if isinstance(self.acknowledged_by, Unset):
            acknowledged_by = UNSET
        elif isinstance(self.acknowledged_by, UUID):
            acknowledged_by = str(self.acknowledged_by)
        else:
            acknowledged_by = self.acknowledged_by

        camera_id: None | str | Unset
        if isinstance(self.camera_id, Unset):
            camera_id = UNSET
        elif isinstance(self.camera_id, UUID):
            camera_id = str(self.camera_id)
        else:
            camera_id = self.camera_id

        camera_name: None | str | Unset
        if isinstance(self.camera_name, Unset):
            camera_name = UNSET
        else:
            camera_name = self.camera_name

        end: None | str | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        elif isinstance(self.end, datetime.datetime):
            end = self.end.isoformat()
        else:
            end = self.end

        site_id: None | str | Unset
        if isinstance(self.site_id, Unset):
            site_id = UNSET
        elif isinstance(self.site_id, UUID):
            site_id = str(self.site_id)
        else:
            site_id = self.site_id

        site_name: None | str | Unset
        if isinstance(self.site_name, Unset):
            site_name = UNSET
        else:
            site_name = self.site_name

        snapshot_at: None | str | Unset
        if isinstance(self.snapshot_at, Unset):
            snapshot_at = UNSET
        elif isinstance(self.snapshot_at, datetime.datetime):
            snapshot_at = self.snapshot_at.isoformat()
        else:
            snapshot_at = self.snapshot_at

        snapshot_error: None | str | Unset
        if isinstance(self.snapshot_error, Unset):
            snapshot_error = UNSET
        else:
            snapshot_error = self.snapshot_error

        tenant_name: None | str | Unset
        if isinstance(self.tenant_name, Unset):
            tenant_name = UNSET
        else:
            tenant_name = self.tenant_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attributes": attributes,
                "has_snapshot": has_snapshot,
                "id": id,
                "start": start,
                "tenant_id": tenant_id,
                "type": type_,
                "updated_at": updated_at,
            }
        )
        if acknowledged_at is not UNSET:
            field_dict["acknowledged_at"] = acknowledged_at
        if acknowledged_by is not UNSET:
            field_dict["acknowledged_by"] = acknowledged_by
        if camera_id is not UNSET:
            field_dict["camera_id"] = camera_id
        if camera_name is not UNSET:
            field_dict["camera_name"] = camera_name
        if end is not UNSET:
            field_dict["end"] = end
        if site_id is not UNSET:
            field_dict["site_id"] = site_id
        if site_name is not UNSET:
            field_dict["site_name"] = site_name
        if snapshot_at is not UNSET:
            field_dict["snapshot_at"] = snapshot_at
        if snapshot_error is not UNSET:
            field_dict["snapshot_error"] = snapshot_error
        if tenant_name is not UNSET:
            field_dict["tenant_name"] = tenant_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_view_attributes import EventViewAttributes  # noqa: PLC0415

        d = dict(src_dict)
        attributes = EventViewAttributes.from_dict(d.pop("attributes"))

        has_snapshot = d.pop("has_snapshot")

        id = UUID(d.pop("id"))

        start = datetime.datetime.fromisoformat(d.pop("start"))

        tenant_id = UUID(d.pop("tenant_id"))

        type_ = d.pop("type")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at", UNSET))

        def _parse_acknowledged_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_by_type_0 = UUID(data)

                return acknowledged_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by", UNSET))

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

        def _parse_camera_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        camera_name = _parse_camera_name(d.pop("camera_name", UNSET))

        def _parse_end(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_type_0 = datetime.datetime.fromisoformat(data)

                return end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))

        def _parse_site_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                site_id_type_0 = UUID(data)

                return site_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        site_id = _parse_site_id(d.pop("site_id", UNSET))

        def _parse_site_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        site_name = _parse_site_name(d.pop("site_name", UNSET))

        def _parse_snapshot_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                snapshot_at_type_0 = datetime.datetime.fromisoformat(data)

                return snapshot_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        snapshot_at = _parse_snapshot_at(d.pop("snapshot_at", UNSET))

        def _parse_snapshot_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        snapshot_error = _parse_snapshot_error(d.pop("snapshot_error", UNSET))

        def _parse_tenant_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tenant_name = _parse_tenant_name(d.pop("tenant_name", UNSET))

        event_view = cls(
            attributes=attributes,
            has_snapshot=has_snapshot,
            id=id,
            start=start,
            tenant_id=tenant_id,
            type_=type_,
            updated_at=updated_at,
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            camera_id=camera_id,
            camera_name=camera_name,
            end=end,
            site_id=site_id,
            site_name=site_name,
            snapshot_at=snapshot_at,
            snapshot_error=snapshot_error,
            tenant_name=tenant_name,
        )

        event_view.additional_properties = d
        return event_view

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
