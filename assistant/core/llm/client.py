"""One chat call through litellm, with retries, back-off, model fallback and usage accounting.

Retries are ours, not litellm's or the OpenAI SDK's (both are set to 0), so that every HTTP
attempt is counted, a provider's Retry-After is honoured (capped), and the move to the next model
happens on our terms: transient failures (429, 5xx, timeouts, dropped connections) are retried
with exponential back-off, anything else the provider says (bad request, unknown model, auth)
moves on to the next model at once. litellm is imported on first use: it is an optional
dependency and takes seconds to import.

With an `LlmCallCache` (opt-in, `MERCURIOS_LLM_CACHE_TTL_S`), an identical call inside a tenant's
scope is answered from the cache: no HTTP request, 0 tokens, and `usage.cache_hits` says so.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.core.llm.call_cache import LlmCallCache, call_key, current_scope
from assistant.core.llm.errors import LlmTimeoutError, LlmUnavailableError
from assistant.core.llm.settings import LlmEndpoints, LlmSettings
from guardrails.errors import ConfigError

Message = dict[str, Any]  # the chat wire format litellm speaks (role, content, tool_calls …)
_RETRYABLE_STATUS = frozenset({408, 409, 425, 429})
# OpenAI's finish reasons (litellm maps every provider's to these): the answer is whole.
_COMPLETE = frozenset({"stop", "tool_calls", "function_call"})


@dataclass(frozen=True)
class Usage:
    """Tokens and money spent on one turn (all attempts, including failed ones)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0  # litellm's price list; 0 for a model it does not know
    model: str | None = None  # the model that produced the last answer
    attempts: int = 0  # HTTP requests sent, failed ones included
    cache_hits: int = 0  # calls answered from the LLM-call cache (no request, no tokens, no cost)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            model=other.model or self.model,
            attempts=self.attempts + other.attempts,
            cache_hits=self.cache_hits + other.cache_hits,
        )


@dataclass(frozen=True)
class ToolCallMessage:
    id: str
    name: str
    arguments: str  # raw JSON as the model wrote it


@dataclass(frozen=True)
class Completion:
    text: str
    tool_calls: tuple[ToolCallMessage, ...]
    model: str
    usage: Usage
    finish_reason: str | None = None  # "stop", "tool_calls", "length" … (None: not reported)

    @property
    def cached(self) -> bool:
        """Answered from the LLM-call cache: no request was sent for it."""
        return self.usage.cache_hits > 0 and self.usage.attempts == 0

    def as_message(self) -> Message:
        """The assistant turn, to send back in a repair round."""
        message: Message = {"role": "assistant", "content": self.text or None}
        if self.tool_calls:
            message["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for c in self.tool_calls
            ]
        return message


_import_lock = threading.Lock()


def _litellm() -> Any:
    """Import litellm once, offline: its price list from the wheel, not from GitHub at import."""
    with _import_lock:
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        try:
            import litellm
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ConfigError("an LLM is configured but litellm is not installed") from exc
        litellm.suppress_debug_info = True
        litellm.telemetry = False
        return litellm


def _provider_error_base() -> type[Exception]:
    """Every error litellm maps a provider failure to derives from the OpenAI SDK's base error
    (litellm's own `exceptions.OpenAIError` is a sibling subclass, not the base)."""
    import openai

    return openai.OpenAIError


