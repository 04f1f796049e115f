"""Reading a fresh question: the steps of `OfflinePlanner._fresh`, in the order they run
(`_READING`), and the state they share (`_Reading`). Each step either narrows the reading (the
figures named, the words left over, a ratio or a share asked for, a source named) or ends it with
a question back or a refusal: off-topic and vague questions, stock-risk questions, words no
figure, dimension or value explains.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.core.answering.examples import example_question
from assistant.core.planning.offline import intents
from assistant.core.planning.offline.clarifications import (
    _off_topic,
    _season_clarification,
    _unknown,
    _unknown_name_clarification,
    _unplaced_clarification,
    _unplaced_words,
    _which_metric,
)
from assistant.core.planning.offline.context_words import (
    _described_words,
    _negated_metrics_as_flags,
    _product_words,
    _product_words_over_partials,
    _source_phrases,
    _unexplained_described,
    _without_bracketed_parts,
    catalog_context_words,
)
from assistant.core.planning.offline.describe import (
    DISTINCT_WORDS,
    explains_most,
    in_description,
    is_distinct_count,
    metric_from_description,
    names_metric,
    narrowed,
    said_of,
    unexplained,
)
from assistant.core.planning.offline.entity_counts import share_of_entity, with_count_beside
from assistant.core.planning.offline.figure_names import names_the_figures
from assistant.core.planning.offline.figures import (
    _STOCK_RISK_KPIS,
    HOW_MANY_AND,
    _asked_again,
    _contrasted_with_a_figure,
    _described_metric,
    _is_stock,
    _names_a_metric,
    _phrasal_of_another,
    _sum_over_its_ratios,
    _unit,
    _unit_word_of_another,
)
from assistant.core.planning.offline.follow_up_words import ANAPHOR, FOLLOW_UP_START
from assistant.core.planning.offline.german import reads_german
from assistant.core.planning.offline.groups import _other_sides, _read_as_value, _without_dropped_values
from assistant.core.planning.offline.inputs import PlannerInput
from assistant.core.planning.offline.lexicon import Entry, entity_name_dimension, key_of
from assistant.core.planning.offline.linking import (
    STOPWORDS,
    Linked,
    Mention,
    is_harmless,
    suggest_values,
    unplaced_words,
)
from assistant.core.planning.offline.paths import lemmas, role_before
from assistant.core.planning.offline.product_words import read_product_words
from assistant.core.planning.offline.question_kinds import OFF_TOPIC, VAGUE
from assistant.core.planning.offline.ratios import (
    _AVERAGE_WORDS,
    _PRICE,
    _RATE_ASKED,
    _RATE_WORDS,
    _average_of_a_total,
    _described_whole,
    _explicit_ratio,
    _how_many_unanswered,
    _is_part_of,
    _percentage_of,
    _price_per_unit,
    _rate_of_a_part,
    _sharper_reading,
    _with_percent_sibling,
    part_before_a_rate_word,
    rate_of_a_named_part,
)
from assistant.core.planning.offline.roles import _role, _unique
from assistant.core.planning.offline.signals import SHARE_WORDS, Ranking, Signals
from assistant.core.planning.offline.spend_per_member import spend_per_member
from assistant.core.planning.offline.text import Token, english_lemma, fold, lemma, tokenize
from assistant.core.planning.offline.which_one import one_unnamed
from assistant.core.planning.offline.whole_question import (
    HOLDER_WORDS,
    REST_WORDS,
    SEPARATELY_WORDS,
    TOGETHER_WORDS,
    parts_said,
)
from assistant.core.planning.plans import ClarificationPlan, Plan
from guardrails.text import off_topic_finding
from semantic_layer.catalog import Catalog, MetricInfo

# "this season" with no dates: a period or a collection? (with dates in brackets it is the period)
_VAGUE_SEASON = re.compile(
    r"\b(?:this|last|current|next|previous|diese[rn]?|letzte[rn]?|vergangene[rn]?|aktuelle[rn]?|n(?:ä|ae)chste[rn]?)"
    r"\s+(?:season|saison)\b",
    re.IGNORECASE,
)
_NEAR_MISS = 0.75  # similarity at which an unknown name reads as a misspelt value of ours
# "What is running out of stock?" names no metric; retailers mean: lowest weeks of supply first.
_STOCK_RISK = re.compile(
    r"\b(?:run(?:ning)?\s+out(?:\s+of\s+stock)?|out\s+of\s+stock|low\s+(?:on\s+)?stock|stock[\s-]?outs?|"
    r"sold\s+out|ausverkauft|knapp|nachbestellen|reorder)\b",
    re.IGNORECASE,
)
_SOON = frozenset(("soon", "bald", "demnaechst", "demnächst", "likely", "about"))
# 'out of stock', 'sold out', 'ausverkauft' said of now: the items with no stock left (a condition on
# the stock figure no plan holds), not the items about to run out; those say it ahead ('soon',
# 'running out', 'will be', 'bald', 'droht', 'low on stock', 'nachbestellen')
_OUT_NOW = re.compile(
    r"\b(?:out\s+of\s+stock|sold\s+out|ausverkauft|stock[\s-]?outs?|vergriffen)\b", re.IGNORECASE
)
_AHEAD = re.compile(
    r"\b(?:run(?:s|ning)?\s+out|soon|bald|demn(?:ä|ae)chst|will|going\s+to|about\s+to|likely|next|risk|"
    r"werden|wird|droh\w*|gefahr|low|knapp|nachbestellen|reorder)\b",
    re.IGNORECASE,
)


def _continues_nothing(r: _Reading) -> Plan | None:
    """'ok and how much revenue did that bring in?' with no answer before (the first turn was asked
    back, or there was none): a continuation that names a figure and points back at what it was
    about ('that', 'davon'); answered alone it is that figure without the filters and the period
    it continued. Asked for the whole question. (One that names no figure, 'Und in den Filialen?',
    is asked which figure it means.)"""
    question, linked = r.inp.question, r.linked
    if r.inp.previous is not None or not FOLLOW_UP_START.search(question):
        return None
    if not linked.of_kind("metric") or not ANAPHOR.search(question):
        return None  # no figure named: asked which one (`_described_or_default`)
    return ClarificationPlan(
        question="That points back at an earlier answer, but I have no earlier answer in this conversation "
        f"to build on. Could you ask the whole question, e.g. '{example_question(r.inp.catalog)}'?",
    )


@dataclass
class _Reading:
    """What `OfflinePlanner._fresh` has read of a question so far; each step reads it and adds its part."""

    inp: PlannerInput
    sig: Signals
    linked: Linked
    metrics: list[str] = dataclasses.field(default_factory=list)
    dims: list[Mention] = dataclasses.field(default_factory=list)
    values: list[Mention] = dataclasses.field(default_factory=list)
    anchored: bool = False
    percent_words: set[str] = dataclasses.field(default_factory=set)
    percent_of: tuple[str, str] | None = None
    ratio: tuple[str, str] | None = None
    part: tuple[str, str] | None = None
    unplaced: list[str] = dataclasses.field(default_factory=list)
    left: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    part_share: bool = False
    finer: tuple[str, str, str] | None = None
    qualifiers: list[str] = dataclasses.field(default_factory=list)


def _label_said_exactly(
    inp: PlannerInput, sig: Signals, linked: Linked
) -> tuple[PlannerInput, Signals, Linked]:
    """Words read as two figures alike ('on-time deliveries': the count 'On-time deliveries' and the
    rate 'On-time delivery (OTD)', one lemma) that spell one figure's label, name or synonym exactly
    name that figure alone — it answered both."""
    spans: dict[tuple[int, int], list[Mention]] = {}
    for m in linked.of_kind("metric"):
        if m.start >= 0:
            spans.setdefault((m.start, m.end), []).append(m)
    dropped: set[int] = set()
    for same in spans.values():
        if len(same) < 2:
            continue
        said = _spelt(same[0].text)
        exact = [
            m
            for m in same
            if (info := inp.catalog.metric(m.entry.target)) is not None
            and said
            in {
                _spelt(info.label),
                _spelt(re.sub(r"\s*\([^)]*\)", "", info.label)),  # 'On-time delivery' of '… (OTD)'
                _spelt(info.name),
                *(_spelt(s) for s in info.synonyms),
            }
        ]
        if len(exact) == 1:
            dropped |= {id(m) for m in same if m is not exact[0]}
    if not dropped:
        return inp, sig, linked
    return (
        inp,
        sig,
        dataclasses.replace(linked, mentions=[m for m in linked.mentions if id(m) not in dropped]),
    )


def _spelt(words: str) -> str:
    return " ".join(fold(words).replace("-", " ").replace("_", " ").split())


def _on_topic(r: _Reading) -> Plan | None:
    """The mentions read; a vague season, an off-topic question or an unknown name is asked about."""
    inp, sig, linked = _label_said_exactly(r.inp, r.sig, r.linked)
    metrics = _unique(m.entry.target for m in linked.of_kind("metric"))
    dims = linked.of_kind("dimension")
    values = [m for m in linked.of_kind("value") if _read_as_value(m, dims)]
    linked = _without_dropped_values(linked, values)
    anchored = bool(
        dims or values or sig.time or sig.grain or sig.ranking or sig.comparison or sig.share or sig.trend
    )
    r.metrics, r.dims, r.values, r.linked, r.anchored = metrics, dims, values, linked, anchored
    season = _VAGUE_SEASON.search(sig.text)
    if season is not None:
        return _season_clarification(season.group(0), inp.lexicon)
    if not metrics and (OFF_TOPIC.search(inp.question) or off_topic_finding(inp.question) is not None):
        return _off_topic(inp)  # "who is the mayor of Hamburg?": a city of ours, not a question of ours
    unknown = _unknown(linked, inp)
    unknown = _the_sum_said(r, unknown)
    # 'Nachnahme gegen Vorkasse': a name set against a yes/no is its other side, not a value to find
    other_sides = _other_sides(inp.question, dims, inp.catalog)
    unknown = [n for n in unknown if fold(n) not in other_sides]
    if unknown:
        # "what is the capital of France?": nothing but a name we do not know, and nothing of the
        # business around it — off topic, unless the name is a near-miss of one of ours
        if (
            not (anchored or metrics)
            and not VAGUE.search(inp.question)
            and not suggest_values(unknown[0], inp.lexicon, cutoff=_NEAR_MISS)
        ):
            return _off_topic(inp)
        return _unknown_name_clarification(unknown, inp.lexicon, inp.catalog)
    return None


def _the_sum_said(r: _Reading, unknown: list[str]) -> list[str]:
    """'total revenue - rooms and extras separately and together', 'rooms plus everything else': a
    figure the sum of others (`MetricInfo.parts`) with every part said (`parts_said`) — the rest
    word ('extras') and 'separately', 'together' are read; 'separately' asks the parts beside it."""
    texts = [t.text for t in r.linked.tokens]
    for name in r.metrics:
        info = r.inp.catalog.metric(name)
        if info is None or not parts_said(texts, info, r.inp.catalog):
            continue
        said = {fold(t) for t in texts}
        if said & SEPARATELY_WORDS:
            r.metrics = _unique([*info.parts, *(m for m in r.metrics if m not in info.parts)])
        read = REST_WORDS | SEPARATELY_WORDS | TOGETHER_WORDS
        return [n for n in unknown if fold(n) not in read]
    return unknown


def _figures_named(r: _Reading) -> Plan | None:
    """The figures the words name (negated, counted, money, percent, stock-risk words); unplaced: asked."""
    inp, sig, linked, dims, anchored = r.inp, r.sig, r.linked, r.dims, r.anchored
    metrics, flag_dims = _negated_metrics_as_flags(linked, r.metrics, inp.lexicon)
    metrics = _unit_word_of_another(inp.catalog, linked, metrics)
    if sig.period_end and metrics and not all(_is_stock(inp.catalog, m) for m in metrics):
        # 'sales at the end of September': the last day, the last week or the month? Asked.
        label = sig.time.label if sig.time is not None else "the period"
        return ClarificationPlan(
            question=f"By the end of {label}, do you mean its last day, its last week or all of {label}?",
            options=(f"the last day of {label}", f"the last week of {label}", f"all of {label}"),
        )
    dims = [*dims, *flag_dims]
    values = _product_words_over_partials(intents.unit_word_values(r.values), inp.lexicon)
    values = _without_bracketed_parts(values, sig.text, linked.tokens)
    if not metrics:
        reading = intents.count_metric(inp.question, inp.catalog, inp.lexicon, linked) or intents.unit_metric(
            inp.question, inp.catalog, linked
        )
        if reading is not None:
            metrics = reading.metrics
            # a yes/no word that chose the figure ('returned' → returned units) is not a filter too
            dims = [
                d for d in dims if not (d.entry.is_flag and reading.note and reading.note.startswith(d.text))
            ]
    if not metrics and sig.share:
        shared = _share_of_an_entity(inp, linked)
        if shared is not None:
            metrics, r.linked = (
                [shared.entry.target],
                dataclasses.replace(linked, mentions=[*linked.mentions, shared]),
            )
            linked = r.linked
    counted_in_units = any(
        (_role(inp.catalog, m) or "").endswith("quantity") or _unit(inp.catalog, m) == "units"
        for m in metrics
    )
    if metrics and not counted_in_units:
        # 'which brands sold the most pieces … and what revenue did they bring': the unit word
        # (not the brand 'Pieces') names the quantity asked beside the figure named
        units = _unit_word_asked(inp, linked)
        if units is not None:
            metrics = [units, *metrics]
    money = intents.money_metric(inp.question, inp.catalog, inp.default_metric)
    if money is not None and not any(_role(inp.catalog, m) == "money" for m in metrics):
        metrics = [money, *metrics]
    metrics, percent_words = _with_percent_sibling(inp.question, inp.catalog, metrics)
    risk = [m.name for k in _STOCK_RISK_KPIS if (m := inp.catalog.metric_for(k)) is not None]
    risk_words = _STOCK_RISK.search(sig.text)
    if risk_words is not None:  # 'sold out' names no figure of units sold
        inside = {
            x.entry.target for x in linked.of_kind("metric")
            if risk_words.start() <= linked.tokens[x.start].start < risk_words.end()
        }  # fmt: skip
        metrics = [m for m in metrics if m not in inside]
    at_risk = _STOCK_RISK.search(inp.question) if set(metrics) <= set(risk) else None
    if at_risk is not None:
        # 'Welche Produkte sind bald ausverkauft?': the risk words are read below, not unknown
        percent_words = {*percent_words, *(fold(w) for w in at_risk.group(0).split()), *_SOON}
    r.metrics, r.dims, r.values, r.percent_words = metrics, dims, values, percent_words
    if metrics or anchored:
        unplaced = unplaced_words(linked, inp.lexicon, lambda: catalog_context_words(inp.catalog))
        unplaced = [w for w in unplaced if fold(w) not in percent_words]
        holders = _holders_of_values(linked, values)
        unplaced = [w for w in unplaced if w not in holders]
        r.percent_words = percent_words = {*percent_words, *holders}  # words read: none asked later
        if any(is_distinct_count(inp.catalog, m) for m in metrics):  # 'distinct guests': unique guests
            unplaced = [w for w in unplaced if lemma(fold(w)) not in DISTINCT_WORDS]
        # 'weekend nights vs weekday nights': the words set against a yes/no are its other side
        other_sides = _other_sides(inp.question, dims, inp.catalog)
        unplaced = [w for w in unplaced if fold(w) not in other_sides]
        r.percent_words = percent_words = {*percent_words, *other_sides}
        words, unplaced = _product_words(unplaced, linked, inp.lexicon)
        values += words
        r.values = values
        unplaced = [w for w in unplaced if not names_the_figures(w, metrics, inp.catalog)]  # 'loyalty card'
        unplaced = _the_sum_said(r, unplaced)
        if unplaced:
            return _unplaced_clarification(unplaced, inp.lexicon, inp.catalog)
        if words and not metrics and inp.default_metric:
            r.anchored = True
    return None


def _share_of_an_entity(inp: PlannerInput, linked: Linked) -> Mention | None:
    """'What share of last month's consignments …': the entity word after the share words read as
    its plain count (`entity_counts.share_of_entity`), a mention of that figure over the word."""
    said = SHARE_WORDS.search(inp.question)
    if said is None:
        return None
    at = next((k for k, t in enumerate(linked.tokens) if t.start >= said.end()), len(linked.tokens))
    found = share_of_entity(inp.catalog, linked, at)
    if found is None:
        return None
    metric, k = found
    return Mention(Entry("metric", metric, source="entity"), k, k + 1, linked.tokens[k].original)


def _unit_word_asked(inp: PlannerInput, linked: Linked) -> str | None:
    """A lower-case unit word ('pieces', 'Stück'; in German any: 'wie viele Teile') no figure's name
    read, not after 'per' ('price per piece' divides by it): the one quantity figure of the catalog,
    if it has one."""
    spans = [(m.start, m.end) for m in linked.of_kind("metric")]
    named = [(m.start, m.end) for m in linked.of_kind("value")]
    texts = [t.text for t in linked.tokens]
    german = reads_german(inp.question)  # a German noun is capitalised: 'wie viele Teile'
    for k, t in enumerate(linked.tokens):
        if not ((t.original.islower() or german) and intents.UNIT_WORDS.fullmatch(t.original)):
            continue
        if not t.original.islower() and any(a <= k < b for a, b in named):
            continue  # capitalised, a value of that name is meant: the brand "Pieces"
        if any(a <= k < b for a, b in spans) or (k > 0 and texts[k - 1] in ("per", "pro", "je", "a", "each")):
            continue
        quantity = [m.name for m in inp.catalog.metrics if m.role == "quantity"]
        return quantity[0] if len(quantity) == 1 else None
    return None


def _holders_of_values(linked: Linked, values: list[Mention]) -> set[str]:
    """Words right after a value (past a possessive) that say 'the people holding it' ('Platinum
    members', 'Orla Pharmaceuticals' people', misspelt 'membres'): they name no figure or filter
    of their own. By closeness to those few words (difflib), so a typing slip is read too."""
    out: set[str] = set()
    for v in values:
        k = v.end
        while k < len(linked.tokens) and linked.tokens[k].text in ("'", "’", "s", "'s"):
            k += 1
        if k < len(linked.tokens):
            word = linked.tokens[k].text
            if difflib.get_close_matches(word, HOLDER_WORDS, n=1, cutoff=0.8):
                out.add(word)
    return out


def _stock_risk(r: _Reading) -> Plan | None:
    """'What is running out of stock?': the products with the lowest cover first."""
    inp, metrics = r.inp, r.metrics
    risk = [m.name for k in _STOCK_RISK_KPIS if (m := inp.catalog.metric_for(k)) is not None]
    if set(metrics) <= set(risk) and _STOCK_RISK.search(inp.question):
        stock = risk[0] if risk else None
        group = next((d for d in inp.catalog.dimensions_with_role("product") if d.primary), None)
        product = entity_name_dimension(inp.catalog, group.entity) if group and group.entity else None
        if _OUT_NOW.search(inp.question) and not _AHEAD.search(inp.question):
            return _no_stock_left(inp.catalog, risk, product)
        if stock is not None and product is not None:
            ranking = Ranking("asc", r.sig.ranking.n if r.sig.ranking else 10)
            r.sig = dataclasses.replace(r.sig, ranking=ranking)
            r.dims = [*r.dims, Mention(Entry("dimension", product, source="intent"), -1, -1, "products")]
            r.metrics = [stock]
    return None


def _no_stock_left(catalog: Catalog, risk: list[str], product: str | None) -> ClarificationPlan:
    """'Which products are out of stock?', 'Welche Artikel sind ausverkauft?': the items whose stock is
    zero now. Answering the lowest cover first listed items that still have stock, said to be out of
    it; no plan holds a condition on a figure's value, so it is asked with what can be shown."""
    labels = [info.label for name in reversed(risk) if (info := catalog.metric(name)) is not None]
    where = catalog.dimension(product) if product else None
    by = f" by {where.label.lower()}" if where is not None else ""
    options = tuple(f"{label}{by}, smallest first" for label in labels)
    return ClarificationPlan(
        question="I can't list only the items with no stock left: that is a condition on the stock figure "
        f"itself. What I can show: {' or '.join(options) or 'the stock on hand'}. Which would help?",
        options=options,
    )


