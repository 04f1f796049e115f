"""Property-based fuzzing of the HTTP API from its own OpenAPI schema (schemathesis), as two tenants.

Every operation of `/openapi.json` gets generated requests — valid ones and, in negative mode,
ones that break the schema (wrong types, missing fields, out-of-range values, odd strings) —
sent over loopback HTTP with the admin keys of two tenants in turn (and the platform admin
token, so the platform endpoints are reached too). Two properties must hold for every response:

- no 5xx: bad input is the caller's fault and gets a 4xx with the error envelope;
- nothing of the other tenant: its id, its store names, its conversation, its key prefixes are
  never in a response to this tenant (unless the request itself carried them).

Bounded for CI: `MERCURIOS_FUZZ_EXAMPLES` examples per operation and mode (default 15: about 700
requests per backend, a minute or two on both); `make fuzz` runs the long mode (200 each, with a
fresh random seed: `MERCURIOS_FUZZ_RANDOM=1`). Every failure is collected and printed with its
request as a curl command (the key filtered out).

Found by it so far: a dimension description in the dbt project named one demo tenant's store
("e.g. Nordwind Hamburg"), shown to every tenant in `/v1/catalog`.
"""

from __future__ import annotations

import itertools
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from pydantic import SecretStr
from schemathesis import GenerationMode

from assistant.channels.server import create_app
from semantic_layer.facade import SemanticLayer
from tests import figures
from tests.assistant.api.api_harness import LiveServer
from tests.assistant.api.conftest import ALPIN, NORDWIND, Backend, start_services

EXAMPLES = int(os.environ.get("MERCURIOS_FUZZ_EXAMPLES", "15"))
ADMIN_TOKEN = "fuzz-platform-admin-token"
AS_OF = "2026-10-31"


@dataclass
class FuzzTarget:
    server: LiveServer
    keys: dict[str, str]  # tenant -> admin key
    secrets: dict[str, set[str]]  # tenant -> what only that tenant may ever see
    turns: itertools.cycle[str]
    statuses: dict[int, int]
    notes: list[str] = field(default_factory=list)  # what each test fuzzed, for the printed figures


@pytest.fixture(scope="module")
def fuzz_target(backend: Backend, api_semantic_layer: SemanticLayer) -> Iterator[FuzzTarget]:
    settings = backend.settings.updated(
        api={"admin_token": SecretStr(ADMIN_TOKEN)}, cache_namespace=f"fuzz-{uuid.uuid4().hex[:8]}"
    )
    services = start_services(Backend(backend.name, settings), api_semantic_layer)
    keys = {tenant: services.keys.create(tenant, "admin", "fuzz").token for tenant in (NORDWIND, ALPIN)}
    with LiveServer(create_app(services=services)) as server:
        secrets: dict[str, set[str]] = {}
        for tenant, key in keys.items():
            with server.client(key) as client:
                asked = client.post(
                    "/v1/ask", json={"question": "net sales by store last month", "as_of": AS_OF}
                )
                catalog = client.get("/v1/catalog").json()
                prefixes = {k["prefix"] for k in client.get("/v1/keys").json()["keys"]}
            stores = {
                str(v) for d in catalog["dimensions"] if d["name"] == "store__store_name" for v in d["values"]
            }
            secrets[tenant] = {tenant, asked.json()["conversation_id"], *stores, *prefixes}
        target = FuzzTarget(server, keys, secrets, itertools.cycle((NORDWIND, ALPIN)), {})
        yield target
    figures.record(
        f"API fuzz ({backend.name}, {EXAMPLES} examples per operation and mode)",
        f"{sum(target.statuses.values())} requests, by status {dict(sorted(target.statuses.items()))}; "
        + "; ".join(target.notes),
    )


