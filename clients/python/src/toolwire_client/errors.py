"""Typed errors: every failed call raises a `ToolwireError` (or a subclass by family) carrying
the server's stable `code`, its `message`, the HTTP `status`, and — when the server sent them —
`retry_after_s`, `reconnect_url` and `details` (e.g. every invalid input field)."""

from __future__ import annotations

import enum
from typing import Any


class ErrorCode(str, enum.Enum):
    """The stable codes the server answers with (`ToolwireError.code` is a plain `str`, so a
    code added to the server later still arrives; compare with these members)."""

    INVALID_INPUT = "INVALID_INPUT"
    INVALID_CONFIG = "INVALID_CONFIG"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_JSON = "INVALID_JSON"
    INVALID_REQUEST = "INVALID_REQUEST"
    BODY_TOO_LARGE = "BODY_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    UNAUTHORIZED = "UNAUTHORIZED"
    AUTH_THROTTLED = "AUTH_THROTTLED"
    UNKNOWN_TOOL = "UNKNOWN_TOOL"
    UNKNOWN_CONNECTION = "UNKNOWN_CONNECTION"
    ACCOUNT_NOT_FOUND = "ACCOUNT_NOT_FOUND"
    NOT_FOUND = "NOT_FOUND"
    ACCOUNT_REVOKED = "ACCOUNT_REVOKED"
    ACCOUNT_EXPIRED = "ACCOUNT_EXPIRED"
    ACCOUNT_RESTRICTED = "ACCOUNT_RESTRICTED"
    ACCOUNT_DISCONNECTED = "ACCOUNT_DISCONNECTED"
    ACCOUNT_PENDING_AUTH = "ACCOUNT_PENDING_AUTH"
    SCOPE_NOT_GRANTED = "SCOPE_NOT_GRANTED"
    RATE_LIMITED = "RATE_LIMITED"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    UPSTREAM_VALIDATION = "UPSTREAM_VALIDATION"
    UPSTREAM_BAD_REQUEST = "UPSTREAM_BAD_REQUEST"
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    UPSTREAM_ERROR = "UPSTREAM_ERROR"
    UPSTREAM_AUTH_FAILED = "UPSTREAM_AUTH_FAILED"
    OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN"
    TIMEOUT = "TIMEOUT"
    UI_DISABLED = "UI_DISABLED"
    INTERNAL = "INTERNAL"


class ToolwireError(Exception):
    """A failed toolwire call: the server's `{"error": {...}}` body, typed."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int,
        *,
        retry_after_s: int | None = None,
        reconnect_url: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.retry_after_s = retry_after_s
        self.reconnect_url = reconnect_url
        self.details = details


class InvalidInputError(ToolwireError):
    """The request was refused before anything was sent upstream (bad input, config, body)."""


class UnauthorizedError(ToolwireError):
    """Missing or wrong API key (`UNAUTHORIZED`), or too many wrong keys (`AUTH_THROTTLED`)."""


class NotFoundError(ToolwireError):
    """No such tool, connection or account, or the vendor has no such object."""


class AccountNotActiveError(ToolwireError):
    """The account cannot be used (REVOKED, EXPIRED, RESTRICTED, ...): `reconnect_url` is where
    the user fixes it."""


class RateLimitedError(ToolwireError):
    """Wait `retry_after_s` seconds before calling again."""


class QuotaExceededError(ToolwireError):
    """The vendor's quota for this account (e.g. a daily API allowance) is spent: calls keep
    failing until it resets, so do not retry soon; tell the user."""


class OutcomeUnknownError(ToolwireError):
    """A write without an idempotency key lost its answer: it may have been applied."""


class UpstreamError(ToolwireError):
    """The vendor refused or failed the request, or could not be reached."""


_FAMILIES: dict[str, type[ToolwireError]] = {
    "UNAUTHORIZED": UnauthorizedError,
    "AUTH_THROTTLED": UnauthorizedError,
    "RATE_LIMITED": RateLimitedError,
    "QUOTA_EXCEEDED": QuotaExceededError,
    "OUTCOME_UNKNOWN": OutcomeUnknownError,
    "SCOPE_NOT_GRANTED": AccountNotActiveError,
}


def error_class(code: str, status: int) -> type[ToolwireError]:
    """The subclass for a code (its family by prefix, else by HTTP status)."""
    if code in _FAMILIES:
        return _FAMILIES[code]
    if code.startswith("ACCOUNT_") and code != "ACCOUNT_NOT_FOUND":
        return AccountNotActiveError
    if code.startswith("INVALID_") or code in ("BODY_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"):
        return InvalidInputError
    if code.startswith("UNKNOWN_") or code.endswith("NOT_FOUND"):
        return NotFoundError
    if code.startswith("UPSTREAM_") or code in ("FORBIDDEN", "CONFLICT", "TIMEOUT"):
        return UpstreamError
    if status >= 500:
        return UpstreamError
    return ToolwireError


def from_response(status: int, body: Any) -> ToolwireError:
    """The typed error for a non-2xx answer (`body` is the parsed JSON, or None)."""
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict) or not isinstance(err.get("code"), str):
        return ToolwireError("INTERNAL", f"unexpected HTTP {status} without an error body", status)
    code = err["code"]
    return error_class(code, status)(
        code,
        str(err.get("message", "")),
        status,
        retry_after_s=err.get("retry_after_s"),
        reconnect_url=err.get("reconnect_url"),
        details=err.get("details"),
    )
