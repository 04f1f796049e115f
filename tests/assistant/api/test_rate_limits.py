"""The rate limiter on each backend: buckets named by the tenant, a Retry-After inside the window,
and a Redis that goes away costs no traffic (this process's window counts instead)."""

from __future__ import annotations

import uuid

import pytest
import redis

from assistant.runtime.rate_limits import RateLimiter
from assistant.runtime.web.errors import RateLimited
from tests.assistant.api.api_harness import free_port, redis_url


def _limiters() -> list[tuple[str, RateLimiter]]:
    found = [("local", RateLimiter(2, namespace=f"t-{uuid.uuid4().hex[:8]}"))]
    url = redis_url()
    if url is not None:
        found.append(("redis", RateLimiter.from_url(2, url, namespace=f"t-{uuid.uuid4().hex[:8]}")))
    return found


@pytest.mark.parametrize("name,limiter", _limiters(), ids=lambda v: v if isinstance(v, str) else "")
def test_the_same_credential_name_in_two_tenants_has_two_budgets(name: str, limiter: RateLimiter) -> None:
    limiter.check("nordwind", "widget:u1")
    limiter.check("nordwind", "widget:u1")
    with pytest.raises(RateLimited) as refused:
        limiter.check("nordwind", "widget:u1")
    assert 1 <= refused.value.retry_after_s <= 60
    limiter.check("alpin", "widget:u1")  # alpin's u1 is someone else
    limiter.check("nordwind", "widget:u2")  # and nordwind's other users still have theirs


def test_on_redis_every_bucket_names_its_tenant() -> None:
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one)")
    namespace = f"t-{uuid.uuid4().hex[:8]}"
    limiter = RateLimiter.from_url(5, url, namespace=namespace)
    limiter.check("nordwind", "key:abc")
    limiter.check("alpin", "key:abc")
    client = redis.Redis.from_url(url)
    keys = sorted(k.decode() for k in client.scan_iter(match=f"*{namespace}*"))
    try:
        assert len(keys) == 4, keys  # a key bucket and a tenant bucket per tenant
        assert all(("nordwind" in k) != ("alpin" in k) for k in keys), keys
        assert sum("key:abc" in k for k in keys) == 2
    finally:
        client.delete(*keys)


def test_a_dead_redis_falls_back_to_this_process_window() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    limiter = RateLimiter.from_url(2, dead, namespace="t")
    assert not limiter.is_local
    limiter.check("nordwind", "key:abc")
    limiter.check("nordwind", "key:abc")
    with pytest.raises(RateLimited):  # still counted, and still per tenant
        limiter.check("nordwind", "key:abc")
    limiter.check("alpin", "key:abc")


def test_a_budget_of_zero_turns_the_limit_off() -> None:
    limiter = RateLimiter(0)
    for _ in range(100):
        limiter.check("nordwind", "key:abc")
