from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exports_usage import ExportsUsage
    from ..models.mqtt_view import MqttView
    from ..models.plane_view import PlaneView
    from ..models.system_view_components import SystemViewComponents


T = TypeVar("T", bound="SystemView")


@_attrs_define
class SystemView:
    """Body of `/api/system`.

    Attributes:
        components (SystemViewComponents): Infrastructure readiness.
        exports (ExportsUsage): What exports hold on this node, against `[export]` caps.
        node_id (str): This node.
        planes (list[PlaneView]): Every plane this node runs, control first.
        started_at (datetime.datetime): When control started.
        version (str): Control's build version.
        mqtt (MqttView | None | Unset):
    """

    components: SystemViewComponents
    exports: ExportsUsage
    node_id: str
    planes: list[PlaneView]
    started_at: datetime.datetime
    version: str
    mqtt: MqttView | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.mqtt_view import MqttView  # noqa: PLC0415

        components = self.components.to_dict()

        exports = self.exports.to_dict()

        node_id = self.node_id

        planes = []
        for planes_item_data in self.planes:
            planes_item = planes_item_data.to_dict()
            planes.append(planes_item)

        started_at = self.started_at.isoformat()

        version = self.version

        mqtt: dict[str, Any] | None | Unset
        if isinstance(self.mqtt, Unset):
            mqtt = UNSET
        elif isinstance(self.mqtt, MqttView):
            mqtt = self.mqtt.to_dict()
        else:
            mqtt = self.mqtt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "exports": exports,
                "node_id": node_id,
                "planes": planes,
                "started_at": started_at,
                "version": version,
            }
        )
        if mqtt is not UNSET:
            field_dict["mqtt"] = mqtt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exports_usage import ExportsUsage  # noqa: PLC0415
        from ..models.mqtt_view import MqttView  # noqa: PLC0415
        from ..models.plane_view import PlaneView  # noqa: PLC0415
        from ..models.system_view_components import SystemViewComponents  # noqa: PLC0415

        d = dict(src_dict)
        components = SystemViewComponents.from_dict(d.pop("components"))

        exports = ExportsUsage.from_dict(d.pop("exports"))

        node_id = d.pop("node_id")

        planes = []
        _planes = d.pop("planes")
        for planes_item_data in _planes:
            planes_item = PlaneView.from_dict(planes_item_data)

            planes.append(planes_item)

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        version = d.pop("version")

        def _parse_mqtt(data: object) -> MqttView | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mqtt_type_1 = MqttView.from_dict(data)

                return mqtt_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MqttView | None | Unset, data)

        mqtt = _parse_mqtt(d.pop("mqtt", UNSET))

        system_view = cls(
            components=components,
            exports=exports,
            node_id=node_id,
            planes=planes,
            started_at=started_at,
            version=version,
            mqtt=mqtt,
        )

        system_view.additional_properties = d
        return system_view

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
