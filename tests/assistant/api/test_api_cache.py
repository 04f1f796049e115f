"""Acceptance 4: the answer cache over HTTP — paraphrases hit; tenant, role, as_of, data version miss."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from assistant.channels.server import create_app
from assistant.runtime.services import build_semantic_layer
from tests.assistant.api.api_harness import LiveServer, read_sse
from tests.assistant.api.conftest import ALPIN, NORDWIND, Api, Backend, base_settings, start_services
from tests.demo import DemoWarehouse


def _done(api_url_client: object, question: str, as_of: str) -> dict[str, object]:
    with api_url_client.stream("POST", "/v1/chat", json={"question": question, "as_of": as_of}) as r:  # type: ignore[attr-defined]
        events = list(read_sse(r))
    assert events[-1].event == "done", [e.event for e in events]
    return events[-1].data


def test_paraphrases_hit_and_tenant_role_as_of_miss(api: Api) -> None:
    with api.server.client(api.key(NORDWIND, "analyst")) as analyst:
        assert _done(analyst, "discount amount by region last quarter", "2026-10-31")["cache"] == "miss"
        assert (
            _done(analyst, "show me the discount amount per region for last quarter", "2026-10-31")["cache"]
            == "hit"
        )
        assert _done(analyst, "discount amount by region last quarter", "2026-09-30")["cache"] == "miss"
    with api.server.client(api.key(NORDWIND, "viewer")) as viewer:
        assert _done(viewer, "discount amount by region last quarter", "2026-10-31")["cache"] == "miss"
    with api.server.client(api.key(ALPIN, "analyst")) as other:
        assert _done(other, "discount amount by region last quarter", "2026-10-31")["cache"] == "miss"
    with api.server.client() as client:
        assert 'mercurios_answer_cache_total{result="hit"}' in client.get("/metrics").text


def test_a_data_load_recomputes_only_that_tenants_answers(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_warehouse.path, copy)
    settings = base_settings(demo_warehouse, tmp_path).model_copy(update={"duckdb_path": copy})
    services = start_services(Backend("copy", settings), build_semantic_layer(settings))
    keys = {t: services.keys.create(t, "analyst").token for t in (NORDWIND, ALPIN)}
    question, as_of = "net sales by channel last month", "2026-10-31"
    with LiveServer(create_app(services=services)) as server:
        for tenant in (NORDWIND, ALPIN):
            with server.client(keys[tenant]) as c:
                assert _done(c, question, as_of)["cache"] == "miss"
                assert _done(c, question, as_of)["cache"] == "hit"
        staged = (
            tmp_path / "staged.duckdb"
        )  # a load builds a new file and swaps it in, like `mercurios build`
        shutil.copy(demo_warehouse.path, staged)
        with duckdb.connect(str(staged)) as con:
            con.execute(
                "UPDATE mercurios_meta.data_versions SET data_version = data_version || '-reloaded' "
                "WHERE tenant_id = ?",
                [NORDWIND],
            )
        os.replace(staged, copy)
        with server.client(keys[NORDWIND]) as c:
            assert _done(c, question, as_of)["cache"] == "miss"
        with server.client(keys[ALPIN]) as c:
            assert _done(c, question, as_of)["cache"] == "hit"
