"""No query of tenant A ever returns a value, example or chunk of tenant B.

The data is confusable on purpose: the same store name in two tenants (different cities), the
three demo return policies that differ only in their numbers, and the same example question with
different plans. Each tenant must get its own, and only its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder
from retrieval.errors import InvalidTenantError
from retrieval.indexers.document_indexer import index_documents
from retrieval.indexers.example_indexer import VerifiedExample, index_examples
from retrieval.indexers.value_indexer import index_values
from retrieval.records import CATALOG_PARTITION
from retrieval.retriever import Retriever
from retrieval.stores.embedded import EmbeddedStore

DOCS = Path(__file__).resolve().parents[2] / "ingestion" / "demo" / "documents"
TENANTS = ("nordwind-fashion", "alpin-sport", "casa-living")
RETURN_DAYS = {"nordwind-fashion": "30 days", "alpin-sport": "60 days", "casa-living": "14 days"}
CITY = {"nordwind-fashion": "München", "alpin-sport": "Wien", "casa-living": "Zürich"}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory, embedder: WordLlamaEmbedder) -> Retriever:
    store = EmbeddedStore(tmp_path_factory.mktemp("iso") / "index.duckdb")
    store.prepare(embedder.model_id, embedder.dimension)
    for tenant in TENANTS:
        index_documents(store, embedder, tenant, DOCS / tenant)
        index_values(
            store,
            embedder,
            tenant,
            {
                "store__store_name": ["Flagship Zentrum", f"Outlet {tenant.split('-')[0].title()}"],
                "store__city": [CITY[tenant]],
                "product__brand": [f"Atelier {tenant.split('-')[0].title()}"],
            },
        )
        index_examples(
            store, embedder, tenant, [VerifiedExample("sales of our flagship", f'{{"tenant": "{tenant}"}}')]
        )
    return Retriever(store, embedder)


@pytest.mark.parametrize("tenant", TENANTS)
@pytest.mark.parametrize(
    "question",
    [
        "what is our return policy?",
        "how many days do customers have to return items",
        "black friday discount",
    ],
)
def test_document_questions_cite_only_the_tenants_own_documents(
    retriever: Retriever, tenant: str, question: str
) -> None:
    ctx = retriever.documents(tenant, question, k=10)
    assert ctx.chunks
    company = {"nordwind-fashion": "Nordwind", "alpin-sport": "Alpin Sport", "casa-living": "Casa Living"}
    for chunk in ctx.chunks:
        assert company[tenant] in chunk.text
        assert not any(company[o] in chunk.text for o in TENANTS if o != tenant)


@pytest.mark.parametrize("tenant", TENANTS)
def test_the_return_window_comes_from_the_tenants_policy(retriever: Retriever, tenant: str) -> None:
    ctx = retriever.documents(tenant, "within how many days can customers return items", k=3)
    text = " ".join(c.text for c in ctx.chunks)
    assert RETURN_DAYS[tenant] in text
    assert not any(RETURN_DAYS[o] in text for o in TENANTS if o != tenant)


@pytest.mark.parametrize("tenant", TENANTS)
def test_values_with_the_same_name_resolve_inside_the_tenant(retriever: Retriever, tenant: str) -> None:
    ctx = retriever.context(tenant, "sales at Flagship Zentrum in Munich, Vienna or Zurich", k=20)
    cities = {v.value for v in ctx.values if v.dimension == "store__city"}
    assert cities == {CITY[tenant]}
    brands = {v.value for v in retriever.match_values(tenant, "Atelier sales", k=20)}
    assert brands == {f"Atelier {tenant.split('-')[0].title()}"}
    found = retriever.match_values(tenant, "outlet nordwind alpin casa", k=20)
    assert {v.value for v in found if v.value.startswith("Outlet")} == {
        f"Outlet {tenant.split('-')[0].title()}"
    }
    assert all(
        v.value.startswith(("Outlet", "Flagship", "Atelier")) or v.value == CITY[tenant] for v in found
    )


@pytest.mark.parametrize("tenant", TENANTS)
def test_examples_come_from_the_tenant_or_the_shared_seed_only(retriever: Retriever, tenant: str) -> None:
    ctx = retriever.context(tenant, "sales of our flagship store")
    own = [e for e in ctx.examples if not e.shared]
    assert [e.plan_json for e in own] == [f'{{"tenant": "{tenant}"}}']


def test_a_tenant_id_cannot_name_the_shared_partition_or_escape(retriever: Retriever) -> None:
    for bad in ("", "Nordwind-Fashion", "../alpin-sport", "alpin-sport' OR '1'='1", CATALOG_PARTITION + "x"):
        with pytest.raises(InvalidTenantError):
            retriever.context(bad, "net sales")
        with pytest.raises(InvalidTenantError):
            retriever.documents(bad, "return policy")


def test_an_unknown_tenant_gets_nothing_not_someone_elses_data(retriever: Retriever) -> None:
    ctx = retriever.context("other-retailer", "sales at Flagship Zentrum in Munich")
    assert ctx.values == () and ctx.examples == tuple(e for e in ctx.examples if e.shared)
    assert retriever.documents("other-retailer", "what is our return policy").chunks == ()


def test_document_answers_cite_sources_or_say_the_documents_do_not_answer(retriever: Retriever) -> None:
    from retrieval.document_answers import NOT_FOUND, answer_from_documents

    answer = answer_from_documents(retriever.documents("alpin-sport", "how long do card refunds take?"))
    assert answer.found and "7 working days" in answer.text
    assert "Sources: [1] return-policy.md — Refund timing" in answer.text
    missing = answer_from_documents(
        retriever.documents("alpin-sport", "who is the CEO's favourite footballer?")
    )
    assert not missing.found and missing.text == NOT_FOUND and missing.citations == ()
