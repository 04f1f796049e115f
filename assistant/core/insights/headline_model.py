"""The typed headline block of a report (built by `headline.py`): figures against two
comparison periods, and a row per store."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Span(BaseModel):
    """A comparison period: its dates and how a reader should name it."""

    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date
    label: str  # "previous week", "ISO week 43 of 2025"


class HeadlineFigure(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: str
    label: str
    format: str  # currency | integer | percent
    current: float | None
    previous: float | None
    last_year: float | None

    @property
    def change_kind(self) -> Literal["relative", "points"]:
        return "points" if self.format == "percent" else "relative"

    def change(self, base: float | None) -> float | None:
        """Relative change (a fraction) for amounts and counts, percentage points (as a fraction,
        0.02 = 2 pp) for rates; None when either side is missing (or a relative base is 0)."""
        if self.current is None or base is None:
            return None
        if self.change_kind == "points":
            return self.current - base
        return None if base == 0 else (self.current - base) / abs(base)

    @property
    def vs_previous(self) -> float | None:
        return self.change(self.previous)

    @property
    def vs_last_year(self) -> float | None:
        return self.change(self.last_year)


class StoreRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    store: str  # the location's value (a store's name)
    sales: float
    purchases: float | None  # None: the project's purchases cannot be grouped by its location
    sales_previous: float | None
    sales_last_year: float | None

    @property
    def vs_previous(self) -> float | None:
        return _relative(self.sales, self.sales_previous)

    @property
    def vs_last_year(self) -> float | None:
        return _relative(self.sales, self.sales_last_year)


def _relative(current: float, base: float | None) -> float | None:
    return None if not base else (current - base) / abs(base)


class Headline(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: dt.date
    end: dt.date
    previous: Span
    last_year: Span
    figures: tuple[HeadlineFigure, ...]
    stores: tuple[StoreRow, ...]  # by sales, largest first
    location: str = ""  # what a row is ("store"); "" when the project declares no location
    sales_label: str = ""  # the sales metric's label ("Net sales")

    def figure(self, metric: str) -> HeadlineFigure:
        for f in self.figures:
            if f.metric == metric:
                return f
        raise KeyError(metric)
