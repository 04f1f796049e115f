"""The engine's event stream: every channel (CLI, HTTP/SSE, Slack, email) consumes the same events.

Events are small typed values, serialisable to JSON (`event.model_dump(mode="json")`), emitted in
order: status* → plan → sql → table → chart → text_delta* → answer → done, or a clarification /
refusal / error followed by done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

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


def collect(events: list[Event], *, tenant: str, question: str, as_of: dt.date) -> dict[str, Any]:
    """The `--json` contract of DESIGN.md, from one turn's events."""
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
    for e in events:
        if isinstance(e, PlanEvent):
            out["plan"] = e.plan.model_dump(mode="json")
            if e.plan.kind == "document":
                out["kind"] = "document"
        elif isinstance(e, SqlEvent):
            out["sql"], out["verified"] = e.sql, e.verified
        elif isinstance(e, TableEvent):
            out["columns"], out["rows"] = list(e.columns), [list(r) for r in e.rows]
        elif isinstance(e, ChartEvent):
            out["chart"] = e.spec
        elif isinstance(e, AnswerEvent):
            out["answer"], out["followups"], out["cached"] = e.text, list(e.followups), e.cached
            if e.citations:
                out["citations"] = [c.model_dump(mode="json") for c in e.citations]
        elif isinstance(e, ClarificationEvent):
            out["kind"], out["answer"], out["followups"] = "clarification", e.question, list(e.options)
        elif isinstance(e, RefusalEvent):
            out["kind"], out["answer"] = "refusal", e.message
        elif isinstance(e, ErrorEvent):
            out["kind"], out["answer"], out["error_code"] = "error", e.message, e.code
        elif isinstance(e, DoneEvent):
            out["timings_ms"], out["conversation_id"] = e.timings_ms, e.conversation_id
    return out
