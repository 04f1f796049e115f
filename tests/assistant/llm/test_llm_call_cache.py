"""The opt-in LLM-call cache, through litellm's real HTTP path against the OpenAI-compatible stub.

The stub's request log is the proof: a call answered from the cache never reaches it. Covered: an
identical prompt is sent once (the hit costs 0 tokens and says so), a different tenant — even with
a byte-identical prompt — a different message, model, temperature, max_tokens or tool set misses,
entries expire with their TTL, failures / truncated / empty answers are not cached, an unscoped
call is never cached, an unreadable entry is a miss; and the same over the local Redis, shared by
two clients as two workers would share it.
"""

from __future__ import annotations

import os
import time
import uuid
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from assistant.core.cache import InProcessCache
from assistant.core.llm.call_cache import LlmCallCache, cache_scope, call_key, current_scope
from assistant.core.llm.client import LlmClient
from assistant.core.llm.errors import LlmUnavailableError
from assistant.core.llm.settings import LlmCredentials, LlmEndpoints
from assistant.runtime.cache_redis import RedisCache
from tests.assistant.llm.llm_setup import client_for
from tests.assistant.llm.servers import Failure, OpenAiStub, Reply, Text, ToolCall

NORDWIND, ALPIN = "nordwind-fashion", "alpin-sport"
ASK = [{"role": "system", "content": "You answer briefly."}, {"role": "user", "content": "net sales?"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "query_metrics",
            "description": "Run a metric query.",
            "parameters": {"type": "object", "properties": {"metrics": {"type": "array"}}},
        },
    }
]


def cached_client(
    stub: OpenAiStub, cache: LlmCallCache, model: str = "openai/test-model", **kw: Any
) -> LlmClient:
    client = client_for(stub.base_url, model, **kw)
    client.cache = cache
    return client


@pytest.fixture
def cache() -> LlmCallCache:
    return LlmCallCache(InProcessCache(), ttl_s=60)


def test_an_identical_prompt_is_sent_once_and_the_hit_costs_nothing(
    openai_stub: OpenAiStub, cache: LlmCallCache
) -> None:
    client = cached_client(openai_stub, cache)
    openai_stub.enqueue(Reply(Text("Net sales were 1.2 M EUR."), prompt_tokens=120, completion_tokens=9))
    with cache_scope(NORDWIND):
        first = client.complete(ASK)
        second = client.complete(ASK)
    assert len(openai_stub.requests) == 1
    assert (first.usage.prompt_tokens, first.usage.completion_tokens, first.usage.attempts) == (120, 9, 1)
    assert not first.cached and first.usage.cache_hits == 0
    assert second.text == first.text == "Net sales were 1.2 M EUR."
    assert second.cached and second.model == "openai/test-model"
    u = second.usage
    assert (u.prompt_tokens, u.completion_tokens, u.cost_usd, u.attempts, u.cache_hits) == (0, 0, 0.0, 0, 1)
    assert (first.usage + second.usage).cache_hits == 1  # turn totals keep the count
    assert cache.stats.snapshot() == {"hit": 1, "miss": 1, "store": 1}


def test_a_tool_call_comes_back_from_the_cache_whole(openai_stub: OpenAiStub, cache: LlmCallCache) -> None:
    client = cached_client(openai_stub, cache)
    openai_stub.enqueue(ToolCall("query_metrics", {"metrics": ["net_sales"]}))
    first = client.complete(ASK, tools=TOOLS, tool_choice="required", scope=NORDWIND)
    second = client.complete(ASK, tools=TOOLS, tool_choice="required", scope=NORDWIND)
    assert len(openai_stub.requests) == 1 and second.cached
    assert second.tool_calls == first.tool_calls
    assert second.as_message() == first.as_message()  # a repair round sends it back unchanged


