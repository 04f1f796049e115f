"""Choosing the figure a question means: the metric its words describe (`_described_metric`),
a count among counts, the figure for the values named, a count with a filter, a figure contrasted
with another, words said of another figure (phrasal verbs, 'again'), stock figures and units.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.planning.offline import intents
from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.clarifications import _unplaced_words
from assistant.core.planning.offline.describe import (
    Guess,
    asks_how_many,
    count_by_other_words,
    count_named,
    count_of_entity,
    distinct_count_of,
    entity_words,
    explains_most,
    is_distinct_count,
    kind_word_only,
    metric_from_description,
    named_by_all,
    named_entities,
    names_metric,
    ranked_by_description,
    shared_name,
)
from assistant.core.planning.offline.entity_counts import counts_of, names_entity
from assistant.core.planning.offline.inputs import PlannerInput
from assistant.core.planning.offline.lexicon import MONEY_HEADS, Lexicon, key_of
from assistant.core.planning.offline.linking import STOPWORDS, Linked, Mention
from assistant.core.planning.offline.paths import lemmas
from assistant.core.planning.offline.ratios import _RATE_WORDS
from assistant.core.planning.offline.roles import _unique
from assistant.core.planning.offline.text import english_lemma, fold, lemma, phrase_key, tokenize
from assistant.core.planning.offline.text import singular as singular_of
from assistant.core.planning.offline.whole_question import NEGATIONS
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog, MetricInfo

_STOCK_RISK_KPIS = ("stock_cover", "stock_on_hand")  # meta.mercurios.kpi (insights/roles.py)


def _only_rate_words(linked: Linked, words: list[str]) -> bool:
    """The words left name only 'a rate' ('Quote', 'rate', 'share'), whichever language read them."""
    said = [t.text for t in linked.tokens if lemma(t.text) in words or english_lemma(t.text) in words]
    return bool(said) and all(
        w in _RATE_WORDS or lemma(w) in _RATE_WORDS or english_lemma(w) in _RATE_WORDS for w in said
    )


def _described_metric(inp: PlannerInput, linked: Linked) -> list[str] | ClarificationPlan:
    """No metric named: the count of an entity named after 'how many', else the metric whose
    description holds the question's words (see `describe`); close readings are asked."""
    words = _unplaced_words(linked, catalog=inp.catalog)
    named = {w for e in inp.catalog.entities for w in entity_words(e, described=False)}
    if words and set(words) <= named and not asks_how_many(inp.question):
        # 'which was our best store': an entity says who, not which figure ('Rejected claims': how many)
        entity_count = _counted_with_a_filter(inp, linked)
        if entity_count is None and _MOST_OF.search(inp.question):
            # 'which hotel had the most guests': the one distinct count named like them
            distinct = distinct_count_of(inp.catalog, named_entities(inp.catalog, words))
            entity_count = distinct[0] if len(distinct) == 1 else None
        return [entity_count] if entity_count else []
    if not words:
        return []
    if _only_rate_words(linked, words):
        # 'Wie war die Quote letzten Monat?', 'what was the rate': which rate is not said — asked
        rates = [m.label for m in inp.catalog.metrics if m.type == "ratio" or _RATE_LABEL.search(m.label)]
        if len(rates) > 1:
            return ClarificationPlan(
                question=f"Which rate do you mean: {' or '.join(rates[:5])}?", options=tuple(rates[:5])
            )
    guess = metric_from_description(inp.catalog, words)
    if guess.metric is not None and not explains_most(inp.catalog, guess.metric, words):
        guess = Guess(None, (guess.metric,))
    if (
        guess.metric is not None
        and asks_how_many(inp.question)
        and not _MONEY_UNIT.search(inp.question)  # 'how many euros of discount': money asked
        and _money(inp.catalog, guess.metric)
    ):
        # 'Wie viele Zimmernächte hat die Firma bei uns gebucht?': 'booked' is in room revenue's description
        # ('… is booked to F&B'), but 'how many' counts — never an amount of money (was room revenue)
        guess = Guess(None, (guess.metric,))
    if guess.metric is not None and _contrasted_words(linked):
        # 'claimed vs paid amounts': two figures set against each other, read as one — asked
        ranked = [name for name, _ in ranked_by_description(inp.catalog, words)[:4]]
        guess = Guess(None, tuple(_unique([guess.metric, *ranked])))
    if guess.metric is None and (asks_how_many(inp.question) or _MOST_OF.search(inp.question)):
        counted = count_of_entity(inp.catalog, words)
        after_most: set[str] = set()
        if counted.metric is None and not counted.options and _doing_the_most(inp.catalog, inp.question):
            # (a verb naming a figure, 'returned the most', leaves that figure to its words)
            # 'which carrier carried the most consignments': the carrier ranked, the consignments counted
            counted, after_most = _counted_after_most(inp.catalog, inp.question)
        # the count of the entity named, unless the other words read as another figure
        names = {x for e in named_entities(inp.catalog, words) for x in entity_words(e)}
        rest = [
            w
            for w in words
            if w not in names | after_most and w not in _doing_the_most(inp.catalog, inp.question)
        ]
        other = metric_from_description(inp.catalog, rest) if rest else Guess(None)
        only_distinct = counted.metric is not None and is_distinct_count(inp.catalog, counted.metric)
        # 'how many guests arrived': the count the verb names, before the distinct count of guests
        by_verb = count_named(inp.catalog, words) if counted.metric is None or only_distinct else None
        if by_verb is not None:
            guess = Guess(by_verb)  # 'how many guests arrived': the count the verb names
        elif counted.metric is not None and (other.metric is None and not other.options):
            guess = counted  # nothing else in the question reads as a figure
        elif (
            counted.metric is not None
            and HOW_MANY_AND.search(inp.question)
            and (
                alone := other.metric
                or _sum_over_its_ratios(inp.catalog, other.options, inp.question, linked)
            )
        ):
            # '<consignments …> - how many and what revenue?': the count beside the other figure, both
            # asked ('how many' joined to the next ask); the count is added beside it (`entity_counts`)
            guess = Guess(alone)
        elif counted.metric is not None:
            # 'how many guests … arrived': the guests counted, or the arrivals? asked
            guess = Guess(
                None,
                tuple(_unique([counted.metric, *([other.metric] if other.metric else []), *other.options])),
            )
        elif counted.options and not guess.options:
            guess = counted
        if guess.metric is None:
            guess = _count_among_counts(inp.catalog, counted, guess, words, linked)
    if guess.metric is not None:
        return [guess.metric]
    said = [m for m in linked.mentions if m.entry.is_flag or m.entry.kind == "value"]
    flags = [
        w
        for d in said
        for w in sorted(lemmas(d.text))
        if any(names_metric(inp.catalog, o, w) for o in guess.options)
    ]
    summed = _sum_over_its_ratios(inp.catalog, guess.options, inp.question, linked)
    if summed is not None:  # 'revenue from pharma shippers': the sum, not the ratios built on it
        return [summed]
    contrasted = _contrasted_words(linked)  # 'claimed vs paid': two figures, never one named by both
    whole = (
        named_by_all(inp.catalog, guess.options, [*words, *flags])
        if guess.options and not contrasted and not kind_word_only(words)  # 'the rate': which one?
        else None
    )
    if whole is not None:  # 'how many room nights were occupied': the one named by every word
        return [whole]
    # 'Parking revenue' (not 'claimed vs paid amounts': two figures, or a value naming a figure)
    for_values = None if contrasted or flags else _figure_for_values(inp, linked, guess.options)
    if for_values is not None:
        return for_values
    if guess.options and inp.default_metric in guess.options:
        return [inp.default_metric]  # the declared headline figure is among the readings: as before
    if guess.options:
        labels = [m.label for name in guess.options if (m := inp.catalog.metric(name)) is not None]
        return ClarificationPlan(
            question=f"Which figure do you mean: {' or '.join(labels)}?", options=tuple(labels)
        )
    return []


