from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.mcp_token_view import McpTokenView


T = TypeVar("T", bound="McpTokenList")


@_attrs_define
class McpTokenList:
    """`GET /v1/mcp_tokens` response.

    Attributes:
        mcp_tokens (list[McpTokenView]): Newest first.
    """

    mcp_tokens: list[McpTokenView]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mcp_tokens = []
        for mcp_tokens_item_data in self.mcp_tokens:
            mcp_tokens_item = mcp_tokens_item_data.to_dict()
            mcp_tokens.append(mcp_tokens_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mcp_tokens": mcp_tokens,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.mcp_token_view import McpTokenView

        d = dict(src_dict)
        mcp_tokens = []
        _mcp_tokens = d.pop("mcp_tokens")
        for mcp_tokens_item_data in _mcp_tokens:
            mcp_tokens_item = McpTokenView.from_dict(mcp_tokens_item_data)

            mcp_tokens.append(mcp_tokens_item)

        mcp_token_list = cls(
            mcp_tokens=mcp_tokens,
        )

        mcp_token_list.additional_properties = d
        return mcp_token_list

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
