"""What to ask (the API shape) apart from where and as whom (client and credentials).

`LlmSettings` is the shape of every call — which models in which order, temperature, limits,
retry policy — and is safe to log. `LlmCredentials` is the client side — API key and base URL —
and never appears in a repr. Keeping them apart lets one settings object run against OpenAI,
Anthropic or an OpenAI-compatible server on localhost (tests, self-hosted models) by swapping
credentials only, the way pydantic-ai separates `Model` from `Provider`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LlmSettings:
    """The call's shape. Model names are litellm's: `gpt-4o-mini`, `anthropic/claude-3-5-haiku-latest`,
    `openai/<name>` for any OpenAI-compatible server."""

    model: str
    fallback_models: tuple[str, ...] = ()
    temperature: float = 0.0  # plans and narratives must be reproducible, not creative
    max_tokens: int = 1024
    timeout_s: float = 30.0  # per HTTP attempt
    max_retries: int = 2  # per model, on 429 / 5xx / timeouts / connection errors
    backoff_s: float = 0.5  # first back-off; doubles per retry
    backoff_max_s: float = 8.0  # cap, also on a provider's Retry-After
    max_repairs: int = 2  # planner: tool calls sent back with the validation error, then clarify

    def __post_init__(self) -> None:
        if not self.model:
            raise ValueError("an LLM model name is required")
        if self.timeout_s <= 0 or self.max_retries < 0 or self.max_repairs < 0:
            raise ValueError("timeout_s must be > 0; max_retries and max_repairs must be >= 0")

    @property
    def models(self) -> tuple[str, ...]:
        return (self.model, *(m for m in self.fallback_models if m != self.model))


@dataclass(frozen=True)
class LlmCredentials:
    """Where and as whom. `api_key=None` lets litellm read the provider's usual env variable."""

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None


@dataclass(frozen=True)
class LlmEndpoints:
    """Credentials per model (a fallback may live at another provider), with a default."""

    default: LlmCredentials = LlmCredentials()
    per_model: Mapping[str, LlmCredentials] = field(default_factory=dict)

    def for_model(self, model: str) -> LlmCredentials:
        return self.per_model.get(model, self.default)