class LlmClient:
    """Thread-safe; holds no per-call state. `sleep` is injectable so back-off can be observed."""

    def __init__(
        self,
        settings: LlmSettings,
        endpoints: LlmEndpoints | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        cache: LlmCallCache | None = None,
    ) -> None:
        self.settings = settings
        self.endpoints = endpoints or LlmEndpoints()
        self._sleep = sleep
        self.cache = cache

    def complete(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[Mapping[str, Any]] | None = None,
        tool_choice: str | None = None,
        max_tokens: int | None = None,
        scope: str | None = None,
    ) -> Completion:
        """One answer from the first model that gives one; raises LlmUnavailableError otherwise.

        `scope` (default: the surrounding `cache_scope`) is the tenant whose cache entries this
        call may read and write; with no scope, or no cache configured, nothing is cached."""
        key = None
        tenant = scope or current_scope()
        if self.cache is not None and tenant:
            key = call_key(tenant, self._cache_request(messages, tools, tool_choice, max_tokens))
            hit = self.cache.lookup(key, _from_cache)
            if hit is not None:
                return hit
        completion = self._call(messages, tools=tools, tool_choice=tool_choice, max_tokens=max_tokens)
        if key is not None and self.cache is not None and _complete(completion):
            self.cache.save(key, _to_cache(completion))
        return completion

    def _cache_request(
        self,
        messages: Sequence[Message],
        tools: Sequence[Mapping[str, Any]] | None,
        tool_choice: str | None,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        """Everything that shapes the answer, as `_call` would send it (not timeouts, retries or keys)."""
        s = self.settings
        return {
            "models": [[m, self.endpoints.for_model(m).base_url] for m in s.models],
            "messages": list(messages),
            "tools": list(tools) if tools else None,
            "tool_choice": tool_choice if tools else None,
            "temperature": s.temperature,
            "max_tokens": max_tokens or s.max_tokens,
        }

    def _call(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[Mapping[str, Any]] | None,
        tool_choice: str | None,
        max_tokens: int | None,
    ) -> Completion:
        litellm = _litellm()
        s = self.settings
        usage = Usage()
        failures: list[str] = []
        all_timeouts = True
        for model in s.models:
            creds = self.endpoints.for_model(model)
            for retry in range(s.max_retries + 1):
                usage = usage + Usage(attempts=1)
                kwargs: dict[str, Any] = {
                    "model": model,
                    "messages": list(messages),
                    "temperature": s.temperature,
                    "max_tokens": max_tokens or s.max_tokens,
                    "timeout": s.timeout_s,
                    "num_retries": 0,
                    "max_retries": 0,
                }
                if tools:
                    kwargs["tools"] = list(tools)
                    if tool_choice:
                        kwargs["tool_choice"] = tool_choice
                if creds.api_key is not None:
                    kwargs["api_key"] = creds.api_key
                if creds.base_url is not None:
                    kwargs["api_base"] = creds.base_url
                try:
                    response = litellm.completion(**kwargs)
                except _provider_error_base() as exc:
                    timed_out = isinstance(exc, litellm.exceptions.Timeout)
                    all_timeouts = all_timeouts and timed_out
                    failures.append(f"{model}: {_describe(exc)}")
                    if retry < s.max_retries and (timed_out or _is_transient(exc, litellm)):
                        self._sleep(self._backoff(retry, exc))
                        continue
                    break  # next model
                return _completion(response, model, usage, litellm)
        summary = "; ".join(failures[-4:])
        error = LlmTimeoutError if all_timeouts and failures else LlmUnavailableError
        raise error(f"no LLM answered ({len(failures)} failed attempts): {summary}", usage=usage)

    def _backoff(self, retry: int, exc: Exception) -> float:
        s = self.settings
        delay = s.backoff_s * (2**retry)
        headers = getattr(exc, "litellm_response_headers", None) or {}
        retry_after = headers.get("retry-after") if hasattr(headers, "get") else None
        if retry_after is not None:
            with contextlib.suppress(ValueError):  # an HTTP date: keep our own back-off
                delay = float(retry_after)
        return max(0.0, min(delay, s.backoff_max_s))


def _is_transient(exc: Exception, litellm: Any) -> bool:
    if isinstance(exc, litellm.exceptions.APIConnectionError):
        return True
    status = getattr(exc, "status_code", None)
    return isinstance(status, int) and (status in _RETRYABLE_STATUS or status >= 500)


def _describe(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    name = type(exc).__name__
    return f"{name} (HTTP {status})" if isinstance(status, int) else name


def _completion(response: Any, model: str, usage: Usage, litellm: Any) -> Completion:
    message = response.choices[0].message
    calls = tuple(
        ToolCallMessage(id=str(c.id), name=str(c.function.name), arguments=str(c.function.arguments or "{}"))
        for c in (getattr(message, "tool_calls", None) or ())
    )
    raw_usage = getattr(response, "usage", None)
    try:
        cost = float(litellm.completion_cost(completion_response=response) or 0.0)
    except Exception:  # litellm raises for models missing from its price list
        cost = 0.0
    spent = Usage(
        prompt_tokens=int(getattr(raw_usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(raw_usage, "completion_tokens", 0) or 0),
        cost_usd=cost,
        model=model,
    )
    finish = getattr(response.choices[0], "finish_reason", None)
    return Completion(
        text=str(message.content or ""),
        tool_calls=calls,
        model=model,
        usage=usage + spent,
        finish_reason=str(finish) if finish is not None else None,
    )


def _complete(completion: Completion) -> bool:
    """Worth keeping: the model finished on its own terms and said something."""
    return completion.finish_reason in _COMPLETE and bool(completion.text.strip() or completion.tool_calls)


def _to_cache(completion: Completion) -> dict[str, Any]:
    return {
        "text": completion.text,
        "tool_calls": [[c.id, c.name, c.arguments] for c in completion.tool_calls],
        "model": completion.model,
        "finish_reason": completion.finish_reason,
        # what the original call cost, for whoever reads the entry; a hit costs nothing
        "spent": [
            completion.usage.prompt_tokens,
            completion.usage.completion_tokens,
            completion.usage.cost_usd,
        ],
    }


def _from_cache(payload: Mapping[str, Any]) -> Completion | None:
    try:
        calls = tuple(
            ToolCallMessage(id=str(i), name=str(n), arguments=str(a)) for i, n, a in payload["tool_calls"]
        )
        model = str(payload["model"])
        return Completion(
            text=str(payload["text"]),
            tool_calls=calls,
            model=model,
            usage=Usage(model=model, cache_hits=1),
            finish_reason=str(payload.get("finish_reason") or "stop"),
        )
    except (KeyError, TypeError, ValueError):  # an entry of another shape: ask the model
        return None
