"""The offline planner: question (+ previous plan) → a plan, deterministically, with no network.

It reads the catalog's words (names, labels, synonyms), the tenant's dimension values and the
documented time conventions. Order of decisions: cross-tenant and vague questions first, then the
signals (comparison, share, grain, ranking, time), then linking, then assembly — and when a
word cannot be placed or a choice cannot be made it asks a short clarification instead of
guessing. Follow-ups ("and by store?", "only Hamburg", "what about last year?") reuse the
previous plan.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from assistant.core.answering.examples import example_question, help_text
from assistant.core.planning.offline.document_questions import documents_answer_instead, is_document_question
from assistant.core.planning.offline.lexicon import Entry, Lexicon, entity_name_dimension, key_of
from assistant.core.planning.offline.linking import Linked, Mention, link, suggest_values
from assistant.core.planning.offline.retrieval_hints import with_retrieval
from assistant.core.planning.offline.signals import Ranking, Signals, extract_signals
from assistant.core.planning.offline.text import fold
from assistant.core.planning.plans import (
    ClarificationPlan,
    DocumentPlan,
    MetricPlan,
    Period,
    Plan,
    RefusalPlan,
)
from assistant.core.planning.time_range import DateRange, period_start
from semantic_layer.catalog import Catalog, MetricInfo
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange

if TYPE_CHECKING:  # types only: the retriever module loads numpy and the lemmatizer
    from retrieval.retriever import DocumentContext, RetrievalContext

_FOLLOW_UP_START = re.compile(
    r"^\s*(?:and|what about|how about|what of|now|same|also|but|then|only|just|instead|und|nur|jetzt|"
    r"wie sieht es|show (?:it|that|this|me that)|split|break (?:it|that) down|drill)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(?:how (?:are|is|did|were) (?:we|things|business|it) (?:doing|going|performing)|"
    r"how(?:'s| is) business|"
    r"performance|how are we|how are things|how(?:'s| is) it going|what'?s new|anything new|"
    r"wie läuft|wie laufen|wie geht'?s|kpis?|overview|dashboard|summary|status)\b",
    re.IGNORECASE,
)
# Requests to change data: this assistant only reads, and says so rather than answering a SELECT.
_WRITE_INTENT = re.compile(
    r"^\s*(?:please\s+|can you\s+|could you\s+|bitte\s+)?(?:delete|drop|remove|truncate|insert|erase|wipe|"
    r"overwrite|lösche|entferne|(?:update|alter|modify|reset|change)\s+(?:the|all|our|my|every|each|alle|die)\b)",
    re.IGNORECASE,
)
# Everyday topics that are not the business's data; a question naming a metric still gets answered.
_OFF_TOPIC = re.compile(
    r"\b(?:weather|wetter|joke|witz|poem|gedicht|song|recipe|rezept|capital of|president|bitcoin|"
    r"horoscope|translate|übersetze|who are you|your name|football|fußball|lottery)\b",
    re.IGNORECASE,
)
_EXPLAIN = re.compile(r"^\s*(?:why|warum|wieso|how come|what drove|what caused|explain)\b", re.IGNORECASE)
_DEFAULT_TOP_N = 5
_NEAR_MISS = 0.75  # similarity at which an unknown name reads as a misspelt value of ours
# "What is running out of stock?" names no metric; retailers mean: lowest weeks of supply first.
_STOCK_RISK = re.compile(
    r"\b(?:run(?:ning)?\s+out(?:\s+of\s+stock)?|out\s+of\s+stock|low\s+(?:on\s+)?stock|stock[\s-]?outs?|"
    r"sold\s+out|ausverkauft|knapp|nachbestellen|reorder)\b",
    re.IGNORECASE,
)
_STOCK_RISK_METRICS = ("weeks_of_supply", "on_hand_units")


class RetrievalLookup(Protocol):
    """What retrieval finds for one question, looked up when a planner first asks (each at most
    once). Opening the index and the embedder costs a cold process about a second, and a question
    the lexicon reads whole never needs them."""

    def context(self) -> RetrievalContext | None: ...

    def documents(self) -> DocumentContext | None: ...


@dataclass(frozen=True)
class PlannerInput:
    question: str
    as_of: date
    catalog: Catalog
    lexicon: Lexicon  # built for this tenant (catalog words + the tenant's values)
    previous: MetricPlan | None = None
    foreign_terms: Sequence[str] = ()  # other tenants' ids and names: naming one is a refusal
    default_metric: str | None = "net_sales"
    first_data_date: date | None = None  # for the "all loaded data" label
    retrieval: RetrievalContext | None = None  # what retrieval found for this question (None: no index)
    documents: DocumentContext | None = None  # the tenant's document chunks for it (None: no index)
    lookup: RetrievalLookup | None = None  # both of the above on demand (when not given as values)

    def retrieved(self) -> RetrievalContext | None:
        """What retrieval found for the question: as given, else looked up now."""
        if self.retrieval is not None or self.lookup is None:
            return self.retrieval
        return self.lookup.context()

    def document_context(self) -> DocumentContext | None:
        """The tenant's document chunks for the question: as given, else looked up now."""
        if self.documents is not None or self.lookup is None:
            return self.documents
        return self.lookup.documents()


