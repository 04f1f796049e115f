"""The shared contract every `VectorStore` must meet; run by test_store_contract.py per store."""

from __future__ import annotations

import pytest

from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder
from retrieval.errors import EmbeddingMismatchError, InvalidTenantError
from retrieval.protocols import VectorStore
from retrieval.records import Record
from retrieval.sync import Scope, sync

EMBEDDER = WordLlamaEmbedder()
A, B = "tenant-a", "tenant-b"


def _values(partition: str, stores: dict[str, str]) -> list[Record]:
    return [
        Record(id=f"value:{i}", partition=partition, kind="value", text=name, metadata={"city": city})
        for i, (name, city) in enumerate(stores.items())
    ]


def _load(store: VectorStore) -> None:
    store.prepare(EMBEDDER.model_id, EMBEDDER.dimension)
    # Deliberately confusable: the same store name in both tenants, different cities.
    sync(
        store,
        EMBEDDER,
        Scope(A, ["value"]),
        _values(A, {"Flagship Zentrum": "Berlin", "Outlet Nord": "Kiel"}),
    )
    sync(store, EMBEDDER, Scope(B, ["value"]), _values(B, {"Flagship Zentrum": "Wien", "Bergblick": "Graz"}))
    chunks = [
        Record(id="chunk:policy#0", partition=A, kind="chunk", text="Returns are accepted within 30 days."),
        Record(id="chunk:policy#1", partition=A, kind="chunk", text="Gift cards never expire."),
    ]
    sync(store, EMBEDDER, Scope(A, ["chunk"]), chunks)


def _search(
    store: VectorStore, partition: str, text: str, kinds: tuple[str, ...] = ("value",), limit: int = 5
):  # type: ignore[no-untyped-def]
    return store.search(partition, text, EMBEDDER.embed([text]), kinds=kinds, limit=limit)  # type: ignore[arg-type]


def check_finds_by_keyword_and_meaning(store: VectorStore) -> None:
    _load(store)
    hits = _search(store, A, "outlet nord")
    assert hits[0].record.text == "Outlet Nord"
    hits = _search(store, A, "how long can customers bring items back", kinds=("chunk",))
    assert hits and hits[0].record.id == "chunk:policy#0"


def check_partitions_never_mix(store: VectorStore) -> None:
    _load(store)
    for text in ("Flagship Zentrum", "Bergblick Graz", "Outlet Nord Kiel", "returns policy"):
        for partition in (A, B):
            hits = _search(store, partition, text, kinds=("value", "chunk"), limit=10)
            assert all(h.record.partition == partition for h in hits)
    flagship_b = [h for h in _search(store, B, "Flagship Zentrum") if h.record.text == "Flagship Zentrum"]
    assert [h.record.meta("city") for h in flagship_b] == ["Wien"]
    assert _search(store, B, "returns within 30 days", kinds=("chunk",)) == []
    assert {r.text for r in store.records(B, "value")} == {"Flagship Zentrum", "Bergblick"}


def check_kind_filter(store: VectorStore) -> None:
    _load(store)
    assert all(h.record.kind == "chunk" for h in _search(store, A, "Outlet Nord", kinds=("chunk",)))


def check_sync_is_incremental(store: VectorStore) -> None:
    _load(store)
    again = sync(
        store,
        EMBEDDER,
        Scope(A, ["value"]),
        _values(A, {"Flagship Zentrum": "Berlin", "Outlet Nord": "Kiel"}),
    )
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 2)
    changed = sync(store, EMBEDDER, Scope(A, ["value"]), _values(A, {"Flagship Zentrum": "Hamburg"}))
    assert (changed.added, changed.updated, changed.deleted) == (0, 1, 1)
    assert [r.meta("city") for r in store.records(A, "value")] == ["Hamburg"]
    assert len(store.records(A, "chunk")) == 2  # another scope of the same partition is untouched
    assert len(store.records(B, "value")) == 2


def check_drop_partition(store: VectorStore) -> None:
    _load(store)
    store.drop_partition(A)
    assert store.records(A, "value") == [] and _search(store, A, "Outlet Nord") == []
    assert len(store.records(B, "value")) == 2


def check_refuses_another_model(store: VectorStore) -> None:
    _load(store)
    with pytest.raises(EmbeddingMismatchError, match="rebuild"):
        store.prepare("some-other-model", 384)


def check_refuses_bad_partition_names(store: VectorStore) -> None:
    with pytest.raises(InvalidTenantError):
        store.records("Robert'); DROP TABLE", "value")


CHECKS = [
    check_finds_by_keyword_and_meaning,
    check_partitions_never_mix,
    check_kind_filter,
    check_sync_is_incremental,
    check_drop_partition,
    check_refuses_another_model,
    check_refuses_bad_partition_names,
]
