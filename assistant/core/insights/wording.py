"""Numbers and dates as the tenant reads them, for headlines (thin over answering.formatting)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from assistant.core.answering.formatting import babel_locale, format_change_pct, format_value
from assistant.core.insights.fetch import InsightContext


def num(ctx: InsightContext, value: float | None, fmt: str) -> str:
    if fmt == "currency" and value is not None:
        value = round(value, 2)
    if fmt == "integer" and value is not None:
        value = round(value)
    return format_value(value, fmt, locale=ctx.locale, currency=ctx.currency)


def pct(ctx: InsightContext, fraction: float | None) -> str:
    return format_change_pct(None if fraction is None else round(fraction, 3), locale=ctx.locale)


def day(ctx: InsightContext, value: dt.date) -> str:
    return format_date(value, format="medium", locale=babel_locale(ctx.locale))


def span(ctx: InsightContext, start: dt.date, end: dt.date) -> str:
    return day(ctx, start) if start == end else f"{day(ctx, start)} – {day(ctx, end)}"


def plural(noun: str) -> str:
    """'store' → 'stores', 'category' → 'categories' (a role's noun in a sentence)."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def singular(noun: str) -> str:
    """'bookings' → 'booking', 'deliveries' → 'delivery' (a count metric's noun, one of them)."""
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def article(noun: str) -> str:
    """'a' or 'an' before a noun, by its first letter ('an item group', 'a category')."""
    return "an" if noun[:1].lower() in "aeiou" else "a"
