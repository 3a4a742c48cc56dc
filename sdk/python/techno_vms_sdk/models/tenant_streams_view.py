from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tenant_streams_view_by_status import TenantStreamsViewByStatus


T = TypeVar("T", bound="TenantStreamsView")


@_attrs_define
class TenantStreamsView:
    """A tenant's streams by live status.

    Attributes:
        by_status (TenantStreamsViewByStatus): How many are `unknown`, `connecting`, `online` or `offline` (only
            statuses that occur).
        total (int): Streams of the tenant's cameras.
    """

    by_status: TenantStreamsViewByStatus
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_status = self.by_status.to_dict()

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_status": by_status,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tenant_streams_view_by_status import TenantStreamsViewByStatus  # noqa: PLC0415

        d = dict(src_dict)
        by_status = TenantStreamsViewByStatus.from_dict(d.pop("by_status"))

        total = d.pop("total")

        tenant_streams_view = cls(
            by_status=by_status,
            total=total,
        )

        tenant_streams_view.additional_properties = d
        return tenant_streams_view

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
