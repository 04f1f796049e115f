"""Question words that shape a plan but name no metric: comparison, share, grain, ranking, time.

Each extractor finds its phrase, records what it means and blanks it out of the text, so that
later stages do not mistake "last year" in "vs last year" for the period asked about, or the
"5" in "top 5" for anything else. Pure functions of (text, as_of).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from assistant.core.planning.plans import Comparison
from assistant.core.planning.time_range import DateRange, TimeMatch, find_time_range
from semantic_layer.query import Grain

Direction = Literal["desc", "asc"]

_I = re.IGNORECASE

_COMPARISONS: tuple[tuple[re.Pattern[str], Comparison], ...] = (
    (re.compile(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against|than|gegen(?:über)?|im\s+vergleich\s+zu[mr]?)\s+(?:the\s+)?(?:same\s+(?:period|time|month|week|quarter)\s+)?(?:of\s+)?(?:last|previous|prior|the\s+previous)\s+year(?:'s)?\b", _I), "same_period_last_year"),
    (re.compile(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against|than)\s+(?:ly|py|a\s+year\s+ago|the\s+year\s+before)\b", _I), "same_period_last_year"),
    (re.compile(r"\b(?:yoy|y/y|year[\s-]over[\s-]year|year[\s-]on[\s-]year|vs\.?\s+vorjahr|zum\s+vorjahr|vorjahr(?:esvergleich)?)\b", _I), "same_period_last_year"),
    (re.compile(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against|than)\s+(?:the\s+)?(?:last|previous|prior|preceding)\s+(?:period|week|month|quarter)\b", _I), "previous_period"),
    (re.compile(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+(?:the\s+)?(?:week|month|quarter|period)\s+before\b", _I), "previous_period"),
    (re.compile(r"\b(?:mom|m/m|wow|w/w|qoq|q/q|month[\s-]over[\s-]month|week[\s-]over[\s-]week|vormonat|vorwoche)\b", _I), "previous_period"),
)  # fmt: skip
_CHANGE_WORDS = re.compile(
    r"\b(?:growth|grow(?:n|ing)?|grew|change[ds]?|increase[ds]?|decrease[ds]?|decline[ds]?|drop(?:ped)?|"
    r"lost|lose|losing|gain(?:ed)?|improve[ds]?|worse(?:ned)?|better|wachstum|veränderung|entwicklung)\b",
    _I,
)
_SHARE = re.compile(
    # "percentage" alone is often part of a metric's name ("gross margin percentage"); it asks for a
    # share only as "percentage of …", like "% of" and "per cent of".
    r"\b(?:what\s+)?(?:share|proportion|portion|fraction|anteil|mix)\b(?:\s+of)?"
    r"|\b(?:what\s+)?percentage\s+of\b|%\s+of\b|\bper\s*cent\s+of\b",
    _I,
)
_GRAINS: tuple[tuple[re.Pattern[str], Grain], ...] = (
    (re.compile(r"\b(?:daily|per\s+day|by\s+day|each\s+day|day\s+by\s+day|täglich|pro\s+tag|nach\s+tag(?:en)?)\b", _I), Grain.DAY),
    (re.compile(r"\b(?:weekly|per\s+week|by\s+week|each\s+week|week\s+by\s+week|wöchentlich|pro\s+woche|nach\s+wochen?)\b", _I), Grain.WEEK),
    (re.compile(r"\b(?:monthly|per\s+month|by\s+month|each\s+month|month\s+by\s+month|monatlich|pro\s+monat|nach\s+monat(?:en)?)\b", _I), Grain.MONTH),
    (re.compile(r"\b(?:quarterly|per\s+quarter|by\s+quarter|each\s+quarter|quartalsweise|pro\s+quartal|nach\s+quartal(?:en)?)\b", _I), Grain.QUARTER),
    (re.compile(r"\b(?:yearly|annual(?:ly)?|per\s+year|by\s+year|each\s+year|jährlich|pro\s+jahr|nach\s+jahr(?:en)?)\b", _I), Grain.YEAR),
)  # fmt: skip
_TREND = re.compile(r"\b(?:trend(?:s|ing)?|over\s+time|time\s+series|development|verlauf|zeitverlauf)\b", _I)
_TOP = re.compile(
    r"\b(?:top|best|highest|largest|biggest|most|strongest|leading|beste[nrs]?|stärkste[nrs]?)\b(?:\s+(?P<n>\d{1,3}))?",
    _I,
)
_BOTTOM = re.compile(
    r"\b(?:bottom|worst|lowest|smallest|least|fewest|weakest|poorest|schlechteste[nrs]?|schwächste[nrs]?)\b(?:\s+(?P<n>\d{1,3}))?",
    _I,
)
_WHY = re.compile(r"^\s*(?:why|warum|wieso|how come|what drove|what caused|explain)\b", _I)


@dataclass(frozen=True)
class Ranking:
    direction: Direction
    n: int | None  # None: the superlative names no count ("highest"): the parser decides


@dataclass
class Signals:
    text: str  # the question with every consumed phrase blanked out (same length, same offsets)
    comparison: Comparison | None = None
    change_words: bool = False
    share: bool = False
    grain: Grain | None = None
    trend: bool = False
    ranking: Ranking | None = None
    time: DateRange | None = None
    why: bool = False
    consumed: list[str] = field(default_factory=list)


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def extract_signals(question: str, as_of: date) -> Signals:
    sig = Signals(text=question)
    sig.why = bool(_WHY.search(question))
    for pattern, mode in _COMPARISONS:
        m = pattern.search(sig.text)
        if m:
            sig.comparison = mode
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
            break
    sig.change_words = bool(_CHANGE_WORDS.search(sig.text))
    m = _SHARE.search(sig.text)
    if m:
        sig.share = True
        sig.consumed.append(m.group(0))
        sig.text = _blank(sig.text, m.span())
    for pattern, grain in _GRAINS:
        m = pattern.search(sig.text)
        if m:
            sig.grain = grain
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
            break
    m = _TREND.search(sig.text)
    if m:
        sig.trend = True
        sig.text = _blank(sig.text, m.span())
    for pattern, direction in ((_BOTTOM, "desc"), (_TOP, "desc")):
        m = pattern.search(sig.text)
        if m:
            real_direction: Direction = "asc" if pattern is _BOTTOM else direction  # type: ignore[assignment]
            sig.ranking = Ranking(real_direction, int(m["n"]) if m["n"] else None)
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
            break
    match = _find_time(sig.text, as_of)
    if match is not None:
        sig.time = match.range
        sig.consumed.append(match.phrase)
        sig.text = _blank(sig.text, match.span)
    return sig


# Unit abbreviations retailers type ("sales last wk", "orders past 3 mths"): spelled out before the
# time rules read the text, with the match's span mapped back onto the original question.
_ABBREVIATIONS = re.compile(r"\b(?:(wk)|(wks)|(mth|mo)|(mths|mos)|(qtr)|(yr)|(yrs))\b", _I)
_SPELLED = ("week", "weeks", "month", "months", "quarter", "year", "years")


def _find_time(text: str, as_of: date) -> TimeMatch | None:
    pieces: list[str] = []
    starts: list[tuple[int, int]] = []  # (position in expanded text, position in original)
    last = 0
    for m in _ABBREVIATIONS.finditer(text):
        word = _SPELLED[next(i for i, g in enumerate(m.groups()) if g)]
        pieces.append(text[last : m.start()])
        expanded_at = sum(map(len, pieces))
        starts.append((expanded_at, m.start()))
        starts.append((expanded_at + len(word), m.end()))
        pieces.append(word)
        last = m.end()
    if not starts:
        return find_time_range(text, as_of)
    expanded = "".join(pieces) + text[last:]
    match = find_time_range(expanded, as_of)
    if match is None:
        return None

    def back(pos: int) -> int:
        shift = 0
        for exp_at, orig_at in starts:
            if exp_at <= pos:
                shift = orig_at - exp_at
        return max(0, min(len(text), pos + shift))

    start, end = back(match.span[0]), back(match.span[1])
    return TimeMatch(match.range, (start, end), text[start:end].strip())
