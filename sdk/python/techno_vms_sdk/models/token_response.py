from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """Tokens issued by login and refresh.

    Example:
        {'access_token': 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6IjNiOWYxYzBlNWE3ZDJlNDgifQ.eyJzdWIiOiI0ZTVmNmE3Yi0
            4YzlkLTRlMGYtYTFiMi1jM2Q0ZTVmNmE3YjgiLCJ0aWQiOiI5YjJmNmMxZC0zZTRhLTRiNWMtOGQ2ZS03ZjgwOTFhMmIzYzQiLCJpYXQiOjE3OTY
            yOTI4NDcsImV4cCI6MTc5NjI5Mzc0N30.Pcb0dtAewE9TAStanNCa3uJliu3HTYNfSqUbtT2C878h9BYccOXFMZ3NcBoutKMUvKasEQbCYNeeC4d
            iDcRTPQ', 'expires_in': 900, 'refresh_token': 'dZFwrYt7VQlfJPqUE0De78tQa5YQosGXj1mYPvNthZ8', 'token_type':
            'Bearer'}

    Attributes:
        access_token (str): Short-lived JWT for `Authorization: Bearer`.
        expires_in (int): Access-token lifetime in seconds.
        refresh_token (str): Opaque single-use token that obtains the next pair.
        token_type (str): Always `Bearer`.
    """

    access_token: str
    expires_in: int
    refresh_token: str
    token_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        refresh_token = self.refresh_token

        token_type = self.token_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "expires_in": expires_in,
                "refresh_token": refresh_token,
                "token_type": token_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        expires_in = d.pop("expires_in")

        refresh_token = d.pop("refresh_token")

        token_type = d.pop("token_type")

        token_response = cls(
            access_token=access_token,
            expires_in=expires_in,
            refresh_token=refresh_token,
            token_type=token_type,
        )

        token_response.additional_properties = d
        return token_response

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