class OfflinePlanner:
    """Deterministic semantic parser; stateless, safe to share between threads."""

    name = "offline"

    def plan(self, inp: PlannerInput) -> Plan:
        question = inp.question.strip()
        folded = f" {fold(question)} "
        for term in inp.foreign_terms:
            if f" {fold(term)} " in folded or fold(term) in folded.replace(" ", "-"):
                return RefusalPlan(
                    reason="cross_tenant",
                    message="I can only answer questions about your own company's data.",
                )
        if _WRITE_INTENT.search(question):
            return RefusalPlan(
                reason="not_allowed",
                message="I can only read your data — I can't change or delete anything. "
                f"Ask me about it instead, e.g. '{example_question(inp.catalog)}'.",
            )
        sig = extract_signals(question, inp.as_of)
        if is_document_question(question, sig, inp.document_context):
            return DocumentPlan(question=question)
        linked = link(sig.text, inp.lexicon)
        if not linked.read_whole():
            # retrieval fills what the lexicon could not read (values in other words, misspelt
            # metrics); a question it reads whole is planned without asking (see Linked.read_whole)
            extended = with_retrieval(inp.lexicon, inp.retrieved())
            if extended is not inp.lexicon:
                inp = dataclasses.replace(inp, lexicon=extended)
                linked = link(sig.text, extended)
        follow_up = inp.previous is not None and self._is_follow_up(question, linked)
        if follow_up and inp.previous is not None:
            return self._follow_up(inp, inp.previous, sig, linked)
        return self._fresh(inp, sig, linked)

    # ---- fresh questions -----------------------------------------------------------------

    def _fresh(self, inp: PlannerInput, sig: Signals, linked: Linked) -> Plan:
        metrics = _unique(m.entry.target for m in linked.of_kind("metric"))
        dims = linked.of_kind("dimension")
        values = [m for m in linked.of_kind("value") if not m.entry.weak or _dimension_named(m, dims)]
        anchored = bool(dims or values or sig.time or sig.grain or sig.ranking or sig.comparison or sig.share)
        if linked.unknown_names:
            # "what is the capital of France?": nothing but a name we do not know, and nothing of the
            # business around it — off topic, unless the name is a near-miss of one of ours
            if (
                not (anchored or metrics)
                and not _VAGUE.search(inp.question)
                and not suggest_values(linked.unknown_names[0], inp.lexicon, cutoff=_NEAR_MISS)
            ):
                return _off_topic(inp)
            return _unknown_name_clarification(linked.unknown_names, inp.lexicon)
        if _OFF_TOPIC.search(inp.question) and not metrics:
            return _off_topic(inp)
        metrics, flag_dims = _negated_metrics_as_flags(linked, metrics, inp.lexicon)
        dims = [*dims, *flag_dims]
        if set(metrics) <= set(_STOCK_RISK_METRICS) and _STOCK_RISK.search(inp.question):
            stock = next((m for m in _STOCK_RISK_METRICS if inp.catalog.metric(m) is not None), None)
            product = entity_name_dimension(inp.catalog, "product")
            if stock is not None and product is not None:
                ranking = Ranking("asc", sig.ranking.n if sig.ranking else 10)
                sig = dataclasses.replace(sig, ranking=ranking)
                dims = [*dims, Mention(Entry("dimension", product, source="intent"), -1, -1, "products")]
                metrics = [stock]
        if not metrics:
            if _VAGUE.search(inp.question) and not (dims or values):
                return _which_metric(inp.catalog, "Which figure would you like to see?")
            if anchored and inp.default_metric and inp.catalog.metric(inp.default_metric):
                metrics = [inp.default_metric]
            elif anchored:
                return _which_metric(inp.catalog, "Which figure do you mean?")
            else:
                return _off_topic(inp)
        return self._assemble(inp, sig, metrics, dims, values)

    def _assemble(
        self,
        inp: PlannerInput,
        sig: Signals,
        metrics: list[str],
        dims: list[Mention],
        values: list[Mention],
        *,
        base: MetricPlan | None = None,
    ) -> Plan:
        catalog = inp.catalog
        infos = [m for m in (catalog.metric(n) for n in metrics) if m is not None]
        group_by: list[str] = []
        explicit_by = {d.entry.target for d in dims}
        value_dims = {v.entry.target for v in values}
        flags = [d for d in dims if d.entry.is_flag and not _says_by(inp.question, d)]
        for d in dims:
            # "stores in Hamburg": the value explains the dimension word — a filter, not a group-by
            if d in flags or (d.entry.target in value_dims and not _says_by(inp.question, d)):
                continue
            group_by.append(d.entry.target)
        if base is not None and not explicit_by:
            group_by = [g for g in base.query.group_by if g != "metric_time"]
        elif base is not None:
            group_by = _unique([*group_by])
        filters = _filters(values, inp.lexicon)
        filters += [Filter(dimension=d.entry.target, operator="=", values=(not d.negated,)) for d in flags]
        if not [g for g in group_by if g != "metric_time"] and not sig.share:
            in_filters = {f.dimension for f in filters if f.operator == "in"}
            group_by += [d for d in _contrasted_dimensions(inp.question, values) if d in in_filters]
        focus: tuple[str, ...] = ()
        if sig.share:
            # "what share of sales is online": group by the named value's dimension, keep it in focus
            share_dims = _unique(v.entry.target for v in values if not v.negated)
            if share_dims:
                focus = tuple(v.entry.value or "" for v in values if v.entry.target == share_dims[0])
                filters = [f for f in filters if f.dimension != share_dims[0]]
                group_by = _unique([share_dims[0], *group_by])
            if not group_by:
                return ClarificationPlan(
                    question="Share of what? For example: by store, by category or by channel.",
                    options=_dimension_options(catalog, infos),
                )
        if base is not None:
            kept = [f for f in base.query.filters if f.dimension not in {f2.dimension for f2 in filters}]
            filters = [*kept, *filters]
        for info in infos:
            unreachable = [g for g in group_by if g not in info.dimensions]
            unreachable += [f.dimension for f in filters if f.dimension not in info.dimensions]
            if unreachable:
                dim = catalog.dimension(unreachable[0])
                label = dim.label if dim else unreachable[0]
                return ClarificationPlan(
                    question=f"{info.label} cannot be broken down or filtered by {label.lower()}. "
                    f"It can be by: {', '.join(_labels(catalog, info.dimensions)[:8])}.",
                    options=tuple(_labels(catalog, info.dimensions)[:8]),
                )
        grain = sig.grain or (
            base.query.time_grain if base and "metric_time" in base.query.group_by else None
        )
        time_range = sig.time or (_period_range(base.period) if base is not None else None)
        comparison = sig.comparison or (base.comparison if base is not None and not sig.time else None)
        if comparison is None and sig.change_words and not sig.share and (time_range or sig.ranking):
            comparison = "same_period_last_year"
        if comparison is not None and time_range is None:
            ytd_start = date(inp.as_of.year, 1, 1)
            time_range = DateRange(ytd_start, inp.as_of, f"year to date ({ytd_start} to {inp.as_of})")
        if sig.trend and grain is None:
            grain = _trend_grain(time_range, inp)
        if grain is not None:
            finest = infos[0].grains[0] if infos and infos[0].grains else Grain.DAY
            if grain.rank < finest.rank:
                grain = finest
            group_by = [*group_by, "metric_time"]
        order_by: list[OrderBy] = []
        limit: int | None = None
        ranking = sig.ranking
        if ranking is not None:
            if not [g for g in group_by if g != "metric_time"]:
                return ClarificationPlan(
                    question="Top what? For example the top stores, categories or products.",
                    options=_dimension_options(catalog, infos),
                )
            limit = ranking.n or (1 if _singular_subject(inp.question, dims) else _DEFAULT_TOP_N)
            order_by = [OrderBy(name=metrics[0], descending=ranking.direction == "desc")]
        elif base is not None and base.query.limit and not explicit_by:
            limit = base.query.limit
            order_by = list(base.query.order_by)
        elif "metric_time" in group_by:
            # Periods in order; within a period the biggest first, then by name, so the rows come
            # in the same order on every run (the warehouse keeps no order of its own).
            others = [g for g in group_by if g != "metric_time"]
            order_by = [OrderBy(name="metric_time")]
            if others:
                order_by += [OrderBy(name=metrics[0], descending=True), *(OrderBy(name=g) for g in others)]
        elif group_by:
            order_by = [OrderBy(name=metrics[0], descending=True)]
        query = SemanticQuery(
            metrics=tuple(metrics),
            group_by=tuple(group_by),
            time_grain=grain or Grain.DAY,
            filters=tuple(filters),
            time_range=TimeRange(start=time_range.start, end=time_range.end) if time_range else TimeRange(),
            order_by=tuple(order_by),
            limit=limit,
        )
        period = (
            Period(start=time_range.start, end=time_range.end, label=time_range.label)
            if time_range
            else Period(start=inp.first_data_date, end=None, label="all loaded data")
        )
        understood = [", ".join(i.label for i in infos)]
        understood += [f"by {_label(catalog, g)}" for g in group_by if g != "metric_time"]
        if grain is not None:
            understood.append(f"per {grain.value}")
        understood += [_describe_filter(catalog, f) for f in filters]
        understood.append(period.label)
        if comparison:
            understood.append("vs the same period last year" if comparison == "same_period_last_year"
                              else "vs the previous period")  # fmt: skip
        return MetricPlan(
            query=query,
            period=period,
            comparison=comparison,
            share_of_total=sig.share,
            focus=focus,
            understood=tuple(understood),
        )

    # ---- follow-ups ----------------------------------------------------------------------

    @staticmethod
    def _is_follow_up(question: str, linked: Linked) -> bool:
        if _FOLLOW_UP_START.search(question) or _EXPLAIN.search(question):
            return True
        return not linked.of_kind("metric") and len(linked.tokens) <= 8

    def _follow_up(self, inp: PlannerInput, prev: MetricPlan, sig: Signals, linked: Linked) -> Plan:
        if linked.unknown_names:
            return _unknown_name_clarification(linked.unknown_names, inp.lexicon)
        if _EXPLAIN.search(inp.question):
            return _explain_plan(inp, prev)
        metrics = _unique(m.entry.target for m in linked.of_kind("metric")) or list(prev.query.metrics)
        dims = linked.of_kind("dimension")
        values = [m for m in linked.of_kind("value") if not m.entry.weak or _dimension_named(m, dims)]
        return self._assemble(inp, sig, metrics, dims, values, base=prev)