def _spend_per_member(r: _Reading) -> Plan | None:
    """'what did an average loyalty customer spend', 'Umsatz pro Kunde': the money figure over the
    count of the members who bought (`spend_per_member`); the words of the ask are read by it."""
    if r.ratio is not None or r.part is not None:
        return None
    found = spend_per_member(r.inp, r.metrics)
    if found is None:
        return None
    (money, count), (start, end) = found
    tokens = r.linked.tokens

    def inside(m: Mention) -> bool:
        return 0 <= m.start < len(tokens) and start <= tokens[m.start].start < end

    r.metrics, r.ratio = [money, count], (money, count)
    r.dims = [d for d in r.dims if not inside(d)]
    r.values = [v for v in r.values if not inside(v)]
    said = {fold(t.text) for t in tokens if start <= t.start < end}
    r.percent_words = {*r.percent_words, *said}
    r.unplaced = [w for w in r.unplaced if fold(w) not in said]
    return None


def _part_before_a_rate_word(r: _Reading) -> Plan | None:
    """'Cancellation share by channel group', 'Stornoquote je Hotel': the part a word before a rate
    word names over its whole (`ratios.part_before_a_rate_word`), read before the figure is guessed."""
    found = part_before_a_rate_word(r.inp, r.linked)
    if found is not None:
        r.part, r.metrics, r.part_share = found, [found[0]], True
    return None


