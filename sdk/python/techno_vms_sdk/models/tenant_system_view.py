from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plane_status_view import PlaneStatusView
    from ..models.tenant_cameras_view import TenantCamerasView
    from ..models.tenant_streams_view import TenantStreamsView
    from ..models.tenant_system_view_components import TenantSystemViewComponents


T = TypeVar("T", bound="TenantSystemView")


@_attrs_define
class TenantSystemView:
    """`/api/system` for a tenant administrator: no process ids, addresses,
    node internals or counts that cover other tenants.

        Attributes:
            components (TenantSystemViewComponents): Whether the database, Redis and NATS are ready (no detail).
            planes (list[PlaneStatusView]): Each plane's `up`, `stopping` or `down`, control first.
            version (str): Control's build version.
            cameras (None | TenantCamerasView | Unset):
            streams (None | TenantStreamsView | Unset):
    """

    components: TenantSystemViewComponents
    planes: list[PlaneStatusView]
    version: str
    cameras: None | TenantCamerasView | Unset = UNSET
    streams: None | TenantStreamsView | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tenant_cameras_view import TenantCamerasView  # noqa: PLC0415
        from ..models.tenant_streams_view import TenantStreamsView  # noqa: PLC0415

        components = self.components.to_dict()

        planes = []
        for planes_item_data in self.planes:
            planes_item = planes_item_data.to_dict()
            planes.append(planes_item)

        version = self.version

        cameras: dict[str, Any] | None | Unset
        if isinstance(self.cameras, Unset):
            cameras = UNSET
        elif isinstance(self.cameras, TenantCamerasView):
            cameras = self.cameras.to_dict()
        else:
            cameras = self.cameras

        streams: dict[str, Any] | None | Unset
        if isinstance(self.streams, Unset):
            streams = UNSET
        elif isinstance(self.streams, TenantStreamsView):
            streams = self.streams.to_dict()
        else:
            streams = self.streams

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "planes": planes,
                "version": version,
            }
        )
        if cameras is not UNSET:
            field_dict["cameras"] = cameras
        if streams is not UNSET:
            field_dict["streams"] = streams

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plane_status_view import PlaneStatusView  # noqa: PLC0415
        from ..models.tenant_cameras_view import TenantCamerasView  # noqa: PLC0415
        from ..models.tenant_streams_view import TenantStreamsView  # noqa: PLC0415
        from ..models.tenant_system_view_components import TenantSystemViewComponents  # noqa: PLC0415

        d = dict(src_dict)
        components = TenantSystemViewComponents.from_dict(d.pop("components"))

        planes = []
        _planes = d.pop("planes")
        for planes_item_data in _planes:
            planes_item = PlaneStatusView.from_dict(planes_item_data)

            planes.append(planes_item)

        version = d.pop("version")

        def _parse_cameras(data: object) -> None | TenantCamerasView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cameras_type_1 = TenantCamerasView.from_dict(data)

                return cameras_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantCamerasView | Unset, data)

        cameras = _parse_cameras(d.pop("cameras", UNSET))

        def _parse_streams(data: object) -> None | TenantStreamsView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                streams_type_1 = TenantStreamsView.from_dict(data)

                return streams_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TenantStreamsView | Unset, data)

        streams = _parse_streams(d.pop("streams", UNSET))

        tenant_system_view = cls(
            components=components,
            planes=planes,
            version=version,
            cameras=cameras,
            streams=streams,
        )

        tenant_system_view.additional_properties = d
        return tenant_system_view

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
