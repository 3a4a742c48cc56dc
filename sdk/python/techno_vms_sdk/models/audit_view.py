from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_view_details import AuditViewDetails


T = TypeVar("T", bound="AuditView")


@_attrs_define
class AuditView:
    """One audit entry.

    Example:
        {'action': 'export.create', 'actor_id': '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'actor_kind': 'user',
            'actor_name': 'j.meyer', 'details': {'end': '2026-12-03T10:30:00+00:00', 'export':
            'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', 'start': '2026-12-03T10:00:00+00:00', 'stream': 'main', 'watermark':
            True}, 'id': 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', 'occurred_at': '2026-12-03T10:31:12Z', 'outcome':
            'success', 'seq': 18342, 'source_ip': '198.51.100.23', 'target_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
            'target_kind': 'camera'}

    Attributes:
        action (str): Action.
        actor_kind (str): `user`, `api_key`, `system` or `anonymous`.
        actor_name (str): User or key name.
        details (AuditViewDetails): Details.
        id (UUID): Entry id.
        occurred_at (datetime.datetime): When it happened.
        outcome (str): `success`, `failure` or `denied`.
        seq (int): Position in the tamper-evident chain.
        source_ip (str): Client address.
        target_id (str): Target id.
        target_kind (str): Target kind.
        actor_id (None | Unset | UUID): User or key id.
    """

    action: str
    actor_kind: str
    actor_name: str
    details: AuditViewDetails
    id: UUID
    occurred_at: datetime.datetime
    outcome: str
    seq: int
    source_ip: str
    target_id: str
    target_kind: str
    actor_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor_kind = self.actor_kind

        actor_name = self.actor_name

        details = self.details.to_dict()

        id = str(self.id)

        occurred_at = self.occurred_at.isoformat()

        outcome = self.outcome

        seq = self.seq

        source_ip = self.source_ip

        target_id = self.target_id

        target_kind = self.target_kind

        actor_id: None | str | Unset
        if isinstance(self.actor_id, Unset):
            actor_id = UNSET
        elif isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor_kind": actor_kind,
                "actor_name": actor_name,
                "details": details,
                "id": id,
                "occurred_at": occurred_at,
                "outcome": outcome,
                "seq": seq,
                "source_ip": source_ip,
                "target_id": target_id,
                "target_kind": target_kind,
            }
        )
        if actor_id is not UNSET:
            field_dict["actor_id"] = actor_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_view_details import AuditViewDetails  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor_kind = d.pop("actor_kind")

        actor_name = d.pop("actor_name")

        details = AuditViewDetails.from_dict(d.pop("details"))

        id = UUID(d.pop("id"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        outcome = d.pop("outcome")

        seq = d.pop("seq")

        source_ip = d.pop("source_ip")

        target_id = d.pop("target_id")

        target_kind = d.pop("target_kind")

        def _parse_actor_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_id_type_0 = UUID(data)

                return actor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        actor_id = _parse_actor_id(d.pop("actor_id", UNSET))

        audit_view = cls(
            action=action,
            actor_kind=actor_kind,
            actor_name=actor_name,
            details=details,
            id=id,
            occurred_at=occurred_at,
            outcome=outcome,
            seq=seq,
            source_ip=source_ip,
            target_id=target_id,
            target_kind=target_kind,
            actor_id=actor_id,
        )

        audit_view.additional_properties = d
        return audit_view

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
