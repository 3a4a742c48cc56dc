from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamStateView")


@_attrs_define
class StreamStateView:
    """Live state of a stream, as reported by the media plane.

    Attributes:
        status (str): `unknown` (no media plane has reported it), `connecting`, `online` or `offline`.
        bitrate_kbps (float | None | Unset): Bit rate in kbit/s.
        codec (None | str | Unset): `h264` or `h265`.
        codec_string (None | str | Unset): RFC 6381 codec string.
        detail (None | str | Unset): Detail of the reason.
        fps (float | None | Unset): Frames per second.
        height (int | None | Unset): Height.
        last_keyframe_at (datetime.datetime | None | Unset): Last keyframe.
        node_id (None | str | Unset): Node whose media plane holds it.
        reason (None | str | Unset): Why it is offline: `auth_failed`, `unreachable`, `no_video`, `unsupported_codec`,
            `stalled`, `disconnected` or `error`.
        updated_at (datetime.datetime | None | Unset): Last report.
        width (int | None | Unset): Width.
    """

    status: str
    bitrate_kbps: float | None | Unset = UNSET
    codec: None | str | Unset = UNSET
    codec_string: None | str | Unset = UNSET
    detail: None | str | Unset = UNSET
    fps: float | None | Unset = UNSET
    height: int | None | Unset = UNSET
    last_keyframe_at: datetime.datetime | None | Unset = UNSET
    node_id: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    width: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        bitrate_kbps: float | None | Unset
        if isinstance(self.bitrate_kbps, Unset):
            bitrate_kbps = UNSET
        else:
            bitrate_kbps = self.bitrate_kbps

        codec: None | str | Unset
        if isinstance(self.codec, Unset):
            codec = UNSET
        else:
            codec = self.codec

        codec_string: None | str | Unset
        if isinstance(self.codec_string, Unset):
            codec_string = UNSET
        else:
            codec_string = self.codec_string

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        fps: float | None | Unset
        if isinstance(self.fps, Unset):
            fps = UNSET
        else:
            fps = self.fps

        height: int | None | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        last_keyframe_at: None | str | Unset
        if isinstance(self.last_keyframe_at, Unset):
            last_keyframe_at = UNSET
        elif isinstance(self.last_keyframe_at, datetime.datetime):
            last_keyframe_at = self.last_keyframe_at.isoformat()
        else:
            last_keyframe_at = self.last_keyframe_at

        node_id: None | str | Unset
        if isinstance(self.node_id, Unset):
            node_id = UNSET
        else:
            node_id = self.node_id

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        width: int | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if bitrate_kbps is not UNSET:
            field_dict["bitrate_kbps"] = bitrate_kbps
        if codec is not UNSET:
            field_dict["codec"] = codec
        if codec_string is not UNSET:
            field_dict["codec_string"] = codec_string
        if detail is not UNSET:
            field_dict["detail"] = detail
        if fps is not UNSET:
            field_dict["fps"] = fps
        if height is not UNSET:
            field_dict["height"] = height
        if last_keyframe_at is not UNSET:
            field_dict["last_keyframe_at"] = last_keyframe_at
        if node_id is not UNSET:
            field_dict["node_id"] = node_id
        if reason is not UNSET:
            field_dict["reason"] = reason
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        def _parse_bitrate_kbps(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        bitrate_kbps = _parse_bitrate_kbps(d.pop("bitrate_kbps", UNSET))

        def _parse_codec(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        codec = _parse_codec(d.pop("codec", UNSET))

        def _parse_codec_string(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        codec_string = _parse_codec_string(d.pop("codec_string", UNSET))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        def _parse_fps(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        fps = _parse_fps(d.pop("fps", UNSET))

        def _parse_height(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        height = _parse_height(d.pop("height", UNSET))

        def _parse_last_keyframe_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_keyframe_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_keyframe_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_keyframe_at = _parse_last_keyframe_at(d.pop("last_keyframe_at", UNSET))

        def _parse_node_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_id = _parse_node_id(d.pop("node_id", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        def _parse_width(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))

        stream_state_view = cls(
            status=status,
            bitrate_kbps=bitrate_kbps,
            codec=codec,
            codec_string=codec_string,
            detail=detail,
            fps=fps,
            height=height,
            last_keyframe_at=last_keyframe_at,
            node_id=node_id,
            reason=reason,
            updated_at=updated_at,
            width=width,
        )

        stream_state_view.additional_properties = d
        return stream_state_view

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
