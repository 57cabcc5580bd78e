from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.mcp_token_view import McpTokenView


T = TypeVar("T", bound="MintedToken")


@_attrs_define
class MintedToken:
    """`POST /v1/mcp_tokens` response: the token, shown this once (`Debug` leaves it out).

    Attributes:
        token (str): `Authorization: Bearer <token>` on `/mcp`. Not retrievable again.
        mcp_token (McpTokenView): A token as listed (never its value).
    """

    token: str
    mcp_token: McpTokenView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        mcp_token = self.mcp_token.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "mcp_token": mcp_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.mcp_token_view import McpTokenView

        d = dict(src_dict)
        token = d.pop("token")

        mcp_token = McpTokenView.from_dict(d.pop("mcp_token"))

        minted_token = cls(
            token=token,
            mcp_token=mcp_token,
        )

        minted_token.additional_properties = d
        return minted_token

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
