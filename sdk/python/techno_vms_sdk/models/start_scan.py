from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StartScan")


@_attrs_define
class StartScan:
    """Body of `POST /api/discovery/scan`.

    Example:
        {'multicast': True, 'ranges': ['192.168.1.0/24', '10.0.0.5-10.0.0.40']}

    Attributes:
        multicast (bool | Unset): Also probe the WS-Discovery multicast group on every local network
            (default false; super-admins only, since it reaches every network and
            tenant of the installation). Multicast reaches only the local link.
        ranges (list[str] | Unset): Addresses to probe one by one: CIDR blocks (`192.168.1.0/24`), ranges
            (`10.0.0.5-10.0.0.40` or `10.0.0.5-40`) or single addresses; at most
            1024 addresses in all (a /22).
        window_secs (int | None | Unset): Seconds to listen after the last probe, 1–30 (default 3).
    """

    multicast: bool | Unset = UNSET
    ranges: list[str] | Unset = UNSET
    window_secs: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        multicast = self.multicast

        ranges: list[str] | Unset = UNSET
        if not isinstance(self.ranges, Unset):
            ranges = self.ranges

        window_secs: int | None | Unset
        if isinstance(self.window_secs, Unset):
            window_secs = UNSET
        else:
            window_secs = self.window_secs

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if multicast is not UNSET:
            field_dict["multicast"] = multicast
        if ranges is not UNSET:
            field_dict["ranges"] = ranges
        if window_secs is not UNSET:
            field_dict["window_secs"] = window_secs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        multicast = d.pop("multicast", UNSET)

        ranges = cast(list[str], d.pop("ranges", UNSET))

        def _parse_window_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        window_secs = _parse_window_secs(d.pop("window_secs", UNSET))

        start_scan = cls(
            multicast=multicast,
            ranges=ranges,
            window_secs=window_secs,
        )

        return start_scan
