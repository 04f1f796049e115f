"""The LLM planner, end to end through litellm against local servers that speak the providers'
protocols: tool calls become validated plans, bad calls are repaired or end in a clarification,
failures are retried or moved to the next model, and the prompt carries only this turn's slice."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from assistant.core.llm.errors import LlmTimeoutError, LlmUnavailableError
from assistant.core.llm.planner import LlmPlanner
from assistant.core.planning.offline.planner import OfflinePlanner
from assistant.core.planning.plans import ClarificationPlan, MetricPlan, RefusalPlan, SqlPlan
from guardrails.errors import GuardRejection, InternalError
from semantic_layer.errors import InvalidQueryError
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery
from tests.assistant.llm.llm_setup import RecordingSleep, client_for, planner_input
from tests.assistant.llm.servers import AnthropicStub, Failure, OpenAiStub, Reply, Text, ToolCall

BY_STORE_LAST_MONTH = ToolCall(
    "query_metrics",
    {
        "metrics": ["net_sales"],
        "group_by": ["store__store_name"],
        "time_range": {"start": "2026-09-01", "end": "2026-09-30"},
        "order_by": [{"name": "net_sales", "descending": True}],
    },
)


def _assert_by_store_last_month(plan: object) -> None:
    assert isinstance(plan, MetricPlan), plan
    assert plan.query.metrics == ("net_sales",)
    assert plan.query.group_by == ("store__store_name",)
    assert (plan.query.time_range.start, plan.query.time_range.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert plan.query.order_by == (OrderBy(name="net_sales", descending=True),)
    # the period reads as the user said it, because the dates match the documented convention
    assert plan.period.label == "last month (2026-09-01 to 2026-09-30)"
    assert plan.understood[:2] == ("Net sales", "by store")


def _tool_messages(request_body: Mapping[str, Any]) -> list[str]:
    messages = request_body["messages"]
    assert isinstance(messages, list)
    return [str(m["content"]) for m in messages if m.get("role") == "tool"]


def test_openai_tool_call_becomes_a_metric_plan(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Reply(BY_STORE_LAST_MONTH, prompt_tokens=812, completion_tokens=47))
    planner = LlmPlanner(client_for(openai_stub.base_url))

    plan, usage = planner.plan_with_usage(planner_input("net sales by store last month"))

    _assert_by_store_last_month(plan)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.attempts) == (812, 47, 1)
    assert usage.model == "openai/gpt-4o-mini" and usage.cost_usd > 0
    (request,) = openai_stub.requests
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.body["temperature"] == 0 and request.body["tool_choice"] == "required"
    names = {t["function"]["name"] for t in request.body["tools"]}
    assert names == {"query_metrics", "ask_clarification", "refuse", "run_sql"}


def test_anthropic_tool_use_becomes_a_metric_plan(anthropic_stub: AnthropicStub) -> None:
    anthropic_stub.enqueue(BY_STORE_LAST_MONTH)
    planner = LlmPlanner(client_for(anthropic_stub.base_url, "anthropic/claude-3-5-haiku-latest"))

    plan, usage = planner.plan_with_usage(planner_input("net sales by store last month"))

    _assert_by_store_last_month(plan)
    assert usage.model == "anthropic/claude-3-5-haiku-latest" and usage.prompt_tokens == 100
    (request,) = anthropic_stub.requests
    assert request.path == "/v1/messages" and request.headers["x-api-key"] == "test-key"
    assert request.body["tool_choice"] == {"type": "any"}
    assert "time conventions" in json.dumps(request.body["system"]).lower()
    assert {t["name"] for t in request.body["tools"]} >= {"query_metrics", "ask_clarification"}


def test_unknown_metric_is_fed_back_and_repaired(openai_stub: OpenAiStub) -> None:
    wrong = ToolCall("query_metrics", {"metrics": ["net_revenue"], "time_range": {"start": "2026-09-01"}})
    fixed = ToolCall("query_metrics", {"metrics": ["net_sales"], "filters": [
        {"dimension": "store__city", "operator": "=", "values": ["Hamburg"]}]})  # fmt: skip
    openai_stub.enqueue(
        Reply(wrong, prompt_tokens=300, completion_tokens=20),
        Reply(fixed, prompt_tokens=340, completion_tokens=25),
    )
    planner = LlmPlanner(client_for(openai_stub.base_url))

    plan, usage = planner.plan_with_usage(planner_input("net revenue in Hamburg"))

    assert isinstance(plan, MetricPlan)
    assert plan.query.metrics == ("net_sales",)
    assert plan.query.filters == (Filter(dimension="store__city", values=("Hamburg",)),)
    assert plan.period.label == "all loaded data"
    assert len(openai_stub.requests) == 2
    (fed_back,) = _tool_messages(openai_stub.requests[1].body)
    assert "unknown metric 'net_revenue'" in fed_back and "net_sales" in fed_back
    # token accounting sums both rounds
    assert (usage.prompt_tokens, usage.completion_tokens, usage.attempts) == (640, 45, 2)


def test_metricflow_error_from_compile_check_is_repaired(openai_stub: OpenAiStub) -> None:
    daily = ToolCall(
        "query_metrics", {"metrics": ["net_sales"], "group_by": ["metric_time"], "time_grain": "day"}
    )
    weekly = ToolCall(
        "query_metrics", {"metrics": ["net_sales"], "group_by": ["metric_time"], "time_grain": "week"}
    )
    openai_stub.enqueue(daily, weekly)
    seen: list[SemanticQuery] = []

    def compile_check(query: SemanticQuery) -> None:
        seen.append(query)
        if query.time_grain is Grain.DAY:
            raise InvalidQueryError("MetricFlow: net_sales by day exceeds the row limit; use a coarser grain")

    plan = LlmPlanner(client_for(openai_stub.base_url), compile_check=compile_check).plan(
        planner_input("net sales trend")
    )

    assert isinstance(plan, MetricPlan) and plan.query.time_grain is Grain.WEEK
    assert len(seen) == 2
    assert "coarser grain" in _tool_messages(openai_stub.requests[1].body)[0]


def test_three_bad_calls_end_in_a_clarification(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(
        ToolCall("query_metrics", {"metrics": ["footfall"]}),
        ToolCall("query_metrics", {"metrics": ["net_sales"], "group_by": ["store__postcode"]}),
        ToolCall("query_metrics", {"metrics": ["net_sales"], "dimensions": ["store__city"]}),
        ToolCall("query_metrics", {"metrics": ["net_sales"]}),  # never asked for: 2 repairs max
    )
    plan, usage = LlmPlanner(client_for(openai_stub.base_url)).plan_with_usage(
        planner_input("footfall by postcode")
    )

    assert isinstance(plan, ClarificationPlan)
    assert "rephrase" in plan.question and "dimensions" in plan.question  # the last problem, in words
    assert "Net sales" in plan.options
    assert len(openai_stub.requests) == 3 and openai_stub.pending() == 1
    assert usage.attempts == 3


def test_second_model_answers_when_the_first_returns_500(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Failure(500), Failure(503), model="primary")
    openai_stub.enqueue(BY_STORE_LAST_MONTH, model="backup")
    sleep = RecordingSleep()
    client = client_for(
        openai_stub.base_url, "openai/primary", fallback=("openai/backup",), max_retries=1, sleep=sleep
    )

    plan, usage = LlmPlanner(client).plan_with_usage(planner_input("net sales by store last month"))

    _assert_by_store_last_month(plan)
    assert [r.model for r in openai_stub.requests] == ["primary", "primary", "backup"]
    assert usage.model == "openai/backup" and usage.attempts == 3
    assert usage.cost_usd == 0  # litellm has no price for these names
    assert sleep.delays == [pytest.approx(0.01)]  # one back-off between the two tries of `primary`


def test_429_waits_for_retry_after_then_retries_the_same_model(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Failure(429, retry_after=1.5), BY_STORE_LAST_MONTH)
    sleep = RecordingSleep()
    client = client_for(openai_stub.base_url, max_retries=2, backoff_max_s=4.0, sleep=sleep)

    plan = LlmPlanner(client).plan(planner_input("net sales by store last month"))

    _assert_by_store_last_month(plan)
    assert sleep.delays == [1.5]
    assert len(openai_stub.requests) == 2


def test_slow_model_times_out_and_the_fallback_answers(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Reply(BY_STORE_LAST_MONTH, delay_s=3.0), model="slow")
    openai_stub.enqueue(BY_STORE_LAST_MONTH, model="fast")
    client = client_for(openai_stub.base_url, "openai/slow", fallback=("openai/fast",), timeout_s=0.4)

    started = time.perf_counter()
    plan, usage = LlmPlanner(client).plan_with_usage(planner_input("net sales by store last month"))

    assert time.perf_counter() - started < 2.5
    _assert_by_store_last_month(plan)
    assert usage.model == "openai/fast" and usage.attempts == 2


def test_slow_model_without_fallback_is_a_clear_internal_error(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Reply(BY_STORE_LAST_MONTH, delay_s=3.0), Reply(BY_STORE_LAST_MONTH, delay_s=3.0))
    client = client_for(openai_stub.base_url, timeout_s=0.3, max_retries=1)

    with pytest.raises(LlmTimeoutError) as caught:
        LlmPlanner(client).plan(planner_input("net sales by store last month"))

    assert isinstance(caught.value, InternalError) and caught.value.code == "llm_timeout"
    assert "2 failed attempts" in caught.value.message and "Timeout" in caught.value.message
    assert caught.value.usage.attempts == 2


def test_unreachable_llm_falls_back_to_the_offline_planner(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Failure(500))
    planner = LlmPlanner(client_for(openai_stub.base_url), fallback=OfflinePlanner())

    plan, usage = planner.plan_with_usage(planner_input("net sales by store last month"))

    _assert_by_store_last_month(plan)  # the offline planner reads this question the same way
    assert usage.attempts == 1 and usage.prompt_tokens == 0


def test_a_bad_request_is_not_retried_but_moves_to_the_next_model(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Failure(400, "context too long"), Failure(400), model="small")
    client = client_for(openai_stub.base_url, "openai/small", max_retries=2)

    with pytest.raises(LlmUnavailableError):
        LlmPlanner(client).plan(planner_input("net sales"))
    assert len(openai_stub.requests) == 1


def test_prompt_carries_only_the_slice_this_question_needs(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(BY_STORE_LAST_MONTH)
    previous = MetricPlan.model_validate(
        {
            "query": {"metrics": ["units_sold"], "group_by": ["product__category"]},
            "period": {"start": None, "end": None, "label": "all loaded data"},
        }
    )
    LlmPlanner(client_for(openai_stub.base_url)).plan(
        planner_input(
            "and net sales in Hamburg last month?",
            previous=previous,
            foreign_terms=("Alpenrad", "alpenrad-ag", "Innsbruck Zentrum"),
        )
    )

    prompt = openai_stub.requests[0].text
    assert "2026-10-31" in prompt and "Weeks start on Monday" in prompt
    assert "net_sales" in prompt and '\\"Hamburg\\"' in prompt
    assert "2026-09-01 to 2026-09-30" in prompt  # the time phrase, resolved by our conventions
    assert "units_sold" in prompt and "product__category" in prompt  # the conversation so far
    for unrelated in ("return_rate", "sessions", "web_session__source", "customer__loyalty_tier"):
        assert unrelated not in prompt  # metrics/dimensions the question does not touch
    for not_named in ("Nordwind München", "Düsseldorf", "Levi's", "platinum"):
        assert not_named not in prompt  # this tenant's values the question does not name
    for foreign in ("Alpenrad", "alpenrad-ag", "Innsbruck"):
        assert foreign.lower() not in prompt.lower()  # other tenants: never


def test_naming_another_tenant_is_refused_without_calling_the_model(openai_stub: OpenAiStub) -> None:
    plan = LlmPlanner(client_for(openai_stub.base_url)).plan(
        planner_input("net sales of Alpenrad last month", foreign_terms=("Alpenrad",))
    )
    assert isinstance(plan, RefusalPlan) and plan.reason == "cross_tenant"
    assert openai_stub.requests == []


def test_sql_fallback_tool_becomes_a_guarded_sql_plan(openai_stub: OpenAiStub) -> None:
    unguarded = "DELETE FROM marts.fct_sales"
    select = "SELECT store_id, avg(selling_area_sqm) FROM marts.dim_stores GROUP BY 1"
    openai_stub.enqueue(
        ToolCall("run_sql", {"sql": unguarded, "rationale": "clean up"}),
        ToolCall("run_sql", {"sql": select, "rationale": "store sizes are not a metric"}),
    )

    def sql_check(sql: str) -> None:
        if not sql.lstrip().upper().startswith("SELECT"):
            raise GuardRejection("read_only", "only SELECT statements are allowed")

    plan = LlmPlanner(client_for(openai_stub.base_url), sql_check=sql_check).plan(
        planner_input("average selling area of my stores")
    )

    assert plan == SqlPlan(sql=select, rationale="store sizes are not a metric")
    assert "only SELECT statements are allowed" in _tool_messages(openai_stub.requests[1].body)[0]


def test_clarification_and_refusal_tools(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(
        ToolCall(
            "ask_clarification", {"question": "Net or gross sales?", "options": ["Net sales", "Gross sales"]}
        ),
        ToolCall(
            "refuse", {"reason": "off_topic", "message": "I answer questions about your business data."}
        ),
    )
    planner = LlmPlanner(client_for(openai_stub.base_url))

    assert planner.plan(planner_input("sales")) == ClarificationPlan(
        question="Net or gross sales?", options=("Net sales", "Gross sales")
    )
    refusal = planner.plan(planner_input("write me a poem"))
    assert isinstance(refusal, RefusalPlan) and refusal.reason == "off_topic"


def test_text_instead_of_a_tool_call_is_asked_again(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Text("Net sales by store last month, coming up!"), BY_STORE_LAST_MONTH)

    plan = LlmPlanner(client_for(openai_stub.base_url)).plan(planner_input("net sales by store last month"))

    _assert_by_store_last_month(plan)
    last = openai_stub.requests[1].body["messages"][-1]
    assert last["role"] == "user" and "calling exactly one of the tools" in last["content"]
