"""Errors of the digests, each with a stable code; delivery failures say whether a retry can help."""

from __future__ import annotations

from guardrails.errors import InternalError, UserError


class InvalidScheduleError(UserError):
    code = "invalid_schedule"


class InvalidRecipientError(UserError):
    code = "invalid_recipient"


class RecipientRejectedError(UserError):
    """The server refused a recipient permanently (5xx): retrying would bounce again."""

    code = "recipient_rejected"


class DestinationRefusedError(UserError):
    """The destination is not the subscription's tenant's to send to (a Slack channel of a workspace
    linked to another tenant, a bot token of another workspace): nothing is sent, ever."""

    code = "destination_refused"


class DeliveryError(InternalError):
    """The SMTP server (or Slack) could not be reached or failed temporarily, after every retry.
    `retry_after_s`: the earliest sensible retry the server asked for (Slack's Retry-After)."""

    code = "smtp_unavailable"

    def __init__(self, message: str, *, code: str | None = None, retry_after_s: float | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after_s = retry_after_s
