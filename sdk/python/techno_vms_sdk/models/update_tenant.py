from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateTenant")


@_attrs_define
class UpdateTenant:
    """Body of `PATCH /api/tenants/{id}`.

    Example:
        {'camera_quota': None, 'event_retention_days': 90, 'name': 'Example Logistics GmbH'}

    Attributes:
        camera_quota (int | None | Unset): New camera quota, at most the licence's; `null` removes it (only the
            licence's limit is left), absent keeps it.
        event_retention_days (int | None | Unset): Days the tenant keeps its events (1 to 3650); absent keeps it.
        name (None | str | Unset): New unique name; absent keeps it.
    """

    camera_quota: int | None | Unset = UNSET
    event_retention_days: int | None | Unset = UNSET
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        camera_quota: int | None | Unset
        if isinstance(self.camera_quota, Unset):
            camera_quota = UNSET
        else:
            camera_quota = self.camera_quota

        event_retention_days: int | None | Unset
        if isinstance(self.event_retention_days, Unset):
            event_retention_days = UNSET
        else:
            event_retention_days = self.event_retention_days

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if camera_quota is not UNSET:
            field_dict["camera_quota"] = camera_quota
        if event_retention_days is not UNSET:
            field_dict["event_retention_days"] = event_retention_days
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_camera_quota(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        camera_quota = _parse_camera_quota(d.pop("camera_quota", UNSET))

        def _parse_event_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        event_retention_days = _parse_event_retention_days(d.pop("event_retention_days", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        update_tenant = cls(
            camera_quota=camera_quota,
            event_retention_days=event_retention_days,
            name=name,
        )

        return update_tenant