def _described_or_default(r: _Reading) -> Plan | None:
    """No figure named: one the words describe, else the default figure of an anchored question."""
    inp, sig, linked, metrics, dims, values = r.inp, r.sig, r.linked, r.metrics, r.dims, r.values
    if not metrics:
        described = _described_metric(inp, linked)
        if isinstance(described, ClarificationPlan):
            return described
        metrics = described
        # 'room nights were occupied': the yes/no or status word that named the figure filters nothing
        dims = [d for d in dims if not (d.entry.is_flag and _names_a_metric(inp.catalog, metrics, d))]
        values = [v for v in values if not _names_a_metric(inp.catalog, metrics, v)]
        r.metrics, r.dims, r.values = metrics, dims, values
    if not metrics:
        if (VAGUE.search(inp.question) or sig.trend) and not (dims or values):
            return _which_metric(inp.catalog, "Which figure would you like to see?")
        if r.anchored and FOLLOW_UP_START.search(inp.question):
            # 'And in the stores?' with no earlier answer to build on (a first turn, or one that
            # was asked back): which figure it continues is unknown — the default would be a guess
            return _which_metric(
                inp.catalog,
                "I have no earlier answer in this conversation to build on: which figure do you mean?",
            )
        if r.anchored and inp.default_metric and inp.catalog.metric(inp.default_metric):
            r.metrics = [inp.default_metric]
        elif r.anchored:
            return _which_metric(inp.catalog, "Which figure do you mean?")
        else:
            return _off_topic(inp)
    return None


