"""Group-bys, filters and values: which dimensions a question groups by ('by store', 'the set
asked about', flags joined by 'and'), the filters its values make, a value read as a dimension
value, and dimensions contrasted or split ('between A and B', 'each in its own', 'split into').
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

from assistant.core.planning.offline.flag_sides import names_other_side
from assistant.core.planning.offline.german import reads_german
from assistant.core.planning.offline.lexicon import Lexicon, entity_name_dimension
from assistant.core.planning.offline.linking import Linked, Mention
from assistant.core.planning.offline.paths import lemmas, same_stem
from assistant.core.planning.offline.roles import _unique, says_by
from assistant.core.planning.offline.signals import Signals
from assistant.core.planning.offline.text import fold, phrase_key
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog, MetricInfo
from semantic_layer.query import Filter

_JOINED = r"\W+(?:\w+\W+)?(?:and|or|und|oder|&)\W+(?:\w+\W+)?"


def _coordinated_flags(question: str, flags: list[Mention]) -> ClarificationPlan | None:
    """'total loss payment and reserve', 'complimentary and accessible': two yes/no dimensions joined
    by 'and'/'or' are rarely both meant as filters at once (the words often name figures or one
    group each); stacked, they can leave no data at all. Asked, never stacked."""
    for a, b in itertools.combinations(flags, 2):
        if a.entry.target == b.entry.target:
            continue
        first, second = sorted((a, b), key=lambda m: m.start)
        joined = re.escape(first.text) + _JOINED + re.escape(second.text)
        if re.search(joined, question, re.IGNORECASE):
            la, lb = first.text.lower(), second.text.lower()
            return ClarificationPlan(
                question=f"Do you mean only what is both {la} and {lb}, or {la} and {lb} side by side, "
                "or something else these words name?",
                options=(f"only {la} and {lb} at once", f"{la} vs not {la}", f"{lb} vs not {lb}"),
            )
    return None


_COMPARE_WORDS = re.compile(r"\b(?:compar\w*|vergleich\w*|each|every|jede[nrs]?|split|aufgeteilt)\b", re.I)


_LISTED = re.compile(
    r"\b(?:show|list|zeig\w*|liste\w*|auflisten)\b|\b(?:with\s+their|mit\s+ihre[nmr]?)\b", re.I
)


def _the_set_asked_about(
    question: str,
    catalog: Catalog,
    d: Mention,
    sig: Signals,
    infos: Sequence[MetricInfo],
    spans: Sequence[Mention] = (),
) -> bool:
    """'the newsletter campaigns brought in', 'October mailings: recipients …', 'last month's
    campaigns': an entity's plural name with no 'by', 'per', 'which', ranking, ordering or
    comparison word is the set of those items asked about together, not one row each — where the
    figures are measured on that entity alone (each campaign's recipients) and the word is the
    entity's name (never a trait: a category, a city)."""
    dim = catalog.dimension(d.entry.target)
    if dim is None or dim.entity is None or entity_name_dimension(catalog, dim.entity) != dim.name:
        return False
    if not infos or any({e for e in i.entities if e != "tenant"} != {dim.entity} for i in infos):
        return False
    word = d.text.split()[-1].lower().rstrip("'’")
    plural = word.endswith("s") and not word.endswith("ss")
    # 'die Klickrate unserer Newsletter': a German plural shows in its article, not its ending
    plural = plural or (
        reads_german(question)
        and re.search(
            rf"\b(?:unserer|unsere|aller|alle|allen|die|meiner|meine)\s+{re.escape(d.text)}\b", question, re.I
        )
        is not None
    )
    # 'die Klickrate der Newsletter': after a figure, 'der' before a noun that does not end in -e (a
    # feminine singular: 'der Kampagne') is the genitive plural
    plural = plural or (
        reads_german(question)
        and not word.endswith("e")
        and re.search(rf"\w\s+der\s+{re.escape(d.text)}\b", question, re.I) is not None
        and any(m.end <= d.start and m.entry.kind == "metric" for m in spans)
    )
    # 'open rates of the campaigns' (a rate in the plural: one per item), 'show the campaigns with
    # their open rate' (the items listed): one row each
    rates = [m for m in spans if (i := catalog.metric(m.entry.target)) is not None and i.format == "percent"]
    if any(m.text.lower().endswith(("s", "en")) for m in rates) or _LISTED.search(question):
        return False
    if (
        not plural
        or sig.ranking
        or sig.order
        or sig.share
        or _names_groups(question, d)
        or says_by(question, d)
    ):
        return False
    return not _COMPARE_WORDS.search(_EACH_PERIOD.sub(" ", question))


# 'each month', 'jeden Monat': a grain, not a word asking for one row per item
_EACH_PERIOD = re.compile(
    r"\b(?:each|every|jede[nrsm]?)\s+(?:day|week|month|quarter|year|tag|woche|monat|quartal|jahr)\b", re.I
)


def _reaching_reading(
    catalog: Catalog,
    info: MetricInfo,
    spans: Sequence[Mention],
    needed: set[str],
    said_values: dict[str, set[str]],
) -> tuple[MetricInfo, set[str]] | None:
    """A figure named by a general word ('revenue') that cannot be broken down or filtered as asked
    (by e-mail campaign): the one other figure whose own name holds that word and that can ('E-mail
    revenue', synonym 'campaign revenue') — with the filters whose value words its name holds
    ('email' of 'E-mail revenue': no filter then). None when it can, or when no single one fits."""
    if all(d in info.dimensions for d in needed) or not needed:
        return None
    # every word of the mention, the one-letter ones too: 'F&B revenue' is no 'revenue' of the rooms
    said = [_words(m.text) for m in spans if m.entry.target == info.name]
    if not said or not all(said):
        return None
    fits: list[tuple[MetricInfo, set[str]]] = []
    for m in (info, *(m for m in catalog.metrics if m.name != info.name)):
        names = [_words(n) for n in (m.label, m.name.replace("_", " "), *m.synonyms)]
        if m is not info and not all(any(words <= n for n in names) for words in said):
            continue
        own = set().union(*names)
        named = {d for d, words in said_values.items() if words and all(_stem_in(w, own) for w in words)}
        if needed - named <= set(m.dimensions):
            fits.append((m, named & needed - set(m.dimensions)))
            if m is info:
                return fits[0]  # the figure itself, once the filters its own name holds are dropped
    return fits[0] if len(fits) == 1 else None


def _words(text: str) -> set[str]:
    """The lemmas of a name and its one-letter words ('F&B'), which lemmas leave out."""
    return lemmas(text) | {w for w in phrase_key(text) if len(w) == 1}


def _stem_in(word: str, words: set[str]) -> bool:
    return word in words or any(
        same_stem(word, w) or word.replace("-", "") == w.replace("-", "") for w in words
    )


def _value_qualified(catalog: Catalog, dim: Mention, values: list[Mention]) -> bool:
    """A value right before a dimension word of the same entity ('Portuguese hotels')."""
    target = catalog.dimension(dim.entry.target)
    for v in values:
        other = catalog.dimension(v.entry.target)
        if other is not None and target is not None and v.end == dim.start and other.entity == target.entity:
            return True
    return False


def _names_groups(question: str, mention: Mention) -> bool:
    """'by store', 'per depot', 'which hotel', 'each carrier', 'stores': groups asked for."""
    before = r"(?:by|per|each|every|which|what|welche[rsm]?|nach|pro|je|across|all)\s+(?:the\s+|our\s+)?"
    return bool(re.search(before + re.escape(mention.text), question, re.I))


def _read_as_value(value: Mention, dims: list[Mention]) -> bool:
    """A value that is also an everyday word ('new', 'us') counts only next to its dimension's name,
    or written exactly as the stored code in capitals ('guests from the US', 'DE vs AT')."""
    if not value.entry.weak or _dimension_named(value, dims):
        return True
    text = value.text.strip()
    return len(text) >= 2 and text.isupper() and text == (value.entry.value or "").strip()


def _without_dropped_values(linked: Linked, kept: list[Mention]) -> Linked:
    """Value readings not taken (an everyday word that is also a value) leave their words to be
    read like any other: a word no one reads is asked about, never silently dropped."""
    kept_spans = {(m.start, m.end) for m in kept}
    mentions = [
        m
        for m in linked.mentions
        if m.entry.kind != "value"
        or (m.start, m.end) in kept_spans
        or any(o.entry.kind != "value" and o.start <= m.start and m.end <= o.end for o in linked.mentions)
    ]
    if len(mentions) == len(linked.mentions):
        return linked
    return dataclasses.replace(linked, mentions=mentions)


def _dimension_named(value: Mention, dims: list[Mention]) -> bool:
    return any(d.entry.target == value.entry.target for d in dims)


def _filters(values: list[Mention], lexicon: Lexicon) -> list[Filter]:
    """One filter per dimension: several values → IN; negated → != / NOT IN. Ambiguous values go
    to the dimension with the fewest distinct values (a city is a store city before a customer's)."""
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for v in values:
        by_span.setdefault((v.start, v.end), []).append(v)
    chosen: list[Mention] = []
    for readings in by_span.values():
        readings.sort(key=lambda m: (lexicon.value_counts.get(m.entry.target, 10**6), m.entry.target))
        chosen.append(readings[0])
    grouped: dict[tuple[str, bool], list[str]] = {}
    for m in chosen:
        grouped.setdefault((m.entry.target, m.negated), []).append(m.entry.value or "")
    filters = []
    for (dim, negated), vals in grouped.items():
        vals = _unique(vals)
        if len(vals) == 1:
            filters.append(Filter(dimension=dim, operator="!=" if negated else "=", values=(vals[0],)))
        else:
            filters.append(Filter(dimension=dim, operator="not in" if negated else "in", values=tuple(vals)))
    return filters


_BETWEEN = r"(?:\s+[\w-]+){0,2}?"  # 'Polish shippers vs Dutch shippers': the noun may repeat
_CONTRAST = (
    r",?\s+(?:vs\.?|versus|or|oder|against|gegen(?:über)?|compared\s+(?:to|with|mit)|verglichen\s+mit)\s+"
)


_AGAINST = _BETWEEN + _CONTRAST + _BETWEEN
# 'guests from the US pay compared with guests from the UK': the values' own nouns may repeat around
_AROUND = r"(?:\s+[\w'-]+){0,3}?"
_AFTER = r"(?:[\w'-]+\s+){0,3}?"
# 'in Berlin and in Munich', 'aus Wien und aus Graz': the place word said again, each on its own
_EACH_OWN = r"\b(in|at|from|for|im|in der|bei|aus)\s+{a}\s*(?:,|and|und|&)\s+\1\s+{b}\b"
# 'Le Creuset and Zwilling: pieces sold', 'Hamburg und Berlin: Umsatz': the values listed as the
# heading of what follows, one answer each
_HEADING = r"(?:^|[.?!:;]\s*){a}\s*(?:,|and|und|&)\s*{b}\s*:"
# 'split by desktop / mobile / tablet', 'aufgeteilt nach Damen und Herren': the values listed after a
# word that splits, one row each
_SPLIT_INTO = (
    r"\b(?:split|broken\s+down|break\s*down|separated|by|per|aufgeteilt|aufgeschl(?:ü|ue)sselt|getrennt|nach|je)"
    r"\s+(?:by\s+|into\s+|nach\s+|in\s+)?{a}\s*(?:,|/|and|und|&|or|oder|vs\.?)\s*{b}\b"
)


def _other_sides(question: str, mentions: Sequence[Mention], catalog: Catalog) -> set[str]:
    """The words set against each yes/no among `mentions` (`_other_side`) that name its other side
    (`flag_sides.names_other_side`: 'weekday', 'Vorkasse', 'own fleet'): words read, not asked. Any
    other word there is left to be asked about ('weekend vs Christmas nights')."""
    return {
        w
        for m in mentions
        if m.entry.is_flag
        for w in _other_side(question, m)
        if names_other_side(w, m.entry.target, catalog)
    }


def _other_side(question: str, flag: Mention) -> set[str]:
    """The words of what a yes/no is set against ('… vs our own fleet' → our, own, fleet)."""
    found = re.search(re.escape(flag.text) + _BETWEEN + _CONTRAST + r"((?:[\w-]+\s*){1,4})", question, re.I)
    return {fold(w) for w in found.group(1).split()} if found else set()


def _set_against(question: str, flag: Mention) -> bool:
    return bool(re.search(re.escape(flag.text) + _BETWEEN + _CONTRAST, question, re.I))


def _as_written(value: Mention) -> str:
    """A pattern of the value's words as the question may write them: the words read ('cross
    border') are 'cross-border' or 'cross_border' there too."""
    return r"[\s_-]+".join(re.escape(w) for w in value.text.split())


def _contrasted_dimensions(question: str, values: list[Mention]) -> list[str]:
    """'margin Salzburg vs Innsbruck': two values of one dimension set against each other are to be
    shown side by side — grouped by that dimension (and filtered to them), not added up; so are
    values listed as a heading ('Hamburg and Berlin: net sales'). A plain 'and' ('Hamburg and
    Berlin') stays one combined figure."""
    found: list[str] = []
    for a in values:
        for b in values:
            if (
                a is not b
                and a.entry.target == b.entry.target
                and not (a.negated or b.negated)
                and a.entry.target not in found
                and (
                    re.search(_as_written(a) + _AROUND + _CONTRAST + _AFTER + _as_written(b), question, re.I)
                    or re.search(_EACH_OWN.format(a=_as_written(a), b=_as_written(b)), question, re.I)
                    or re.search(_HEADING.format(a=_as_written(a), b=_as_written(b)), question, re.I)
                    or re.search(_SPLIT_INTO.format(a=_as_written(a), b=_as_written(b)), question, re.I)
                )
            ):
                found.append(a.entry.target)
    return found


def _singular_subject(question: str, dims: list[Mention]) -> bool:
    """'which store had the highest sales' → 1; 'which stores …' → a top list."""
    for d in dims:
        word = d.text.split()[-1].lower()
        if word.endswith("s") and not word.endswith("ss"):
            return False
    return bool(dims) and not re.search(r"\b(?:top|bottom)\b", question, re.I)