# 'how many and what revenue', 'how many, and how much revenue', 'wie viele und welcher Umsatz'
HOW_MANY_AND = re.compile(r"\b(?:how\s+many|wie\s*viele)\s*,?\s*(?:and|und|&|plus|sowie)\b", re.IGNORECASE)


_MONEY_UNIT = re.compile(
    r"\b(?:how\s+many|wie\s*viele?)\s+(?:\w+\s+)?(?:euros?|eur|dollars?|usd|pounds?|francs?|kronen|kroner)\b|€|\$",
    re.IGNORECASE,
)


def _money(catalog: Catalog, name: str) -> bool:
    """A figure of money: so declared, or labelled with a money word ('Room revenue', 'Net sales')."""
    info = catalog.metric(name)
    if info is None:
        return False
    if info.role == "money" or info.format == "currency" or (info.unit or "").endswith("currency"):
        return True
    words = phrase_key(info.label)
    return info.type == "simple" and bool(words) and words[-1] in MONEY_HEADS


def _count_among_counts(
    catalog: Catalog, counted: Guess, guess: Guess, words: Sequence[str], linked: Linked
) -> Guess:
    """'How many room nights …': the counts the question's noun names (RevPAR and room revenue are
    no counts); of several, the one its other words are said of ('stayed': the occupied ones, not the
    paid ones whose description leaves the stays out), else those counts asked about."""
    options = counted.options or guess.options
    counts = [o for o in options if (i := catalog.metric(o)) is not None and i.counts is not None]
    if len(counts) < 2 or not shared_name(catalog, counts):
        return guess  # no counts the one noun names alike
    chosen = count_by_other_words(catalog, counts, words)
    # 'room nights' said plainly is not read as the whole the others are parts of (occupied): that
    # reading turned a question back into a wrong number on a frozen held-out half (session 32), and
    # 'room nights sold' is the paid ones to some hoteliers — asked among the counts
    if chosen is not None:
        return Guess(chosen)
    return Guess(None, tuple(counts))


