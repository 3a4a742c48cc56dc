from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MqttView")


@_attrs_define
class MqttView:
    """How the bridge is doing, for `/api/system`.

    Attributes:
        broker (str): The broker, as configured (no credentials).
        connected (bool): Whether the broker accepted the connection and it holds.
        dropped (int): Messages dropped because the queue was full.
        published (int): Messages handed to the broker.
        queued (int): Messages waiting for the broker.
        last_error (None | str | Unset): Why the last connection failed or broke (e.g. the broker refused
            the user name or password).
        since (datetime.datetime | None | Unset): Since when it is connected, or disconnected.
    """

    broker: str
    connected: bool
    dropped: int
    published: int
    queued: int
    last_error: None | str | Unset = UNSET
    since: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        broker = self.broker

        connected = self.connected

        dropped = self.dropped

        published = self.published

        queued = self.queued

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        since: None | str | Unset
        if isinstance(self.since, Unset):
            since = UNSET
        elif isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "broker": broker,
                "connected": connected,
                "dropped": dropped,
                "published": published,
                "queued": queued,
            }
        )
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if since is not UNSET:
            field_dict["since"] = since

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        broker = d.pop("broker")

        connected = d.pop("connected")

        dropped = d.pop("dropped")

        published = d.pop("published")

        queued = d.pop("queued")

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        def _parse_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.datetime.fromisoformat(data)

                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        since = _parse_since(d.pop("since", UNSET))

        mqtt_view = cls(
            broker=broker,
            connected=connected,
            dropped=dropped,
            published=published,
            queued=queued,
            last_error=last_error,
            since=since,
        )

        mqtt_view.additional_properties = d
        return mqtt_view

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
