from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.role import Role
from ..models.transport_kind import TransportKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamInput")


@_attrs_define
class StreamInput:
    """A stream in a create or update request.

    Attributes:
        role (Role): Role of a stream.
        url (str): `rtsp://` or `rtsps://` URL. Embedded credentials are moved out of it.
        clear_credentials (bool | Unset): On update: remove stored credentials. Without it, and without a user
            name, stored credentials are kept while the URL keeps its scheme, host
            and port; a stream moved to another server loses them unless they are
            given again in the same request.
        password (None | str | Unset): Camera password (write-only).
        transport (TransportKind | Unset): RTP transport from the camera.
        username (None | str | Unset): Camera user name.
    """

    role: Role
    url: str
    clear_credentials: bool | Unset = UNSET
    password: None | str | Unset = UNSET
    transport: TransportKind | Unset = UNSET
    username: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        url = self.url

        clear_credentials = self.clear_credentials

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        transport: str | Unset = UNSET
        if not isinstance(self.transport, Unset):
            transport = self.transport.value

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
                "url": url,
            }
        )
        if clear_credentials is not UNSET:
            field_dict["clear_credentials"] = clear_credentials
        if password is not UNSET:
            field_dict["password"] = password
        if transport is not UNSET:
            field_dict["transport"] = transport
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = Role(d.pop("role"))

        url = d.pop("url")

        clear_credentials = d.pop("clear_credentials", UNSET)

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        _transport = d.pop("transport", UNSET)
        transport: TransportKind | Unset
        if isinstance(_transport, Unset):
            transport = UNSET
        else:
            transport = TransportKind(_transport)

        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))

        stream_input = cls(
            role=role,
            url=url,
            clear_credentials=clear_credentials,
            password=password,
            transport=transport,
            username=username,
        )

        return stream_input
