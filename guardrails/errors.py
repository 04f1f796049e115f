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


class GuardRejection(UserError):
    """The SQL guard refused a query; `rule` names the guard rule, `reason` says what to change.

    A rejection is the user's (or the planner's) fault, never ours: the query asked for something
    outside the allow-list. The stable `rule` lets tests, audits and the CLI tell rejections apart.
    """

    code = "guard_rejected"

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(f"query rejected by guard rule '{rule}': {reason}")
        self.rule = rule
        self.reason = reason


class InputRejection(UserError):
    """A question failed the input checks (empty, too long, prompt or SQL injection)."""

    code = "input_rejected"

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(f"question rejected ({check}): {reason}")
        self.check = check
        self.reason = reason
