from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.input_form import InputForm
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExecuteTool")


@_attrs_define
class ExecuteTool:
    """Request body.

    Attributes:
        identifier (str):
        tool_name (str):
        tool_input (Any | Unset):
        connection_name (None | str | Unset):
        full (bool | Unset): True for the tool's full output instead of its projection (the default output, sized
            for a model, is what `outputSchema` describes).
        input_form (InputForm | Unset): The form of `tool_input`.
    """

    identifier: str
    tool_name: str
    tool_input: Any | Unset = UNSET
    connection_name: None | str | Unset = UNSET
    full: bool | Unset = UNSET
    input_form: InputForm | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        identifier = self.identifier

        tool_name = self.tool_name

        tool_input = self.tool_input

        connection_name: None | str | Unset
        if isinstance(self.connection_name, Unset):
            connection_name = UNSET
        else:
            connection_name = self.connection_name

        full = self.full

        input_form: str | Unset = UNSET
        if not isinstance(self.input_form, Unset):
            input_form = self.input_form.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "identifier": identifier,
                "tool_name": tool_name,
            }
        )
        if tool_input is not UNSET:
            field_dict["tool_input"] = tool_input
        if connection_name is not UNSET:
            field_dict["connection_name"] = connection_name
        if full is not UNSET:
            field_dict["full"] = full
        if input_form is not UNSET:
            field_dict["input_form"] = input_form

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        identifier = d.pop("identifier")

        tool_name = d.pop("tool_name")

        tool_input = d.pop("tool_input", UNSET)

        def _parse_connection_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        connection_name = _parse_connection_name(d.pop("connection_name", UNSET))

        full = d.pop("full", UNSET)

        _input_form = d.pop("input_form", UNSET)
        input_form: InputForm | Unset
        if isinstance(_input_form, Unset):
            input_form = UNSET
        else:
            input_form = InputForm(_input_form)

        execute_tool = cls(
            identifier=identifier,
            tool_name=tool_name,
            tool_input=tool_input,
            connection_name=connection_name,
            full=full,
            input_form=input_form,
        )

        return execute_tool
