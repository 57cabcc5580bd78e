from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tool_list_tools_item import ToolListToolsItem


T = TypeVar("T", bound="ToolList")


@_attrs_define
class ToolList:
    """`GET /v1/tools` response.

    Attributes:
        tools (list[ToolListToolsItem]): Tool definitions in the requested format (MCP, OpenAI or Anthropic).
        not_connected (list[str] | None | Unset): With `identifier`: the connections it has not connected (their tools
            are left out;
            `POST /v1/connected_accounts/{connection_name}/{identifier}/magic_link` connects one).
    """

    tools: list[ToolListToolsItem]
    not_connected: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tools = []
        for tools_item_data in self.tools:
            tools_item = tools_item_data.to_dict()
            tools.append(tools_item)

        not_connected: list[str] | None | Unset
        if isinstance(self.not_connected, Unset):
            not_connected = UNSET
        elif isinstance(self.not_connected, list):
            not_connected = self.not_connected

        else:
            not_connected = self.not_connected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tools": tools,
            }
        )
        if not_connected is not UNSET:
            field_dict["not_connected"] = not_connected

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tool_list_tools_item import ToolListToolsItem

        d = dict(src_dict)
        tools = []
        _tools = d.pop("tools")
        for tools_item_data in _tools:
            tools_item = ToolListToolsItem.from_dict(tools_item_data)

            tools.append(tools_item)

        def _parse_not_connected(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                not_connected_type_0 = cast(list[str], data)

                return not_connected_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        not_connected = _parse_not_connected(d.pop("not_connected", UNSET))

        tool_list = cls(
            tools=tools,
            not_connected=not_connected,
        )

        tool_list.additional_properties = d
        return tool_list

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
