from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MintToken")


@_attrs_define
class MintToken:
    """`POST /v1/mcp_tokens` body.

    Attributes:
        identifier (str): The identifier every call made with the token acts for.
        toolset (None | str | Unset): Limit it to one of the operator's toolsets (`--mcp-toolset`).
        read_only (bool | Unset): Limit it to tools annotated read-only.
        ttl_s (int | None | Unset): Lifetime in seconds (60 to 31536000; default 2592000, 30 days).
    """

    identifier: str
    toolset: None | str | Unset = UNSET
    read_only: bool | Unset = UNSET
    ttl_s: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identifier = self.identifier

        toolset: None | str | Unset
        if isinstance(self.toolset, Unset):
            toolset = UNSET
        else:
            toolset = self.toolset

        read_only = self.read_only

        ttl_s: int | None | Unset
        if isinstance(self.ttl_s, Unset):
            ttl_s = UNSET
        else:
            ttl_s = self.ttl_s

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "identifier": identifier,
            }
        )
        if toolset is not UNSET:
            field_dict["toolset"] = toolset
        if read_only is not UNSET:
            field_dict["read_only"] = read_only
        if ttl_s is not UNSET:
            field_dict["ttl_s"] = ttl_s

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        identifier = d.pop("identifier")

        def _parse_toolset(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        toolset = _parse_toolset(d.pop("toolset", UNSET))

        read_only = d.pop("read_only", UNSET)

        def _parse_ttl_s(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        ttl_s = _parse_ttl_s(d.pop("ttl_s", UNSET))

        mint_token = cls(
            identifier=identifier,
            toolset=toolset,
            read_only=read_only,
            ttl_s=ttl_s,
        )

        return mint_token
