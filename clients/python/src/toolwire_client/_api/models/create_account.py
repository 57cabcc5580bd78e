from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_account_config_type_0 import CreateAccountConfigType0
    from ..models.create_account_credentials_type_0 import CreateAccountCredentialsType0


T = TypeVar("T", bound="CreateAccount")


@_attrs_define
class CreateAccount:
    """`POST /v1/connected_accounts` body.

    Attributes:
        connection_name (str):
        identifier (str):
        config (CreateAccountConfigType0 | None | Unset):
        credentials (CreateAccountCredentialsType0 | None | Unset):
        auth_scheme (None | str | Unset):
    """

    connection_name: str
    identifier: str
    config: CreateAccountConfigType0 | None | Unset = UNSET
    credentials: CreateAccountCredentialsType0 | None | Unset = UNSET
    auth_scheme: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.create_account_config_type_0 import CreateAccountConfigType0
        from ..models.create_account_credentials_type_0 import (
            CreateAccountCredentialsType0,
        )

        connection_name = self.connection_name

        identifier = self.identifier

        config: dict[str, Any] | None | Unset
        if isinstance(self.config, Unset):
            config = UNSET
        elif isinstance(self.config, CreateAccountConfigType0):
            config = self.config.to_dict()
        else:
            config = self.config

        credentials: dict[str, Any] | None | Unset
        if isinstance(self.credentials, Unset):
            credentials = UNSET
        elif isinstance(self.credentials, CreateAccountCredentialsType0):
            credentials = self.credentials.to_dict()
        else:
            credentials = self.credentials

        auth_scheme: None | str | Unset
        if isinstance(self.auth_scheme, Unset):
            auth_scheme = UNSET
        else:
            auth_scheme = self.auth_scheme

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "connection_name": connection_name,
                "identifier": identifier,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if auth_scheme is not UNSET:
            field_dict["auth_scheme"] = auth_scheme

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.create_account_config_type_0 import CreateAccountConfigType0
        from ..models.create_account_credentials_type_0 import (
            CreateAccountCredentialsType0,
        )

        d = dict(src_dict)
        connection_name = d.pop("connection_name")

        identifier = d.pop("identifier")

        def _parse_config(data: object) -> CreateAccountConfigType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                config_type_0 = CreateAccountConfigType0.from_dict(data)

                return config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateAccountConfigType0 | None | Unset, data)

        config = _parse_config(d.pop("config", UNSET))

        def _parse_credentials(
            data: object,
        ) -> CreateAccountCredentialsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credentials_type_0 = CreateAccountCredentialsType0.from_dict(data)

                return credentials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateAccountCredentialsType0 | None | Unset, data)

        credentials = _parse_credentials(d.pop("credentials", UNSET))

        def _parse_auth_scheme(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        auth_scheme = _parse_auth_scheme(d.pop("auth_scheme", UNSET))

        create_account = cls(
            connection_name=connection_name,
            identifier=identifier,
            config=config,
            credentials=credentials,
            auth_scheme=auth_scheme,
        )

        return create_account