def _figure_for_values(
    inp: PlannerInput, linked: Linked, options: Sequence[str]
) -> list[str] | ClarificationPlan | None:
    """'Parking revenue', 'restaurant revenue Innsbruck': of the figures the words may mean, those
    that can be filtered to every value named; of several, the one whose description names the
    value and covers most of its dimension's values ('all non-room revenue - F&B, spa, parking…').
    Two as close are asked, naming both; None when the values choose nothing."""
    spans: dict[tuple[int, int], set[str]] = {}
    for m in linked.of_kind("value"):
        spans.setdefault((m.start, m.end), set()).add(m.entry.target)
    if len(options) < 2 or not spans:
        return None
    infos = [i for i in (inp.catalog.metric(o) for o in options) if i is not None]
    # 'online vs in store: revenue': a figure whose description leaves a value named out ('the
    # online shop excluded') answers for none of the values set beside it
    named = [w for m in linked.of_kind("value") if (w := lemmas(m.text))]
    infos = [i for i in infos if not any(w <= _excluded_words(inp.catalog, i) for w in named)] or infos
    kept = [i for i in infos if all(targets & set(i.dimensions) for targets in spans.values())]
    if not kept or len(kept) == len(infos):
        return None
    if len(kept) == 1:
        return [kept[0].name]
    # the values that set the figures apart (a hotel every figure reaches says nothing)
    apart = {span for span, targets in spans.items() if not all(targets & set(i.dimensions) for i in infos)}
    said = [lemmas(m.text) for m in linked.of_kind("value") if (m.start, m.end) in apart]
    held = _values_of(inp.lexicon, {t for span in apart for t in spans[span]})

    def score(info: MetricInfo) -> tuple[int, int]:
        described = lemmas(f"{info.label} {info.description}")
        names = sum(1 for words in said if words and words <= described)
        covers = sum(1 for value in held if lemmas(value) and lemmas(value) <= described)
        return names, covers

    ranked = sorted(kept, key=score, reverse=True)
    if score(ranked[0]) > score(ranked[1]):
        return [ranked[0].name]
    labels = [i.label for i in ranked if score(i) == score(ranked[0])]
    return ClarificationPlan(
        question=f"Which figure do you mean: {' or '.join(labels)}?", options=tuple(labels)
    )


