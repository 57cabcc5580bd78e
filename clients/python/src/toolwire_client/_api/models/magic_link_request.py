from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MagicLinkRequest")


@_attrs_define
class MagicLinkRequest:
    """`magic_link` body.

    Attributes:
        expires_in_s (int | None | Unset): Lifetime in seconds (60..=604800; default 1800).
    """

    expires_in_s: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        expires_in_s: int | None | Unset
        if isinstance(self.expires_in_s, Unset):
            expires_in_s = UNSET
        else:
            expires_in_s = self.expires_in_s

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if expires_in_s is not UNSET:
            field_dict["expires_in_s"] = expires_in_s

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_expires_in_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_in_s = _parse_expires_in_s(d.pop("expires_in_s", UNSET))

        magic_link_request = cls(
            expires_in_s=expires_in_s,
        )

        return magic_link_request