# ---- helpers ---------------------------------------------------------------------------------


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]


def _says_by(question: str, mention: Mention) -> bool:
    return bool(
        re.search(rf"\b(?:by|per|each|every|nach|pro|je)\s+{re.escape(mention.text)}", question, re.I)
    )


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


_CONTRAST = r"\s+(?:vs\.?|versus|or|oder|against|gegen(?:über)?|compared\s+(?:to|with)|verglichen\s+mit)\s+"


def _contrasted_dimensions(question: str, values: list[Mention]) -> list[str]:
    """'margin Salzburg vs Innsbruck': two values of one dimension set against each other are to be
    shown side by side — grouped by that dimension (and filtered to them), not added up. A plain
    'and' ('Hamburg and Berlin') stays one combined figure."""
    found: list[str] = []
    for a in values:
        for b in values:
            if (
                a is not b
                and a.entry.target == b.entry.target
                and not (a.negated or b.negated)
                and a.entry.target not in found
                and re.search(re.escape(a.text) + _CONTRAST + re.escape(b.text), question, re.I)
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


def _trend_grain(rng: DateRange | None, inp: PlannerInput) -> Grain:
    if rng is None:
        return Grain.MONTH
    if rng.days <= 31:
        return Grain.DAY
    if rng.days <= 190:
        return Grain.WEEK
    return Grain.MONTH


def _period_range(period: Period) -> DateRange | None:
    if period.start is None or period.end is None:
        return None
    return DateRange(period.start, period.end, period.label)


def _label(catalog: Catalog, name: str) -> str:
    dim = catalog.dimension(name)
    return (dim.label if dim else name).lower()


def _labels(catalog: Catalog, names: Sequence[str]) -> list[str]:
    return [_label(catalog, n) for n in names if n != "metric_time" and catalog.dimension(n) is not None]


def _describe_filter(catalog: Catalog, f: Filter) -> str:
    vals = ", ".join(str(v) for v in f.values)
    if f.operator in ("!=", "not in"):
        return f"excluding {_label(catalog, f.dimension)} {vals}"
    return f"{_label(catalog, f.dimension)} {vals}"


def _dimension_options(catalog: Catalog, infos: list[MetricInfo]) -> tuple[str, ...]:
    names = infos[0].dimensions if infos else tuple(d.name for d in catalog.dimensions)
    return tuple(_labels(catalog, names)[:6])


def _which_metric(catalog: Catalog, question: str) -> ClarificationPlan:
    preferred = ("net_sales", "gross_margin", "orders", "units_sold", "average_order_value", "return_rate")
    options = [m.label for name in preferred if (m := catalog.metric(name)) is not None]
    if not options:
        options = [m.label for m in catalog.metrics[:6]]
    return ClarificationPlan(question=question, options=tuple(options))


def _off_topic(inp: PlannerInput) -> DocumentPlan | RefusalPlan:
    if documents_answer_instead(inp.document_context()):
        return DocumentPlan(question=inp.question.strip())
    return RefusalPlan(reason="off_topic", message=help_text(inp.catalog))


def _unknown_name_clarification(names: list[str], lexicon: Lexicon) -> ClarificationPlan:
    name = names[0]
    suggestions = suggest_values(name, lexicon)
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    return ClarificationPlan(
        question=f"I couldn't find '{name}' among your stores, products, categories or other data.{hint}",
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


def _negated_metrics_as_flags(
    linked: Linked, metrics: list[str], lexicon: Lexicon
) -> tuple[list[str], list[Mention]]:
    """'net sales excluding returns': 'returns' names a metric, but negated it means the yes/no
    dimension of the same name (is_return = false) — a filter, not a second metric."""
    flags: list[Mention] = []
    drop: set[str] = set()
    for m in linked.of_kind("metric"):
        if not m.negated:
            continue
        flag = next((e for e in lexicon.lookup(key_of(m.text)) if e.is_flag), None)
        if flag is not None:
            flags.append(Mention(flag, m.start, m.end, m.text, negated=True))
            drop.add(m.entry.target)
    kept = [name for name in metrics if name not in drop or any(
        x.entry.target == name and not x.negated for x in linked.of_kind("metric"))]  # fmt: skip
    return kept, flags
