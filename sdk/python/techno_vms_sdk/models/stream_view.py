from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..models.transport_kind import TransportKind

if TYPE_CHECKING:
    from ..models.stream_state_view import StreamStateView


T = TypeVar("T", bound="StreamView")


@_attrs_define
class StreamView:
    """A stream; credentials are never shown.

    Attributes:
        has_credentials (bool): Whether credentials are stored.
        id (UUID): Id.
        role (Role): Role of a stream.
        state (StreamStateView): Live state of a stream, as reported by the media plane.
        transport (TransportKind): RTP transport from the camera.
        url (str): RTSP URL without credentials.
    """

    has_credentials: bool
    id: UUID
    role: Role
    state: StreamStateView
    transport: TransportKind
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        has_credentials = self.has_credentials

        id = str(self.id)

        role = self.role.value

        state = self.state.to_dict()

        transport = self.transport.value

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "has_credentials": has_credentials,
                "id": id,
                "role": role,
                "state": state,
                "transport": transport,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stream_state_view import StreamStateView  # noqa: PLC0415

        d = dict(src_dict)
        has_credentials = d.pop("has_credentials")

        id = UUID(d.pop("id"))

        role = Role(d.pop("role"))

        state = StreamStateView.from_dict(d.pop("state"))

        transport = TransportKind(d.pop("transport"))

        url = d.pop("url")

        stream_view = cls(
            has_credentials=has_credentials,
            id=id,
            role=role,
            state=state,
            transport=transport,
            url=url,
        )

        stream_view.additional_properties = d
        return stream_view

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
