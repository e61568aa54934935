"""Typed errors: each carries a Chinese message for the user and a precise detail for the support log."""
from __future__ import annotations


class YichuangError(Exception):
    """Base of every expected failure. The UI shows `user_message`; the log records `detail`."""

    code = "error"

    def __init__(self, user_message: str, detail: str = "", *, code: str | None = None):
        super().__init__(detail or user_message)
        self.user_message = user_message
        self.detail = detail or user_message
        if code:
            self.code = code


class ConfigError(YichuangError):
    code = "config_invalid"


class StoreError(YichuangError):
    code = "store_error"


class ValidationFailed(YichuangError):
    """User input that breaks a rule; `field` names the form field so the screen can focus it."""

    code = "validation_failed"

    def __init__(self, user_message: str, detail: str = "", *, field: str | None = None):
        super().__init__(user_message, detail)
        self.field = field


class AuthError(YichuangError):
    code = "auth_failed"


class NetworkUnavailable(YichuangError):
    code = "network_unavailable"


class ServerRejected(YichuangError):
    """The central API answered with an error envelope; `status` is the HTTP status."""

    code = "server_rejected"

    def __init__(self, user_message: str, detail: str = "", *, code: str = "server_rejected", status: int = 0):
        super().__init__(user_message, detail, code=code)
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status in (408, 425, 429) or self.status >= 500
