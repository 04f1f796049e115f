"""The questions back and refusals the planner gives instead of guessing: off-topic
questions, unknown names and unplaced words, 'this season' (a period or a collection?), which metric or
dimension was meant (the options offered), and the explanation of a previous plan.
"""

from __future__ import annotations

from assistant.core.answering.asking_back import breakdown_options, not_found, not_understood
from assistant.core.answering.examples import help_text
from assistant.core.planning.offline.context_words import catalog_context_words
from assistant.core.planning.offline.document_questions import documents_answer_instead
from assistant.core.planning.offline.inputs import PlannerInput
from assistant.core.planning.offline.lexicon import MONEY_HEADS, Lexicon
from assistant.core.planning.offline.linking import STOPWORDS, Linked, suggest_values
from assistant.core.planning.offline.product_words import read_product_words
from assistant.core.planning.offline.roles import _names_entity, _unique
from assistant.core.planning.offline.text import english_lemma, fold, lemma, phrase_key
from assistant.core.planning.plans import (
    ClarificationPlan,
    DocumentPlan,
    MetricPlan,
    Period,
    Plan,
    RefusalPlan,
)
from assistant.core.planning.time_range import period_start
from semantic_layer.catalog import Catalog, MetricInfo
from semantic_layer.query import TimeRange


def _unplaced_words(linked: Linked, *, entities: bool = True, catalog: Catalog | None = None) -> list[str]:
    """Lemmas of the content words no value or dimension phrase took (entity words count, unless
    `entities` is off: 'how many consignments', 'went back to the shipper'). With `entities` off, a
    word right before a dimension phrase is its modifier ('delivering region'), not a figure."""
    covered = {
        k
        for m in linked.mentions
        if (m.entry.source != "entity" or not entities)
        and not (entities and catalog is not None and _names_entity(catalog, m.text))  # 'guests'
        for k in range(max(m.start, 0), m.end)
    }
    if not entities:
        covered |= {m.start - 1 for m in linked.mentions if m.entry.kind == "dimension" and m.start > 0}
    out = []
    for k, t in enumerate(linked.tokens):
        if k in covered or t.text in STOPWORDS or len(t.text) < 3 or t.text.isdigit():
            continue
        out += [lemma(t.text), english_lemma(t.text)]  # 'arrived': German reading first, then English
    return _unique(out)


def _dimension_options(catalog: Catalog, infos: list[MetricInfo]) -> tuple[str, ...]:
    """The breakdowns to offer, in the project's words ('store', 'carrier': `asking_back`)."""
    return breakdown_options(catalog, infos[0] if infos else None)


def _which_metric(catalog: Catalog, question: str) -> ClarificationPlan:
    preferred = ("sales", "margin", "purchases", "units", "basket", "return_share")  # meta.mercurios.kpi
    options = [m.label for kpi in preferred if (m := catalog.metric_for(kpi)) is not None]
    if not options:
        # the project's headline figure first, then the totals (money, then the rest: 'which hotel
        # sold the least' is ranked by a total, never by an average booking window), then the others
        first = catalog.default_metric()

        def order(m: MetricInfo) -> tuple[bool, bool, bool]:
            words = phrase_key(m.label)
            money = m.role == "money" or m.format == "currency" or (m.unit or "").endswith("currency")
            money = money or (bool(words) and words[-1] in MONEY_HEADS)
            return (m is not first, not m.additive, not money)

        options = [m.label for m in sorted(catalog.metrics, key=order)[:6]]
    return ClarificationPlan(question=question, options=tuple(options))


def _off_topic(inp: PlannerInput) -> DocumentPlan | RefusalPlan:
    if documents_answer_instead(inp.document_context()):
        return DocumentPlan(question=inp.question.strip())
    return RefusalPlan(reason="off_topic", message=help_text(inp.catalog))


def _unknown(linked: Linked, inp: PlannerInput) -> list[str]:
    """Names linking could not place, less the catalog's context words ('Kunden', 'Teile') and the
    words that name items ('Skijacken'): those are read, not unknown."""
    if not linked.unknown_names:
        return []  # (and no lemma dictionary loaded for the catalog's words)
    context = catalog_context_words(inp.catalog)
    return [
        name
        for name in linked.unknown_names
        if not ({fold(name), lemma(fold(name))} & context) and read_product_words([name], inp.lexicon) is None
    ]


def _season_clarification(words: str, lexicon: Lexicon) -> ClarificationPlan:
    """'this season': a stretch of time, or one of the collections the items carry (HW25, FS26 …)?"""
    dims = {e.target for e in lexicon.lookup(("season",)) if e.kind == "dimension"}
    collections = sorted({e.value for bucket in lexicon.entries.values() for e in bucket
                          if e.kind == "value" and e.target in dims and e.value})  # fmt: skip
    named = f" or a collection ({', '.join(collections[:6])})" if collections else ""
    return ClarificationPlan(
        question=f"Which '{words}' do you mean: a period (for example 'November to March'){named}?",
        options=tuple(collections[:6]),
    )


def _unplaced_clarification(words: list[str], lexicon: Lexicon, catalog: Catalog) -> ClarificationPlan:
    quoted = " and ".join(f"'{w}'" for w in words[:3])
    suggestions = suggest_values(words[0], lexicon)
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    return ClarificationPlan(
        question=not_understood(quoted, catalog) + hint,
        options=tuple(suggestions),
    )


def _unknown_name_clarification(names: list[str], lexicon: Lexicon, catalog: Catalog) -> ClarificationPlan:
    name = names[0]
    suggestions = suggest_values(name, lexicon)
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    return ClarificationPlan(
        question=not_found(name, catalog) + hint,
        options=tuple(suggestions),
    )


def _explain_plan(inp: PlannerInput, prev: MetricPlan) -> Plan:
    """'why?' → the same metric and period compared with its comparison period, to be broken
    down by the dimensions that can explain it; the engine picks the one that moved most."""
    query = prev.query
    period = prev.period
    if period.start is None or period.end is None:
        end = inp.as_of
        start = period_start(end, "month")
        period = Period(start=start, end=end, label=f"month to date ({start} to {end})")
        query = query.model_copy(update={"time_range": TimeRange(start=start, end=end)})
    comparison = prev.comparison or "previous_period"
    query = query.model_copy(update={"group_by": (), "order_by": (), "limit": None})
    return MetricPlan(
        query=query,
        period=period,
        comparison=comparison,
        understood=(*prev.understood, "explain the change"),
        drill_down=True,
    )
