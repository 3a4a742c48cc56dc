from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LicenseView")


@_attrs_define
class LicenseView:
    """What the installation may do now.

    Attributes:
        cameras_in_use (int): Cameras configured, across every tenant.
        features (list[str]): Features allowed now.
        installation_id (str): This installation's id (licences may be bound to it).
        max_cameras (int): Cameras allowed now.
        status (str): `unlicensed`, `valid`, `grace`, `expired` or `invalid`.
        customer (None | str | Unset): Licensee, if a licence is installed.
        expires_at (datetime.datetime | None | Unset): Licence expiry.
        license_id (None | Unset | UUID): Licence id.
        message (None | str | Unset): Why a licence is not in force, or a warning.
    """

    cameras_in_use: int
    features: list[str]
    installation_id: str
    max_cameras: int
    status: str
    customer: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    license_id: None | Unset | UUID = UNSET
    message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cameras_in_use = self.cameras_in_use

        features = self.features

        installation_id = self.installation_id

        max_cameras = self.max_cameras

        status = self.status

        customer: None | str | Unset
        if isinstance(self.customer, Unset):
            customer = UNSET
        else:
            customer = self.customer

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        license_id: None | str | Unset
        if isinstance(self.license_id, Unset):
            license_id = UNSET
        elif isinstance(self.license_id, UUID):
            license_id = str(self.license_id)
        else:
            license_id = self.license_id

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cameras_in_use": cameras_in_use,
                "features": features,
                "installation_id": installation_id,
                "max_cameras": max_cameras,
                "status": status,
            }
        )
        if customer is not UNSET:
            field_dict["customer"] = customer
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if license_id is not UNSET:
            field_dict["license_id"] = license_id
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cameras_in_use = d.pop("cameras_in_use")

        features = cast(list[str], d.pop("features"))

        installation_id = d.pop("installation_id")

        max_cameras = d.pop("max_cameras")

        status = d.pop("status")

        def _parse_customer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer = _parse_customer(d.pop("customer", UNSET))

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

        def _parse_license_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                license_id_type_0 = UUID(data)

                return license_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        license_id = _parse_license_id(d.pop("license_id", UNSET))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        license_view = cls(
            cameras_in_use=cameras_in_use,
            features=features,
            installation_id=installation_id,
            max_cameras=max_cameras,
            status=status,
            customer=customer,
            expires_at=expires_at,
            license_id=license_id,
            message=message,
        )

        license_view.additional_properties = d
        return license_view

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