_EXCLUDING = frozenset(("excluded", "ausgeschlossen", "exkl", "excl", "exklusive"))


@per_catalog
def _excluded_by_metric(catalog: Catalog) -> dict[str, frozenset[str]]:
    """The words each figure's description says it leaves out: those of a clause that negates ('the
    online shop excluded', 'ohne Onlineshop', 'not counting B2B')."""
    out: dict[str, frozenset[str]] = {}
    for info in catalog.metrics:
        left_out: set[str] = set()
        for clause in re.split(r"[,;:()\[\].]|\s-\s", info.description or ""):
            words = [t.text for t in tokenize(clause)]
            for k, w in enumerate(words):
                if w == "non":  # 'non-resident guests': only the word it is joined to
                    left_out |= lemmas(" ".join(words[k + 1 : k + 2]))
                elif w in NEGATIONS:  # 'without the online shop', 'not counting B2B'
                    left_out |= lemmas(" ".join(words[k + 1 :]))
                elif w in _EXCLUDING:  # 'the online shop excluded'
                    left_out |= lemmas(" ".join(words[:k]))
        out[info.name] = frozenset(left_out)
    return out


def _excluded_words(catalog: Catalog, info: MetricInfo) -> frozenset[str]:
    return _excluded_by_metric(catalog).get(info.name, frozenset())


def _values_of(lexicon: Lexicon, dimensions: set[str]) -> set[str]:
    """The stored values of these dimensions the lexicon holds."""
    return {
        e.value
        for entries in lexicon.entries.values()
        for e in entries
        if e.kind == "value" and e.source == "value" and e.target in dimensions and e.value
    }


_PARTICLES = frozenset(("back", "out", "down", "up", "off", "away", "over", "zurueck", "zuruck"))


_MOTION_VERBS = frozenset(
    "come came comes coming go goes went gone going send sends sent sending get gets got".split()  # noqa: SIM905
) | frozenset("bring brings brought bringing take takes took taken".split())  # noqa: SIM905


def _phrasal_of_another(catalog: Catalog, linked: Linked, metrics: list[str]) -> tuple[str, list[str]] | None:
    """'went back', 'sold out', 'turned down': a verb and its particle (a function word, read by
    nothing) that another figure's description says in so many words ('Consignments that went back
    to the shipper') and the chosen figures' do not — the question's own words for that figure."""
    tokens = linked.tokens
    used = {k for m in linked.mentions for k in range(max(m.start, 0), m.end)}
    chosen = " ".join(_said_about(catalog, n) for n in metrics)
    for k in range(1, len(tokens)):
        if tokens[k].text not in _PARTICLES or k in used or (k - 1) in used:
            continue
        phrase = rf"\b{re.escape(tokens[k - 1].text)}\s+{re.escape(tokens[k].text)}\b"
        if tokens[k - 1].text in _MOTION_VERBS:  # 'came back' says what 'went back', 'sent back' say
            phrase = rf"\b(?:{'|'.join(sorted(_MOTION_VERBS))})\s+{re.escape(tokens[k].text)}\b"
        if re.search(phrase, chosen):
            continue
        others = [m.name for m in catalog.metrics if m.name not in metrics
                  and re.search(phrase, _said_about(catalog, m.name))]  # fmt: skip
        if others:
            return f"{tokens[k - 1].original} {tokens[k].original}", others
    return None


_ASKED_AGAIN = r"\b(?:and|und)\s+(?:how\s+many|how\s+much|wie\s*viele?)\b"


def _asked_again(question: str, phrase: str) -> bool:
    """'… and how many came back': the phrasal verb asks a second figure, in a clause of its own."""
    return re.search(_ASKED_AGAIN + r"[^?.;]*?" + re.escape(phrase), question, re.IGNORECASE) is not None


def _said_about(catalog: Catalog, metric: str) -> str:
    info = catalog.metric(metric)
    if info is None:
        return ""
    return fold(" ".join((info.label, info.description, *info.synonyms)))


