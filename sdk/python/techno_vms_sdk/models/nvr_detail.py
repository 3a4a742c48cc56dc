from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.nvr_channel_view import NvrChannelView
    from ..models.nvr_view import NvrView


T = TypeVar("T", bound="NvrDetail")


@_attrs_define
class NvrDetail:
    """An NVR with its channels: the answer of `GET /api/nvrs/{id}`, of an import and of a sync.

    Example:
        {'cameras_created': ['5a0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11'], 'cameras_updated': [], 'channels': [{'camera_id':
            '5a0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'main_url': 'rtsp://192.168.1.20:554/Streaming/Channels/101', 'name':
            'Gate', 'number': 1, 'online': True, 'sub_url': 'rtsp://192.168.1.20:554/Streaming/Channels/102'}], 'nvr':
            {'address': 'http://192.168.1.20/', 'all_channels': True, 'camera_count': 2, 'channel_count': 2, 'created_at':
            '2026-12-04T09:00:00Z', 'firmware': 'V4.30.085', 'id': '0b0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'manufacturer':
            'Hikvision', 'model': 'DS-7608NI-K2', 'name': 'Warehouse NVR', 'serial': 'DS-7608NI-K20820191234', 'site_id':
            '7d0f8f5e-53a4-4c61-9b0c-0d8b8b8f1a11', 'synced_at': '2026-12-04T09:00:00Z', 'vendor': 'hikvision'}}

    Attributes:
        channels (list[NvrChannelView]): Its channels, by number.
        nvr (NvrView): An imported NVR (never its credentials).
        cameras_created (list[UUID] | Unset): Cameras this request made (import and sync only; empty otherwise).
        cameras_updated (list[UUID] | Unset): Cameras whose streams this request updated (import and sync only).
    """

    channels: list[NvrChannelView]
    nvr: NvrView
    cameras_created: list[UUID] | Unset = UNSET
    cameras_updated: list[UUID] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.to_dict()
            channels.append(channels_item)

        nvr = self.nvr.to_dict()

        cameras_created: list[str] | Unset = UNSET
        if not isinstance(self.cameras_created, Unset):
            cameras_created = []
            for cameras_created_item_data in self.cameras_created:
                cameras_created_item = str(cameras_created_item_data)
                cameras_created.append(cameras_created_item)

        cameras_updated: list[str] | Unset = UNSET
        if not isinstance(self.cameras_updated, Unset):
            cameras_updated = []
            for cameras_updated_item_data in self.cameras_updated:
                cameras_updated_item = str(cameras_updated_item_data)
                cameras_updated.append(cameras_updated_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channels": channels,
                "nvr": nvr,
            }
        )
        if cameras_created is not UNSET:
            field_dict["cameras_created"] = cameras_created
        if cameras_updated is not UNSET:
            field_dict["cameras_updated"] = cameras_updated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.nvr_channel_view import NvrChannelView  # noqa: PLC0415
        from ..models.nvr_view import NvrView  # noqa: PLC0415

        d = dict(src_dict)
        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = NvrChannelView.from_dict(channels_item_data)

            channels.append(channels_item)

        nvr = NvrView.from_dict(d.pop("nvr"))

        _cameras_created = d.pop("cameras_created", UNSET)
        cameras_created: list[UUID] | Unset = UNSET
        if _cameras_created is not UNSET:
            cameras_created = []
            for cameras_created_item_data in _cameras_created:
                cameras_created_item = UUID(cameras_created_item_data)

                cameras_created.append(cameras_created_item)

        _cameras_updated = d.pop("cameras_updated", UNSET)
        cameras_updated: list[UUID] | Unset = UNSET
        if _cameras_updated is not UNSET:
            cameras_updated = []
            for cameras_updated_item_data in _cameras_updated:
                cameras_updated_item = UUID(cameras_updated_item_data)

                cameras_updated.append(cameras_updated_item)

        nvr_detail = cls(
            channels=channels,
            nvr=nvr,
            cameras_created=cameras_created,
            cameras_updated=cameras_updated,
        )

        nvr_detail.additional_properties = d
        return nvr_detail

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
