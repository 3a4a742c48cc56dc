from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.purpose_input import PurposeInput

T = TypeVar("T", bound="TicketView")


@_attrs_define
class TicketView:
    """A signed ticket.

    Attributes:
        expires_at (datetime.datetime): When it stops opening streams.
        purpose (PurposeInput): What the ticket is for.
        ticket (str): Present it to the media or recorder plane (e.g. `?ticket=`); opens one stream once, until it
            expires.
    """

    expires_at: datetime.datetime
    purpose: PurposeInput
    ticket: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at.isoformat()

        purpose = self.purpose.value

        ticket = self.ticket

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_at": expires_at,
                "purpose": purpose,
                "ticket": ticket,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        purpose = PurposeInput(d.pop("purpose"))

        ticket = d.pop("ticket")

        ticket_view = cls(
            expires_at=expires_at,
            purpose=purpose,
            ticket=ticket,
        )

        ticket_view.additional_properties = d
        return ticket_view

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
