"""The typed values of the insights: a period, one insight, and a tenant's report.

An insight carries everything a channel needs and nothing it must recompute: the plain-language
headline, the numbers behind it (so a reader or a test can check them), the semantic query that
reproduces them (so "show me" in the widget is one click), and a Vega-Lite chart spec.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.insights.headline_model import Headline
from semantic_layer.query import SemanticQuery


class InsightKind(StrEnum):
    CHANGE = "change"  # a key metric moved period over period; drivers explain the move
    ANOMALY = "anomaly"  # a store's or category's daily series left its seasonal baseline
    STOCK_RISK = "stock_risk"  # a top seller runs low, or an item is out with recent demand
    TOP_MOVER = "top_mover"  # the products / stores that grew or fell most
    FORECAST = "forecast"  # expected demand of the next weeks, with an interval
    PRICE = "price"  # a category's prices or its discount rate left their usual level


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2, "info": 3}[self.value]


class Period(BaseModel):
    """The period an insight report is about, and the period it is compared with (both inclusive)."""

    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    label: str
    calendar_end: dt.date | None = Field(
        default=None,
        description="Set when the data end inside the period: its calendar end, while `end` is the "
        "last loaded day (the period is partly loaded, and compared with as many days before it).",
    )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def partly_loaded(self) -> bool:
        return self.calendar_end is not None and self.calendar_end > self.end


class Figure(BaseModel):
    """One number behind an insight: what it is, its value, and how to show it."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: float | None
    format: str = "number"  # currency | percent | number | integer


class Driver(BaseModel):
    """One group's part in a change: its value in both periods and its share of the total change."""

    model_config = ConfigDict(frozen=True)

    dimension: str
    group: str
    current: float
    previous: float
    change: float
    share_of_change: float | None


class Insight(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: InsightKind
    severity: Severity
    headline: str
    subject: str = ""  # the store / category / product / metric the insight is about
    kpi: str = ""  # a change's metric as the insights know it (roles.py: sales, margin_rate …)
    figures: tuple[Figure, ...] = ()
    drivers: tuple[Driver, ...] = ()
    query: SemanticQuery
    question: str = Field(default="", description="A question that reopens this insight in the widget.")
    chart: dict[str, Any] | None = None
    score: float = 0.0  # for ordering within a severity (|z|, share of change, ...)
    impact: float | None = Field(
        default=None,
        description="Money at stake in the tenant's currency (an estimate; None: not a money matter, "
        "like the forecast). Findings are ranked by it.",
    )
    impact_basis: str = Field(default="", description="How the estimate was made, in words and numbers.")
    brief: str = Field(default="", description="The finding in a few words, for a row of a grouped card.")

    def figure(self, name: str) -> float | None:
        for f in self.figures:
            if f.name == name:
                return f.value
        raise KeyError(name)


class Unavailable(BaseModel):
    """A kind of insight not computed: the dbt project does not declare the roles it needs."""

    model_config = ConfigDict(frozen=True)

    kind: InsightKind
    needs: tuple[str, ...]  # what to declare: "kpi: stock_on_hand", "role: location" …


class InsightReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    tenant_name: str
    as_of: dt.date
    period: Period
    currency: str
    locale: str
    insights: tuple[Insight, ...]
    headline: Headline | None = None  # how the period went, before any finding
    unavailable: tuple[Unavailable, ...] = Field(
        default=(),
        description="The kinds not checked because the dbt project does not declare the roles "
        "they need (roles.py), each with those roles.",
    )

    nouns: dict[str, str] = Field(
        default_factory=dict,
        description="What one value of the project's location, group and item dimensions is, as the "
        "sentences name it (roles.py: 'store', 'category', 'product'); a role the project lacks is absent.",
    )
    anomaly_nouns: tuple[str, ...] = Field(
        default=(), description="The nouns of the dimensions whose daily series the anomaly detector tested."
    )

    def checked(self, kind: InsightKind) -> bool:
        return not any(u.kind is kind for u in self.unavailable)

    def of_kind(self, kind: InsightKind) -> tuple[Insight, ...]:
        return tuple(i for i in self.insights if i.kind == kind)

    def ranked(self) -> tuple[Insight, ...]:
        """Every insight, the most money at stake first (severity, then score, break ties); those
        with no money estimate (the forecast) last."""
        return tuple(
            sorted(
                self.insights,
                key=lambda i: (i.impact is None, -(i.impact or 0.0), i.severity.rank, -i.score),
            )
        )

    def top(self, n: int) -> tuple[Insight, ...]:
        return self.ranked()[:n]
