"""What a planner decides: one of a metric query, a guarded SQL fallback, a document question,
a clarification, or a refusal. Typed, serialisable (they are cached, logged and shown as `plan`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from semantic_layer.query import SemanticQuery

Comparison = Literal["previous_period", "same_period_last_year"]


class Period(BaseModel):
    """The period a plan covers, in the words the answer uses."""

    model_config = ConfigDict(frozen=True)

    start: dt.date | None
    end: dt.date | None
    label: str


class DerivedRatio(BaseModel):
    """'premium per policy' with no metric for it: numerator ÷ denominator, two metrics queried at
    the same grain (one query, the same filters and period) and divided per row. The answer says it
    is derived; ordering and top-N apply to the ratio after the division."""

    model_config = ConfigDict(frozen=True)

    numerator: str
    denominator: str
    descending: bool | None = None  # ranked by the ratio (None: not ranked)
    limit: int | None = None
    percent: bool = False  # 'discounts as a percentage of gross sales': shown as a percentage


class MetricPlan(BaseModel):
    """A semantic-layer query plus how to present it (the "verified" road)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["metric"] = "metric"
    query: SemanticQuery
    period: Period
    comparison: Comparison | None = None
    share_of_total: bool = False  # each group's share of the total across the grouped dimension
    focus: tuple[str, ...] = ()  # group values the question named ("what share is *online*")
    focus_only: bool = False  # show the focus rows alone ("what share were booked via EDI", of 4 channels)
    drill_down: bool = False  # "why?": break the change down by the dimension that moved most
    derived: DerivedRatio | None = None  # an explicit ratio no metric defines (see DerivedRatio)
    understood: tuple[str, ...] = ()  # what the planner read, for "how I understood your question"


class SqlPlan(BaseModel):
    """Free-written SQL (LLM planner only): guarded like everything else, labelled unverified."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["sql"] = "sql"
    sql: str
    rationale: str = ""


class DocumentPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["document"] = "document"
    question: str


class ClarificationPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["clarification"] = "clarification"
    question: str
    options: tuple[str, ...] = ()


class RefusalPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["refusal"] = "refusal"
    reason: Literal["off_topic", "injection", "too_long", "empty", "cross_tenant", "not_allowed"]
    message: str


Plan = Annotated[
    MetricPlan | SqlPlan | DocumentPlan | ClarificationPlan | RefusalPlan, Field(discriminator="kind")
]
