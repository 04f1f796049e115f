"""The LLM narrator: its sentence is shown only when every number in it comes from the result;
otherwise (or when the model fails) the user reads the template."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.core.answering.narrative import write_narrative
from assistant.core.answering.result_view import ResultView
from assistant.core.llm.narrator import LlmNarrator, Narration
from assistant.core.planning.plans import MetricPlan, Period
from semantic_layer.query import OrderBy, SemanticQuery, TimeRange
from tests.assistant.llm.llm_setup import client_for
from tests.assistant.llm.servers import AnthropicStub, Failure, OpenAiStub, Reply, Text
from tests.assistant.planning.retail_catalog import CATALOG

LAST_MONTH = Period(
    start=date(2026, 9, 1), end=date(2026, 9, 30), label="last month (2026-09-01 to 2026-09-30)"
)


def _plan(group_by: tuple[str, ...] = ()) -> MetricPlan:
    return MetricPlan(
        query=SemanticQuery(
            metrics=("net_sales",),
            group_by=group_by,
            time_range=TimeRange(start=LAST_MONTH.start, end=LAST_MONTH.end),
            order_by=(OrderBy(name="net_sales", descending=True),) if group_by else (),
        ),
        period=LAST_MONTH,
        understood=("Net sales", *(("by store",) if group_by else ()), LAST_MONTH.label),
    )


def _single_view() -> ResultView:
    return ResultView.build(_plan(), ["net_sales"], [(Decimal("812345.60"),)], CATALOG)


def _narrate(
    view: ResultView, stub: OpenAiStub | AnthropicStub, model: str = "openai/gpt-4o-mini"
) -> Narration:
    template = write_narrative(view, locale="en-US", currency="EUR")
    narrator = LlmNarrator(client_for(stub.base_url, model, timeout_s=0.5))
    question = "net sales last month"
    return narrator.write(view, template=template, locale="en-US", currency="EUR", question=question)


def test_faithful_llm_text_is_used(openai_stub: OpenAiStub) -> None:
    sentence = "Last month (September 2026) your net sales came to €812,345.60."
    openai_stub.enqueue(Reply(Text(sentence), prompt_tokens=210, completion_tokens=18))
    view = _single_view()

    narration = _narrate(view, openai_stub)

    assert narration.text == sentence and narration.source == "llm"
    assert narration.grounded and narration.ungrounded == ()
    assert narration.usage.completion_tokens == 18 and narration.usage.cost_usd > 0
    prompt = openai_stub.requests[0].text
    assert "€812,345.60" in prompt  # the model is given the number already formatted for the tenant
    assert "last month (2026-09-01 to 2026-09-30)" in prompt


def test_hallucinated_number_falls_back_to_the_template(anthropic_stub: AnthropicStub) -> None:
    anthropic_stub.enqueue(Text("Net sales rose 12% to €812,345.60 last month, driven by Hamburg."))
    view = _single_view()

    narration = _narrate(view, anthropic_stub, "anthropic/claude-3-5-haiku-latest")

    template = write_narrative(view, locale="en-US", currency="EUR")
    assert narration.source == "template" and narration.text == template
    assert narration.ungrounded == ("12%",)
    assert narration.grounded  # what the user reads is grounded
    assert narration.usage.attempts == 1


def test_failed_or_slow_model_falls_back_to_the_template(openai_stub: OpenAiStub) -> None:
    openai_stub.enqueue(Reply(Text("too late"), delay_s=3.0))
    view = _single_view()

    narration = _narrate(view, openai_stub)

    assert narration.source == "template" and "812,345.60" in narration.text
    assert "Timeout" in narration.error

    openai_stub.enqueue(Failure(500))
    assert _narrate(view, openai_stub).source == "template"


def test_only_the_rows_the_answer_needs_are_sent(openai_stub: OpenAiStub) -> None:
    rows = [(f"Store {i:02d}", Decimal(100000 - i * 1000)) for i in range(40)]
    view = ResultView.build(_plan(("store__store_name",)), ["store__store_name", "net_sales"], rows, CATALOG)
    openai_stub.enqueue(Text("Store 00 led net sales last month with €100,000.00."))
    narrator = LlmNarrator(client_for(openai_stub.base_url), max_rows=5)

    narration = narrator.write(view, template="(template)", locale="en-US", currency="EUR")

    assert narration.source == "llm"
    prompt = openai_stub.requests[0].text
    assert "Store 04" in prompt and "Store 05" not in prompt and "Store 39" not in prompt
    assert "40 rows, 35 more not shown" in prompt
