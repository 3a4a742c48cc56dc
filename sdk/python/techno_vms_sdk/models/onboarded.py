from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.camera_view import CameraView
    from ..models.device_view import DeviceView


T = TypeVar("T", bound="Onboarded")


@_attrs_define
class Onboarded:
    """Answer of `POST /api/cameras/onboard`.

    Attributes:
        camera (CameraView): A camera with its streams. Example: {'created_at': '2026-11-20T09:12:44Z', 'description':
            'Dock door, north wall', 'enabled': True, 'id': '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'name': 'Loading bay 2',
            'site_id': '3f2b8c1e-4d5a-4e8b-9c7d-2a1b0c9d8e7f', 'streams': [{'has_credentials': True, 'id':
            '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 'role': 'main', 'state': {'bitrate_kbps': 4096.0, 'codec': 'h264',
            'codec_string': 'avc1.640028', 'fps': 25.0, 'height': 1080, 'last_keyframe_at': '2026-12-03T10:14:04Z',
            'node_id': 'node-a', 'status': 'online', 'updated_at': '2026-12-03T10:14:05Z', 'width': 1920}, 'transport':
            'tcp', 'url': 'rtsp://192.0.2.10:554/Streaming/Channels/101'}, {'has_credentials': True, 'id':
            '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', 'role': 'sub', 'state': {'detail': '401 Unauthorized from the camera',
            'node_id': 'node-a', 'reason': 'auth_failed', 'status': 'offline', 'updated_at': '2026-12-03T10:13:58Z'},
            'transport': 'tcp', 'url': 'rtsp://192.0.2.10:554/Streaming/Channels/102'}], 'tenant_id':
            '9b2f6c1d-3e4a-4b5c-8d6e-7f8091a2b3c4', 'updated_at': '2026-12-01T16:03:10Z'}.
        created (bool): True when a camera was added, false when the device's camera was updated.
        device (DeviceView): What onboarding learnt about the device.
    """

    camera: CameraView
    created: bool
    device: DeviceView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        camera = self.camera.to_dict()

        created = self.created

        device = self.device.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "camera": camera,
                "created": created,
                "device": device,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.camera_view import CameraView  # noqa: PLC0415
        from ..models.device_view import DeviceView  # noqa: PLC0415

        d = dict(src_dict)
        camera = CameraView.from_dict(d.pop("camera"))

        created = d.pop("created")

        device = DeviceView.from_dict(d.pop("device"))

        onboarded = cls(
            camera=camera,
            created=created,
            device=device,
        )

        onboarded.additional_properties = d
        return onboarded

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