def test_two_tenants_never_share_an_entry_even_for_byte_identical_prompts(
    openai_stub: OpenAiStub, cache: LlmCallCache
) -> None:
    client = cached_client(openai_stub, cache)
    openai_stub.enqueue(Text("Nordwind's answer."), Text("Alpin's answer."))
    with cache_scope(NORDWIND):
        assert client.complete(ASK).text == "Nordwind's answer."
    with cache_scope(ALPIN):
        assert client.complete(ASK).text == "Alpin's answer."  # a miss: the stub answered again
    assert len(openai_stub.requests) == 2
    assert openai_stub.requests[0].body == openai_stub.requests[1].body  # byte-identical prompts
    # each tenant now hits its own entry, never the other's
    assert client.complete(ASK, scope=ALPIN).text == "Alpin's answer."
    assert client.complete(ASK, scope=NORDWIND).text == "Nordwind's answer."
    assert len(openai_stub.requests) == 2
    assert call_key(NORDWIND, {"x": 1}) != call_key(ALPIN, {"x": 1})
    assert call_key(NORDWIND, {"x": 1}).startswith(f"mercurios:llm:{NORDWIND}:")


def test_anything_that_changes_the_output_misses(openai_stub: OpenAiStub, cache: LlmCallCache) -> None:
    base = cached_client(openai_stub, cache)
    variants: list[tuple[str, LlmClient, dict[str, Any]]] = [
        ("same", base, {}),
        ("other message", base, {"messages": [*ASK[:1], {"role": "user", "content": "net sales!"}]}),
        ("other model", cached_client(openai_stub, cache, "openai/other-model"), {}),
        ("other temperature", cached_client(openai_stub, cache, temperature=0.7), {}),
        ("other max_tokens", base, {"max_tokens": 64}),
        ("with tools", base, {"tools": TOOLS}),
        ("tool_choice", base, {"tools": TOOLS, "tool_choice": "required"}),
        ("a fallback model", cached_client(openai_stub, cache, fallback=("openai/spare",)), {}),
    ]
    for name, _client, _kw in variants:
        openai_stub.enqueue(Text(f"answer for {name}"))
    for name, client, kw in variants:
        messages = kw.pop("messages", ASK)
        assert client.complete(messages, scope=NORDWIND, **kw).text == f"answer for {name}", name
    assert len(openai_stub.requests) == len(variants)  # every variant reached the model
    for name, client, kw in variants:  # and each now hits its own entry
        messages = kw.pop("messages", ASK) if "messages" in kw else ASK
        assert client.complete(messages, scope=NORDWIND, **kw).cached, name
    assert len(openai_stub.requests) == len(variants)


def test_timeouts_retries_and_the_api_key_do_not_change_the_key(
    openai_stub: OpenAiStub, cache: LlmCallCache
) -> None:
    openai_stub.enqueue(Text("once"))
    cached_client(openai_stub, cache, timeout_s=5.0, max_retries=0).complete(ASK, scope=NORDWIND)
    other = cached_client(openai_stub, cache, timeout_s=9.0, max_retries=3)
    other.endpoints = LlmEndpoints(
        default=LlmCredentials(api_key="another-key", base_url=openai_stub.base_url)
    )
    assert other.complete(ASK, scope=NORDWIND).cached
    assert len(openai_stub.requests) == 1


def test_an_unscoped_call_is_never_cached(openai_stub: OpenAiStub, cache: LlmCallCache) -> None:
    client = cached_client(openai_stub, cache)
    openai_stub.enqueue(Text("one"), Text("two"))
    assert current_scope() is None
    assert [client.complete(ASK).text for _ in range(2)] == ["one", "two"]
    assert cache.stats.snapshot() == {"hit": 0, "miss": 0, "store": 0}


def test_entries_expire_with_their_ttl(openai_stub: OpenAiStub) -> None:
    client = cached_client(openai_stub, LlmCallCache(InProcessCache(), ttl_s=0.3))
    openai_stub.enqueue(Text("before"), Text("after"))
    assert client.complete(ASK, scope=NORDWIND).text == "before"
    assert client.complete(ASK, scope=NORDWIND).cached
    time.sleep(0.4)
    fresh = client.complete(ASK, scope=NORDWIND)
    assert fresh.text == "after" and not fresh.cached
    assert len(openai_stub.requests) == 2


def test_a_failed_call_is_not_cached_and_the_next_success_is(
    openai_stub: OpenAiStub, cache: LlmCallCache
) -> None:
    client = cached_client(openai_stub, cache)
    openai_stub.enqueue(Failure(500, "upstream broke"))
    with pytest.raises(LlmUnavailableError):
        client.complete(ASK, scope=NORDWIND)
    openai_stub.enqueue(Text("recovered"))
    assert client.complete(ASK, scope=NORDWIND).text == "recovered"
    assert client.complete(ASK, scope=NORDWIND).cached
    assert len(openai_stub.requests) == 2
    assert cache.stats.snapshot()["store"] == 1


