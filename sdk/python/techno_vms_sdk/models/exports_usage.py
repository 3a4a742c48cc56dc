from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportsUsage")


@_attrs_define
class ExportsUsage:
    """What exports hold on this node, against `[export]` caps.

    Attributes:
        max_bytes (int): `export.max_bytes`, the cap of each recorder's node; 0 means no limit.
        max_running (int): `export.max_running`, the cap of each recorder's node.
        bytes_ (int | None | Unset): Bytes the finished exports of every recorder hold (absent while the
            database cannot be read).
        running (int | None | Unset): Exports running now on every recorder (absent while the database
            cannot be read).
    """

    max_bytes: int
    max_running: int
    bytes_: int | None | Unset = UNSET
    running: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        max_bytes = self.max_bytes

        max_running = self.max_running

        bytes_: int | None | Unset
        if isinstance(self.bytes_, Unset):
            bytes_ = UNSET
        else:
            bytes_ = self.bytes_

        running: int | None | Unset
        if isinstance(self.running, Unset):
            running = UNSET
        else:
            running = self.running

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "max_bytes": max_bytes,
                "max_running": max_running,
            }
        )
        if bytes_ is not UNSET:
            field_dict["bytes"] = bytes_
        if running is not UNSET:
            field_dict["running"] = running

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_bytes = d.pop("max_bytes")

        max_running = d.pop("max_running")

        def _parse_bytes_(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        bytes_ = _parse_bytes_(d.pop("bytes", UNSET))

        def _parse_running(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        running = _parse_running(d.pop("running", UNSET))

        exports_usage = cls(
            max_bytes=max_bytes,
            max_running=max_running,
            bytes_=bytes_,
            running=running,
        )

        exports_usage.additional_properties = d
        return exports_usage

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
