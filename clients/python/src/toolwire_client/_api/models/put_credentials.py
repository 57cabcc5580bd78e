from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.put_credentials_config_type_0 import PutCredentialsConfigType0
    from ..models.put_credentials_credentials import PutCredentialsCredentials


T = TypeVar("T", bound="PutCredentials")


@_attrs_define
class PutCredentials:
    """`PUT .../credentials` body.

    Attributes:
        credentials (PutCredentialsCredentials):
        config (None | PutCredentialsConfigType0 | Unset):
        auth_scheme (None | str | Unset):
    """

    credentials: PutCredentialsCredentials
    config: None | PutCredentialsConfigType0 | Unset = UNSET
    auth_scheme: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.put_credentials_config_type_0 import PutCredentialsConfigType0

        credentials = self.credentials.to_dict()

        config: dict[str, Any] | None | Unset
        if isinstance(self.config, Unset):
            config = UNSET
        elif isinstance(self.config, PutCredentialsConfigType0):
            config = self.config.to_dict()
        else:
            config = self.config

        auth_scheme: None | str | Unset
        if isinstance(self.auth_scheme, Unset):
            auth_scheme = UNSET
        else:
            auth_scheme = self.auth_scheme

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "credentials": credentials,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config
        if auth_scheme is not UNSET:
            field_dict["auth_scheme"] = auth_scheme

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.put_credentials_config_type_0 import PutCredentialsConfigType0
        from ..models.put_credentials_credentials import PutCredentialsCredentials

        d = dict(src_dict)
        credentials = PutCredentialsCredentials.from_dict(d.pop("credentials"))

        def _parse_config(data: object) -> None | PutCredentialsConfigType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                config_type_0 = PutCredentialsConfigType0.from_dict(data)

                return config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PutCredentialsConfigType0 | Unset, data)

        config = _parse_config(d.pop("config", UNSET))

        def _parse_auth_scheme(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        auth_scheme = _parse_auth_scheme(d.pop("auth_scheme", UNSET))

        put_credentials = cls(
            credentials=credentials,
            config=config,
            auth_scheme=auth_scheme,
        )

        return put_credentials