def _count_beside(r: _Reading) -> Plan | None:
    """'freight revenue and number of consignments', 'consignments and revenue per month': the count
    of the entity asked beside the figures read (`entity_counts`); several counts alike: asked."""
    beside = with_count_beside(r.inp.catalog, r.linked, r.metrics)
    if isinstance(beside, ClarificationPlan):
        return beside
    r.metrics = beside
    return None


def _ratio_asked(r: _Reading) -> Plan | None:
    """'as a percentage of', 'per': one figure divided by another; a 'how many' no figure counts is asked."""
    inp, linked = r.inp, r.linked
    percent_of = _percentage_of(inp.question, linked) if r.sig.share else None
    if percent_of is not None:
        # 'discounts as a percentage of gross sales': one figure divided by the other, not a share
        # of a breakdown
        r.sig = dataclasses.replace(r.sig, share=False)
    ratio = r.ratio or percent_of or _explicit_ratio(linked, inp.catalog) or _price_per_unit(inp, r.metrics)
    if ratio is not None:
        r.metrics = list(ratio)
    r.percent_of, r.ratio = percent_of, ratio
    return _how_many_unanswered(inp, linked, r.metrics)


def _words_left(r: _Reading) -> Plan | None:
    """Words naming another figure than the ones chosen; a verb and its particle naming another figure."""
    inp, linked, metrics, ratio = r.inp, r.linked, r.metrics, r.ratio
    # 'how much did we sell', 'came through the online shop': verbs, not the figures named with them
    unplaced = [w for w in _unplaced_words(linked, entities=False) if not is_harmless(w)]
    # 'shipped by Maas …', 'consigned to …': the verb names the value's role, not a figure
    texts = [t.text for t in linked.tokens]
    entities = [e.name for e in inp.catalog.entities]
    roles = {
        w
        for m in linked.mentions
        if m.entry.kind == "value" and role_before(texts, m.start, entities) is not None
        for w in (lemma(texts[m.start - 2]), english_lemma(texts[m.start - 2]))
    }
    unplaced = [w for w in unplaced if w not in roles]
    if any(_role(inp.catalog, m) == "quantity" or _unit(inp.catalog, m) == "units" for m in metrics):
        # 'verkaufte Teile', 'pieces', 'Teile auf Lager': the unit of the quantity asked, not another figure
        units = [t.text for t in linked.tokens if intents.UNIT_WORDS.fullmatch(t.text)]
        said = {w for u in units for w in (u, lemma(u), english_lemma(u))}
        unplaced = [w for w in unplaced if w not in said]
    if ratio is not None:  # 'the average amount claimed per claim': the division is the average
        unplaced = [w for w in unplaced if w not in ("average", "mean", "durchschnitt")]
        unplaced = [w for w in unplaced if not _PRICE.fullmatch(w)]  # 'price per piece': the division too
    r.unplaced = unplaced
    r.left = _counted_by_its_verb(inp, linked, metrics, unexplained(inp.catalog, metrics, unplaced))
    phrasal = _phrasal_of_another(inp.catalog, linked, metrics) if ratio is None else None
    if phrasal is not None:
        phrase, others = phrasal
        counted = {i.counts for n in metrics if (i := inp.catalog.metric(n)) is not None}
        measured = {i.unit for n in metrics if (i := inp.catalog.metric(n)) is not None and i.role}
        same = [
            o
            for o in others
            if (i := inp.catalog.metric(o)) is not None
            and (i.counts in counted - {None} or (i.counts is None and i.unit in measured - {None}))
        ]
        if len(metrics) == 1 and len(others) == 1 and same and _asked_again(inp.question, phrase):
            r.metrics = [*metrics, *same]  # 'how many did we sell and how many came back': both
        elif len(metrics) == 1 and len(others) == 1 and same:
            r.metrics = same  # 'shipments went back to the shipper': the returns to sender, counted alike
        else:
            labels = _unique([m.label for n in [*metrics, *others] if (m := inp.catalog.metric(n))])[:5]
            return ClarificationPlan(
                question=f"Which figure does '{phrase}' mean here: {' or '.join(labels)}?",
                options=tuple(labels),
            )
    return None


_QUESTION_WORDS = frozenset(("how", "what", "which", "wie", "was", "welche", "welcher", "welches", "welchen"))
_ASK_JOINS = frozenset(("and", "und", "plus", "sowie"))


def _asks(text: str, tokens: Sequence[Token]) -> list[int]:
    """The ask each token belongs to: a new ask starts at a question word after 'and', a comma, a
    colon or a question mark ('What was the claimed amount, and how much did we pay out?')."""
    out, ask = [], 0
    for k, t in enumerate(tokens):
        if k > 0 and t.text in _QUESTION_WORDS:
            between = text[tokens[k - 1].end : t.start]
            if tokens[k - 1].text in _ASK_JOINS or any(ch in between for ch in ",:;?"):
                ask += 1
        out.append(ask)
    return out


_AUXILIARIES = frozenset(
    """did do does have has had was were is are will would hat haben hatte hatten wurde wurden wird""".split()  # noqa: SIM905
)


def _verb_of_the_figure(
    catalog: Catalog, text: str, linked: Linked, metrics: list[str], word: str, others: list[str]
) -> bool:
    """'What average rate did guests from the US pay?': a verb in the ask of the one figure named,
    that the figure's own description says ('room revenue per paid room-night'), belongs to that
    figure — not to another whose name holds it (paid room-nights), unless that other one is the
    named figure narrowed ('bookings … cancelled': the cancelled bookings). A verb, not a word
    naming the noun after it: an auxiliary before it in its ask, and no reading right after it."""
    if len(metrics) != 1 or not in_description(catalog, metrics, word):
        return False
    if any(narrowed(catalog, metrics, o) is not None for o in others):
        return False
    tokens = linked.tokens
    asks = _asks(text, tokens)
    named = [m for m in linked.of_kind("metric") if m.start >= 0 and m.entry.target == metrics[0]]
    at = [k for k, t in enumerate(tokens) if word in (t.text, lemma(t.text), english_lemma(t.text))]
    if len(at) != 1 or len(named) != 1 or asks[named[0].start] != asks[at[0]]:
        return False
    k = at[0]
    auxiliary = any(tokens[j].text in _AUXILIARIES and asks[j] == asks[k] for j in range(k))
    after = any(m.start == k + 1 for m in linked.mentions)
    return auxiliary and not after and k > named[0].start


