"""`/readyz` checks the vector store for real, over HTTP (uvicorn on loopback, SQLite app database).

Embedded: no index (ready — retrieval is optional), an index built by the real indexer (ready, with
its version), a corrupt version swapped in (degraded, and questions still answer from the catalog
lexicon). Weaviate: a loopback server answering like Weaviate's `/v1/.well-known/ready` with 200
(ready) and then 503 (degraded), and a closed port (degraded, fast, questions still answer). A dead
vector store never takes the instance out of the load balancer (never 503), and the unauthenticated
body names no tenant.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from assistant.channels.server import create_app
from assistant.runtime.from_settings import retrieval_config
from assistant.runtime.settings import Settings
from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder
from retrieval.factory import open_writer
from retrieval.index_versions import IndexVersions
from retrieval.indexers.catalog_indexer import index_catalog
from retrieval.live import NO_INDEX
from semantic_layer.facade import SemanticLayer
from tests.assistant.api.api_harness import LiveServer, free_port
from tests.assistant.api.conftest import ALPIN, NORDWIND, Backend, base_settings, start_services
from tests.demo import DemoWarehouse
from tests.retrieval.stores.weaviate_ready_stub import READY_PATH, WeaviateReadyStub

OPERATOR_TOKEN = "readyz-operator-token"
QUESTION = {"question": "net sales last month", "as_of": "2026-10-31"}


@pytest.fixture(scope="module")
def embedder() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()


@contextmanager
def serving(settings: Settings, sl: SemanticLayer) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """(anonymous client, client with a Nordwind analyst key) on a fresh server."""
    settings = settings.updated(api={"admin_token": SecretStr(OPERATOR_TOKEN)})
    services = start_services(Backend("readyz", settings), sl)
    key = services.keys.create(NORDWIND, "analyst").token
    with (
        LiveServer(create_app(services=services)) as server,
        server.client() as anonymous,
        server.client(key) as analyst,
    ):
        yield anonymous, analyst


def readyz(client: httpx.Client) -> tuple[int, dict[str, Any]]:
    """The operator's view (with the platform admin token), after checking what anyone sees:
    ok and a reason code per check, never a tenant's name, a path or a URL."""
    r = client.get("/readyz")
    for tenant in (NORDWIND, ALPIN):
        assert tenant not in r.text  # unauthenticated: never a tenant's name
    assert all(set(check) == {"ok", "reason"} for check in r.json()["checks"].values())
    assert "/" not in r.text and "127.0.0.1" not in r.text
    detailed = client.get("/readyz", headers={"X-Admin-Token": OPERATOR_TOKEN})
    assert detailed.status_code == r.status_code
    assert {n: c["reason"] for n, c in detailed.json()["checks"].items()} == {
        n: c["reason"] for n, c in r.json()["checks"].items()
    }
    return detailed.status_code, detailed.json()


def test_no_index_is_ready_and_says_retrieval_is_not_built(
    demo_warehouse: DemoWarehouse, api_semantic_layer: SemanticLayer, tmp_path: Path
) -> None:
    with serving(base_settings(demo_warehouse, tmp_path), api_semantic_layer) as (anonymous, _):
        status, body = readyz(anonymous)
    assert (status, body["status"]) == (200, "ready")
    assert body["checks"]["vector_store"] == {
        "ok": True,
        "reason": "no_index",
        "detail": NO_INDEX,
        "store": "embedded",
        "version": None,
    }