_RATIO_ASKED = re.compile(
    r"\b(?:per|pro|je|rate|ratio|average|avg|mean|durchschnitt\w*|quote|%)", re.IGNORECASE
)
# 'the most guests', 'die meisten Gäste': a count ranked, said without 'how many'
_MOST_OF = re.compile(
    r"\b(?:the\s+)?(?:most|fewest)\s+(?!(?:per|pro|je|of|in|for|by)\b)\w+|\b(?:die|am)\s+(?:meisten|wenigsten)\b",
    re.IGNORECASE,
)
_VERB_BEFORE_MOST = re.compile(r"\b([^\W\d_]+)\s+(?:the\s+)?(?:most|fewest)\s+[^\W\d_]", re.IGNORECASE)


_AFTER_MOST = re.compile(
    r"\b(?:the\s+)?(?:most|fewest)\s+([^\W\d_]+)|\b(?:die|am)\s+(?:meisten|wenigsten)\s+([^\W\d_]+)",
    re.IGNORECASE,
)


def _counted_after_most(catalog: Catalog, question: str) -> tuple[Guess, set[str]]:
    """The one count of the entity the word right after 'the most' / 'die meisten' names ('the
    most consignments' → Shipments, a consignment being how the shipment's description defines it),
    where the entity named before it is the one ranked and counts nothing ('which carrier'); with
    the word's forms, read by it."""
    found: dict[str, str] = {}
    for m in _AFTER_MOST.finditer(question):
        word = m.group(1) or m.group(2)
        entity = names_entity(catalog, word)
        counts = counts_of(catalog, entity, [word]) if entity is not None else ()
        if len(counts) == 1:
            found[counts[0]] = word
    if len(found) != 1:
        return Guess(None), set()
    ((metric, word),) = found.items()
    return Guess(metric), {fold(word), lemma(fold(word)), english_lemma(word), singular_of(fold(word))}


def _doing_the_most(catalog: Catalog, question: str) -> set[str]:
    """'which subcontractor carried the most consignments', 'which carrier ran the most shipments':
    the verb right before 'the most' says what the ranked members did with the things counted, not
    another figure ('carry' of a description's 'cancelled bookings carry no revenue' was asked). A
    verb that is a word of a figure's name ('returned', 'delivered') names that figure: kept."""
    said = {m.group(1) for m in _VERB_BEFORE_MOST.finditer(question)}
    forms = {form for w in said for form in (fold(w), lemma(fold(w)), english_lemma(w))}
    return set() if forms & _figure_name_words(catalog) else forms


@per_catalog
def _figure_name_words(catalog: Catalog) -> frozenset[str]:
    """The words of the figures' names and labels, with their lemmas ('returned' of 'Returns to
    sender', 'delivered' of 'Delivered shipments'): a verb saying one names that figure."""
    words = {w for m in catalog.metrics for w in key_of(f"{m.label} {m.name.replace('_', ' ')}")}
    return frozenset(words | {lemma(w) for w in words} | {singular_of(w) for w in words})


_RATE_LABEL = re.compile(r"\b(?:per|rate|ratio|share)\b|%", re.IGNORECASE)
_RATIO_LABEL = re.compile(r"\b(?:per|rate|ratio|average|avg|share)\b|%", re.IGNORECASE)


def _sum_over_its_ratios(
    catalog: Catalog, options: Sequence[str], question: str, linked: Linked
) -> str | None:
    """Of the figures a general word may mean ('revenue'), the one sum when every other is a ratio
    built on it ('revenue per kg') and no ratio is asked: no 'per', 'rate', 'average' or '%' outside
    the words read already ('revenue per month' is a grain, blanked before linking)."""
    said = " ".join(t.text for t in linked.tokens)
    if not options or _RATIO_ASKED.search(said) or "%" in question:
        return None
    sums = [o for o in options if (i := catalog.metric(o)) is not None and i.additive]
    ratios = [o for o in options if o not in sums and _RATIO_LABEL.search(_metric_label(catalog, o))]
    return sums[0] if len(sums) == 1 and ratios and len(sums) + len(ratios) == len(options) else None