def _asked_apart(
    text: str,
    linked: Linked,
    metrics: list[str],
    left: dict[str, list[str]],
    catalog: Catalog | None = None,
) -> list[str] | None:
    """Several asks in one question, each naming its own figure: the chosen figure named in one, and
    the one word left, naming exactly one other figure, in another ask that names no figure ('how
    much did we pay out') — that ask is the other figure, asked too. None unless every ask holds
    exactly one figure, so no ask is answered by a figure its words do not name."""
    if len(left) != 1 or len(metrics) != 1:
        return None
    ((word, others),) = left.items()
    if len(others) != 1:
        return None
    tokens = linked.tokens
    asks = _asks(text, tokens)
    if asks[-1] == 0 if asks else True:
        return None
    held: dict[int, set[str]] = {}
    for m in linked.of_kind("metric"):
        if m.start >= 0:
            held.setdefault(asks[m.start], set()).add(m.entry.target)
    at = [k for k, t in enumerate(tokens) if word in (t.text, lemma(t.text), english_lemma(t.text))]
    if len(at) != 1 or asks[at[0]] in held:
        return None
    held[asks[at[0]]] = {others[0]}
    if catalog is not None and not any(metrics[0] in v for v in held.values()):
        # 'how many were filed and how much have we paid out': the chosen figure read from its
        # description, in the ask holding the word its label has and the other's has not ('paid')
        own = _ask_of_its_words(catalog, tokens, asks, metrics[0], others[0])
        if own is not None and own not in held:
            held[own] = {metrics[0]}
    content = {
        asks[k] for k, t in enumerate(tokens) if t.text not in STOPWORDS and t.text not in _QUESTION_WORDS
    }
    if catalog is not None and 0 not in held and 1 in asks:
        k = asks.index(1)
        if ":" in text[tokens[k - 1].end : tokens[k].start]:
            content.discard(0)  # 'Claims this year by type: how many …, and how much …': a heading
    if (
        set(held) != content
        or any(len(v) != 1 for v in held.values())
        or set().union(*held.values())
        != {
            metrics[0],
            others[0],
        }
    ):
        return None
    where = {next(iter(v)): ask for ask, v in held.items()}
    return sorted([metrics[0], others[0]], key=lambda name: where[name])  # in the order asked


def _ask_of_its_words(
    catalog: Catalog, tokens: Sequence[Token], asks: list[int], metric: str, other: str
) -> int | None:
    """The one ask holding the words of `metric`'s label that `other`'s label has not ('paid' of
    'Claims paid' beside 'Claims filed')."""
    info, rival = catalog.metric(metric), catalog.metric(other)
    if info is None or rival is None:
        return None
    own = lemmas(info.label) - lemmas(rival.label)
    at = {asks[k] for k, t in enumerate(tokens) if own & {lemma(t.text), english_lemma(t.text)}}
    return at.pop() if len(at) == 1 else None


def _counted_by_its_verb(
    inp: PlannerInput, linked: Linked, metrics: list[str], left: dict[str, list[str]]
) -> dict[str, list[str]]:
    """'How many consignments have we shipped': the verb of a count its own description says
    ('consignments shipped') is what is counted, though another figure's name holds it too
    ('Pieces shipped'); a narrower count named by it ('cancelled bookings') is still that one."""
    if not left or not intents.HOW_MANY.search(inp.question):
        return left
    infos = [inp.catalog.metric(n) for n in metrics]
    if not infos or not all(i is not None and i.counts for i in infos):
        return _counted_in_its_ask(inp, linked, metrics, left)
    return {
        w: others
        for w, others in left.items()
        if not in_description(inp.catalog, metrics, w)
        or any(narrowed(inp.catalog, metrics, o) is not None for o in others)
    }


def _counted_in_its_ask(
    inp: PlannerInput, linked: Linked, metrics: list[str], left: dict[str, list[str]]
) -> dict[str, list[str]]:
    """'How many consignments did we ship last month, and how much revenue did that bring in?': the
    verb of a count its description says, in that count's own 'how many' ask (which names no other
    figure), is what is counted there — not another figure named by it ('Pieces shipped')."""
    counts = [n for n in metrics if (i := inp.catalog.metric(n)) is not None and i.counts]
    if not counts:
        return left
    tokens = linked.tokens
    asks = _asks(inp.question, tokens)
    named: dict[int, set[str]] = {}
    for m in linked.of_kind("metric"):
        if m.start >= 0:
            named.setdefault(asks[m.start], set()).add(m.entry.target)
    unnamed = [n for n in counts if not any(n in v for v in named.values())]
    out = {}
    for word, others in left.items():
        at = [k for k, t in enumerate(tokens) if word in (t.text, lemma(t.text), english_lemma(t.text))]
        if len(at) == 1:
            ask = asks[at[0]]
            here = sorted(named.get(ask, set())) or unnamed
            within = [t for k, t in enumerate(tokens) if asks[k] == ask]
            said = inp.question[within[0].start : within[-1].end] if within else ""
            if (
                here
                and set(here) <= set(counts)
                and intents.HOW_MANY.search(said)
                and in_description(inp.catalog, here, word)
                and not any(narrowed(inp.catalog, here, o) is not None for o in others)
            ):
                continue
        out[word] = others
    return out


def _count_named_by_its_word(inp: PlannerInput, metrics: list[str], left: dict[str, list[str]]) -> str | None:
    """'How many shipments were delivered late?', 'Wie viele Sendungen wurden verspätet zugestellt?':
    a count of an entity asked with one word that names one other figure counting the same things —
    by its own declaration, or a description that starts with what it counts ('Delivered
    consignments that arrived after the promised date') — is that figure, not the plain count."""
    if len(left) != 1 or len(metrics) != 1 or not intents.HOW_MANY.search(inp.question):
        return None
    ((_word, others),) = left.items()
    chosen = inp.catalog.metric(metrics[0])
    if chosen is None or chosen.counts is None or len(others) != 1:
        return None
    other = inp.catalog.metric(others[0])
    entity = inp.catalog.entity(chosen.counts)
    if other is None or entity is None:
        return None
    if other.counts == chosen.counts:
        return other.name
    names = {lemma(w) for w in key_of(f"{entity.name.replace('_', ' ')} {entity.label}")}
    if (noun := intents.defined_as(entity.description)) is not None:
        names.add(noun)
    head = [lemma(w) for w in key_of(other.description)[:3]]
    return other.name if names & set(head) else None


