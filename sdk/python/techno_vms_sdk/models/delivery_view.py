from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delivery_view_body import DeliveryViewBody


T = TypeVar("T", bound="DeliveryView")


@_attrs_define
class DeliveryView:
    """One call of a webhook.

    Attributes:
        attempts (int): Tries so far.
        body (DeliveryViewBody): What is sent.
        created_at (datetime.datetime): When it was queued.
        event_id (UUID): The event it is about.
        id (UUID): Its id (the `X-VMS-Delivery` header).
        next_attempt_at (datetime.datetime): When the next try is due (while pending).
        rule_id (UUID): The rule that asked for it.
        status (str): `pending`, `delivered` or `dead`.
        finished_at (datetime.datetime | None | Unset): When it was delivered or dead-lettered.
        last_error (None | str | Unset): Why the last try failed.
        last_status (int | None | Unset): The receiver's last HTTP status.
    """

    attempts: int
    body: DeliveryViewBody
    created_at: datetime.datetime
    event_id: UUID
    id: UUID
    next_attempt_at: datetime.datetime
    rule_id: UUID
    status: str
    finished_at: datetime.datetime | None | Unset = UNSET
    last_error: None | str | Unset = UNSET
    last_status: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        body = self.body.to_dict()

        created_at = self.created_at.isoformat()

        event_id = str(self.event_id)

        id = str(self.id)

        next_attempt_at = self.next_attempt_at.isoformat()

        rule_id = str(self.rule_id)

        status = self.status

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        last_status: int | None | Unset
        if isinstance(self.last_status, Unset):
            last_status = UNSET
        else:
            last_status = self.last_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "body": body,
                "created_at": created_at,
                "event_id": event_id,
                "id": id,
                "next_attempt_at": next_attempt_at,
                "rule_id": rule_id,
                "status": status,
            }
        )
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if last_status is not UNSET:
            field_dict["last_status"] = last_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_view_body import DeliveryViewBody  # noqa: PLC0415

        d = dict(src_dict)
        attempts = d.pop("attempts")

        body = DeliveryViewBody.from_dict(d.pop("body"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        event_id = UUID(d.pop("event_id"))

        id = UUID(d.pop("id"))

        next_attempt_at = datetime.datetime.fromisoformat(d.pop("next_attempt_at"))

        rule_id = UUID(d.pop("rule_id"))

        status = d.pop("status")

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

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        def _parse_last_status(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_status = _parse_last_status(d.pop("last_status", UNSET))

        delivery_view = cls(
            attempts=attempts,
            body=body,
            created_at=created_at,
            event_id=event_id,
            id=id,
            next_attempt_at=next_attempt_at,
            rule_id=rule_id,
            status=status,
            finished_at=finished_at,
            last_error=last_error,
            last_status=last_status,
        )

        delivery_view.additional_properties = d
        return delivery_view

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