def _check(case: schemathesis.Case, target: FuzzTarget) -> None:
    tenant = next(target.turns)
    other = ALPIN if tenant == NORDWIND else NORDWIND
    headers = {"Authorization": f"Bearer {target.keys[tenant]}", "X-Admin-Token": ADMIN_TOKEN}
    headers.update(case.headers or {})  # a generated header (a bad X-Admin-Token) is part of the case
    headers["Authorization"] = f"Bearer {target.keys[tenant]}"
    response = case.call(headers=headers, timeout=60)
    target.statuses[response.status_code] = target.statuses.get(response.status_code, 0) + 1
    where = f"{case.method} {case.formatted_path} as {tenant}"
    curl = case.as_curl_command(headers={"Authorization": "Bearer <key>"})
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:500]}\n{curl}"
    content_type = response.headers.get("content-type") or [""]  # schemathesis: a list per header
    if response.status_code >= 400 and str(content_type[0]).startswith("application/json"):
        body = response.json()
        assert body["error"]["code"] and body["error"]["message"], f"{where}: no error envelope: {body}"
    sent = json.dumps([case.path_parameters, case.query, case.body], default=str)
    leaked = sorted(s for s in target.secrets[other] if s in response.text and s not in sent)
    if case.formatted_path.startswith("/v1/admin/"):  # the platform endpoints list every tenant
        leaked = [s for s in leaked if s not in (NORDWIND, ALPIN)]
    assert not leaked, f"{where}: the response holds {other}'s {leaked}\n{curl}"


def test_no_operation_answers_5xx_or_shows_another_tenants_data(fuzz_target: FuzzTarget) -> None:
    """Every operation, valid and invalid requests: each failure is collected, then all are shown."""
    schema = schemathesis.openapi.from_url(f"{fuzz_target.server.url}/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time, the case is printed
                derandomize=os.environ.get("MERCURIOS_FUZZ_RANDOM") is None,
                database=None,
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def fuzz(case: schemathesis.Case) -> None:
                _check(case, fuzz_target)

            try:
                fuzz()
            except Unsatisfiable:  # nothing to negate (no parameters, no body): positive mode covers it
                continue
            except Exception as exc:  # every operation runs; all failures are shown together
                causes = [exc, *getattr(exc, "exceptions", ())]  # a flaky failure holds the first one
                failures.append(f"[{mode.value}] " + "\n".join(f"{type(e).__name__}: {e}" for e in causes))
    fuzz_target.notes.append(f"{len(operations)} OpenAPI operations, {len(failures)} failing")
    assert not failures, "\n\n".join(failures)


def test_graphql_fields_never_fail_on_our_side_or_show_another_tenants_data(fuzz_target: FuzzTarget) -> None:
    """The GraphQL schema fuzzed from its introspection: generated queries with generated arguments
    (schemathesis' GraphQL support). No 5xx, no error coded `internal` or `warehouse_*` (our side),
    nothing of the other tenant."""
    nodes = schemathesis.graphql.nodes  # filter values are JSON scalars: strings, numbers, booleans
    schemathesis.graphql.scalar(
        "JSON",
        st.one_of(
            st.text(max_size=30).map(nodes.String),
            st.integers(-(10**12), 10**12).map(nodes.Int),
            st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
            st.booleans().map(nodes.Boolean),
        ),
    )
    auth = {"Authorization": f"Bearer {fuzz_target.keys[NORDWIND]}"}
    schema = schemathesis.graphql.from_url(f"{fuzz_target.server.url}/graphql", headers=auth, timeout=30)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
            derandomize=os.environ.get("MERCURIOS_FUZZ_RANDOM") is None,
            database=None,
        )
        @given(case=operation.as_strategy())
        def fuzz(case: schemathesis.Case) -> None:
            tenant = next(fuzz_target.turns)
            other = ALPIN if tenant == NORDWIND else NORDWIND
            response = case.call(headers={"Authorization": f"Bearer {fuzz_target.keys[tenant]}"}, timeout=60)
            fuzz_target.statuses[response.status_code] = fuzz_target.statuses.get(response.status_code, 0) + 1
            where = f"graphql as {tenant}: {json.dumps(case.body)[:300]}"
            assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
            payload = response.json()
            codes = {str((e.get("extensions") or {}).get("code")) for e in payload.get("errors") or []}
            ours = {c for c in codes if c == "internal" or c.startswith("warehouse")}
            assert not ours, f"{where}: {payload['errors']}"
            sent = json.dumps(case.body, default=str)
            leaked = sorted(s for s in fuzz_target.secrets[other] if s in response.text and s not in sent)
            assert not leaked, f"{where}: the response holds {other}'s {leaked}"

        try:
            fuzz()
        except Exception as exc:
            causes = [exc, *getattr(exc, "exceptions", ())]
            failures.append("\n".join(f"{type(e).__name__}: {e}" for e in causes))
    fuzz_target.notes.append(f"{len(operations)} GraphQL fields, {len(failures)} failing")
    assert operations and not failures, "\n\n".join(failures)
