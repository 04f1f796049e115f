"""The retriever a long-running engine holds: opened lazily, reopened when a new index is swapped in.

`mercurios index` writes a new embedded index version and swaps `CURRENT` while the service keeps
running; the service must then serve the new version without a restart. Checking is cheap (one
small file read per question): when the version id changed we open the new file and drop the old
reader. With no index at all (a fresh checkout) `get()` returns None and nothing is loaded, not
even the embedder — retrieval is an upgrade, never a requirement.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from retrieval.config import RetrievalConfig
from retrieval.errors import StoreUnavailableError
from retrieval.index_versions import POINTER, IndexVersions

if TYPE_CHECKING:  # the stores, the embedder and numpy load when an index is opened, not before
    from retrieval.protocols import Embedder, StoreHealth, VectorStore
    from retrieval.retriever import Retriever


class LiveRetriever:
    def __init__(self, config: RetrievalConfig) -> None:
        self._config = config
        self._versions = IndexVersions(config.index_dir)
        self._lock = threading.Lock()
        self._embedder: Embedder | None = None
        self._store: VectorStore | None = None
        self._retriever: Retriever | None = None
        self._version: str | None = None

    def _current_version(self) -> str | None:
        if self._config.vector_store == "weaviate":
            return "weaviate"  # the server has no versions: one connection for the process
        current = self._versions.current()
        return current.name if current is not None else None

    def get(self) -> Retriever | None:
        """The retriever over the live index, or None when there is none."""
        version = self._current_version()
        with self._lock:
            if version == self._version:
                return self._retriever
            if version is None:
                self._swap(None, None)
                return None
            from retrieval.factory import build_embedder, open_reader

            if self._embedder is None:
                self._embedder = build_embedder(self._config)
            store = open_reader(self._config, self._embedder)
            self._swap(store, version)
            return self._retriever

    def _swap(self, store: VectorStore | None, version: str | None) -> None:
        # The old reader is not closed here: a question on another thread may still be reading it.
        # Read-only DuckDB connections hold no lock on the file; the garbage collector closes it.
        self._store = store
        self._version = version
        if store is not None and self._embedder is not None:
            from retrieval.retriever import Retriever

            self._retriever = Retriever(store, self._embedder)
        else:
            self._retriever = None

    @property
    def version(self) -> str | None:
        return self._version

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._swap(None, None)


NO_INDEX = (
    "no retrieval index built: questions are planned from the catalog lexicon "
    "(run `mercurios index` to add retrieval)"
)


def store_health(config: RetrievalConfig, *, timeout_s: float = 1.0) -> StoreHealth:
    """The vector store as `/readyz` reports it; never raises, loads no embedder, opens no client.

    Weaviate: its readiness endpoint, within `timeout_s`. Embedded: the live version (the file
    `CURRENT` names) is opened read-only and read; no index at all is fine (retrieval is
    optional), while a `CURRENT` naming a missing file or an unreadable file is not — questions
    then plan without retrieval until the index is rebuilt.
    """
    from retrieval.protocols import StoreHealth
    from retrieval.stores.embedded import EmbeddedStore

    if config.vector_store == "weaviate":
        if not config.weaviate_url:
            return StoreHealth(False, "MERCURIOS_VECTOR_STORE=weaviate needs MERCURIOS_WEAVIATE_URL")
        from retrieval.stores.weaviate_health import probe_ready

        return probe_ready(config.weaviate_url, api_key=config.weaviate_api_key, timeout_s=timeout_s)
    pointer = config.index_dir / POINTER
    if not pointer.exists():
        return StoreHealth(True, NO_INDEX)
    current = IndexVersions(config.index_dir).current()
    if current is None:
        try:
            named = pointer.read_text(encoding="utf-8").strip()
        except OSError as exc:
            return StoreHealth(False, f"cannot read {pointer}: {exc}")
        return StoreHealth(
            False, f"{pointer} names {named!r}, which does not exist; run `mercurios index --rebuild`", named
        )
    try:
        store = EmbeddedStore(current, read_only=True)
    except StoreUnavailableError as exc:
        return StoreHealth(False, exc.message, current.name)
    try:
        return store.health()
    finally:
        store.close()
