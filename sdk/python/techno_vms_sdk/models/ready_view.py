from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ready_view_alerts import ReadyViewAlerts
    from ..models.ready_view_components import ReadyViewComponents


T = TypeVar("T", bound="ReadyView")


@_attrs_define
class ReadyView:
    """Body of `/health/ready`, whether 200 or 503.

    Attributes:
        alerts (ReadyViewAlerts): The alerts raised now, counted by severity (`warning`, `critical`;
            see `GET /api/alerts`); they do not make the node unready. Only
            counts, and not by rule: this probe needs no login.
        code (str): `ready`, or `unavailable` with a 503.
        components (ReadyViewComponents): Each component: database, redis, nats, control (its background tasks)
            and every other plane this node runs.
        message (str): `ready`, or `not ready: <components>`.
    """

    alerts: ReadyViewAlerts
    code: str
    components: ReadyViewComponents
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alerts = self.alerts.to_dict()

        code = self.code

        components = self.components.to_dict()

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alerts": alerts,
                "code": code,
                "components": components,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ready_view_alerts import ReadyViewAlerts  # noqa: PLC0415
        from ..models.ready_view_components import ReadyViewComponents  # noqa: PLC0415

        d = dict(src_dict)
        alerts = ReadyViewAlerts.from_dict(d.pop("alerts"))

        code = d.pop("code")

        components = ReadyViewComponents.from_dict(d.pop("components"))

        message = d.pop("message")

        ready_view = cls(
            alerts=alerts,
            code=code,
            components=components,
            message=message,
        )

        ready_view.additional_properties = d
        return ready_view

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
