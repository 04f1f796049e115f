"""The headline block as a reader sees it: every figure formatted in the tenant's locale and
currency, the comparison periods named with their dates. One view for every channel (email HTML
and text, Slack, the preview command) so that they cannot disagree."""

from __future__ import annotations

import decimal
from dataclasses import dataclass

from babel.numbers import format_decimal

from assistant.core.answering.formatting import babel_locale, format_change_pct, format_value
from assistant.core.insights.headline_model import Headline, HeadlineFigure, Span
from assistant.core.insights.model import InsightReport


@dataclass(frozen=True)
class FigureCell:
    label: str
    value: str
    vs_previous: str
    vs_last_year: str
    direction_previous: int  # -1, 0, +1: the sign of the change (for colour), 0 when unknown
    direction_last_year: int


@dataclass(frozen=True)
class StoreCells:
    store: str
    sales: str
    purchases: str
    vs_previous: str
    vs_last_year: str


@dataclass(frozen=True)
class HeadlineView:
    period: str
    previous: str  # "previous week (12 Oct – 18 Oct 2026)"
    last_year: str
    previous_short: str  # column titles: "vs prev. week", "vs W43 2025"
    last_year_short: str
    figures: tuple[FigureCell, ...]
    stores: tuple[StoreCells, ...]
    location: str = ""  # the rows' column title: what a row is, capitalised ("Store")
    sales_label: str = ""  # the sales column's title ("Net sales")

    def text_lines(self) -> list[str]:
        """The block as plain text (the email's text part, the preview's output)."""
        lines = [f"At a glance: {self.period}"]
        width = max(len(f.label) for f in self.figures) if self.figures else 0
        for f in self.figures:
            lines.append(
                f"  {f.label:<{width}}  {f.value}  ({f.vs_previous} {self.previous_short}, "
                f"{f.vs_last_year} {self.last_year_short})"
            )
        lines.append(f"  Compared with: {self.previous}; {self.last_year}.")
        if self.stores:
            noun = self.sales_label[:1].lower() + self.sales_label[1:]
            lines.append(f"  By {self.location.lower()} ({noun}):")
            name = max(len(s.store) for s in self.stores)
            for s in self.stores:
                lines.append(
                    f"    {s.store:<{name}}  {s.sales:>14}  {s.vs_previous:>8} {self.previous_short}"
                    f"  {s.vs_last_year:>8} {self.last_year_short}"
                )
        return lines


def _points(delta: float | None, locale: str) -> str:
    """A change of a rate in percentage points, signed, one decimal: '+1,3 pp'."""
    if delta is None:
        return "–"
    body = format_decimal(
        decimal.Decimal(str(round(delta * 100, 1))), format="#,##0.0", locale=babel_locale(locale)
    )
    return f"{'+' if delta > 0 else ''}{body}\u00a0pp"


def _change(figure: HeadlineFigure, delta: float | None, locale: str) -> str:
    if figure.change_kind == "points":
        return _points(delta, locale)
    return format_change_pct(None if delta is None else round(delta, 3), locale=locale)


def _sign(delta: float | None) -> int:
    if delta is None or round(delta, 4) == 0:
        return 0
    return 1 if delta > 0 else -1


def _value(value: float | None, fmt: str, report: InsightReport) -> str:
    if value is not None and fmt == "currency":
        value = round(value, 2)
    if value is not None and fmt == "integer":
        value = round(value)
    return format_value(value, fmt, locale=report.locale, currency=report.currency)


def _span(span: Span, report: InsightReport) -> str:
    start = format_value(span.start, None, locale=report.locale, currency=report.currency)
    end = format_value(span.end, None, locale=report.locale, currency=report.currency)
    return f"{span.label} ({start} – {end})"


def _short(span: Span) -> str:
    if span.label.startswith("ISO week "):
        week, year = span.label.removeprefix("ISO week ").split(" of ")
        return f"vs W{week} {year}"
    if span.label.startswith("same weekday"):
        return "vs last year"
    return f"vs {span.label}"  # a month: "vs October 2025"


def headline_view(report: InsightReport, headline: Headline) -> HeadlineView:
    start = format_value(headline.start, None, locale=report.locale, currency=report.currency)
    end = format_value(headline.end, None, locale=report.locale, currency=report.currency)
    figures = tuple(
        FigureCell(
            label=f.label,
            value=_value(f.current, f.format, report),
            vs_previous=_change(f, f.vs_previous, report.locale),
            vs_last_year=_change(f, f.vs_last_year, report.locale),
            direction_previous=_sign(f.vs_previous),
            direction_last_year=_sign(f.vs_last_year),
        )
        for f in headline.figures
    )
    stores = tuple(
        StoreCells(
            store=s.store,
            sales=_value(s.sales, "currency", report),
            purchases=_value(s.purchases, "integer", report),
            vs_previous=format_change_pct(
                None if s.vs_previous is None else round(s.vs_previous, 3), locale=report.locale
            ),
            vs_last_year=format_change_pct(
                None if s.vs_last_year is None else round(s.vs_last_year, 3), locale=report.locale
            ),
        )
        for s in headline.stores
    )
    return HeadlineView(
        period=f"{start} – {end}",
        previous=_span(headline.previous, report),
        last_year=_span(headline.last_year, report),
        previous_short="vs prev." if headline.previous.label != "previous week" else "vs prev. week",
        last_year_short=_short(headline.last_year),
        figures=figures,
        stores=stores,
        location=headline.location.capitalize(),
        sales_label=headline.sales_label,
    )
