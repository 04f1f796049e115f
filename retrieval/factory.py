"""The one place that picks an embedder and a store from `RetrievalConfig`.

Optional SDKs (sentence-transformers, weaviate-client, litellm) are imported only in their own
branch, so the embedded default runs with none of them configured.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from guardrails.errors import ConfigError
from retrieval.config import RetrievalConfig
from retrieval.index_versions import IndexVersions
from retrieval.protocols import Embedder, VectorStore
from retrieval.stores.embedded import EmbeddedStore


def build_embedder(config: RetrievalConfig) -> Embedder:
    model = config.embedding_model.strip()
    if model == "wordllama" or model.startswith("wordllama/"):
        from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder

        dim = model.rsplit("_", 1)[-1] if "_" in model else "256"
        if not dim.isdigit():
            raise ConfigError(
                f"embedding model {model!r}: expected 'wordllama' or 'wordllama/l2_supercat_<dim>'"
            )
        return WordLlamaEmbedder(int(dim))
    if model.startswith("sentence-transformers/"):
        from retrieval.embedders.sentence_transformers_embedder import SentenceTransformersEmbedder

        return SentenceTransformersEmbedder(model.removeprefix("sentence-transformers/"))
    from retrieval.embedders.litellm_embedder import LiteLlmEmbedder

    return LiteLlmEmbedder(model, api_base=config.embedding_api_base, api_key=config.embedding_api_key)


def _weaviate(config: RetrievalConfig) -> VectorStore:
    if not config.weaviate_url:
        raise ConfigError("MERCURIOS_VECTOR_STORE=weaviate needs MERCURIOS_WEAVIATE_URL")
    from retrieval.stores.weaviate_store import WeaviateStore

    return WeaviateStore.connect(
        config.weaviate_url, api_key=config.weaviate_api_key, collection=config.weaviate_collection
    )


def open_reader(config: RetrievalConfig, embedder: Embedder) -> VectorStore:
    """The store the engine searches. No embedded index yet → an empty one (nothing retrieved)."""
    if config.vector_store == "weaviate":
        store = _weaviate(config)
    else:
        current = IndexVersions(config.index_dir).current()
        store = EmbeddedStore(current, read_only=True) if current else EmbeddedStore(Path(":memory:"))
    store.prepare(embedder.model_id, embedder.dimension)
    return store


@contextmanager
def open_writer(
    config: RetrievalConfig,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    rebuild_partitions: tuple[str, ...] = (),
) -> Iterator[VectorStore]:
    """A store to index into. Embedded: a new version swapped in only if the block succeeds.

    `rebuild` with no partitions starts the embedded index from scratch; with partitions it drops
    just those first (Weaviate always drops per partition: the server has no versions).
    """
    if config.vector_store == "weaviate":
        store = _weaviate(config)
        try:
            for p in rebuild_partitions:
                store.drop_partition(p)
            store.prepare(embedder.model_id, embedder.dimension)
            yield store
        finally:
            store.close()
        return
    versions = IndexVersions(config.index_dir)
    with versions.build(from_scratch=rebuild and not rebuild_partitions) as path:
        embedded = EmbeddedStore(path)
        try:
            if rebuild and rebuild_partitions:
                for p in rebuild_partitions:
                    embedded.drop_partition(p)
            embedded.prepare(embedder.model_id, embedder.dimension)
            yield embedded
        finally:
            embedded.close()
