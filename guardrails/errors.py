"""The one error hierarchy of Mercurios.

It lives in `guardrails`, the bottom layer, so that every package can raise and catch the same
types without importing upwards. It separates the user's fault (`UserError`: bad question, bad
SQL, unknown metric, unknown tenant — shown to the user as is) from ours (`InternalError`: a bug
or a dead dependency — shown as a generic message with its code, details only in logs).
Channels catch `MercuriosError` once, at their edge, and turn it into a message with `code`.
"""

from __future__ import annotations


class MercuriosError(Exception):
    """Base of every error Mercurios raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class UserError(MercuriosError):
    """The request cannot be served as asked; the message tells the user what to change."""

    code = "bad_request"


class ConfigError(UserError):
    """Configuration (settings, a dbt project, a path) is missing or malformed."""

    code = "config"


class NotFoundError(UserError):
    """A named thing (tenant, metric, conversation) does not exist for this caller."""

    code = "not_found"


class InternalError(MercuriosError):
    """Our fault or a dependency's: a bug, a dead service, a failed subprocess."""

    code = "internal"
