from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="McpTokenView")


@_attrs_define
class McpTokenView:
    """A token as listed (never its value).

    Attributes:
        id (str): Its id (what `DELETE` takes).
        identifier (str): The identifier it acts for.
        read_only (bool): Only read-only tools.
        status (str): `active`, `revoked` or `expired`.
        created_at (str): RFC 3339.
        toolset (None | str | Unset): The toolset it is limited to.
        client_id (None | str | Unset): The OAuth client it was issued to, if any.
        expires_at (None | str | Unset): RFC 3339.
        revoked_at (None | str | Unset): RFC 3339.
    """

    id: str
    identifier: str
    read_only: bool
    status: str
    created_at: str
    toolset: None | str | Unset = UNSET
    client_id: None | str | Unset = UNSET
    expires_at: None | str | Unset = UNSET
    revoked_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        identifier = self.identifier

        read_only = self.read_only

        status = self.status

        created_at = self.created_at

        toolset: None | str | Unset
        if isinstance(self.toolset, Unset):
            toolset = UNSET
        else:
            toolset = self.toolset

        client_id: None | str | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "identifier": identifier,
                "read_only": read_only,
                "status": status,
                "created_at": created_at,
            }
        )
        if toolset is not UNSET:
            field_dict["toolset"] = toolset
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        identifier = d.pop("identifier")

        read_only = d.pop("read_only")

        status = d.pop("status")

        created_at = d.pop("created_at")

        def _parse_toolset(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        toolset = _parse_toolset(d.pop("toolset", UNSET))

        def _parse_client_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_id = _parse_client_id(d.pop("client_id", UNSET))

        def _parse_expires_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_revoked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        mcp_token_view = cls(
            id=id,
            identifier=identifier,
            read_only=read_only,
            status=status,
            created_at=created_at,
            toolset=toolset,
            client_id=client_id,
            expires_at=expires_at,
            revoked_at=revoked_at,
        )

        mcp_token_view.additional_properties = d
        return mcp_token_view

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