class TruncatingStub(OpenAiStub):
    """Answers with `finish_reason: length`, as a provider does when max_tokens cut the answer."""

    def render(self, reply: Reply, request: Mapping[str, Any]) -> object:
        body: Any = super().render(reply, request)
        body["choices"][0]["finish_reason"] = "length"
        return body


def test_truncated_and_empty_answers_are_not_cached(openai_stub: OpenAiStub, cache: LlmCallCache) -> None:
    with TruncatingStub() as truncating:
        client = cached_client(truncating, cache)
        truncating.enqueue(Text("Net sales were 1.2"), Text("Net sales were 1.2"))
        for _ in range(2):
            assert not client.complete(ASK, scope=NORDWIND).cached
        assert len(truncating.requests) == 2
    client = cached_client(openai_stub, cache)
    openai_stub.enqueue(Text(""), Text("   "), Text("now something"))
    assert [client.complete(ASK, scope=NORDWIND).text for _ in range(3)] == ["", "   ", "now something"]
    assert client.complete(ASK, scope=NORDWIND).cached
    assert len(openai_stub.requests) == 3


def test_an_unreadable_entry_is_a_miss_and_is_replaced(openai_stub: OpenAiStub) -> None:
    store = InProcessCache()
    cache = LlmCallCache(store, ttl_s=60)
    client = cached_client(openai_stub, cache)
    key = call_key(NORDWIND, client._cache_request(ASK, None, None, None))
    store.set(key, b"\xff not json", 60)
    openai_stub.enqueue(Text("fresh"))
    assert client.complete(ASK, scope=NORDWIND).text == "fresh"
    assert client.complete(ASK, scope=NORDWIND).cached
    assert len(openai_stub.requests) == 1


def test_a_scope_needs_a_tenant() -> None:
    with pytest.raises(ValueError, match="tenant"), cache_scope(""):
        pass
    with pytest.raises(ValueError, match="positive TTL"):
        LlmCallCache(InProcessCache(), ttl_s=0)


# ---- Redis ------------------------------------------------------------------------------------------


@pytest.fixture
def redis_url() -> Iterator[str]:
    from tests.assistant.api.api_harness import redis_url as find_redis

    url = find_redis()
    if url is None:
        message = (
            "!!! SKIPPING the Redis-backed LLM-call cache tests: Redis unreachable (MERCURIOS_REDIS_URL) !!!"
        )
        if os.environ.get("CI"):
            pytest.fail(message + " — CI starts Redis, so this is a failure there")
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    yield url


def test_redis_shares_entries_between_workers_per_tenant_and_expires_them(
    openai_stub: OpenAiStub, redis_url: str
) -> None:
    namespace = f"test-llm-{uuid.uuid4().hex[:8]}"
    stores = [RedisCache(redis_url, namespace=namespace) for _ in range(2)]  # two workers' connections
    worker_a, worker_b = (cached_client(openai_stub, LlmCallCache(s, ttl_s=0.5)) for s in stores)
    openai_stub.enqueue(Text("from the model"), Text("for Alpin"), Text("after expiry"))
    try:
        assert worker_a.complete(ASK, scope=NORDWIND).text == "from the model"
        shared = worker_b.complete(ASK, scope=NORDWIND)
        assert shared.cached and shared.text == "from the model"  # the other worker's entry
        assert worker_b.complete(ASK, scope=ALPIN).text == "for Alpin"  # never across tenants
        assert len(openai_stub.requests) == 2
        time.sleep(0.7)  # Redis expired the entries (PX)
        assert worker_b.complete(ASK, scope=NORDWIND).text == "after expiry"
        assert len(openai_stub.requests) == 3
        import redis

        keys = redis.Redis.from_url(redis_url).keys(f"{namespace}:mercurios:llm:*")
        assert keys and all(k.decode().split(":")[3] in (NORDWIND, ALPIN) for k in keys)
    finally:
        for s in stores:
            s.close()
