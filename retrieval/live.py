"""The retriever a long-running engine holds: opened lazily, reopened when a new index is swapped in.

`mercurios index` writes a new embedded index version and swaps `CURRENT` while the service keeps
running; the service must then serve the new version without a restart. Checking is cheap (one
small file read per question): when the version id changed we open the new file and drop the old
reader. With no index at all (a fresh checkout) `get()` returns None and nothing is loaded, not
even the embedder — retrieval is an upgrade, never a requirement.
"""

from __future__ import annotations

import threading

from retrieval.config import RetrievalConfig
from retrieval.factory import build_embedder, open_reader
from retrieval.index_versions import IndexVersions
from retrieval.protocols import Embedder, VectorStore
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
        self._retriever = Retriever(store, self._embedder) if store is not None and self._embedder else None

    @property
    def version(self) -> str | None:
        return self._version

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._swap(None, None)
