"""ProHandel errors: the caller's (bad credentials, unknown resource) vs the API's (gave up retrying)."""

from __future__ import annotations

from guardrails.errors import InternalError, UserError


class ProHandelAuthError(UserError):
    """The API key/secret (or refresh token) was refused: the tenant's credentials need fixing."""

    code = "prohandel_auth"


class ProHandelUnavailableError(InternalError):
    """The API kept failing (429/5xx/timeouts) after every retry; the load resumes from its watermark."""

    code = "prohandel_unavailable"


class ProHandelProtocolError(InternalError):
    """The API answered something that is not the documented shape (not a page, not JSON)."""

    code = "prohandel_protocol"
