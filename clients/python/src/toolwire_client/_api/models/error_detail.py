from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """An error's fields.

    Attributes:
        code (str): Stable code, e.g. `INVALID_INPUT`, `ACCOUNT_REVOKED`, `UNAUTHORIZED`.
        message (str): What went wrong and what to do (the agent message for tool errors).
        retry_after_s (int | None | Unset): Seconds to wait before retrying (rate limits).
        details (Any | Unset): Structured details, e.g. every invalid input field.
        reconnect_url (None | str | Unset): Where the user can reconnect the account.
    """

    code: str
    message: str
    retry_after_s: int | None | Unset = UNSET
    details: Any | Unset = UNSET
    reconnect_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        retry_after_s: int | None | Unset
        if isinstance(self.retry_after_s, Unset):
            retry_after_s = UNSET
        else:
            retry_after_s = self.retry_after_s

        details = self.details

        reconnect_url: None | str | Unset
        if isinstance(self.reconnect_url, Unset):
            reconnect_url = UNSET
        else:
            reconnect_url = self.reconnect_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if retry_after_s is not UNSET:
            field_dict["retry_after_s"] = retry_after_s
        if details is not UNSET:
            field_dict["details"] = details
        if reconnect_url is not UNSET:
            field_dict["reconnect_url"] = reconnect_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        def _parse_retry_after_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retry_after_s = _parse_retry_after_s(d.pop("retry_after_s", UNSET))

        details = d.pop("details", UNSET)

        def _parse_reconnect_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reconnect_url = _parse_reconnect_url(d.pop("reconnect_url", UNSET))

        error_detail = cls(
            code=code,
            message=message,
            retry_after_s=retry_after_s,
            details=details,
            reconnect_url=reconnect_url,
        )

        error_detail.additional_properties = d
        return error_detail

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
