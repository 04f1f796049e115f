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


class DeliveryError(InternalError):
    """The SMTP server could not be reached or failed temporarily, after every retry."""

    code = "smtp_unavailable"
