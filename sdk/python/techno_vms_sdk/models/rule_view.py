from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rule_view_actions_item import RuleViewActionsItem
    from ..models.rule_view_conditions import RuleViewConditions


T = TypeVar("T", bound="RuleView")


@_attrs_define
class RuleView:
    """A rule.

    Example:
        {'actions': [{'kind': 'snapshot'}, {'kind': 'webhook', 'webhook_id': '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a'}],
            'conditions': {'cameras': ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'], 'labels': ['person'], 'lines': [],
            'min_duration_secs': 2, 'schedule': [{'days': ['mon', 'tue', 'wed', 'thu', 'fri'], 'end': '06:00', 'start':
            '18:00'}], 'sites': [], 'types': ['zone_enter'], 'zones': ['dock_door']}, 'cooldown_secs': 300, 'created_at':
            '2026-11-25T08:40:19Z', 'enabled': True, 'id': '5f6a7b8c-9d0e-4f1a-b2c3-d4e5f6a7b8c9', 'name': 'People at the
            dock door after hours', 'problems': [], 'updated_at': '2026-11-25T08:40:19Z'}

    Attributes:
        actions (list[RuleViewActionsItem]): What it does.
        conditions (RuleViewConditions): Which events.
        cooldown_secs (int): Seconds it stays quiet per camera after firing.
        created_at (datetime.datetime): When it was made.
        enabled (bool): Whether it is evaluated.
        id (UUID): Its id.
        name (str): Its name.
        problems (list[str]): What it names that no longer exists or works (a deleted camera, a
            disabled webhook); the rest of the rule still works.
        updated_at (datetime.datetime): When it last changed.
    """

    actions: list[RuleViewActionsItem]
    conditions: RuleViewConditions
    cooldown_secs: int
    created_at: datetime.datetime
    enabled: bool
    id: UUID
    name: str
    problems: list[str]
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        conditions = self.conditions.to_dict()

        cooldown_secs = self.cooldown_secs

        created_at = self.created_at.isoformat()

        enabled = self.enabled

        id = str(self.id)

        name = self.name

        problems = self.problems

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actions": actions,
                "conditions": conditions,
                "cooldown_secs": cooldown_secs,
                "created_at": created_at,
                "enabled": enabled,
                "id": id,
                "name": name,
                "problems": problems,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_view_actions_item import RuleViewActionsItem  # noqa: PLC0415
        from ..models.rule_view_conditions import RuleViewConditions  # noqa: PLC0415

        d = dict(src_dict)
        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = RuleViewActionsItem.from_dict(actions_item_data)

            actions.append(actions_item)

        conditions = RuleViewConditions.from_dict(d.pop("conditions"))

        cooldown_secs = d.pop("cooldown_secs")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        enabled = d.pop("enabled")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        problems = cast(list[str], d.pop("problems"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        rule_view = cls(
            actions=actions,
            conditions=conditions,
            cooldown_secs=cooldown_secs,
            created_at=created_at,
            enabled=enabled,
            id=id,
            name=name,
            problems=problems,
            updated_at=updated_at,
        )

        rule_view.additional_properties = d
        return rule_view

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
