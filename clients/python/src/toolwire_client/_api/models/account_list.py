from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_view import AccountView


T = TypeVar("T", bound="AccountList")


@_attrs_define
class AccountList:
    """`GET /v1/connected_accounts` response.

    Attributes:
        connected_accounts (list[AccountView]): This page.
        next_page_token (None | str | Unset): Pass as `page_token` for the next page; absent on the last.
    """

    connected_accounts: list[AccountView]
    next_page_token: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        connected_accounts = []
        for connected_accounts_item_data in self.connected_accounts:
            connected_accounts_item = connected_accounts_item_data.to_dict()
            connected_accounts.append(connected_accounts_item)

        next_page_token: None | str | Unset
        if isinstance(self.next_page_token, Unset):
            next_page_token = UNSET
        else:
            next_page_token = self.next_page_token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "connected_accounts": connected_accounts,
            }
        )
        if next_page_token is not UNSET:
            field_dict["next_page_token"] = next_page_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_view import AccountView

        d = dict(src_dict)
        connected_accounts = []
        _connected_accounts = d.pop("connected_accounts")
        for connected_accounts_item_data in _connected_accounts:
            connected_accounts_item = AccountView.from_dict(
                connected_accounts_item_data
            )

            connected_accounts.append(connected_accounts_item)

        def _parse_next_page_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_page_token = _parse_next_page_token(d.pop("next_page_token", UNSET))

        account_list = cls(
            connected_accounts=connected_accounts,
            next_page_token=next_page_token,
        )

        account_list.additional_properties = d
        return account_list

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
