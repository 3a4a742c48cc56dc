from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateExport")


@_attrs_define
class CreateExport:
    """Body of an export request.

    Example:
        {'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'end': '2026-12-03T10:30:00Z', 'start':
            '2026-12-03T10:00:00Z', 'stream': 'main', 'watermark': True}

    Attributes:
        camera_id (UUID): The camera.
        end (str): End, RFC 3339 (at most 24 hours after `start`).
        start (str): Start, RFC 3339.
        stream (str | Unset): `main` (the default) or `sub`.
        watermark (bool | Unset): Burn the user name, the export time (UTC) and the camera's name into
            every picture, re-encoding them as H.264 (slower, and the manifest
            then carries the same text, signed); default false: the pictures
            are copied as recorded.
    """

    camera_id: UUID
    end: str
    start: str
    stream: str | Unset = UNSET
    watermark: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        camera_id = str(self.camera_id)

        end = self.end

        start = self.start

        stream = self.stream

        watermark = self.watermark

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "camera_id": camera_id,
                "end": end,
                "start": start,
            }
        )
        if stream is not UNSET:
            field_dict["stream"] = stream
        if watermark is not UNSET:
            field_dict["watermark"] = watermark

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        camera_id = UUID(d.pop("camera_id"))

        end = d.pop("end")

        start = d.pop("start")

        stream = d.pop("stream", UNSET)

        watermark = d.pop("watermark", UNSET)

        create_export = cls(
            camera_id=camera_id,
            end=end,
            start=start,
            stream=stream,
            watermark=watermark,
        )

        return create_export
