"""`SemanticQuery`: what the planner asks for, as data (metrics, group-bys, filters, time range).

A frozen pydantic model so that a plan can be cached, logged, compared and sent over the wire.
It says nothing about SQL: `compiler.py` turns it into MetricFlow's request, after
`validation.py` checked every name against the catalog.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def rank(self) -> int:
        return _GRAIN_ORDER.index(self)


_GRAIN_ORDER = (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR)

# operators that compare with values; 'is not null' keeps the rows that have a value (a ranking's)
ValueOperator = Literal["=", "!=", "in", "not in", "<", "<=", ">", ">=", "between", "like"]
FilterOperator = Literal[ValueOperator, "is not null"]
FilterValue = str | int | float | bool | dt.date


class Filter(BaseModel):
    """One condition on a dimension; values are data, never SQL (see `where_filters.py`)."""

    model_config = ConfigDict(frozen=True)

    dimension: str
    operator: FilterOperator = "="
    values: tuple[FilterValue, ...] = ()  # none for 'is not null' (rows that have a value), else ≥ 1

    @model_validator(mode="after")
    def _arity(self) -> Filter:
        expected = {"between": 2, "is not null": 0}.get(self.operator)
        if expected is not None and len(self.values) != expected:
            raise ValueError(f"operator {self.operator!r} takes exactly {expected} values")
        if self.operator in ("in", "not in") and not self.values:
            raise ValueError(f"operator {self.operator!r} takes at least one value")
        if self.operator not in ("in", "not in", "between", "is not null") and len(self.values) != 1:
            raise ValueError(f"operator {self.operator!r} takes exactly one value")
        return self


class TimeRange(BaseModel):
    """Inclusive on both ends, in the warehouse's dates (the tenant's calendar)."""

    model_config = ConfigDict(frozen=True)

    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"time range starts ({self.start}) after it ends ({self.end})")
        return self


class OrderBy(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    descending: bool = False


class SemanticQuery(BaseModel):
    """A metric query. Group-bys are names as the catalog lists them: `account__country`,
    `metric_time__month`, an entity like `account`; a bare time dimension (`metric_time`) takes
    `time_grain`."""

    model_config = ConfigDict(frozen=True)

    metrics: tuple[str, ...] = Field(min_length=1)
    group_by: tuple[str, ...] = ()
    time_grain: Grain = Grain.DAY
    filters: tuple[Filter, ...] = ()
    time_range: TimeRange = TimeRange()
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = Field(default=None, ge=1)
