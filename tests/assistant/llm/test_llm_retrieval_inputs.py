"""What retrieval gives the LLM planner: the retrieved metrics and dimensions as hints, the values the
question named in other words as known entities, verified examples as few-shot — all in the prompt
the local OpenAI-compatible server receives — and document questions never reach the model."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from assistant.core.llm.planner import LlmPlanner
from assistant.core.planning.plans import DocumentPlan, MetricPlan
from retrieval.retriever import (
    CatalogCandidate,
    Citation,
    DocumentChunk,
    DocumentContext,
    ExampleMatch,
    RetrievalContext,
    ValueMatch,
)
from tests.assistant.llm.llm_setup import client_for, planner_input
from tests.assistant.llm.servers import OpenAiStub, ToolCall

QUESTION = "turnover of trainers in Munich"
RETRIEVED = RetrievalContext(
    tenant_id="nordwind-fashion",
    question=QUESTION,
    metrics=(CatalogCandidate("gross_sales", "metric", 0.03, "gross sales"),),
    dimensions=(CatalogCandidate("product__category", "dimension", 0.03, "category"),),
    values=(
        ValueMatch("product__category", "Shoes", 0.8, "trainers", "alias"),
        ValueMatch("product__brand", "Levi's", 0.5, "trainers", "semantic"),  # too weak to be named
    ),
    examples=(ExampleMatch("sales of shoes in Berlin", '{"metrics": ["net_sales"]}', 0.7, shared=True),),
)


def _user_prompt(stub: OpenAiStub) -> str:
    body: Mapping[str, Any] = stub.requests[0].body
    return str(next(m["content"] for m in body["messages"] if m["role"] == "user"))


def test_retrieved_hints_values_and_examples_reach_the_prompt(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(
        ToolCall(
            "query_metrics",
            {
                "metrics": ["net_sales"],
                "filters": [{"dimension": "product__category", "operator": "=", "values": ["Shoes"]}],
            },
        )
    )
    inp = dataclasses.replace(planner_input(QUESTION), retrieval=RETRIEVED)
    plan = LlmPlanner(client_for(openai_stub.base_url)).plan(inp)
    assert isinstance(plan, MetricPlan) and plan.query.filters[0].values == ("Shoes",)
    prompt = _user_prompt(openai_stub)
    assert '- product__category = "Shoes" (written: "trainers")' in prompt
    assert "Levi's" not in prompt
    assert "- gross_sales:" in prompt
    assert 'sales of shoes in Berlin → {"metrics": ["net_sales"]}' in prompt


def test_without_retrieval_the_prompt_has_no_examples(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(ToolCall("query_metrics", {"metrics": ["net_sales"]}))
    LlmPlanner(client_for(openai_stub.base_url)).plan(planner_input(QUESTION))
    prompt = _user_prompt(openai_stub)
    assert "Verified examples" not in prompt and 'trainers")' not in prompt


def test_a_document_question_is_answered_from_documents_without_a_model_call(
    openai_stub: OpenAiStub,
) -> None:
    chunk = DocumentChunk(
        "Return policy\nCustomers may return items within 30 days.",
        Citation("return-policy.md", "Return policy", "Returns", 0),
        score=0.03,
        similarity=0.6,
        shared_terms=1,
    )
    docs = DocumentContext("nordwind-fashion", "what is our return policy?", (chunk,), answerable=True)
    inp = dataclasses.replace(planner_input("what is our return policy?"), documents=docs)
    plan = LlmPlanner(client_for(openai_stub.base_url)).plan(inp)
    assert plan == DocumentPlan(question="what is our return policy?")
    assert openai_stub.requests == []