def _words_explained(r: _Reading) -> Plan | None:
    """The words left read as a rate of a part, both sides of a contrast, or a sharper figure; else asked."""
    inp, linked, metrics, left, ratio, unplaced = r.inp, r.linked, r.metrics, r.left, r.ratio, r.unplaced
    said_average = next((w for w in left if fold(w) in _AVERAGE_WORDS), None)
    before = list(metrics)
    part = r.part
    if part is None and (part := _rate_of_a_part(inp, r.sig, metrics, left, ratio)) is not None:
        r.part_share = True  # a rate of a part of its whole: in percent ('… and the cancellation rate')
    if part is None:
        named_part = rate_of_a_named_part(inp, linked, metrics, left, ratio, r.sig.share)
        if isinstance(named_part, ClarificationPlan):
            return named_part
        if named_part is not None:  # 'return-to-sender rate by service': in percent of its whole
            part, r.sig = named_part, dataclasses.replace(r.sig, share=True)
    if part is None:
        part = _part_named_by_a_value(r)
        if part is None and r.finer is None:
            _finer_part_named_by_a_word(r)
        if (finer := _finer_share_asked(r)) is not None:
            return finer
        if r.qualifiers:
            return _unplaced_clarification(r.qualifiers, inp.lexicon, inp.catalog)
    if part is None:
        part = _share_of_its_whole(r)
    if part is not None:  # 'cancellation rate of bookings': cancelled bookings / bookings, derived
        ratio, metrics, left = part, list(part), {}
        r.part_share = r.part_share or r.sig.share  # 'what share …': said as a percentage of the whole
        r.sig = dataclasses.replace(r.sig, share=False)
        unplaced = [w for w in unplaced if w not in _RATE_WORDS]
    whole = _described_whole(inp.catalog, linked, metrics, left) if left and ratio is None else None
    if whole is None or whole in metrics:
        # ('how long will the stock last at the current pace': 'last' is said by the units on hand
        # too, but one other figure's description says the whole question — left for that reading)
        left = {
            w: o
            for w, o in left.items()
            if not _verb_of_the_figure(inp.catalog, r.sig.text, linked, metrics, w, o)
        }
    asked_apart = _asked_apart(r.sig.text, linked, metrics, left, inp.catalog) if ratio is None else None
    if asked_apart is not None:  # 'the claimed amount, and how much did we pay out?': both figures
        metrics, left = asked_apart, {}
    if len(left) == 1 and ratio is None:
        ((word, others),) = left.items()
        against = _contrasted_with_a_figure(linked, word)
        wider = narrowed(inp.catalog, metrics, others[0]) if len(others) == 1 else None
        alone = _read_alone(inp, linked, word, others) if against and len(others) > 1 else None
        beside = (
            _sum_over_its_ratios(inp.catalog, others, inp.question, linked)
            if len(metrics) == 1 and HOW_MANY_AND.search(inp.question)
            else None
        )
        if beside is not None and beside not in metrics:
            # 'Sendungen … wie viele und welcher Umsatz?': the count and the one sum the word names
            metrics = [*metrics, beside]
            left = {}
        elif against and len(others) == 1:  # 'paid versus claimed amounts': both figures
            metrics = _unique([*metrics, others[0]])
            left = {}
        elif alone is not None:  # 'YTD revenue and shipment count': the figure 'revenue' is alone
            first = min((m.start for m in linked.of_kind("metric") if m.start >= 0), default=0)
            at = next((k for k, t in enumerate(linked.tokens) if word in (t.text, lemma(t.text))), first)
            metrics = _unique([alone, *metrics] if at < first else [*metrics, alone])
            left = {}
        elif wider is not None and not against and in_description(inp.catalog, metrics, word):
            # 'Stornierungen bei den Buchungen': the bookings' description mentions cancellations,
            # the cancelled bookings are named by them
            metrics = [others[0] if name == wider else name for name in metrics]
            left = {}
    counted = _count_named_by_its_word(inp, metrics, left) if ratio is None else None
    if counted is not None:  # 'how many shipments were delivered late': the late deliveries
        metrics, left = [counted], {}
    sharper = None if not left else _sharper_reading(inp.catalog, linked, metrics, left)
    if sharper is not None:
        metrics, left = sharper, unexplained(inp.catalog, sharper, unplaced)
    if left and ratio is None and (described := _described_whole(inp.catalog, linked, metrics, left)):
        metrics, left = [described], {}  # 'how many weeks will the stock last': the one saying so
    if (
        r.sig.share
        and len(before) == 1
        and len(metrics) == 1
        and _rate_over(inp.catalog, metrics[0], before[0])
    ):
        # 'what share of delivered shipments were on time': the delivered shipments' words sharpened
        # to OTD (on-time ÷ delivered) — that rate is the share asked, not a share of it by something.
        # Said after the noun ('share of shipments delivered on time') the whole may be every
        # shipment: asked between the two shares
        r.sig = dataclasses.replace(r.sig, share=False)
        if (after := _whole_of_a_part_said_after(r, before[0], metrics[0])) is not None:
            r.finer = after
            return _finer_share_asked(r)
    r.part, r.ratio, r.metrics, r.left, r.unplaced = part, ratio, metrics, left, unplaced
    if said_average is not None and r.sig.grain is not None and len(before) == 1 and metrics != before:
        # 'average daily net sales', 'average net sales per day': the total per day, not the figure
        # whose name holds 'average' (net sales per order, by day) — asked as any average of a total
        average = _average_of_a_total(inp.catalog, before, said_average)
        if average is not None:
            return average
    if left:
        word, others = next(iter(left.items()))
        average = _average_of_a_total(inp.catalog, metrics, word)
        if average is not None:
            return average
        labels = _unique([m.label for name in [*metrics, *others] if (m := inp.catalog.metric(name))])[:5]
        # the word as the question says it ('rate', not its German reading 'raten')
        said = next((t.original for t in linked.tokens if word in (t.text, lemma(t.text))), word)
        return ClarificationPlan(
            question=f"Which figure does '{said}' mean here: {' or '.join(labels)}?",
            options=tuple(labels),
        )
    return None


def _read_alone(inp: PlannerInput, linked: Linked, word: str, others: list[str]) -> str | None:
    """The one figure of `others` a general word beside a named figure reads as when asked alone
    ('revenue' → freight revenue, the sum, not the revenue per kg built on it)."""
    guess = metric_from_description(inp.catalog, [word])
    if guess.metric is not None and explains_most(inp.catalog, guess.metric, [word]):
        return guess.metric if guess.metric in others else None
    summed = _sum_over_its_ratios(inp.catalog, guess.options, inp.question, linked)
    return summed if summed in others else None


_RATE_LABEL_WORDS = re.compile(r"\b(?:per|rate|ratio|share)\b|%", re.IGNORECASE)


def _one_rate(catalog: Catalog, metrics: Sequence[str]) -> bool:
    """One figure chosen, and it is a rate or a figure 'per' something."""
    info = catalog.metric(metrics[0]) if len(metrics) == 1 else None
    return info is not None and (info.type == "ratio" or bool(_RATE_LABEL_WORDS.search(info.label)))


def _described_words_placed(r: _Reading) -> Plan | None:
    """Words the catalog describes that neither the figures nor the mentions explain are asked about."""
    inp, linked, dims, values = r.inp, r.linked, r.dims, r.values
    named = [m.entry.target for m in [*dims, *values]]
    loose = _unexplained_described(_described_words(linked, inp), inp.catalog, r.metrics, named)
    loose = [
        w for w in loose if read_product_words([w], inp.lexicon) is None and fold(w) not in r.percent_words
    ]
    if r.ratio is not None:  # the division is the average, the rate, the price per unit
        loose = [w for w in loose if fold(w) not in _AVERAGE_WORDS and not _PRICE.fullmatch(w)]
    if r.part is not None or _one_rate(inp.catalog, r.metrics):
        # the rate word is said by the division, or by the one figure chosen, itself a rate
        # ('claims rate': Claims per 1,000 shipments)
        loose = [w for w in loose if fold(w) not in _RATE_WORDS and lemma(fold(w)) not in _RATE_WORDS]
    # 'subcontracted linehaul vs our own fleet': the other side of a yes/no set against it
    other_sides = _other_sides(inp.question, dims, inp.catalog)
    loose = [w for w in loose if fold(w) not in other_sides]
    loose = _the_sum_said(r, loose)
    if loose:
        return _unplaced_clarification(loose, inp.lexicon, inp.catalog)
    return None


