"""Index versions: a failed run leaves the previous index serving; a model change needs a rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.config import RetrievalConfig
from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder
from retrieval.errors import EmbeddingMismatchError, EmptyDocumentError
from retrieval.factory import open_reader, open_writer
from retrieval.indexers.document_indexer import index_documents
from retrieval.retriever import Retriever

TENANT = "nordwind-fashion"


def _docs(root: Path, text: str) -> Path:
    folder = root / "docs"
    folder.mkdir(exist_ok=True)
    (folder / "policy.md").write_text(f"# Return policy\n\n{text}\n", encoding="utf-8")
    return folder


def _answer(config: RetrievalConfig, embedder: WordLlamaEmbedder) -> str:
    store = open_reader(config, embedder)
    try:
        ctx = Retriever(store, embedder).documents(TENANT, "within how many days can items be returned")
        return ctx.chunks[0].text if ctx.chunks else ""
    finally:
        store.close()


def test_a_failed_run_leaves_the_previous_index_serving(tmp_path: Path, embedder: WordLlamaEmbedder) -> None:
    config = RetrievalConfig(data_dir=tmp_path / "var")
    folder = _docs(tmp_path, "Items can be returned within 30 days.")
    with open_writer(config, embedder) as store:
        index_documents(store, embedder, TENANT, folder)
    assert "30 days" in _answer(config, embedder)

    (folder / "policy.md").write_text("Items can be returned within 60 days.", encoding="utf-8")
    (folder / "empty.md").write_text("", encoding="utf-8")
    with pytest.raises(EmptyDocumentError, match=r"empty\.md"), open_writer(config, embedder) as store:
        index_documents(store, embedder, TENANT, folder)
    assert "30 days" in _answer(config, embedder)  # still the previous version
    assert len(list((tmp_path / "var" / "retrieval").glob("index-*.duckdb"))) == 1  # half-built copy removed

    (folder / "empty.md").unlink()
    with open_writer(config, embedder) as store:
        report = index_documents(store, embedder, TENANT, folder)
    assert (report.sync.updated, report.sync.unchanged) == (1, 0)
    assert "60 days" in _answer(config, embedder)


def test_an_exception_inside_the_run_also_keeps_the_old_index(
    tmp_path: Path, embedder: WordLlamaEmbedder
) -> None:
    config = RetrievalConfig(data_dir=tmp_path / "var")
    folder = _docs(tmp_path, "Items can be returned within 30 days.")
    with open_writer(config, embedder) as store:
        index_documents(store, embedder, TENANT, folder)
    with pytest.raises(RuntimeError), open_writer(config, embedder) as store:
        store.drop_partition(TENANT)
        raise RuntimeError("killed mid-run")
    assert "30 days" in _answer(config, embedder)


def test_reindexing_unchanged_documents_embeds_nothing(tmp_path: Path, embedder: WordLlamaEmbedder) -> None:
    config = RetrievalConfig(data_dir=tmp_path / "var")
    folder = _docs(tmp_path, "Items can be returned within 30 days.")
    for expected_added in (1, 0):
        with open_writer(config, embedder) as store:
            report = index_documents(store, embedder, TENANT, folder)
        assert report.sync.added == expected_added and report.sync.updated == 0


def test_a_model_change_is_refused_until_rebuild(tmp_path: Path, embedder: WordLlamaEmbedder) -> None:
    config = RetrievalConfig(data_dir=tmp_path / "var")
    folder = _docs(tmp_path, "Items can be returned within 30 days.")
    with open_writer(config, embedder) as store:
        index_documents(store, embedder, TENANT, folder)
    smaller = WordLlamaEmbedder(64)  # same model family, other dimension: vectors don't mix
    with pytest.raises(EmbeddingMismatchError, match="mercurios index --rebuild"):
        open_reader(config, smaller)
    with pytest.raises(EmbeddingMismatchError), open_writer(config, smaller):
        pass
    with open_writer(config, smaller, rebuild=True) as store:
        index_documents(store, smaller, TENANT, folder)
    assert "30 days" in _answer(config, smaller)


def test_no_index_yet_retrieves_nothing(tmp_path: Path, embedder: WordLlamaEmbedder) -> None:
    config = RetrievalConfig(data_dir=tmp_path / "var")
    assert _answer(config, embedder) == ""
