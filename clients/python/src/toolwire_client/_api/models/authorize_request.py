from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.authorize_request_config import AuthorizeRequestConfig


T = TypeVar("T", bound="AuthorizeRequest")


@_attrs_define
class AuthorizeRequest:
    """`oauth/authorize` body.

    Attributes:
        config (AuthorizeRequestConfig | Unset): Connector config, e.g. `{"subdomain": "acme"}`.
        redirect_uri (None | str | Unset): Where the provider sends the user back (default: the UI's `/oauth/callback`).
    """

    config: AuthorizeRequestConfig | Unset = UNSET
    redirect_uri: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        redirect_uri: None | str | Unset
        if isinstance(self.redirect_uri, Unset):
            redirect_uri = UNSET
        else:
            redirect_uri = self.redirect_uri

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if config is not UNSET:
            field_dict["config"] = config
        if redirect_uri is not UNSET:
            field_dict["redirect_uri"] = redirect_uri

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.authorize_request_config import AuthorizeRequestConfig

        d = dict(src_dict)
        _config = d.pop("config", UNSET)
        config: AuthorizeRequestConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = AuthorizeRequestConfig.from_dict(_config)

        def _parse_redirect_uri(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect_uri = _parse_redirect_uri(d.pop("redirect_uri", UNSET))

        authorize_request = cls(
            config=config,
            redirect_uri=redirect_uri,
        )

        return authorize_request
