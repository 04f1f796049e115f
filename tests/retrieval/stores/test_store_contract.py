"""The shared VectorStore contract: the embedded store always, Weaviate when MERCURIOS_WEAVIATE_URL is set."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from retrieval.protocols import VectorStore
from retrieval.stores.embedded import EmbeddedStore
from tests.retrieval.stores.store_contract import CHECKS

WEAVIATE_URL = os.environ.get("MERCURIOS_WEAVIATE_URL")
STORES = ["embedded", "weaviate"]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    if request.param == "embedded":
        s: VectorStore = EmbeddedStore(tmp_path / "index.duckdb")
    else:
        if not WEAVIATE_URL:
            msg = "WEAVIATE CONTRACT SUITE SKIPPED: set MERCURIOS_WEAVIATE_URL to run it against a server"
            print(f"\n!!! {msg} !!!", file=sys.stderr)
            pytest.skip(msg)
        from retrieval.stores.weaviate_store import WeaviateStore

        s = WeaviateStore.connect(WEAVIATE_URL, collection=f"MercuriosTest{uuid.uuid4().hex[:8]}")
    try:
        yield s
    finally:
        if request.param == "weaviate":
            s.destroy()  # type: ignore[attr-defined]
        s.close()


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__.removeprefix("check_") for c in CHECKS])
def test_store_contract(store: VectorStore, check: Callable[[VectorStore], None]) -> None:
    check(store)
