"""Readiness of the vector stores (`VectorStore.health`, `retrieval.live.store_health`).

Weaviate: the readiness request is built and checked without a server (always runs), then sent to
a loopback server that answers like Weaviate's `/v1/.well-known/ready` (200, 503), to a closed port
and to a port that accepts but never answers — each a clear one-line verdict, fast. Embedded: a
real DuckDB index present, absent, swapped for a corrupt file, or named by `CURRENT` but gone.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from guardrails.errors import ConfigError
from retrieval.config import RetrievalConfig
from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder
from retrieval.factory import open_writer
from retrieval.index_versions import POINTER, IndexVersions
from retrieval.live import NO_INDEX, store_health
from retrieval.protocols import VectorStore
from retrieval.records import CATALOG_PARTITION, Record
from retrieval.stores.embedded import EmbeddedStore
from retrieval.stores.weaviate_health import READY_PATH, probe_ready, ready_request
from retrieval.stores.weaviate_store import WeaviateStore
from tests.retrieval.stores.weaviate_ready_stub import WeaviateReadyStub


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends: nobody listens there


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) but never answers a byte."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield int(s.getsockname()[1])


# ---- Weaviate: the request, without a server ------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("http://weaviate:8080", "http://weaviate:8080/v1/.well-known/ready"),
        ("http://weaviate:8080/", "http://weaviate:8080/v1/.well-known/ready"),
        ("https://vectors.example.com", "https://vectors.example.com:443/v1/.well-known/ready"),
        ("http://weaviate", "http://weaviate:80/v1/.well-known/ready"),
        ("http://[::1]:8080", "http://[::1]:8080/v1/.well-known/ready"),
        ("  http://weaviate:8080/v1  ", "http://weaviate:8080/v1/.well-known/ready"),
    ],
)
def test_ready_request_asks_weaviates_readiness_endpoint(configured: str, expected: str) -> None:
    assert ready_request(configured).url == expected


def test_ready_request_sends_the_api_key_as_bearer_and_never_shows_it() -> None:
    with_key = ready_request("http://weaviate:8080", api_key="s3cret-key")
    assert with_key.headers["Authorization"] == "Bearer s3cret-key"
    assert "s3cret-key" not in repr(with_key)
    assert "Authorization" not in ready_request("http://weaviate:8080").headers


@pytest.mark.parametrize("bad", ["weaviate:8080", "ftp://weaviate:8080", "http://", "http://weaviate:99999"])
def test_a_bad_weaviate_url_is_a_config_error_and_an_unready_probe(bad: str) -> None:
    with pytest.raises(ConfigError, match="MERCURIOS_WEAVIATE_URL"):
        ready_request(bad)
    health = probe_ready(bad)
    assert not health.ok and "MERCURIOS_WEAVIATE_URL" in health.detail


# ---- Weaviate: the probe, against loopback servers ----------------------------------------------


def test_a_ready_weaviate_is_ready_and_gets_one_get_on_the_ready_path() -> None:
    with WeaviateReadyStub(200) as stub:
        health = probe_ready(stub.url, api_key="k-123")
    assert health.ok and "is ready" in health.detail and health.version is None
    assert [(r.method, r.path) for r in stub.requests] == [("GET", READY_PATH)]
    assert stub.requests[0].headers["authorization"] == "Bearer k-123"
    assert "k-123" not in health.detail


def test_a_starting_weaviate_503_is_not_ready() -> None:
    with WeaviateReadyStub(503) as stub:
        health = probe_ready(stub.url)
        assert not health.ok
        assert health.detail == f"Weaviate at {stub.url}{READY_PATH} is not ready (HTTP 503)"
        stub.status = 200  # it finished starting: the next probe says so
        assert probe_ready(stub.url).ok


def test_a_closed_port_is_unreachable_at_once() -> None:
    port = _closed_port()
    started = time.perf_counter()
    health = probe_ready(f"http://127.0.0.1:{port}")
    elapsed = time.perf_counter() - started
    assert not health.ok and f"127.0.0.1:{port}" in health.detail and "unreachable" in health.detail
    assert elapsed < 1.0, elapsed


def test_a_weaviate_that_never_answers_times_out_within_the_probe_timeout(silent_port: int) -> None:
    started = time.perf_counter()
    health = probe_ready(f"http://127.0.0.1:{silent_port}", timeout_s=0.3)
    elapsed = time.perf_counter() - started
    assert not health.ok and "did not answer within 0.3 s" in health.detail
    assert elapsed < 1.0, elapsed


def test_weaviate_store_health_asks_the_configured_server() -> None:
    with WeaviateReadyStub(200) as stub:
        store = WeaviateStore(client=None, collection="MercuriosKnowledge", url=stub.url, api_key="k")
        assert isinstance(store, VectorStore)
        assert store.health().ok
        stub.status = 503
        assert not store.health().ok
    assert [r.path for r in stub.requests] == [READY_PATH, READY_PATH]


def test_store_health_for_weaviate_config(tmp_path: Path) -> None:
    missing_url = RetrievalConfig(data_dir=tmp_path, vector_store="weaviate")
    assert store_health(missing_url).detail == "MERCURIOS_VECTOR_STORE=weaviate needs MERCURIOS_WEAVIATE_URL"
    with WeaviateReadyStub(200) as stub:
        config = RetrievalConfig(data_dir=tmp_path, vector_store="weaviate", weaviate_url=stub.url)
        assert store_health(config).ok


# ---- embedded --------------------------------------------------------------------------------------


def test_embedded_store_health_names_model_and_version(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "index-1.duckdb")
    assert isinstance(store, VectorStore)
    store.prepare("test-model", 4)
    record = Record(id="m1", partition=CATALOG_PARTITION, kind="metric", text="net sales", metadata={})
    store.upsert([record], np.ones((1, 4), dtype=np.float32) / 2)
    health = store.health()
    store.close()
    assert health.ok and health.version == "index-1.duckdb"
    assert "test-model" in health.detail and "4-d" in health.detail


def test_an_index_file_without_our_schema_or_model_is_not_healthy(tmp_path: Path) -> None:
    import duckdb

    foreign = tmp_path / "foreign.duckdb"
    duckdb.connect(str(foreign)).close()  # a valid DuckDB file, but not a retrieval index
    store = EmbeddedStore(foreign, read_only=True)
    health = store.health()
    store.close()
    assert not health.ok and "cannot be read" in health.detail and health.version == "foreign.duckdb"

    unfinished = EmbeddedStore(tmp_path / "unfinished.duckdb")  # schema created, prepare never ran
    health = unfinished.health()
    unfinished.close()
    assert not health.ok and "no embedding model" in health.detail and "--rebuild" in health.detail


def _build_index(config: RetrievalConfig, embedder: WordLlamaEmbedder) -> Path:
    with open_writer(config, embedder) as store:
        record = Record(
            id="net_sales", partition=CATALOG_PARTITION, kind="metric", text="net sales", metadata={}
        )
        store.upsert([record], embedder.embed([record.text]))
    current = IndexVersions(config.index_dir).current()
    assert current is not None
    return current


def test_store_health_of_the_embedded_index_present_absent_corrupt_gone(
    tmp_path: Path, embedder: WordLlamaEmbedder
) -> None:
    config = RetrievalConfig(data_dir=tmp_path)
    absent = store_health(config)
    assert absent.ok and absent.detail == NO_INDEX and absent.version is None

    current = _build_index(config, embedder)
    present = store_health(config)
    assert present.ok and present.version == current.name and embedder.model_id in present.detail

    current.write_bytes(b"this is not a DuckDB file " * 64)  # a disk error, a half-copied file
    corrupt = store_health(config)
    assert not corrupt.ok and corrupt.version == current.name
    assert str(current) in corrupt.detail

    current.unlink()
    gone = store_health(config)
    assert not gone.ok and gone.version == current.name
    assert f"{config.index_dir / POINTER} names '{current.name}', which does not exist" in gone.detail
