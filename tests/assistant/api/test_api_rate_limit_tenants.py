"""Issue 19, finding 2: rate-limit buckets are per tenant — one tenant's users cannot spend another's.

Widget users are named by the retailer (`u1`, an e-mail address): two tenants may well have a
user of the same name, and each must have a budget of its own.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from assistant.channels.server import create_app
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import (
    ALPIN,
    ALPIN_ORIGIN,
    NORDWIND,
    NORDWIND_ORIGIN,
    Backend,
    start_services,
)

PER_MINUTE = 3


@pytest.fixture(scope="module")
def limited(
    backend: Backend, api_semantic_layer: SemanticLayer
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    settings = backend.settings.updated(
        api={"rate_limit_per_minute": PER_MINUTE}, cache_namespace=f"rl-{uuid.uuid4().hex[:8]}"
    )
    services = start_services(Backend(backend.name, settings), api_semantic_layer)
    tokens = {
        NORDWIND: services.widget_tokens.mint(NORDWIND, "u1", NORDWIND_ORIGIN, 600),
        ALPIN: services.widget_tokens.mint(ALPIN, "u1", ALPIN_ORIGIN, 600),
    }
    with LiveServer(create_app(services=services)) as server:
        yield server, tokens


def test_a_widget_user_of_one_tenant_does_not_spend_the_same_user_name_of_another(
    limited: tuple[LiveServer, dict[str, str]],
) -> None:
    server, tokens = limited
    if time.time() % 60 > 50:  # the limiter counts in fixed one-minute windows: start in a fresh one
        time.sleep(61 - time.time() % 60)
    with server.client(tokens[NORDWIND], Origin=NORDWIND_ORIGIN) as nordwind:
        statuses = [nordwind.get("/v1/catalog").status_code for _ in range(PER_MINUTE + 1)]
    assert statuses[:PER_MINUTE] == [200] * PER_MINUTE
    assert statuses[PER_MINUTE] == 429  # nordwind's u1 has spent its minute
    with server.client(tokens[ALPIN], Origin=ALPIN_ORIGIN) as alpin:
        r = alpin.get("/v1/catalog")
    assert r.status_code == 200, r.text  # alpin's u1 is someone else, with a budget of its own
