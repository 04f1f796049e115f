"""The engine's event stream: every channel (CLI, HTTP/SSE, Slack, email) consumes the same events.

Events are small typed values, serialisable to JSON (`event.model_dump(mode="json")`), emitted in
order: status* → plan → sql → table → chart → text_delta* → answer → done, or a clarification /
refusal / error followed by done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.planning.plans import Plan


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True)


class StatusEvent(_Event):
    type: Literal["status"] = "status"
    stage: Literal["guard", "cache", "retrieve", "plan", "compile", "execute", "answer"]
    message: str


class PlanEvent(_Event):
    type: Literal["plan"] = "plan"
    plan: Plan
    planner: str


class SqlEvent(_Event):
    type: Literal["sql"] = "sql"
    sql: str  # as executed, after the guard
    verified: bool  # True: compiled from the semantic layer; False: generated SQL
    dialect: str


class TableEvent(_Event):
    type: Literal["table"] = "table"
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    formatted: tuple[tuple[str, ...], ...]
    truncated: bool
    total_rows: int


class ChartEvent(_Event):
    type: Literal["chart"] = "chart"
    spec: dict[str, Any]


class TextDeltaEvent(_Event):
    type: Literal["text_delta"] = "text_delta"
    text: str


class CitationRef(_Event):
    """One source an answer from documents quotes: the file and its section."""

    source: str
    title: str = ""
    heading: str = ""
    chunk: int = 0


class AnswerEvent(_Event):
    type: Literal["answer"] = "answer"
    text: str
    followups: tuple[str, ...] = ()
    period: str = ""
    verified: bool = True
    cached: bool = False
    citations: tuple[CitationRef, ...] = ()  # document answers: the sources quoted, in [n] order


class ClarificationEvent(_Event):
    type: Literal["clarification"] = "clarification"
    question: str
    options: tuple[str, ...] = ()


class RefusalEvent(_Event):
    type: Literal["refusal"] = "refusal"
    reason: str
    message: str


class ErrorEvent(_Event):
    type: Literal["error"] = "error"
    code: str
    message: str


class DoneEvent(_Event):
    type: Literal["done"] = "done"
    conversation_id: str
    turn_id: str
    timings_ms: dict[str, float] = Field(default_factory=dict)
    cache: Literal["hit", "miss"] | None = None  # None: the answer did not go through the cache
    usage: dict[str, float | str] = Field(default_factory=dict)  # LLM tokens, cost, model (if any)


Event = (
    StatusEvent
    | PlanEvent
    | SqlEvent
    | TableEvent
    | ChartEvent
    | TextDeltaEvent
    | AnswerEvent
    | ClarificationEvent
    | RefusalEvent
    | ErrorEvent
    | DoneEvent
)


Outcome = AnswerEvent | ClarificationEvent | RefusalEvent | ErrorEvent


@dataclass(frozen=True)
class TurnSummary:
    """One turn's events, walked once: the last plan, SQL, table, chart and done event, and the
    outcomes (answer, clarification, refusal, error) in the order they came — normally one, but an
    error may follow an answer. Everything that reads a finished turn reads this: the `--json`
    object (CLI, `/v1/ask`, eval), the Slack reply, the audit record, the metrics."""

    plan: PlanEvent | None = None
    sql: SqlEvent | None = None
    table: TableEvent | None = None
    chart: ChartEvent | None = None
    outcomes: tuple[Outcome, ...] = ()
    done: DoneEvent | None = None

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> TurnSummary:
        last: dict[str, Event] = {}
        outcomes: list[Outcome] = []
        for e in events:
            if isinstance(e, AnswerEvent | ClarificationEvent | RefusalEvent | ErrorEvent):
                outcomes.append(e)
            else:
                last[e.type] = e
        return cls(
            plan=cast(PlanEvent | None, last.get("plan")),
            sql=cast(SqlEvent | None, last.get("sql")),
            table=cast(TableEvent | None, last.get("table")),
            chart=cast(ChartEvent | None, last.get("chart")),
            outcomes=tuple(outcomes),
            done=cast(DoneEvent | None, last.get("done")),
        )

    @property
    def final(self) -> Outcome | None:
        """What the user is shown last: the answer, the question back, the refusal or the error."""
        return self.outcomes[-1] if self.outcomes else None

    @property
    def turn_kind(self) -> Literal["answer", "refusal", "error"]:
        """How the turn ended, for traces: its first refusal or error, else an answer."""
        for o in self.outcomes:
            if isinstance(o, RefusalEvent):
                return "refusal"
            if isinstance(o, ErrorEvent):
                return "error"
        return "answer"

    @property
    def outcome(self) -> str:
        """`data`, `refusal:<reason>` or `error:<code>` (the last refusal or error), for the audit
        log and the metrics."""
        label = "data"
        for o in self.outcomes:
            if isinstance(o, RefusalEvent):
                label = f"refusal:{o.reason}"
            elif isinstance(o, ErrorEvent):
                label = f"error:{o.code}"
        return label

    def as_json(self, *, tenant: str, question: str, as_of: dt.date) -> dict[str, Any]:
        """The `--json` contract of DESIGN.md (`mercurios ask --json`, `POST /v1/ask`)."""
        out: dict[str, Any] = {
            "tenant": tenant,
            "question": question,
            "as_of": as_of.isoformat(),
            "kind": "data",
            "plan": None,
            "sql": None,
            "columns": [],
            "rows": [],
            "answer": "",
            "chart": None,
            "followups": [],
            "cached": False,
            "verified": None,
            "timings_ms": {},
        }
        if self.plan is not None:
            out["plan"] = self.plan.plan.model_dump(mode="json")
            if self.plan.plan.kind == "document":
                out["kind"] = "document"
        if self.sql is not None:
            out["sql"], out["verified"] = self.sql.sql, self.sql.verified
        if self.table is not None:
            out["columns"], out["rows"] = list(self.table.columns), [list(r) for r in self.table.rows]
        if self.chart is not None:
            out["chart"] = self.chart.spec
        for e in self.outcomes:
            if isinstance(e, AnswerEvent):
                out["answer"], out["followups"], out["cached"] = e.text, list(e.followups), e.cached
                if e.citations:
                    out["citations"] = [c.model_dump(mode="json") for c in e.citations]
            elif isinstance(e, ClarificationEvent):
                out["kind"], out["answer"], out["followups"] = "clarification", e.question, list(e.options)
            elif isinstance(e, RefusalEvent):
                out["kind"], out["answer"] = "refusal", e.message
            else:
                out["kind"], out["answer"], out["error_code"] = "error", e.message, e.code
        if self.done is not None:
            out["timings_ms"], out["conversation_id"] = self.done.timings_ms, self.done.conversation_id
        return out


def collect(events: Iterable[Event], *, tenant: str, question: str, as_of: dt.date) -> dict[str, Any]:
    """The `--json` contract of DESIGN.md, from one turn's events."""
    return TurnSummary.from_events(events).as_json(tenant=tenant, question=question, as_of=as_of)
