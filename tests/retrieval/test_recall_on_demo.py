"""Retrieval on the demo warehouse: recall@5 thresholds of the labelled suite, catalog and value
indexing from the real semantic layer (values read through the guard), and incremental re-runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from assistant.runtime.services import build_semantic_layer
from assistant.runtime.settings import Settings
from eval.bench.retrieval_recall import check_suite, evaluate, load_suite
from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder
from retrieval.knowledge_index import index_knowledge
from retrieval.records import CATALOG_PARTITION
from retrieval.retriever import Retriever
from retrieval.stores.embedded import EmbeddedStore
from semantic_layer.facade import SemanticLayer
from tests.demo import DEMO_TENANTS, DemoWarehouse

DOCS = Path(__file__).resolve().parents[2] / "ingestion" / "demo" / "documents"


@pytest.fixture(scope="module")
def semantic_layer(demo_warehouse: DemoWarehouse) -> SemanticLayer:
    return build_semantic_layer(
        Settings(duckdb_path=demo_warehouse.path, dbt_target_path=demo_warehouse.dbt_target_path)
    )


@pytest.fixture(scope="module")
def values(semantic_layer: SemanticLayer) -> dict[str, Mapping[str, Sequence[str]]]:
    return {t: {dv.dimension: dv.values for dv in semantic_layer.dimension_values(t)} for t in DEMO_TENANTS}


@pytest.fixture(scope="module")
def store(
    semantic_layer: SemanticLayer,
    values: dict[str, Mapping[str, Sequence[str]]],
    embedder: WordLlamaEmbedder,
    tmp_path_factory: pytest.TempPathFactory,
) -> EmbeddedStore:
    s = EmbeddedStore(tmp_path_factory.mktemp("recall") / "index.duckdb")
    s.prepare(embedder.model_id, embedder.dimension)
    documents = {t: DOCS / t for t in DEMO_TENANTS}
    index_knowledge(s, embedder, catalog=semantic_layer.catalog, values=values, documents=documents)
    return s


def test_recall_at_5_meets_the_thresholds(
    store: EmbeddedStore, embedder: WordLlamaEmbedder, values: dict[str, Mapping[str, Sequence[str]]]
) -> None:
    k, cases = load_suite()
    assert len(cases) >= 100 and {c.tenant for c in cases} == set(DEMO_TENANTS)
    check_suite(cases, values)  # every expected value exists in that tenant's data
    report = evaluate(Retriever(store, embedder), cases, k)
    print("\n" + report.render())
    assert report.metrics.recall >= 0.95
    assert report.values.recall >= 0.90


def test_other_words_for_values_resolve(store: EmbeddedStore, embedder: WordLlamaEmbedder) -> None:
    retriever = Retriever(store, embedder)

    def top(tenant: str, question: str) -> list[tuple[str, str]]:
        return [(v.dimension, v.value) for v in retriever.match_values(tenant, question)]

    assert ("store__city", "München") in top("nordwind-fashion", "sales in Munich")  # exonym
    assert ("store__city", "Düsseldorf") in top("nordwind-fashion", "sales in Dusseldorf")  # no umlaut
    assert ("product__brand", "Birkenstock") in top("nordwind-fashion", "Birkenstok sales")  # typo
    assert ("product__subcategory", "Laufschuhe") in top("alpin-sport", "trainers sold")  # English gloss
    assert top("casa-living", "sales in Munich") == []  # a city the tenant does not have


def test_rerunning_the_index_changes_nothing(
    semantic_layer: SemanticLayer,
    values: dict[str, Mapping[str, Sequence[str]]],
    store: EmbeddedStore,
    embedder: WordLlamaEmbedder,
) -> None:
    again = index_knowledge(store, embedder, catalog=semantic_layer.catalog, values=values)
    assert again.changed == 0
    one_less = {**values, "alpin-sport": {**values["alpin-sport"], "store__city": ("Graz",)}}
    report = index_knowledge(store, embedder, catalog=None, values=one_less)
    # 4 cities gone, and the alias record of Wien ("Vienna") with them
    assert [(s.partition, s.sync.deleted) for s in report.steps if s.sync.changed] == [("alpin-sport", 5)]
    index_knowledge(store, embedder, catalog=None, values=values)  # restore for other tests


def test_catalog_is_shared_and_carries_synonyms(store: EmbeddedStore, semantic_layer: SemanticLayer) -> None:
    texts = {r.text for r in store.records(CATALOG_PARTITION, "metric")}
    assert {"turnover", "Umsatz", "AOV"} <= texts
    targets = {r.meta("target") for r in store.records(CATALOG_PARTITION, "metric")}
    assert targets == {m.name for m in semantic_layer.catalog.metrics}
    assert store.records("nordwind-fashion", "metric") == []  # catalog is not copied into tenants
