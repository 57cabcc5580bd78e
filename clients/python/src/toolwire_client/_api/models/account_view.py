from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.account_status import AccountStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_view_config import AccountViewConfig


T = TypeVar("T", bound="AccountView")


@_attrs_define
class AccountView:
    """A connected account as the API shows it (no credentials, ever).

    Attributes:
        connection_name (str):
        identifier (str):
        status (AccountStatus): An account status.
        config (AccountViewConfig):
        created_at (str):
        updated_at (str):
        status_reason (None | str | Unset):
        status_message (None | str | Unset):
        auth_scheme (None | str | Unset):
        last_used_at (None | str | Unset):
    """

    connection_name: str
    identifier: str
    status: AccountStatus
    config: AccountViewConfig
    created_at: str
    updated_at: str
    status_reason: None | str | Unset = UNSET
    status_message: None | str | Unset = UNSET
    auth_scheme: None | str | Unset = UNSET
    last_used_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        connection_name = self.connection_name

        identifier = self.identifier

        status = self.status.value

        config = self.config.to_dict()

        created_at = self.created_at

        updated_at = self.updated_at

        status_reason: None | str | Unset
        if isinstance(self.status_reason, Unset):
            status_reason = UNSET
        else:
            status_reason = self.status_reason

        status_message: None | str | Unset
        if isinstance(self.status_message, Unset):
            status_message = UNSET
        else:
            status_message = self.status_message

        auth_scheme: None | str | Unset
        if isinstance(self.auth_scheme, Unset):
            auth_scheme = UNSET
        else:
            auth_scheme = self.auth_scheme

        last_used_at: None | str | Unset
        if isinstance(self.last_used_at, Unset):
            last_used_at = UNSET
        else:
            last_used_at = self.last_used_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "connection_name": connection_name,
                "identifier": identifier,
                "status": status,
                "config": config,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if status_reason is not UNSET:
            field_dict["status_reason"] = status_reason
        if status_message is not UNSET:
            field_dict["status_message"] = status_message
        if auth_scheme is not UNSET:
            field_dict["auth_scheme"] = auth_scheme
        if last_used_at is not UNSET:
            field_dict["last_used_at"] = last_used_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_view_config import AccountViewConfig

        d = dict(src_dict)
        connection_name = d.pop("connection_name")

        identifier = d.pop("identifier")

        status = AccountStatus(d.pop("status"))

        config = AccountViewConfig.from_dict(d.pop("config"))

        created_at = d.pop("created_at")

        updated_at = d.pop("updated_at")

        def _parse_status_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_reason = _parse_status_reason(d.pop("status_reason", UNSET))

        def _parse_status_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_message = _parse_status_message(d.pop("status_message", UNSET))

        def _parse_auth_scheme(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        auth_scheme = _parse_auth_scheme(d.pop("auth_scheme", UNSET))

        def _parse_last_used_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at", UNSET))

        account_view = cls(
            connection_name=connection_name,
            identifier=identifier,
            status=status,
            config=config,
            created_at=created_at,
            updated_at=updated_at,
            status_reason=status_reason,
            status_message=status_message,
            auth_scheme=auth_scheme,
            last_used_at=last_used_at,
        )

        account_view.additional_properties = d
        return account_view

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
