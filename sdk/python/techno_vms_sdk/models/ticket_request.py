from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.purpose_input import PurposeInput

T = TypeVar("T", bound="TicketRequest")


@_attrs_define
class TicketRequest:
    """Body of the ticket request.

    Example:
        {'purpose': 'live'}

    Attributes:
        purpose (PurposeInput): What the ticket is for.
    """

    purpose: PurposeInput

    def to_dict(self) -> dict[str, Any]:
        purpose = self.purpose.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "purpose": purpose,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purpose = PurposeInput(d.pop("purpose"))

        ticket_request = cls(
            purpose=purpose,
        )

        return ticket_request
