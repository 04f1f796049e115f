"""The engine's seams: what it asks of the providers it is given (`assistant.runtime` picks them).

- `Planner` turns a question (`PlannerInput`) into a `Plan`; `UsageReportingPlanner` also says what
  the LLM calls behind it cost (`LlmUsage`).
- `Narrator` writes an answer's text from a result (`ResultView`) and returns a `Narration`.
- `TenantDirectory` knows each tenant's profile and the words that name other tenants.

The answer cache (`core/cache.AnswerCache`), the conversation store (`core/memory.ConversationStore`)
and the clock (`core/clock.Clock`) are protocols of their own modules, beside their in-process
implementations.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from assistant.core.answering.result_view import ResultView
from assistant.core.planning.offline.planner import PlannerInput
from assistant.core.planning.plans import Plan
from assistant.core.tenants import TenantProfile


class Planner(Protocol):
    name: str

    def plan(self, inp: PlannerInput) -> Plan: ...


class LlmUsage(Protocol):
    """What one LLM-backed stage spent, as the engine adds it up for the turn (`llm.client.Usage`)."""

    @property
    def prompt_tokens(self) -> int: ...

    @property
    def completion_tokens(self) -> int: ...

    @property
    def cost_usd(self) -> float: ...

    @property
    def cache_hits(self) -> int: ...

    @property
    def model(self) -> str | None: ...


@runtime_checkable
class UsageReportingPlanner(Protocol):
    """A planner that also reports what it cost (the LLM planner)."""

    name: str

    def plan_with_usage(self, inp: PlannerInput) -> tuple[Plan, LlmUsage]: ...


class Narration(Protocol):
    """The answer text a narrator settled on, and what writing it cost (`llm.narrator.Narration`)."""

    @property
    def text(self) -> str: ...

    @property
    def usage(self) -> LlmUsage: ...


class Narrator(Protocol):
    """Writes the answer text from a result; returns the template when it cannot be trusted."""

    def write(
        self, view: ResultView, *, template: str, locale: str, currency: str, question: str = ""
    ) -> Narration: ...


class TenantDirectory(Protocol):
    def get(self, tenant_id: str) -> TenantProfile: ...

    def foreign_terms(self, tenant_id: str) -> tuple[str, ...]: ...