def test_a_built_index_is_ready_with_its_version_and_a_corrupt_one_degrades(
    demo_warehouse: DemoWarehouse,
    api_semantic_layer: SemanticLayer,
    tmp_path: Path,
    embedder: WordLlamaEmbedder,
) -> None:
    settings = base_settings(demo_warehouse, tmp_path)
    with open_writer(retrieval_config(settings), embedder) as store:
        index_catalog(store, embedder, api_semantic_layer.catalog)
    current = IndexVersions(retrieval_config(settings).index_dir).current()
    assert current is not None
    with serving(settings, api_semantic_layer) as (anonymous, analyst):
        status, body = readyz(anonymous)
        assert (status, body["status"]) == (200, "ready")
        check = body["checks"]["vector_store"]
        assert check["ok"] is True and check["version"] == current.name
        assert embedder.model_id in check["detail"]
        # the engine opens the same file for a question; readyz keeps reading it alongside
        assert analyst.post("/v1/ask", json=QUESTION).json()["kind"] == "data"
        assert readyz(anonymous)[1]["checks"]["vector_store"]["ok"] is True

        # a damaged version is swapped in (a half-copied file): the running service must notice
        broken = current.with_name("index-20990101T000000-damaged.duckdb")
        broken.write_bytes(b"\0not a duckdb file\0" * 512)
        (current.parent / "CURRENT").write_text(broken.name + "\n")
        status, body = readyz(anonymous)
        assert (status, body["status"]) == (200, "degraded")
        check = body["checks"]["vector_store"]
        assert check["ok"] is False and check["version"] == broken.name
        assert "not a valid DuckDB database file" in check["detail"]
        assert "degraded: planning without retrieval" in check["detail"]
        assert body["checks"]["warehouse"]["ok"] and body["checks"]["database"]["ok"]
        answer = analyst.post("/v1/ask", json={**QUESTION, "question": "net sales by channel last month"})
        assert answer.status_code == 200 and answer.json()["kind"] == "data"


def test_a_corrupt_index_at_start_degrades_and_questions_still_answer(
    demo_warehouse: DemoWarehouse, api_semantic_layer: SemanticLayer, tmp_path: Path
) -> None:
    index_dir = tmp_path / "retrieval"
    index_dir.mkdir()
    (index_dir / "index-broken.duckdb").write_bytes(b"garbage" * 1000)
    (index_dir / "CURRENT").write_text("index-broken.duckdb\n")
    with serving(base_settings(demo_warehouse, tmp_path), api_semantic_layer) as (anonymous, analyst):
        status, body = readyz(anonymous)
        assert (status, body["status"]) == (200, "degraded")
        assert body["checks"]["vector_store"]["version"] == "index-broken.duckdb"
        answer = analyst.post("/v1/ask", json=QUESTION)
        assert answer.status_code == 200 and answer.json()["kind"] == "data"


def test_weaviate_ready_then_starting(
    demo_warehouse: DemoWarehouse, api_semantic_layer: SemanticLayer, tmp_path: Path
) -> None:
    with WeaviateReadyStub(200) as weaviate:
        settings = base_settings(
            demo_warehouse,
            tmp_path,
            retrieval={
                "vector_store": "weaviate",
                "weaviate_url": weaviate.url,
                "weaviate_api_key": "wv-secret",
            },
        )
        with serving(settings, api_semantic_layer) as (anonymous, _):
            status, body = readyz(anonymous)
            assert (status, body["status"]) == (200, "ready")
            check = body["checks"]["vector_store"]
            assert check == {
                "ok": True,
                "reason": "ready",
                "detail": f"{weaviate.url}{READY_PATH}".join(["Weaviate at ", " is ready"]),
                "store": "weaviate",
                "version": None,
            }
            weaviate.status = 503
            status, body = readyz(anonymous)
            assert (status, body["status"]) == (200, "degraded")
            assert "is not ready (HTTP 503)" in body["checks"]["vector_store"]["detail"]
            assert "wv-secret" not in str(body)
    assert {r.path for r in weaviate.requests} == {READY_PATH}
    assert all(r.headers["authorization"] == "Bearer wv-secret" for r in weaviate.requests)


def test_weaviate_on_a_closed_port_degrades_fast_and_questions_still_answer(
    demo_warehouse: DemoWarehouse, api_semantic_layer: SemanticLayer, tmp_path: Path
) -> None:
    port = free_port()  # nobody listens there
    settings = base_settings(
        demo_warehouse,
        tmp_path,
        retrieval={"vector_store": "weaviate", "weaviate_url": f"http://127.0.0.1:{port}"},
    )
    with serving(settings, api_semantic_layer) as (anonymous, analyst):
        started = time.perf_counter()
        anonymous.get("/readyz")
        elapsed = time.perf_counter() - started
        status, body = readyz(anonymous)
        assert (status, body["status"]) == (200, "degraded")
        detail = body["checks"]["vector_store"]["detail"]
        assert f"Weaviate at http://127.0.0.1:{port}{READY_PATH} is unreachable" in detail
        assert elapsed < 1.5, elapsed
        answer = analyst.post("/v1/ask", json=QUESTION)
        assert answer.status_code == 200 and answer.json()["kind"] == "data"
