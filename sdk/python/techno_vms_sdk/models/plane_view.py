from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plane_view_analytics_item import PlaneViewAnalyticsItem
    from ..models.plane_view_storage_item import PlaneViewStorageItem


T = TypeVar("T", bound="PlaneView")


@_attrs_define
class PlaneView:
    """A plane as control sees it.

    Attributes:
        alerts (list[str]): Critical conditions it reports (a full disk, a background task that
            keeps panicking); empty when all is well.
        node_id (str): Node.
        plane (str): `control`, `media`, `recorder` or `ai`.
        status (str): `up`, `stopping` or `down` (no recent report).
        analytics (list[PlaneViewAnalyticsItem] | Unset): For the analytics plane, each stream it analyses: detect rate
            asked
            and achieved (`fps`), pictures received, lost, decoded, analysed and
            failed, whether only keyframes are decoded, whether motion is going
            on, the objects followed, the last inference's time, and the last
            decoding error and model error.
        assigned_streams (int | None | Unset): Number of streams assigned to it.
        assignments_revision (int | None | Unset): Revision of the assignments it works from.
        control_connected (bool | None | Unset): Whether it follows control's assignment stream right now.
        grpc_addr (None | str | Unset): Its gRPC address.
        grpc_reachable (bool | None | Unset): Whether its gRPC service answered control just now.
        last_report_secs (float | None | Unset): Seconds since its last status report.
        pid (int | None | Unset): OS process id.
        started_at (datetime.datetime | None | Unset): Process start.
        storage (list[PlaneViewStorageItem] | Unset): For a recorder, each storage root: `path`, `total_bytes`,
            `free_bytes`, `recorded_bytes`, `locked_bytes`, `max_bytes` (its
            quota), `oldest` (where its footage starts) and `error`, as its last
            retention sweep found them.
        version (None | str | Unset): Build version, once it has reported.
    """

    alerts: list[str]
    node_id: str
    plane: str
    status: str
    analytics: list[PlaneViewAnalyticsItem] | Unset = UNSET
    assigned_streams: int | None | Unset = UNSET
    assignments_revision: int | None | Unset = UNSET
    control_connected: bool | None | Unset = UNSET
    grpc_addr: None | str | Unset = UNSET
    grpc_reachable: bool | None | Unset = UNSET
    last_report_secs: float | None | Unset = UNSET
    pid: int | None | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    storage: list[PlaneViewStorageItem] | Unset = UNSET
    version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alerts = self.alerts

        node_id = self.node_id

        plane = self.plane

        status = self.status

        analytics: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.analytics, Unset):
            analytics = []
            for analytics_item_data in self.analytics:
                analytics_item = analytics_item_data.to_dict()
                analytics.append(analytics_item)

        assigned_streams: int | None | Unset
        if isinstance(self.assigned_streams, Unset):
            assigned_streams = UNSET
        else:
            assigned_streams = self.assigned_streams

        assignments_revision: int | None | Unset
        if isinstance(self.assignments_revision, Unset):
            assignments_revision = UNSET
        else:
            assignments_revision = self.assignments_revision

        control_connected: bool | None | Unset
        if isinstance(self.control_connected, Unset):
            control_connected = UNSET
        else:
            control_connected = self.control_connected

        grpc_addr: None | str | Unset
        if isinstance(self.grpc_addr, Unset):
            grpc_addr = UNSET
        else:
            grpc_addr = self.grpc_addr

        grpc_reachable: bool | None | Unset
        if isinstance(self.grpc_reachable, Unset):
            grpc_reachable = UNSET
        else:
            grpc_reachable = self.grpc_reachable

        last_report_secs: float | None | Unset
        if isinstance(self.last_report_secs, Unset):
            last_report_secs = UNSET
        else:
            last_report_secs = self.last_report_secs

        pid: int | None | Unset
        if isinstance(self.pid, Unset):
            pid = UNSET
        else:
            pid = self.pid

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        storage: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.storage, Unset):
            storage = []
            for storage_item_data in self.storage:
                storage_item = storage_item_data.to_dict()
                storage.append(storage_item)

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alerts": alerts,
                "node_id": node_id,
                "plane": plane,
                "status": status,
            }
        )
        if analytics is not UNSET:
            field_dict["analytics"] = analytics
        if assigned_streams is not UNSET:
            field_dict["assigned_streams"] = assigned_streams
        if assignments_revision is not UNSET:
            field_dict["assignments_revision"] = assignments_revision
        if control_connected is not UNSET:
            field_dict["control_connected"] = control_connected
        if grpc_addr is not UNSET:
            field_dict["grpc_addr"] = grpc_addr
        if grpc_reachable is not UNSET:
            field_dict["grpc_reachable"] = grpc_reachable
        if last_report_secs is not UNSET:
            field_dict["last_report_secs"] = last_report_secs
        if pid is not UNSET:
            field_dict["pid"] = pid
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if storage is not UNSET:
            field_dict["storage"] = storage
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plane_view_analytics_item import PlaneViewAnalyticsItem  # noqa: PLC0415
        from ..models.plane_view_storage_item import PlaneViewStorageItem  # noqa: PLC0415

        d = dict(src_dict)
        alerts = cast(list[str], d.pop("alerts"))

        node_id = d.pop("node_id")

        plane = d.pop("plane")

        status = d.pop("status")

        _analytics = d.pop("analytics", UNSET)
        analytics: list[PlaneViewAnalyticsItem] | Unset = UNSET
        if _analytics is not UNSET:
            analytics = []
            for analytics_item_data in _analytics:
                analytics_item = PlaneViewAnalyticsItem.from_dict(analytics_item_data)

                analytics.append(analytics_item)

        def _parse_assigned_streams(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        assigned_streams = _parse_assigned_streams(d.pop("assigned_streams", UNSET))

        def _parse_assignments_revision(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        assignments_revision = _parse_assignments_revision(d.pop("assignments_revision", UNSET))

        def _parse_control_connected(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        control_connected = _parse_control_connected(d.pop("control_connected", UNSET))

        def _parse_grpc_addr(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        grpc_addr = _parse_grpc_addr(d.pop("grpc_addr", UNSET))

        def _parse_grpc_reachable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        grpc_reachable = _parse_grpc_reachable(d.pop("grpc_reachable", UNSET))

        def _parse_last_report_secs(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        last_report_secs = _parse_last_report_secs(d.pop("last_report_secs", UNSET))

        def _parse_pid(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pid = _parse_pid(d.pop("pid", UNSET))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        _storage = d.pop("storage", UNSET)
        storage: list[PlaneViewStorageItem] | Unset = UNSET
        if _storage is not UNSET:
            storage = []
            for storage_item_data in _storage:
                storage_item = PlaneViewStorageItem.from_dict(storage_item_data)

                storage.append(storage_item)

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        plane_view = cls(
            alerts=alerts,
            node_id=node_id,
            plane=plane,
            status=status,
            analytics=analytics,
            assigned_streams=assigned_streams,
            assignments_revision=assignments_revision,
            control_connected=control_connected,
            grpc_addr=grpc_addr,
            grpc_reachable=grpc_reachable,
            last_report_secs=last_report_secs,
            pid=pid,
            started_at=started_at,
            storage=storage,
            version=version,
        )

        plane_view.additional_properties = d
        return plane_view

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