def _metric_label(catalog: Catalog, name: str) -> str:
    info = catalog.metric(name)
    return f"{info.label} {name.replace('_', ' ')}" if info is not None else name


def _counted_with_a_filter(inp: PlannerInput, linked: Linked) -> str | None:
    """'Rejected claims by claim type': an entity's plural right after one of its values, no figure
    named, nothing ranked — the count of that entity (its one count metric), filtered."""
    values = linked.of_kind("value")
    for t_index, token in enumerate(linked.tokens):
        if not any(v.end == t_index for v in values) or token.text == singular_of(token.text):
            continue
        entities = named_entities(inp.catalog, [lemma(token.text)])
        counted = count_of_entity(inp.catalog, [lemma(token.text)]) if len(entities) == 1 else Guess(None)
        if counted.metric is not None and not _RANKED.search(inp.question):
            value = next(v for v in values if v.end == t_index)
            info = inp.catalog.metric(counted.metric)
            if info is not None and value.entry.target in info.dimensions:
                return counted.metric
    return None


_RANKED = re.compile(r"\b(?:top|best|worst|most|least|highest|lowest|which|welche\w*)\b", re.IGNORECASE)


def _names_a_metric(catalog: Catalog, metrics: Sequence[str], mention: Mention) -> bool:
    return any(names_metric(catalog, name, mention.text) for name in metrics)


def _contrasted_with_a_figure(linked: Linked, word: str) -> bool:
    """The word (a lemma) stands across 'vs', 'and', 'or' from a figure's name ('paid versus
    claimed amounts')."""
    tokens = linked.tokens
    spans = [(m.start, m.end) for m in linked.of_kind("metric")]
    for k, t in enumerate(tokens):
        if word not in (lemma(t.text), english_lemma(t.text), t.text):
            continue
        for step in (1, -1):
            j = k + step
            contrast = 0 <= j < len(tokens) and tokens[j].text in _CONTRAST_WORDS
            if contrast and any(a <= j + step < b for a, b in spans):
                return True
    return False


_CONTRAST_WORDS = frozenset(("vs", "versus", "and", "or", "und", "oder", "against", "gegen", "compared"))


def _contrasted_words(linked: Linked) -> bool:
    """Two words no phrase read, on either side of 'vs', 'and', 'or' ('claimed vs paid')."""
    used = {k for m in linked.mentions for k in range(max(m.start, 0), m.end)}
    tokens = linked.tokens

    def free(k: int) -> bool:
        return (
            0 <= k < len(tokens)
            and k not in used
            and tokens[k].text not in STOPWORDS
            and len(tokens[k].text) > 2
        )

    return any(t.text in _CONTRAST_WORDS and free(k - 1) and free(k + 1) for k, t in enumerate(tokens))


def _is_stock(catalog: Catalog, metric: str) -> bool:
    """A figure counted at a point in time (stock on hand, its value, its cover): its answer for a
    period is the last count in it."""
    info = catalog.metric(metric)
    return info is not None and (info.role in ("stock", "stock_cover") or info.kpi in _STOCK_RISK_KPIS)


def _unit(catalog: Catalog, metric: str) -> str | None:
    info = catalog.metric(metric)
    return info.unit if info is not None else None


def _unit_word_of_another(catalog: Catalog, linked: Linked, metrics: list[str]) -> list[str]:
    """'wie viel Stück … an Lager', 'units in stock': a unit word ('Stück', 'pieces') that is a
    synonym of one figure names the unit of another figure asked for in the same unit (units on
    hand), not a second figure."""
    if len(metrics) < 2:
        return metrics
    unit_only = {
        name
        for name in metrics
        if (said := [m for m in linked.of_kind("metric") if m.entry.target == name])
        and all(intents.UNIT_WORDS.fullmatch(m.text.strip()) for m in said)
    }
    units = {name: info.unit for name in metrics if (info := catalog.metric(name)) is not None}
    drop = {
        name
        for name in unit_only
        if units.get(name) and any(units.get(o) == units[name] for o in metrics if o not in unit_only)
    }
    return [m for m in metrics if m not in drop] if drop else metrics