def _ask_of_its_own(r: _Reading) -> Plan | None:
    """'How many bookings did we get in September, and how many were cancelled?': an ask of its own
    (after 'and', a comma) that names no figure but a value or yes/no word ('cancelled') is not a
    filter on the figure the other ask names — that would answer neither. The one other figure the
    word names ('Cancelled bookings') is asked too; else the ask is asked back. An ask that only
    moves the figure to another value of a dimension the first ask names ('sales in Hamburg, and how
    much in Berlin?') is the comparison it reads as."""
    inp, linked = r.inp, r.linked
    tokens = linked.tokens
    asks = _asks(r.sig.text, tokens)
    if not asks or asks[-1] == 0 or not r.metrics:
        return None
    figures = {asks[m.start] for m in linked.of_kind("metric") if m.start >= 0}
    if not figures:
        return None
    # an ask whose word names a figure already taken ('how many emails were delivered': E-mails
    # delivered, read from its verb) has its figure
    figures |= {
        asks[k]
        for k, t in enumerate(tokens)
        if t.text not in STOPWORDS
        and len(t.text) > 2
        and any(names_metric(inp.catalog, n, t.text) for n in r.metrics)
    }
    # 'wie viel Umsatz und wie viele Teile haben unsere bayerischen Filialen gemacht', 'how many
    # pieces': a unit word names the quantity figure read from it — that ask has its figure
    if any(info.role == "quantity" for n in r.metrics if (info := inp.catalog.metric(n)) is not None):
        figures |= {asks[k] for k, t in enumerate(tokens) if intents.UNIT_WORDS.fullmatch(t.text)}
    said = [m for m in [*r.values, *(d for d in r.dims if d.entry.is_flag)] if 0 <= m.start < len(tokens)]
    for m in said:
        ask = asks[m.start]
        if ask in figures or not _asks_a_figure(tokens, asks, ask):
            continue
        elsewhere = {v.entry.target for v in said if asks[v.start] != ask}
        if m.entry.target in elsewhere:
            continue  # 'in Hamburg, and how much in Berlin': the same figure for another value
        named = [
            o.name
            for o in inp.catalog.metrics
            if o.name not in r.metrics and names_metric(inp.catalog, o.name, m.text)
        ]
        if len(named) == 1:
            r.metrics = _unique([*r.metrics, named[0]])
            r.values = [v for v in r.values if v is not m]
            r.dims = [d for d in r.dims if d is not m]
            continue
        words = lemmas(m.text)
        named = named or [
            o.name for o in inp.catalog.metrics if o.name not in r.metrics and words and words <= said_of(o)
        ]
        chosen = [i.label for n in r.metrics if (i := inp.catalog.metric(n)) is not None]
        if not named:  # no figure of its own: the other ask's figure narrowed, or that figure and its part?
            narrow = f"{' and '.join(chosen)} for '{m.text}' only"
            return ClarificationPlan(
                question=f"Your question asks more than one thing, and the ask with '{m.text}' names no "
                f"figure of its own. Do you mean {narrow}, or {' and '.join(chosen)} in total and the "
                f"part for '{m.text}'?",
                options=(narrow, f"{' and '.join(chosen)} in total and for '{m.text}'"),
            )
        labels = _unique([*chosen, *(i.label for n in named[:4] if (i := inp.catalog.metric(n)) is not None)])
        return ClarificationPlan(
            question=f"Your question asks more than one thing, and '{m.text}' may ask for a figure of its "
            f"own rather than narrow {' and '.join(chosen)}. Which figure do you mean for '{m.text}': "
            f"{' or '.join(labels)}?",
            options=tuple(labels),
        )
    return None


def _amount_asked_apart(r: _Reading) -> Plan | None:
    """'How many claims came in in September, and how much was claimed?', 'wie viel wurde
    gefordert': an ask of its own opening with 'how much' beside counts only names no count — its
    word read by the count's stem ('claimed' of claims filed) answered one ask of two. The one other
    sum whose label holds that very word ('Claimed amount') is asked too; with none or several,
    the question stays as read (the later steps ask about what they cannot place)."""
    inp, linked = r.inp, r.linked
    tokens = linked.tokens
    asks = _asks(r.sig.text, tokens)
    infos = [inp.catalog.metric(n) for n in r.metrics]
    if not asks or asks[-1] == 0 or not infos or not all(i is not None and i.counts for i in infos):
        return None
    figures = {asks[m.start] for m in linked.of_kind("metric") if m.start >= 0}
    mentioned = {asks[m.start] for m in linked.mentions if 0 <= m.start < len(tokens)}
    for ask in sorted(set(asks) - figures - mentioned):
        at = [k for k, a in enumerate(asks) if a == ask]
        if len(at) < 3 or (tokens[at[0]].text, tokens[at[1]].text) not in (("how", "much"), ("wie", "viel")):
            continue
        words = {fold(tokens[k].text) for k in at[2:]} - STOPWORDS - _AUXILIARIES
        labelled = [
            o.name
            for o in inp.catalog.metrics
            if o.name not in r.metrics
            and o.type == "simple"
            and not o.counts
            and words & {fold(w) for w in re.findall(r"\w+", o.label)}
        ]
        if len(labelled) == 1:
            r.metrics = _unique([*r.metrics, labelled[0]])
    return None


def _asks_a_figure(tokens: Sequence[Token], asks: list[int], ask: int) -> bool:
    """The ask opens with 'how many', 'how much', 'wie viel(e)' or 'what was/were': it asks a figure."""
    at = [k for k, a in enumerate(asks) if a == ask]
    if len(at) < 2:
        return False
    first, second = tokens[at[0]].text, tokens[at[1]].text
    return (first, second) in {("how", "many"), ("how", "much"), ("what", "was"), ("what", "were")} or (
        first == "wie" and second in ("viel", "viele")
    )


def _source_named(r: _Reading) -> Plan | None:
    """'laut Google Analytics umgesetzt', 'revenue Google Analytics recorded': the source is named,
    not a value ('google' of the traffic sources); a figure whose description does not name it is
    read as the one figure of that source that is measured alike (same format: money as money)."""
    catalog = r.inp.catalog
    texts = [t.text for t in r.linked.tokens]
    spans = [
        (i, i + len(p))
        for p in _source_phrases(catalog)
        for i in range(len(texts) - len(p) + 1)
        if tuple(texts[i : i + len(p)]) == p
    ]
    if not spans or not r.metrics:
        return None
    said = {w for a, b in spans for w in texts[a:b]}
    r.values = [v for v in r.values if not any(a <= v.start and v.end <= b for a, b in spans)]

    def names(info: MetricInfo) -> bool:
        return said <= {t.text for t in tokenize(info.description)}

    swapped = []
    for name in r.metrics:
        info = catalog.metric(name)
        if info is None or names(info):
            swapped.append(name)
            continue
        fits = [
            m.name
            for m in catalog.metrics
            if m.format == info.format and names(m) and m.name not in r.metrics
        ]
        if len(fits) != 1:
            return None
        swapped.append(fits[0])
    r.metrics = _unique(swapped)
    return None


def _the_one_unnamed(r: _Reading) -> Plan | None:
    """'Wie lief die Filiale?': which store? (`which_one`; a fresh question only)."""
    if r.inp.previous is not None:
        return None
    return one_unnamed(r.inp.catalog, r.inp.lexicon, r.sig, r.linked, r.metrics, r.dims, r.values)


# OfflinePlanner._fresh's steps, in order; the first to ask back (or refuse) ends the reading
_READING = (
    _on_topic,
    _continues_nothing,
    _figures_named,
    _part_before_a_rate_word,
    _stock_risk,
    _spend_per_member,
    _described_or_default,
    _count_beside,
    _ratio_asked,
    _words_left,
    _words_explained,
    _ask_of_its_own,
    _amount_asked_apart,
    _source_named,
    _described_words_placed,
    _the_one_unnamed,
)


