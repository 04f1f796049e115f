"""Errors of the LLM seam. A provider that is down, slow or refusing us is our problem, not the
user's: both are `InternalError`s with stable codes, and they carry the usage spent so far so the
caller can still account for the tokens and attempts a failed turn cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guardrails.errors import InternalError

if TYPE_CHECKING:
    from assistant.core.llm.client import Usage


class LlmUnavailableError(InternalError):
    """Every configured model failed (after retries and fallbacks)."""

    code = "llm_unavailable"

    def __init__(self, message: str, *, usage: Usage, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.usage = usage


class LlmTimeoutError(LlmUnavailableError):
    """Every attempt on every model ran out of time."""

    code = "llm_timeout"
