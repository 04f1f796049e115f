"""Shared set-up for the LLM tests: clients pointed at the stubs, planner inputs on the hand-made
retail catalog (no dbt, no warehouse)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assistant.core.llm.client import LlmClient
from assistant.core.llm.settings import LlmCredentials, LlmEndpoints, LlmSettings
from assistant.core.planning.offline.lexicon import build_lexicon
from assistant.core.planning.offline.planner import PlannerInput
from assistant.core.planning.plans import MetricPlan
from tests.assistant.planning.retail_catalog import CATALOG, VALUES

AS_OF = date(2026, 10, 31)
LEXICON = build_lexicon(CATALOG, VALUES)


class RecordingSleep:
    """Records back-off delays instead of sleeping them: the tests stay fast, the delays visible."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def client_for(
    base_url: str,
    model: str = "openai/gpt-4o-mini",
    *,
    fallback: tuple[str, ...] = (),
    sleep: RecordingSleep | None = None,
    **settings: object,
) -> LlmClient:
    options: dict[str, object] = {"timeout_s": 5.0, "max_retries": 0, "backoff_s": 0.01}
    options.update(settings)
    return LlmClient(
        LlmSettings(model=model, fallback_models=fallback, **options),  # type: ignore[arg-type]
        LlmEndpoints(default=LlmCredentials(api_key="test-key", base_url=base_url)),
        sleep=sleep or RecordingSleep(),
    )


def planner_input(
    question: str, previous: MetricPlan | None = None, *, foreign_terms: Sequence[str] = ()
) -> PlannerInput:
    return PlannerInput(
        question=question,
        as_of=AS_OF,
        catalog=CATALOG,
        lexicon=LEXICON,
        previous=previous,
        foreign_terms=foreign_terms,
    )