def _part_named_by_a_value(r: _Reading) -> tuple[str, str] | None:
    """'What share of the OTA bookings ended up cancelled?': a status value that names the part of
    the one figure another figure counts (cancelled bookings of bookings) is that part divided by
    the whole, not a filter with a share of a breakdown. The value is read by the ratio."""
    inp, metrics = r.inp, r.metrics
    if r.ratio is not None or len(metrics) != 1 or not (r.sig.share or _RATE_ASKED.search(inp.question)):
        return None
    for v in [*r.values, *(d for d in r.dims if d.entry.is_flag)]:
        words = [w for w in key_of(v.text) if w not in STOPWORDS]
        if len(words) != 1:
            continue
        named = {
            n
            for w in {words[0], lemma(words[0]), english_lemma(words[0])}
            for n in unexplained(inp.catalog, metrics, [w]).get(w, [])
        }
        parts = [n for n in named if narrowed(inp.catalog, metrics, n) == metrics[0]]
        if len(parts) == 1 and (finer := _finer_count_named(r, parts[0])) is not None:
            # 'what share of shipments were delivered on time': 'on time' names a count of its own
            # (on-time deliveries), finer than the part the value names — asked, never dropped
            r.finer = (finer, parts[0], metrics[0])
            return None
        if len(parts) == 1 and (said := _qualifiers_unsaid(r, parts[0], words[0])):
            r.qualifiers = said  # 'what share of bookings were cancelled late': 'late' is no part of it
            return None
        if len(parts) == 1:
            r.values = [x for x in r.values if (x.start, x.end) != (v.start, v.end)]
            r.dims = [x for x in r.dims if (x.start, x.end) != (v.start, v.end)]
            return parts[0], metrics[0]
    return None


def _finer_part_named_by_a_word(r: _Reading) -> None:
    """'What share of shipments were delivered on time' where 'delivered' is no status value but the
    one word of a count that is part of the whole (delivered shipments of shipments), and another word
    names a finer count of the same things (on-time deliveries): the same two shares as when a value
    names the part (`_part_named_by_a_value`) — noted to be asked, never the catalog's rate of the
    finer count over the part taken silently (it leaves out what was not delivered)."""
    inp, metrics = r.inp, r.metrics
    if r.ratio is not None or len(metrics) != 1 or not (r.sig.share or _RATE_ASKED.search(inp.question)):
        return
    parts = {
        others[0]
        for others in r.left.values()
        if len(others) == 1
        and others[0] != metrics[0]
        and narrowed(inp.catalog, metrics, others[0]) == metrics[0]
    }
    if len(parts) == 1 and (finer := _finer_count_named(r, part := parts.pop())) is not None:
        r.finer = (finer, part, metrics[0])
        return
    if parts:
        return
    # 'what percentage of shipments arrived on time': no word names the part, but the one rate a
    # word names counts its numerator over a part of the whole asked (OTD: on-time ÷ delivered)
    whole = inp.catalog.metric(metrics[0])
    rates = {
        (info.numerator, info.denominator)
        for others in r.left.values()
        for n in others
        if (info := inp.catalog.metric(n)) is not None
        and info.numerator is not None
        and info.denominator is not None
        and info.denominator != metrics[0]
        and narrowed(inp.catalog, metrics, info.denominator) == metrics[0]
    }
    numerator = inp.catalog.metric(next(iter(rates))[0]) if len(rates) == 1 else None
    if whole is not None and numerator is not None and numerator.counts == whole.counts is not None:
        r.finer = (numerator.name, next(iter(rates))[1], metrics[0])


def _rate_over(catalog: Catalog, rate: str, count: str) -> bool:
    """The rate is a count over exactly this count (OTD over delivered shipments)."""
    info = catalog.metric(rate)
    return info is not None and info.denominator == count and info.numerator is not None


def _whole_of_a_part_said_after(r: _Reading, part: str, rate: str) -> tuple[str, str, str] | None:
    """(the rate's numerator, the part, the part's one whole) when the part's words were said with
    its qualifier after the noun ('shipments delivered' for 'Delivered shipments')."""
    info, over = r.inp.catalog.metric(part), r.inp.catalog.metric(rate)
    if info is None or over is None or over.numerator is None:
        return None
    said = [m for m in r.linked.of_kind("metric") if m.entry.target == part and m.start >= 0]
    first = key_of(info.label)[:1]
    if not said or not first or all(key_of(m.text)[:1] == first for m in said):
        return None
    wholes = [w.name for w in r.inp.catalog.metrics if _is_part_of(info, w)]
    return (over.numerator, part, wholes[0]) if len(wholes) == 1 else None


def _qualifiers_unsaid(r: _Reading, part: str, value_word: str) -> list[str]:
    """Words left over beside a value that names the share's part ('cancelled late', 'cancelled
    online') which the part's own description does not say: they qualify the part further, and the
    whole's description saying them ('whatever happened to them later') does not read them."""
    info = r.inp.catalog.metric(part)
    if info is None:
        return []
    said = said_of(info)
    return [
        w
        for w in r.unplaced
        if fold(w) not in _RATE_WORDS
        and lemma(fold(w)) not in _RATE_WORDS
        and lemma(fold(w)) not in said
        and fold(w) not in said
        and lemma(fold(w)) != lemma(value_word)
        and fold(w) in {fold(t.text) for t in r.linked.tokens}
    ]


def _finer_count_named(r: _Reading, part: str) -> str | None:
    """The one count of the whole's things, other than `part`, that a word left over names ('on
    time' of 'delivered on time' → on-time deliveries): the share's part is said more narrowly than
    the value alone."""
    whole = r.inp.catalog.metric(r.metrics[0])
    if whole is None or whole.counts is None:
        return None
    finer = {
        n
        for others in r.left.values()
        for n in others
        if n not in (part, whole.name)
        and (m := r.inp.catalog.metric(n)) is not None
        and m.counts == whole.counts
        and m.type != "ratio"
    }
    return next(iter(finer)) if len(finer) == 1 else None


def _finer_share_asked(r: _Reading) -> ClarificationPlan | None:
    """'Share of shipments delivered on time': the finer count over the part the value names (the
    catalog's ratio of the two, when it has one) or over the whole — both are said, one is chosen."""
    if r.finer is None:
        return None
    catalog = r.inp.catalog
    finer, part, whole = (catalog.metric(n) for n in r.finer)
    if finer is None or part is None or whole is None:
        return None
    rate = next(
        (m for m in catalog.metrics if m.numerator == finer.name and m.denominator == part.name), None
    )
    of_part = rate.label if rate is not None else f"{finer.label} as % of {part.label.lower()}"
    of_whole = f"{finer.label} as % of {whole.label.lower()}"
    return ClarificationPlan(
        question=f"Which share do you mean: {of_part} ({finer.label.lower()} ÷ {part.label.lower()}), "
        f"or {of_whole}?",
        options=(of_part, of_whole),
    )


def _share_of_its_whole(r: _Reading) -> tuple[str, str] | None:
    """'Anteil der verspäteten Zustellungen', 'what share of deliveries were late': a share asked of
    one figure that the catalog defines as part of another (late = delivered - on time), with no
    breakdown, value or yes/no to take the share over — that part divided by its whole."""
    inp, metrics = r.inp, r.metrics
    if r.ratio is not None or len(metrics) != 1 or not r.sig.share or r.values or r.left:
        return None
    if any(d.entry.target != "metric_time" for d in r.dims):
        return None
    info = inp.catalog.metric(metrics[0])
    if info is None or info.part_of is None or inp.catalog.metric(info.part_of) is None:
        return None
    return metrics[0], info.part_of
