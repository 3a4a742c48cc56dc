from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportView")


@_attrs_define
class ExportView:
    """An export and where it is.

    Example:
        {'bytes': 412385280, 'camera_id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'created_at': '2026-12-03T10:31:12Z',
            'end': '2026-12-03T10:30:00Z', 'error': None, 'expires_at': '2026-12-10T10:31:12Z', 'file_url':
            '/api/exports/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b/file', 'id': 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b',
            'manifest_url': '/api/exports/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b/manifest', 'progress': 1.0, 'requested_by':
            '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8', 'sha256':
            '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'start': '2026-12-03T10:00:00Z', 'status':
            'done', 'stream': 'main'}

    Attributes:
        camera_id (UUID): The camera.
        created_at (datetime.datetime): When it was asked for.
        end (datetime.datetime): End of the exported window.
        id (UUID): Its id.
        progress (float): Fraction done, 0 to 1: of the bytes copied or, for a watermarked
            export, of the pictures re-encoded.
        requested_by (UUID): The user who asked for it (through an API key: the key's owner).
        start (datetime.datetime): Start of the exported window.
        status (str): `running`, `done`, `failed`, `cancelled` or `expired` (done, and its
            file deleted after `export.keep_secs`).
        stream (str): `main` or `sub`.
        bytes_ (int | None | Unset): Size of the finished file.
        error (None | str | Unset): Why it failed (`interrupted`: control stopped while it ran).
        expires_at (datetime.datetime | None | Unset): When the finished file is (or was) deleted.
        file_url (None | str | Unset): Where to download the file, once done.
        manifest_url (None | str | Unset): Where to download the signed manifest, once done.
        sha256 (None | str | Unset): SHA-256 of the finished file, hex.
    """

    camera_id: UUID
    created_at: datetime.datetime
    end: datetime.datetime
    id: UUID
    progress: float
    requested_by: UUID
    start: datetime.datetime
    status: str
    stream: str
    bytes_: int | None | Unset = UNSET
    error: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    file_url: None | str | Unset = UNSET
    manifest_url: None | str | Unset = UNSET
    sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        camera_id = str(self.camera_id)

        created_at = self.created_at.isoformat()

        end = self.end.isoformat()

        id = str(self.id)

        progress = self.progress

        requested_by = str(self.requested_by)

        start = self.start.isoformat()

        status = self.status

        stream = self.stream

        bytes_: int | None | Unset
        if isinstance(self.bytes_, Unset):
            bytes_ = UNSET
        else:
            bytes_ = self.bytes_

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        file_url: None | str | Unset
        if isinstance(self.file_url, Unset):
            file_url = UNSET
        else:
            file_url = self.file_url

        manifest_url: None | str | Unset
        if isinstance(self.manifest_url, Unset):
            manifest_url = UNSET
        else:
            manifest_url = self.manifest_url

        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "camera_id": camera_id,
                "created_at": created_at,
                "end": end,
                "id": id,
                "progress": progress,
                "requested_by": requested_by,
                "start": start,
                "status": status,
                "stream": stream,
            }
        )
        if bytes_ is not UNSET:
            field_dict["bytes"] = bytes_
        if error is not UNSET:
            field_dict["error"] = error
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if file_url is not UNSET:
            field_dict["file_url"] = file_url
        if manifest_url is not UNSET:
            field_dict["manifest_url"] = manifest_url
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        camera_id = UUID(d.pop("camera_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        id = UUID(d.pop("id"))

        progress = d.pop("progress")

        requested_by = UUID(d.pop("requested_by"))

        start = datetime.datetime.fromisoformat(d.pop("start"))

        status = d.pop("status")

        stream = d.pop("stream")

        def _parse_bytes_(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        bytes_ = _parse_bytes_(d.pop("bytes", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_file_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        file_url = _parse_file_url(d.pop("file_url", UNSET))

        def _parse_manifest_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manifest_url = _parse_manifest_url(d.pop("manifest_url", UNSET))

        def _parse_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha256 = _parse_sha256(d.pop("sha256", UNSET))

        export_view = cls(
            camera_id=camera_id,
            created_at=created_at,
            end=end,
            id=id,
            progress=progress,
            requested_by=requested_by,
            start=start,
            status=status,
            stream=stream,
            bytes_=bytes_,
            error=error,
            expires_at=expires_at,
            file_url=file_url,
            manifest_url=manifest_url,
            sha256=sha256,
        )

        export_view.additional_properties = d
        return export_view

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
