"""Numbers, amounts and dates in the tenant's locale and currency (Babel's CLDR data).

"1.234.567,89 €" for a Berlin fashion chain, "CHF 1’234’567.89" for a Zurich one: the answer is
read by people who think in their own notation. Percent metrics are stored as fractions.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Literal

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_group_symbol

ValueFormat = Literal["currency", "percent", "number", "integer"]


def babel_locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


def format_value(value: object, fmt: str | None, *, locale: str, currency: str) -> str:
    """A cell as a person reads it; None → '–'."""
    if value is None:
        return "–"
    loc = babel_locale(locale)
    if get_group_symbol(loc) == "'" and not isinstance(value, dt.date):
        # Babel drops the Swiss apostrophe group separator (it reads it as a pattern quote):
        # format with English separators and put the typographic apostrophe in.
        if fmt == "currency" and isinstance(value, int | float | decimal.Decimal):
            amount = format_decimal(decimal.Decimal(str(value)), format="#,##0.00", locale="en_US")
            return f"{currency}\u00a0{amount.replace(',', '’')}"
        english = format_value(value, fmt, locale="en-US", currency=currency)
        return english.replace(",", "’")
    if isinstance(value, dt.datetime):
        return format_date(value.date(), format="medium", locale=loc)
    if isinstance(value, dt.date):
        return format_date(value, format="medium", locale=loc)
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        return str(value)
    number = decimal.Decimal(str(value))
    if not number.is_finite():  # inf / NaN from a division in generated SQL: show it, never crash
        return "∞" if number.is_infinite() and number > 0 else "-∞" if number.is_infinite() else "–"
    if fmt == "currency":
        return format_currency(number, currency, locale=loc)
    if fmt == "percent":
        return _percent(number, loc, signed=False)
    if fmt == "integer" or (fmt in (None, "number") and number == number.to_integral_value()):
        return format_decimal(number.quantize(decimal.Decimal(1)), format="#,##0", locale=loc)
    return format_decimal(number, format="#,##0.##", locale=loc)


def _percent(fraction: decimal.Decimal, loc: Locale, *, signed: bool) -> str:
    """One decimal, with the locale's own spacing before the sign ('42.1%' / '42,1 %')."""
    pattern = loc.percent_formats[None].pattern
    gap = "\u00a0" if ("\u00a0%" in pattern or " %" in pattern) else ""
    if get_group_symbol(loc) == "'":
        body = format_decimal(fraction * 100, format="#,##0.0", locale="en_US").replace(",", "’")
    else:
        body = format_decimal(fraction * 100, format="#,##0.0", locale=loc)
    sign = "+" if signed and fraction > 0 else ""
    return f"{sign}{body}{gap}%"


def format_change_pct(fraction: float | None, *, locale: str) -> str:
    if fraction is None:
        return "–"
    return _percent(decimal.Decimal(str(fraction)), babel_locale(locale), signed=True)
