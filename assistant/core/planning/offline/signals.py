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

from assistant.core.planning.offline import vocabulary
from assistant.core.planning.plans import Comparison
from assistant.core.planning.time_range import (
    DateRange,
    Shift,
    find_period_pair,
    find_shift,
    find_time_ranges,
)
from semantic_layer.query import Grain

Direction = Literal["desc", "asc"]

_I = re.IGNORECASE

_VS = r"(?:vs\.?|versus|compared?\s+(?:that\s+|it\s+|this\s+)?(?:to|with)|(?:in\s+)?comparison\s+(?:to|with)|relative\s+to|against|than|gegen(?:über)?|im\s+vergleich\s+(?:zu[mr]?|mit)|verglichen\s+mit|vergleich(?:e|en)?\s+(?:das\s+|es\s+)?mit)"
# the words that set two sides against each other, for the readings that must know whether a
# question compares ('Hamburg depot versus into Hamburg', 'online gegen Filiale'): one list
SETS_AGAINST = re.compile(rf"\b{_VS}(?!\w)", _I)
SET_AGAINST_ALONE = re.compile(rf"^\W*{_VS}\W*$", _I)  # a gap between two names holding only such words
_SAME = r"(?:the\s+|dem\s+|den\s+|der\s+)?(?:same\s+(?:period|time|months?|weeks?|quarters?|day|days)\s+|(?:gleiche[nm]?|selbe[nm]?)\s+(?:zeitraum|monat|monate[n]?|woche|wochen|quartal|quartale[n]?|tag|tage[ns]?)\s+)?"
# 'the prior-year period', 'den Vorjahreszeitraum', 'dem Vorjahresmonat': the same period a year before in one word
_YEAR_BEFORE_NOUN = r"(?:the\s+)?(?:prior[\s-]year|previous[\s-]year|last[\s-]year's|year[\s-]ago)\s+(?:period|month|quarter|week|days?|figures?)|(?:de[nmr]\s+)?vorjahres(?:zeitraum|monat|quartal|woche|tag|wert|zahlen)e?s?"
_COMPARISONS: tuple[tuple[re.Pattern[str], Comparison], ...] = (
    (re.compile(rf"\b{_VS}\s+{_SAME}(?:of\s+|in\s+|im\s+|des\s+)?(?:(?:the\s+)?(?:last|previous|prior)\s+year(?:'s)?|a\s+year\s+(?:ago|earlier|before)|letzte[ns]?\s+jahr(?:es)?|vergangene[ns]?\s+jahr(?:es)?|vorjahr(?:es)?)\b", _I), "same_period_last_year"),
    (re.compile(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against|than)\s+(?:ly|py|a\s+year\s+ago|the\s+year\s+before)\b", _I), "same_period_last_year"),
    (re.compile(rf"\b{_VS}\s+(?:{_YEAR_BEFORE_NOUN})\b", _I), "same_period_last_year"),
    (re.compile(r"\b(?:yoy|y/y|year[\s-]over[\s-]year|year[\s-]on[\s-]year|vs\.?\s+vorjahr|zum\s+vorjahr|vorjahr(?:es)?vergleich)\b", _I), "same_period_last_year"),
    (re.compile(rf"\b{_VS}\s+(?:the\s+)?(?:last|previous|prior|preceding|vorige[nmrs]?|vorherige[nmrs]?)\s+(?:period|week|month|quarter|zeitraum|woche|monat|quartal)\b", _I), "previous_period"),
    (re.compile(rf"\b{_VS}\s+(?:the\s+|der\s+|dem\s+)?(?:week|month|quarter|period|woche|monat|quartal|zeitraum)\s+(?:before|davor|zuvor)\b", _I), "previous_period"),
    (re.compile(r"\b(?:mom|m/m|wow|w/w|qoq|q/q|month[\s-]over[\s-]month|week[\s-]over[\s-]week)\b|\b(?:vs\.?|zum|gegenüber\s+dem|im\s+vergleich\s+zum)\s+vor(?:monat|woche|quartal)\b", _I), "previous_period"),
    (re.compile(rf"\b{_VS}\s+(?:de[mnr]\s+)?vor(?:monat|woche|quartal|periode)(?:e?s)?\b", _I), "previous_period"),
)  # fmt: skip
_CHANGE_WORDS = vocabulary.CHANGE_IN_TEXT
SHARE_WORDS = re.compile(
    # "percentage" alone is often part of a metric's name ("gross margin percentage"); it asks for a
    # share only as "percentage of …", like "% of" and "per cent of".
    r"\b(?:what\s+)?(?:share|proportion|portion|fraction|anteil|mix)\b(?:\s+of)?"
    r"|\b(?:what\s+)?percentage\s+of\b|%\s+(?:of|vom|von|des|der)\b|\bper\s*cent\s+of\b"
    r"|\b(?:in|wie\s*viel(?:e)?)\s+prozent\s+(?:vom|von|des|der)\b",  # 'wie viel Prozent vom Umsatz'
    _I,
)
_GRAINS: tuple[tuple[re.Pattern[str], Grain], ...] = (
    (re.compile(r"\b(?:daily|per\s+day|by\s+day|each\s+day|every\s+day|(?:je|jede[nrsm]?)\s+tag|tag\s+f(?:ü|ue)r\s+tag|day\s+by\s+day|t(?:ä|ae)glich(?:e[nmrs]?)?|pro\s+tag|nach\s+tag(?:en)?)\b", _I), Grain.DAY),
    (re.compile(r"\b(?:weekly|per\s+week|by\s+week|each\s+week|every\s+week|(?:je|jede[nrsm]?)\s+woche|woche\s+f(?:ü|ue)r\s+woche|week\s+by\s+week|w(?:ö|oe)chentlich(?:e[nmrs]?)?|pro\s+woche|nach\s+wochen?)\b", _I), Grain.WEEK),
    (re.compile(r"\b(?:monthly|per\s+month|by\s+month|each\s+month|every\s+month|(?:je|jede[nrsm]?)\s+monat|monat\s+f(?:ü|ue)r\s+monat|month\s+by\s+month|monatlich(?:e[nmrs]?)?|pro\s+monat|nach\s+monat(?:en)?)\b", _I), Grain.MONTH),
    (re.compile(r"\b(?:quarterly|per\s+quarter|by\s+quarter|each\s+quarter|every\s+quarter|(?:je|jede[nrsm]?)\s+quartal|quartal\s+f(?:ü|ue)r\s+quartal|quartalsweise[nmrs]?|viertelj(?:ä|ae)hrlich(?:e[nmrs]?)?|pro\s+quartal|nach\s+quartal(?:en)?)\b", _I), Grain.QUARTER),
    (re.compile(r"\b(?:yearly|annual(?:ly)?|per\s+year|by\s+year|each\s+year|every\s+year|(?:je|jede[nrsm]?)\s+jahr|j(?:ä|ae)hrlich(?:e[nmrs]?)?|pro\s+jahr|nach\s+jahr(?:en)?)\b", _I), Grain.YEAR),
)  # fmt: skip
_TREND = re.compile(r"\b(?:trend(?:s|ing)?|over\s+time|time\s+series|development|verlauf|zeitverlauf)\b", _I)
# 'which three stores', 'top five', 'welche drei Farben': a count written as a word
_NUMBER_WORDS = {
    w: n
    for n, words in enumerate(
        (
            ("two", "zwei"), ("three", "drei"), ("four", "vier"), ("five", "fünf", "fuenf"), ("six", "sechs"),
            ("seven", "sieben"), ("eight", "acht"), ("nine", "neun"), ("ten", "zehn"),
        ),
        start=2,
    )
    for w in words
}  # fmt: skip
_NUMBER_ALT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


_TOP = re.compile(rf"\b(?:{vocabulary.TOP})\b(?:\s+(?P<n>\d{{1,3}}|{_NUMBER_ALT})\b)?", _I)
_BOTTOM = re.compile(rf"\b(?:{vocabulary.BOTTOM})\b(?:\s+(?P<n>\d{{1,3}}|{_NUMBER_ALT})\b)?", _I)
RANKING_WORDS = (_TOP, _BOTTOM)  # where the ranking words stand (the planner reads what they govern)
# Ordering words sort every row; only "top N"/"the best" (a ranking) also limits them.
_ORDER_DESC = re.compile(
    rf"\b(?:(?:{vocabulary.TOP})\s+(?:ones?\s+)?(?:first|on\s+top|zuerst)|descending|in\s+descending\s+order|"
    r"(?:from\s+)?(?:highest|biggest|largest|most|longest)\s+to\s+(?:lowest|smallest|least|shortest)|"
    r"absteigend(?:\s+sortiert)?)\b",
    _I,
)
_ORDER_ASC = re.compile(
    rf"\b(?:(?:{vocabulary.BOTTOM})\s+(?:ones?\s+)?(?:first|zuerst)|ascending|in\s+ascending\s+order|"
    r"(?:from\s+)?(?:lowest|smallest|least|shortest)\s+to\s+(?:highest|biggest|largest|most|longest)|"
    r"aufsteigend(?:\s+sortiert)?)\b",
    _I,
)
# 'from best to worst', 'vom besten zum schlechtesten': every row, in that direction
_FROM_TO = re.compile(
    r"\b(?:(?:sort|sorted|order|ordered|rank|ranked|sortiere?n?|sortiert|ordne)\s+)?"
    rf"(?:from\s+|vo[nm]\s+)?(?:the\s+|de[rnm]\s+)?(?P<a>{vocabulary.TOP}|{vocabulary.BOTTOM})\s+"
    rf"(?:to|zu[mr]?|bis(?:\s+zu[mr]?)?)\s+(?:the\s+|de[rnm]\s+)?(?P<b>{vocabulary.TOP}|{vocabulary.BOTTOM})\b",
    _I,
)
# 'rank them from lowest OTD', 'sorted starting with the biggest', 'sortiert vom niedrigsten an',
# 'beginnend mit der schwächsten': one end named after a sorting verb (or 'starting'), every row from it
_FROM_ONE_END = re.compile(
    r"\b(?:(?:sort|sorted|order|ordered|rank|ranked|list|listed|sortiere?n?|sortiert|geordnet|ordne|liste)"
    r"\s+(?:them\s+|it\s+|sie\s+|es\s+|alle\s+)?(?:starting\s+|beginning\s+)?(?:from|with|vo[nm]|mit|beim?)"
    r"|starting\s+(?:from|with)|beginning\s+with|beginnend\s+(?:mit|beim?|vo[nm])|angefangen\s+(?:mit|beim?|vo[nm]))\s+"
    rf"(?:the\s+|de[rnm]\s+)?(?P<a>{vocabulary.TOP}|{vocabulary.BOTTOM})\b(?!\s+(?:to|zu[mr]?|bis)\b)",
    _I,
)
# 'busiest hour first', 'the fullest hotels first', 'schwächste Filiale zuerst': the superlative orders
# (the noun between stays to be read: it names the breakdown)
_SUPERLATIVE_FIRST = re.compile(
    r"\b(?P<sup>[^\W\d_]{3,}(?:iest|est|st[ae][nrs]?))\s+(?:[^\W\d_]+\s+){0,2}?(?P<first>first|zuerst|oben)\b",
    _I,
)
# 'Rank our branches by …', 'sort the hotels by …', 'Sortiere die Filialen nach …': every row of the
# named breakdown, ordered (only the verb and its 'by' are read here: the noun names the breakdown)
_RANK_X_BY = re.compile(
    r"\b(?P<verb>rank|sort|sortiere?|ordne)\s+(?:[^\W\d_]+\s+){1,4}?(?P<by>by|nach)\b", _I
)
_SORTED = re.compile(
    r"\b(?:sorted|ordered|ranked|sortiert|geordnet)(?:\s+(?:by|nach))?\b|\b(?:sort|rank|order)\s+(?:them\s+|it\s+)?by\b",
    _I,
)
# "which 5 products", "welche 3 Filialen": the count of a ranking stands before its noun
_COUNT_BEFORE_NOUN = re.compile(
    rf"\b(?:which|what|the|our|welche[nrs]?|die|unsere)\s+(?P<n>\d{{1,3}}|{_NUMBER_ALT})\s+(?=[^\W\d_])", _I
)
_ALL_ROWS = re.compile(
    r"\b(?:show|list|give)\s+(?:me\s+)?all\b|\ball\s+(?:of\s+them|segments|stores|categories|brands|products)\b|\balle\b",
    _I,
)
_RANKED_PERIOD = re.compile(
    r"\b(?P<unit>day|week|month|quarter|tag|woche|monat|quartal)(?P<plural>s|e|en|n)?\b", _I
)
_OF_THE = re.compile(r"\b(?:of|des|per|pro|je)\s+(?:the\s+|a\s+|each\s+)?$", _I)
_PERIOD_GRAINS = {"day": Grain.DAY, "tag": Grain.DAY, "week": Grain.WEEK, "woche": Grain.WEEK, "month": Grain.MONTH,
                  "monat": Grain.MONTH, "quarter": Grain.QUARTER, "quartal": Grain.QUARTER}  # fmt: skip
# "the biggest drop vs last year", "fell the most", "am stärksten gesunken": a ranking on the change
# against the compared period (drops: the most negative first), not on the figure itself
_DROP = vocabulary.DROP_NOUNS
_RISE = vocabulary.RISE_NOUNS
_SUPERLATIVE = (
    r"biggest|largest|greatest|steepest|sharpest|strongest|highest|most|gr(?:ö|oe)(?:ß|ss)te[nrs]?|"
    r"st(?:ä|ae)rkste[nrs]?|h(?:ö|oe)chste[nrs]?|meiste[nrs]?"
)
_CHANGE_RANK = re.compile(
    rf"\b(?:{_SUPERLATIVE})\s+(?:(?P<drop>{_DROP})|(?P<rise>{_RISE}))\b"
    rf"|\b(?:(?P<fell>{vocabulary.DROP_VERBS})|(?P<grew>{vocabulary.RISE_VERBS}))\s+(?:the\s+)?most\b"
    rf"|\bam\s+st(?:ä|ae)rksten\s+(?:(?P<sank>{vocabulary.DROP_VERBS})|(?P<stieg>{vocabulary.RISE_VERBS}))\b",
    _I,
)  # fmt: skip
# ... with the figure between ('grew room revenue the most', 'am stärksten den Umsatz gesteigert')
_CHANGE_RANK_APART = re.compile(
    rf"\b(?:(?P<fell>{vocabulary.DROP_VERBS})|(?P<grew>{vocabulary.RISE_VERBS}))(?:\s+[^\W\d_][\w&'-]*){{1,4}}?"
    r"\s+(?P<most>(?:the\s+)?most)\b"
    rf"|\b(?P<am>am\s+st(?:ä|ae)rksten)(?:\s+[^\W\d_][\w&'-]*){{1,4}}?\s+"
    rf"(?:(?P<sank>{vocabulary.DROP_VERBS})|(?P<stieg>{vocabulary.RISE_VERBS}))\b",
    _I,
)
# a closing ask for what drives the figure ("… by reason - what's driving them?", "… je Depot: woran
# liegt das?"): a breakdown of the question answers it, nothing else does (`whole_question`)
_DRIVERS = re.compile(
    r"[-–—:;,.?!(]\s*(?P<ask>(?:and\s+|und\s+)?(?:what(?:'s|\u2019s|\s+is|\s+are)\s+(?:driving|behind|causing)"
    r"|who(?:'s|\u2019s|\s+is)\s+driving|woran\s+liegt|was\s+steckt\s+(?:da)?hinter|was\s+treibt)"
    r"(?:\s+(?:it|them|this|that|these|those|das|dies|es|sie)(?:\s+(?:numbers?|figures?|zahlen|hinter))?)?)\s*[?.!)]*\s*$",
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
    compare_to: DateRange | None = None  # a second named period set against `time` ("Q2 vs Q1")
    shift: Shift | None = None  # a move of the previous answer's period ("and the month before?")
    order: Direction | None = None  # sort every row ("biggest first", "absteigend"), no limit
    all_rows: bool = False  # "show all segments": no top-N limit
    ranked_periods: bool = False  # "our best day": the periods of `grain` are what is ranked
    period_end: bool = False  # "at the end of September", "Ende September": the period's last day asked
    time_span: tuple[int, int] | None = None  # where the one period asked about is said (lead words included)
    change_rank: Direction | None = None  # "the biggest drop" (asc) / "grew the most" (desc): by the change
    why: bool = False
    drivers: str | None = None  # "… by reason - what's driving them?": answered by a breakdown only
    consumed: list[str] = field(default_factory=list)


def comparison_spans(text: str) -> list[tuple[int, int]]:
    """Where a comparison with another period is said ('verglichen mit dem Vorjahr', 'gegenüber
    dem Vormonat', 'im Vergleich zum Vorjahreszeitraum'): read here in both languages, so a
    translation of the question's other words must leave them as typed ('verglichen mit' →
    'compared mit dem Vorjahr' reads as neither, and the comparison was lost)."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(m.span() for pattern, _ in _COMPARISONS for m in pattern.finditer(text)):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def extract_signals(question: str, as_of: date) -> Signals:
    sig = Signals(text=question)
    sig.why = bool(_WHY.search(question))
    m = _DRIVERS.search(sig.text)
    if m:
        sig.drivers = m["ask"].strip()
        sig.text = _blank(sig.text, m.span())
    for pattern, mode in _COMPARISONS:
        m = pattern.search(sig.text)
        if m:
            sig.comparison = mode
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
            break
    sig.change_words = bool(_CHANGE_WORDS.search(sig.text))
    m = _CHANGE_RANK.search(sig.text)
    if m:
        sig.change_rank = "asc" if (m["drop"] or m["fell"] or m["sank"]) else "desc"
        sig.change_words = True
        sig.consumed.append(m.group(0))
        sig.text = _blank(sig.text, m.span())
    elif (m := _CHANGE_RANK_APART.search(sig.text)) is not None:
        # 'which hotel grew room revenue the most', 'den Umsatz am stärksten gesteigert': the figure
        # between the verb and 'the most' stays to be read; the two ends are the change ranking
        sig.change_rank = "asc" if (m["fell"] or m["sank"]) else "desc"
        sig.change_words = True
        for group in ("fell", "grew", "most", "am", "sank", "stieg"):
            if m[group]:
                sig.consumed.append(m[group])
                sig.text = _blank(sig.text, m.span(group))
    m = SHARE_WORDS.search(sig.text)
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
    for pattern, direction in ((_ORDER_ASC, "asc"), (_ORDER_DESC, "desc")):
        m = pattern.search(sig.text)
        if m:
            sig.order = direction  # type: ignore[assignment]
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
            break
    if sig.order is None and (m := _FROM_TO.search(sig.text)) is not None:
        first, last = vocabulary.ranking_direction(m["a"]), vocabulary.ranking_direction(m["b"])
        if first is not None and last is not None and first != last:
            sig.order = first
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
    if sig.order is None and (m := _FROM_ONE_END.search(sig.text)) is not None:
        said = vocabulary.ranking_direction(m["a"])
        if said is not None:
            sig.order = said
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
    if sig.order is None and (m := _SUPERLATIVE_FIRST.search(sig.text)) is not None:
        said = vocabulary.superlative_direction(m["sup"])
        if said is not None:
            sig.order = said
            sig.consumed.append(m.group(0))
            sig.text = _blank(_blank(sig.text, m.span("sup")), m.span("first"))
    m = _SORTED.search(sig.text)
    if m:
        sig.order = sig.order or "desc"
        sig.text = _blank(sig.text, m.span())
    elif (m := _RANK_X_BY.search(sig.text)) is not None:
        sig.order = sig.order or "desc"
        sig.text = _blank(_blank(sig.text, m.span("verb")), m.span("by"))
    m = _ALL_ROWS.search(sig.text)
    if m:
        sig.all_rows = True
    _extract_ranking(sig)
    if sig.ranking is None and sig.order is not None:
        # 'Rank our three shops …, best first': an order with a count before the noun ranks that many
        count = _COUNT_BEFORE_NOUN.search(sig.text)
        if count is not None:
            sig.ranking = Ranking(sig.order, _number(count["n"]))
            sig.text = _blank(sig.text, count.span("n"))
    if sig.change_rank is not None and (sig.ranking is None or sig.ranking.direction != sig.change_rank):
        n = sig.ranking.n if sig.ranking is not None else None
        if n is None and (count := _COUNT_BEFORE_NOUN.search(sig.text)) is not None:
            n = _number(count["n"])
            sig.text = _blank(sig.text, count.span("n"))
        sig.ranking = Ranking(sig.change_rank, n)
    _extract_time(sig, as_of)
    if sig.ranking is not None and sig.grain is None:
        # "our best day in December", "umsatzstärkster Tag", "top 3 weeks": periods ranked
        m = next(
            # 'the 3 hours of the day': the day is what the hours are of, not a period ranked
            (p for p in _RANKED_PERIOD.finditer(sig.text) if not _OF_THE.search(sig.text[: p.start()])),
            None,
        )
        if m is not None:
            sig.grain = _PERIOD_GRAINS[m["unit"].lower()]
            sig.ranked_periods = True
            if sig.ranking.n is None and not m["plural"]:
                sig.ranking = Ranking(sig.ranking.direction, 1)
            sig.text = _blank(sig.text, m.span())
    return sig


# Words that judge ('worst', 'best') rank by whether the figure is good or bad; words that measure
# ('most', 'lowest') say the order itself: 'sent back the most … worst 3' is the 3 with the most.
_JUDGING = re.compile(
    r"^(?:worst|best|weakest|strongest|poorest|schlechteste[nrs]?|beste[nrs]?|schw(?:ä|ae)chste[nrs]?|st(?:ä|ae)rkste[nrs]?)\b",
    _I,
)


def _extract_ranking(sig: Signals) -> None:
    bottom, top = _BOTTOM.search(sig.text), _TOP.search(sig.text)
    order = [(_BOTTOM, "asc"), (_TOP, "desc")]
    if bottom and top and _JUDGING.match(bottom.group(0)) and not _JUDGING.match(top.group(0)):
        order.reverse()  # the measuring word says the order; the judging one may still give the count
        n_word = re.search(r"\d{1,3}", bottom.group(0))
        if n_word is not None and not top["n"]:
            sig.text = _blank(sig.text, bottom.span())
            sig.consumed.append(bottom.group(0))
            sig.ranking = Ranking("desc", int(n_word.group(0)))
            sig.consumed.append(top.group(0))
            sig.text = _blank(sig.text, top.span())
            return
    for pattern, direction in order:
        m = pattern.search(sig.text)
        if m:
            n = _number(m["n"]) if m["n"] else None
            if n is None:
                count = _COUNT_BEFORE_NOUN.search(sig.text)
                if count is not None:
                    n = _number(count["n"])
                    sig.text = _blank(sig.text, count.span("n"))
            sig.ranking = Ranking(direction, n)  # type: ignore[arg-type]
            sig.consumed.append(m.group(0))
            sig.text = _blank(sig.text, m.span())
            return


def _extract_time(sig: Signals, as_of: date) -> None:
    """The period asked about, a second period it is compared with, or a shift of the previous
    answer's period. A shift phrase that holds a time phrase ('im gleichen Monat letztes Jahr') is a
    shift; a time phrase that holds a shift phrase ('the week before Christmas') is a period."""
    matches = find_time_ranges(sig.text, as_of)
    shift = find_shift(sig.text)
    if shift is not None:
        s0, s1 = shift.span
        if any(m.span[0] <= s0 and s1 <= m.span[1] and (m.span[1] - m.span[0]) > (s1 - s0) for m in matches):
            shift = None
        else:
            matches = [m for m in matches if m.span[1] <= s0 or m.span[0] >= s1]
            sig.shift = shift
            sig.consumed.append(shift.phrase)
            sig.text = _blank(sig.text, shift.span)
    pair = find_period_pair(sig.text, matches)
    if pair is not None:
        sig.time, sig.compare_to = pair.current.range, pair.against.range
        first, second = sorted((pair.current, pair.against), key=lambda t: t.span[0])
        marker = _PAIR_WORDS.search(sig.text, first.span[1], second.span[0]) or _PAIR_WORDS.search(
            sig.text, 0, first.span[0]
        )
        if marker is not None:
            sig.text = _blank(sig.text, marker.span())
    elif matches:
        sig.time = matches[0].range
    for match in matches:
        sig.consumed.append(match.phrase)
        start = match.span[0]
        while (lead := _TIME_LEAD.search(sig.text, 0, start)) is not None and not _a_code(lead, sig.text):
            start = lead.start()
        sig.text = _blank(sig.text, (start, match.span[1]))
        if pair is None and len(matches) == 1:
            sig.time_span = (start, match.span[1])
    if sig.time is not None and sig.shift is None and len(matches) == 1:
        # '… in September 2026, and what was their on-time rate that month?': the period said before
        # named again, no second period
        for again in _SAID_PERIOD_AGAIN.finditer(sig.text):
            if again.start() >= matches[0].span[1]:
                sig.consumed.append(again.group(0))
                sig.text = _blank(sig.text, again.span())


# the period named once more after it was read ('that month', 'in jenem Monat', 'im selben Monat')
_SAID_PERIOD_AGAIN = re.compile(
    r"\b(?:(?:in|for|during|over)\s+)?that\s+(?:same\s+)?(?:day|week|month|quarter|year|period)\b|"
    r"\b(?:in\s+|im\s+)?(?:jenem|jener|demselben|derselben|selben)\s+(?:tag|woche|monat|quartal|jahr|zeitraum)\b",
    _I,
)


# words that belong to the time phrase after them ("im letzten Monat", "for the last 4 weeks")
_TIME_LEAD = re.compile(
    r"\b(?:in|im|for|during|over|am|an|on|at|seit|ab|since|the|der|die|den|dem|des|of|from|vom|von|bis|until|zum|zur|"
    r"across|within|innerhalb)\s+$",
    _I,
)


def _a_code(lead: re.Match[str], text: str) -> bool:
    """'shipments to AT last month': a lead word written in capitals in a question that is not all
    capitals is a code (a country, a status), no 'at' of the period; it stays for the values."""
    word = lead.group(0).strip()
    return len(word) >= 2 and word.isupper() and text != text.upper()


_PAIR_WORDS = re.compile(
    r"\b(?:vs\.?|versus|compared?(?:\s+(?:that|it|this))?(?:\s+(?:to|with))?|against|than|gegen(?:über)?|"
    r"verglichen(?:\s+mit)?|vergleich(?:e|en)?(?:\s+(?:das|es))?|im\s+vergleich\s+(?:zu[mr]?|mit)|relative\s+to|with|mit)\b",
    _I,
)
