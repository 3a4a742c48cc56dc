from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rule_body_actions_item import RuleBodyActionsItem
    from ..models.rule_body_conditions import RuleBodyConditions


T = TypeVar("T", bound="RuleBody")


@_attrs_define
class RuleBody:
    """A rule as written: `PUT` replaces it whole.

    Example:
        {'actions': [{'kind': 'snapshot'}, {'kind': 'webhook', 'webhook_id': '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a'}],
            'conditions': {'cameras': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'labels': ['person'], 'min_duration_secs':
            2, 'schedule': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'end': '06:00', 'start': '18:00'}], 'types':
            ['zone_enter'], 'zones': ['dock_door']}, 'cooldown_secs': 300, 'enabled': True, 'name': 'People at the dock door
            after hours'}

    Attributes:
        actions (list[RuleBodyActionsItem]): What to do, in order: `{"kind": "webhook", "webhook_id"}`.
        conditions (RuleBodyConditions): Which events: `types`, `labels`, `cameras`, `sites`, `zones`, `lines`
            (lists; empty is any), `schedule` (weekly ranges in the site's time,
            as recording schedules), `min_duration_secs`.
        name (str): Unique in the tenant, 1–200 characters.
        cooldown_secs (int | Unset): Seconds it stays quiet per camera after firing, 0–86400 (default 0).
        enabled (bool | Unset): Whether it is evaluated (default true).
    """

    actions: list[RuleBodyActionsItem]
    conditions: RuleBodyConditions
    name: str
    cooldown_secs: int | Unset = UNSET
    enabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        conditions = self.conditions.to_dict()

        name = self.name

        cooldown_secs = self.cooldown_secs

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "actions": actions,
                "conditions": conditions,
                "name": name,
            }
        )
        if cooldown_secs is not UNSET:
            field_dict["cooldown_secs"] = cooldown_secs
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_body_actions_item import RuleBodyActionsItem  # noqa: PLC0415
        from ..models.rule_body_conditions import RuleBodyConditions  # noqa: PLC0415

        d = dict(src_dict)
        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = RuleBodyActionsItem.from_dict(actions_item_data)

            actions.append(actions_item)

        conditions = RuleBodyConditions.from_dict(d.pop("conditions"))

        name = d.pop("name")

        cooldown_secs = d.pop("cooldown_secs", UNSET)

        enabled = d.pop("enabled", UNSET)

        rule_body = cls(
            actions=actions,
            conditions=conditions,
            name=name,
            cooldown_secs=cooldown_secs,
            enabled=enabled,
        )

        return rule_body
