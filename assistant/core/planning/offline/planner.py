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
import difflib
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from assistant.core.answering.examples import example_question, help_text
from assistant.core.planning.offline import intents, places
from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.describe import (
    DISTINCT_WORDS,
    Guess,
    asks_how_many,
    count_by_other_words,
    count_named,
    count_of_entity,
    entity_words,
    explains_most,
    in_description,
    is_distinct_count,
    kind_word_only,
    metric_from_description,
    named_by_all,
    named_entities,
    names_metric,
    narrowed,
    ranked_by_description,
    said_of,
    shared_name,
    unexplained,
)
from assistant.core.planning.offline.document_questions import documents_answer_instead, is_document_question
from assistant.core.planning.offline.follow_up_words import (
    ACKNOWLEDGED,
    ADDING,
    ANAPHOR,
    EXPLAIN,
    FOLLOW_UP_START,
    NARROWING,
    PER_FOLLOW_UP,
)
from assistant.core.planning.offline.german import reads_german, translate_unknown
from assistant.core.planning.offline.lexicon import Entry, Lexicon, entity_name_dimension, key_of
from assistant.core.planning.offline.linking import (
    STOPWORDS,
    Linked,
    Mention,
    is_harmless,
    link,
    suggest_values,
    unplaced_words,
)
from assistant.core.planning.offline.paths import (
    PathChoice,
    attribute,
    lemmas,
    option_label,
    resolve,
    role_after,
    role_before,
    same_stem,
)
from assistant.core.planning.offline.product_words import read_product_words
from assistant.core.planning.offline.retrieval_hints import with_retrieval
from assistant.core.planning.offline.signals import (
    RANKING_WORDS,
    Ranking,
    Signals,
    comparison_spans,
    extract_signals,
)
from assistant.core.planning.offline.text import (
    Token,
    english_lemma,
    expand_elisions,
    expand_shorthand,
    fold,
    lemma,
    tokenize,
)
from assistant.core.planning.offline.text import singular as singular_of
from assistant.core.planning.offline.typos import correct_typos
from assistant.core.planning.offline.value_lookup import ValueIndex, with_values_beyond_cap
from assistant.core.planning.offline.whole_question import HOLDER_WORDS, NEGATIONS, answer_or_ask
from assistant.core.planning.plans import (
    ClarificationPlan,
    Comparison,
    DerivedRatio,
    DocumentPlan,
    MetricPlan,
    Period,
    Plan,
    RefusalPlan,
)
from assistant.core.planning.time_range import DateRange, full_period, period_start, shift, shift_range
from guardrails.text import off_topic_finding
from semantic_layer.catalog import Catalog, MetricInfo
from semantic_layer.comparisons import CHANGE_SUFFIX, comparison_range
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange
from semantic_layer.validation import CHANGE_SUFFIXES

if TYPE_CHECKING:  # types only: the retriever module loads numpy and the lemmatizer
    from retrieval.retriever import DocumentContext, RetrievalContext

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
    r"overwrite|lösche|entferne|(?:update|alter|modify|reset|change|set|raise|lower|increase|decrease|reduce|cut|mark)"
    r"\s+(?:the|all|our|my|every|each|alle|die|prices?)\b|(?:erh(?:ö|oe)he|senke|setze|(?:ä|ae)ndere|aktualisiere|"
    r"reduziere)\s+(?:die|den|das|alle|unsere|den)\b)",
    re.IGNORECASE,
)
# Everyday topics that are not the business's data; a question naming a metric still gets answered.
_OFF_TOPIC = re.compile(
    r"\b(?:weather|wetter|joke|witz|poem|gedicht|song|recipe|rezept|capital of|president|bitcoin|"
    r"horoscope|translate|übersetze|who are you|your name|football|fußball|lottery)\b",
    re.IGNORECASE,
)
# "this season" with no dates: a period or a collection? (with dates in brackets it is the period)
_VAGUE_SEASON = re.compile(
    r"\b(?:this|last|current|next|previous|diese[rn]?|letzte[rn]?|vergangene[rn]?|aktuelle[rn]?|n(?:ä|ae)chste[rn]?)"
    r"\s+(?:season|saison)\b",
    re.IGNORECASE,
)
_DEFAULT_TOP_N = 5
_MAX_PRODUCT_WORD_VALUES = 5  # a product word naming items of more values than this is asked about
_NEAR_MISS = 0.75  # similarity at which an unknown name reads as a misspelt value of ours
# "What is running out of stock?" names no metric; retailers mean: lowest weeks of supply first.
_STOCK_RISK = re.compile(
    r"\b(?:run(?:ning)?\s+out(?:\s+of\s+stock)?|out\s+of\s+stock|low\s+(?:on\s+)?stock|stock[\s-]?outs?|"
    r"sold\s+out|ausverkauft|knapp|nachbestellen|reorder)\b",
    re.IGNORECASE,
)
_SOON = frozenset(("soon", "bald", "demnaechst", "demnächst", "likely", "about"))
_STOCK_RISK_KPIS = ("stock_cover", "stock_on_hand")  # meta.mercurios.kpi (insights/roles.py)


CATALOG_DEFAULT = "\0catalog-default"  # PlannerInput's default_metric unless given: see __post_init__
# "since it opened", "seit der Eröffnung", "so far", "to date", "current(ly)", "aktuell": from the
# first data to as_of (a stock figure: the last count up to as_of). Without
# it, "all loaded data" would also count what the warehouse holds after as_of (future stays on the
# books, a past as_of) — a number for another period than the one asked about.
_UP_TO_NOW = re.compile(
    r"\b(?:(?:ever\s+)?since\s+(?:it|they|we|he|she|the\s+\w+)\s+(?:first\s+)?(?:opened|started|began|launched|"
    r"joined|went\s+live|came\s+on\s*board|was\s+opened|were\s+opened)(?:\s+its\s+doors)?|"
    r"(?:ever\s+)?since\s+(?:the\s+|its\s+|their\s+)?(?:opening|launch|start|beginning|go[\s-]live)|"
    r"seit\s+(?:der\s+|seiner\s+|ihrer\s+)?(?:er(?:ö|oe)ffnung|(?:ö|oe)ffnung|start|beginn)|"
    r"seit\s+(?:es|sie|er|wir)\s+(?:ge|er)?(?:ö|oe)ffnet\s+(?:hat|haben|wurde|wurden|ist|sind)|"
    r"(?:so\s+far|to\s+date|all[\s-]time|of\s+all\s+time|bis\s+heute|bisher)(?!\s+(?:this|last|in|im)\b)|"
    # 'current stock', 'at the moment', 'aktueller Lagerbestand': now, not the last day the warehouse holds
    r"currently|current(?!\s+(?:year|month|week|quarter|period|season)\b)|right\s+now|at\s+the\s+moment|"
    r"at\s+present|as\s+of\s+(?:now|today)|aktuell(?:e[nmrs]?)?|derzeit(?:ig(?:e[nmrs]?)?)?|momentan(?:e[nmrs]?)?|"
    r"zurzeit|im\s+moment)",
    re.IGNORECASE,
)


class RetrievalLookup(Protocol):
    """What retrieval finds for one question, looked up when a planner first asks (each at most
    once). Opening the index and the embedder costs a cold process about a second, and a question
    the lexicon reads whole never needs them."""

    def context(self) -> RetrievalContext | None: ...

    def documents(self) -> DocumentContext | None: ...

    def values(self) -> ValueIndex:
        """The tenant's values of the dimensions too large for the lexicon (see `value_lookup`)."""
        ...


@dataclass(frozen=True)
class PlannerInput:
    question: str
    as_of: date
    catalog: Catalog
    lexicon: Lexicon  # built for this tenant (catalog words + the tenant's values)
    previous: MetricPlan | None = None
    foreign_terms: Sequence[str] = ()  # other tenants' ids and names: naming one is a refusal
    default_metric: str | None = CATALOG_DEFAULT  # else: the catalog's declared default (below)
    first_data_date: date | None = None  # for the "all loaded data" label
    retrieval: RetrievalContext | None = None  # what retrieval found for this question (None: no index)
    documents: DocumentContext | None = None  # the tenant's document chunks for it (None: no index)
    lookup: RetrievalLookup | None = None  # both of the above on demand (when not given as values)

    def __post_init__(self) -> None:
        """Not given, the default metric is the one the project declares (`meta: {mercurios:
        {default: true}}`), none when it declares none — never a name written here."""
        if self.default_metric == CATALOG_DEFAULT:
            declared = self.catalog.declared_default
            object.__setattr__(self, "default_metric", declared.name if declared else None)

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

    def values_beyond_cap(self) -> ValueIndex:
        """The values the lexicon's cap left out, looked up now (empty without a lookup)."""
        return self.lookup.values() if self.lookup is not None else ValueIndex()


class OfflinePlanner:
    """Deterministic semantic parser; stateless, safe to share between threads."""

    name = "offline"
    deterministic = True  # the same input, the same plan: the engine may keep it (`core/plan_memo`)

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
        corrected = correct_typos(question, inp.lexicon.vocabulary, _context_words(inp.catalog))
        if corrected != question:  # 'deliever', 'custmers', 'on-tiem': the catalog's or time's word
            question = corrected
            inp = dataclasses.replace(inp, question=corrected)
        if inp.previous is not None and (bare := ACKNOWLEDGED.sub("", question)) != question:
            question = bare  # 'ok and how much … did that bring in?': the follow-up, acknowledged
            inp = dataclasses.replace(inp, question=bare)
        rated = _left_out(_performance_as_rate(question, inp.lexicon))
        if rated != question:
            question = rated
            inp = dataclasses.replace(inp, question=rated)
        expanded = _shared_heads(
            expand_elisions(expand_shorthand(question), inp.lexicon.vocabulary), inp.lexicon
        )
        if expanded != question:
            question = expanded
            inp = dataclasses.replace(inp, question=expanded)
        translated = _translated_around_comparison(question, inp.lexicon.vocabulary)
        if translated != question:  # German words an English catalog does not hold, in English
            question = translated
            inp = dataclasses.replace(inp, question=translated)
        sig = _signals_around_values(question, inp)
        sig = _period_end(_up_to_now(_grain_in_a_name(sig, question, inp.lexicon), inp))
        sig = _whole_business(sig, inp.lexicon)
        if is_document_question(question, sig, inp.document_context):
            return DocumentPlan(question=question)
        linked = _without_loose_partials(link(sig.text, inp.lexicon, original=question))
        if not linked.read_whole():
            # retrieval fills what the lexicon could not read (values in other words, misspelt
            # metrics); a question it reads whole is planned without asking (see Linked.read_whole)
            extended = with_retrieval(inp.lexicon, inp.retrieved())
            if extended is not inp.lexicon:
                inp = dataclasses.replace(inp, lexicon=extended)
                linked = _without_loose_partials(link(sig.text, extended, original=question))
        if not linked.read_whole():
            # a name the lexicon leaves unread may be a value of a dimension too large for it
            # ('shipments for Nordlicht Handel GmbH'): looked up exactly among all the tenant's values
            with_values = with_values_beyond_cap(inp.lexicon, inp.values_beyond_cap(), linked)
            if isinstance(with_values, ClarificationPlan):
                return with_values
            if with_values is not inp.lexicon:
                inp = dataclasses.replace(inp, lexicon=with_values)
                linked = _without_loose_partials(link(sig.text, with_values, original=question))
        # 'Total revenue per available room night (TRevPAR)': a bracketed acronym restates the words
        # before it; unknown, it is no name of a store or a product to ask about
        linked.unknown_names = [n for n in linked.unknown_names if f"({n})" not in question]
        if linked.unknown_names:
            local = _city_as_the_data_names_it(question, linked.unknown_names, inp.lexicon)
            if local is not None:  # 'Lisbon', 'Lissabon' → the 'Lisboa' of a hotel's name
                return self.plan(dataclasses.replace(inp, question=local))
        linked = _value_named_with_its_entity(linked, inp.lexicon, inp.catalog)
        follow_up = inp.previous is not None and self._is_follow_up(question, linked, sig)
        if follow_up and inp.previous is not None:
            return self._follow_up(inp, inp.previous, sig, linked)
        return self._fresh(inp, sig, linked)

    # ---- fresh questions -----------------------------------------------------------------

    def _fresh(self, inp: PlannerInput, sig: Signals, linked: Linked) -> Plan:
        """A question asked anew → the figures it asks about, in the steps of `_READING` (see there);
        a step that cannot place a word or choose a figure asks back. Then assembled into a plan."""
        r = _Reading(inp, sig, linked)
        for step in _READING:
            asked = step(r)
            if asked is not None:
                return asked
        planned = self._assemble(
            r.inp,
            r.sig,
            r.metrics,
            r.dims,
            r.values,
            spans=r.linked.of_kind("metric"),
            ratio=r.ratio,
            tokens=r.linked.tokens,
            percent=r.percent_of is not None or r.part_share,
        )
        return answer_or_ask(planned, sig, linked, inp.catalog, inp.question)  # every word read, or asked

    def _assemble(
        self,
        inp: PlannerInput,
        sig: Signals,
        metrics: list[str],
        dims: list[Mention],
        values: list[Mention],
        *,
        base: MetricPlan | None = None,
        spans: Sequence[Mention] = (),
        ratio: tuple[str, str] | None = None,
        tokens: Sequence[Token] = (),
        percent: bool = False,
    ) -> Plan:
        """The read question (or a follow-up on `base`) → a metric plan, in the steps of `_ASSEMBLY`
        (see there); a step that cannot choose asks back and the rest are not run."""
        draft = _Draft(inp, sig, metrics, dims, values, base, spans, ratio, tokens, percent)
        for step in _ASSEMBLY:
            asked = step(draft)
            if asked is not None:
                return asked
        return _metric_plan(draft)

    # ---- follow-ups ----------------------------------------------------------------------

    @staticmethod
    def _is_follow_up(question: str, linked: Linked, sig: Signals) -> bool:
        if FOLLOW_UP_START.search(question) or EXPLAIN.search(question) or sig.shift is not None:
            return True
        return not linked.of_kind("metric") and len(linked.tokens) <= 8

    def _follow_up(self, inp: PlannerInput, prev: MetricPlan, sig: Signals, linked: Linked) -> Plan:
        per = PER_FOLLOW_UP.match(inp.question)
        if per is not None and not linked.of_kind("dimension") and not linked.of_kind("value"):
            # 'and per kg?', 'und pro Sendung?': the previous figure divided by the one named
            divided = _per_what(inp.catalog, prev, per.group("what"), linked)
            if isinstance(divided, ClarificationPlan):
                return divided
            own_ratio, ratio = divided
            if own_ratio is not None:
                return self._assemble(inp, sig, [own_ratio], [], [], base=prev, tokens=linked.tokens)
            return self._assemble(
                inp, sig, list(ratio or ()), [], [], base=prev, ratio=ratio, tokens=linked.tokens
            )
        unknown = _unknown(linked, inp)
        if unknown:
            return _unknown_name_clarification(unknown, inp.lexicon)
        if EXPLAIN.search(inp.question):
            return _explain_plan(inp, prev)
        unplaced = unplaced_words(linked, inp.lexicon, lambda: _context_words(inp.catalog))
        words, unplaced = _product_words(unplaced, linked, inp.lexicon)
        if unplaced:
            return _unplaced_clarification(unplaced, inp.lexicon)
        metrics = _unique(m.entry.target for m in linked.of_kind("metric")) or list(prev.query.metrics)
        if NARROWING.search(inp.question) and (linked.of_kind("value") or linked.of_kind("dimension")):
            # 'and only for dangerous goods shipments?': the noun after the filter repeats what is
            # counted; a narrowing follow-up keeps the figure asked before
            metrics = list(prev.query.metrics)
        named_metrics = _unique(m.entry.target for m in linked.of_kind("metric"))
        if named_metrics and ADDING.search(inp.question):
            metrics = _unique([*prev.query.metrics, *named_metrics])
        dims = linked.of_kind("dimension")
        values = [m for m in linked.of_kind("value") if _read_as_value(m, dims)] + words
        spans = linked.of_kind("metric")
        named = [m.entry.target for m in [*dims, *values]]
        named += [*prev.query.group_by, *(f.dimension for f in prev.query.filters)]
        loose = _unexplained_described(_described_words(linked, inp), inp.catalog, metrics, named)
        loose = [w for w in loose if read_product_words([w], inp.lexicon) is None]
        if loose:
            return _unplaced_clarification(loose, inp.lexicon)
        planned = self._assemble(
            inp, sig, metrics, dims, values, base=prev, spans=spans, tokens=linked.tokens
        )
        return answer_or_ask(planned, sig, linked, inp.catalog, inp.question)


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


# ---- reading a fresh question: the steps of OfflinePlanner._fresh, in the order they run ---------


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


def _on_topic(r: _Reading) -> Plan | None:
    """The mentions read; a vague season, an off-topic question or an unknown name is asked about."""
    inp, sig, linked = r.inp, r.sig, r.linked
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
    if not metrics and (_OFF_TOPIC.search(inp.question) or off_topic_finding(inp.question) is not None):
        return _off_topic(inp)  # "who is the mayor of Hamburg?": a city of ours, not a question of ours
    unknown = _unknown(linked, inp)
    if unknown:
        # "what is the capital of France?": nothing but a name we do not know, and nothing of the
        # business around it — off topic, unless the name is a near-miss of one of ours
        if (
            not (anchored or metrics)
            and not _VAGUE.search(inp.question)
            and not suggest_values(unknown[0], inp.lexicon, cutoff=_NEAR_MISS)
        ):
            return _off_topic(inp)
        return _unknown_name_clarification(unknown, inp.lexicon)
    return None


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
        unplaced = unplaced_words(linked, inp.lexicon, lambda: _context_words(inp.catalog))
        unplaced = [w for w in unplaced if fold(w) not in percent_words]
        holders = _holders_of_values(linked, values)
        unplaced = [w for w in unplaced if w not in holders]
        r.percent_words = percent_words = {*percent_words, *holders}  # words read: none asked later
        if any(is_distinct_count(inp.catalog, m) for m in metrics):  # 'distinct guests': unique guests
            unplaced = [w for w in unplaced if lemma(fold(w)) not in DISTINCT_WORDS]
        words, unplaced = _product_words(unplaced, linked, inp.lexicon)
        values += words
        r.values = values
        if unplaced:
            return _unplaced_clarification(unplaced, inp.lexicon)
        if words and not metrics and inp.default_metric:
            r.anchored = True
    return None


def _unit_word_asked(inp: PlannerInput, linked: Linked) -> str | None:
    """A lower-case unit word ('pieces', 'Stück') no figure's name read, not after 'per' ('price per
    piece' divides by it): the one quantity figure of the catalog, if it has one."""
    spans = [(m.start, m.end) for m in linked.of_kind("metric")]
    texts = [t.text for t in linked.tokens]
    for k, t in enumerate(linked.tokens):
        if not (t.original.islower() and intents.UNIT_WORDS.fullmatch(t.original)):
            continue
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
        if stock is not None and product is not None:
            ranking = Ranking("asc", r.sig.ranking.n if r.sig.ranking else 10)
            r.sig = dataclasses.replace(r.sig, ranking=ranking)
            r.dims = [*r.dims, Mention(Entry("dimension", product, source="intent"), -1, -1, "products")]
            r.metrics = [stock]
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
        if (_VAGUE.search(inp.question) or sig.trend) and not (dims or values):
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


def _ratio_asked(r: _Reading) -> Plan | None:
    """'as a percentage of', 'per': one figure divided by another; a 'how many' no figure counts is asked."""
    inp, linked = r.inp, r.linked
    percent_of = _percentage_of(inp.question, linked) if r.sig.share else None
    if percent_of is not None:
        # 'discounts as a percentage of gross sales': one figure divided by the other, not a share
        # of a breakdown
        r.sig = dataclasses.replace(r.sig, share=False)
    ratio = percent_of or _explicit_ratio(linked, inp.catalog) or _price_per_unit(inp, r.metrics)
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
    r.left = _counted_by_its_verb(inp, metrics, unexplained(inp.catalog, metrics, unplaced))
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
    text: str, linked: Linked, metrics: list[str], left: dict[str, list[str]]
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
    content = {
        asks[k] for k, t in enumerate(tokens) if t.text not in STOPWORDS and t.text not in _QUESTION_WORDS
    }
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
    return [metrics[0], others[0]]


def _counted_by_its_verb(
    inp: PlannerInput, metrics: list[str], left: dict[str, list[str]]
) -> dict[str, list[str]]:
    """'How many consignments have we shipped': the verb of a count its own description says
    ('consignments shipped') is what is counted, though another figure's name holds it too
    ('Pieces shipped'); a narrower count named by it ('cancelled bookings') is still that one."""
    if not left or not intents.HOW_MANY.search(inp.question):
        return left
    infos = [inp.catalog.metric(n) for n in metrics]
    if not infos or not all(i is not None and i.counts for i in infos):
        return left
    return {
        w: others
        for w, others in left.items()
        if not in_description(inp.catalog, metrics, w)
        or any(narrowed(inp.catalog, metrics, o) is not None for o in others)
    }


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
    part = _rate_of_a_part(inp, r.sig, metrics, left, ratio)
    if part is None:
        part = _part_named_by_a_value(r)
    if part is None:
        part = _share_of_its_whole(r)
    if part is not None:  # 'cancellation rate of bookings': cancelled bookings / bookings, derived
        ratio, metrics, left = part, list(part), {}
        r.part_share = r.sig.share  # 'what share …': said as a percentage of the whole
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
    asked_apart = _asked_apart(r.sig.text, linked, metrics, left) if ratio is None else None
    if asked_apart is not None:  # 'the claimed amount, and how much did we pay out?': both figures
        metrics, left = asked_apart, {}
    if len(left) == 1 and ratio is None:
        ((word, others),) = left.items()
        against = _contrasted_with_a_figure(linked, word)
        wider = narrowed(inp.catalog, metrics, others[0]) if len(others) == 1 else None
        if against and len(others) == 1:  # 'paid versus claimed amounts': both figures
            metrics = _unique([*metrics, others[0]])
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
    r.part, r.ratio, r.metrics, r.left, r.unplaced = part, ratio, metrics, left, unplaced
    if left:
        word, others = next(iter(left.items()))
        average = _average_of_a_total(inp.catalog, metrics, word)
        if average is not None:
            return average
        labels = _unique([m.label for name in [*metrics, *others] if (m := inp.catalog.metric(name))])[:5]
        return ClarificationPlan(
            question=f"Which figure does '{word}' mean here: {' or '.join(labels)}?",
            options=tuple(labels),
        )
    return None


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
    if r.part is not None:
        loose = [w for w in loose if fold(w) not in _RATE_WORDS and lemma(fold(w)) not in _RATE_WORDS]
    # 'subcontracted linehaul vs our own fleet': the other side of a yes/no set against it
    other_sides = {w for d in dims if d.entry.is_flag for w in _other_side(inp.question, d)}
    loose = [w for w in loose if fold(w) not in other_sides]
    if loose:
        return _unplaced_clarification(loose, inp.lexicon)
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


def _asks_a_figure(tokens: Sequence[Token], asks: list[int], ask: int) -> bool:
    """The ask opens with 'how many', 'how much', 'wie viel(e)' or 'what was/were': it asks a figure."""
    at = [k for k, a in enumerate(asks) if a == ask]
    if len(at) < 2:
        return False
    first, second = tokens[at[0]].text, tokens[at[1]].text
    return (first, second) in {("how", "many"), ("how", "much"), ("what", "was"), ("what", "were")} or (
        first == "wie" and second in ("viel", "viele")
    )


@per_catalog
def _source_phrases(catalog: Catalog) -> frozenset[tuple[str, ...]]:
    """The name of a source several figures' descriptions give ('Visits to the online shop (Google
    Analytics)', 'Online orders tracked by Google Analytics'): a run of proper names in two or more
    metric descriptions is where those figures come from, not an example value. Folded words."""
    return _source_phrases_of(catalog)


def _source_phrases_of(catalog: Catalog) -> frozenset[tuple[str, ...]]:
    seen: dict[tuple[str, ...], set[str]] = {}
    for m in catalog.metrics:
        run: list[str] = []
        for t in [*tokenize(m.description), None]:
            # a capital that starts a sentence ('… revenue. Complimentary stays carry …') names nothing
            starts = t is not None and m.description[: t.start].rstrip()[-1:] in ("", ".", "!", "?", ":")
            if (
                t is not None
                and not starts
                and t.original[:1].isupper()
                and len(t.text) > 2
                and not t.original.isupper()
            ):
                run.append(t.text)
                continue
            if run:
                seen.setdefault(tuple(run), set()).add(m.name)
            run = []
    return frozenset(p for p, names in seen.items() if len(names) >= 2)


def _source_words(catalog: Catalog) -> frozenset[str]:
    return frozenset(w for p in _source_phrases(catalog) for w in p)


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


# OfflinePlanner._fresh's steps, in order; the first to ask back (or refuse) ends the reading
_READING = (
    _on_topic,
    _continues_nothing,
    _figures_named,
    _stock_risk,
    _described_or_default,
    _ratio_asked,
    _words_left,
    _words_explained,
    _ask_of_its_own,
    _source_named,
    _described_words_placed,
)


# ---- assembly: the steps of OfflinePlanner._assemble, in the order they run ----------------------


@dataclass
class _Draft:
    """What `OfflinePlanner._assemble` has decided so far; each step reads it and fills in its part."""

    inp: PlannerInput
    sig: Signals
    metrics: list[str]
    dims: list[Mention]
    values: list[Mention]
    base: MetricPlan | None = None
    spans: Sequence[Mention] = ()
    ratio: tuple[str, str] | None = None
    tokens: Sequence[Token] = ()
    percent: bool = False
    infos: list[MetricInfo] = dataclasses.field(default_factory=list)
    channel_by: str | None = None
    channel_note: str | None = None
    explicit_by: set[str] = dataclasses.field(default_factory=set)
    flags: list[Mention] = dataclasses.field(default_factory=list)
    group_by: list[str] = dataclasses.field(default_factory=list)
    filters: list[Filter] = dataclasses.field(default_factory=list)
    focus: tuple[str, ...] = ()
    focus_only: bool = False
    time_range: DateRange | None = None
    comparison: Comparison | None = None
    grain: Grain | None = None
    order_by: list[OrderBy] = dataclasses.field(default_factory=list)
    limit: int | None = None
    derived: DerivedRatio | None = None
    period_on: str | None = None  # the date dimension the period is on, when not the figure's own


def _resolve_readings(draft: _Draft) -> ClarificationPlan | None:
    """The dimension and value mentions read for the figures asked about, with their join paths."""
    inp, metrics, spans, tokens = draft.inp, draft.metrics, draft.spans, draft.tokens
    catalog = inp.catalog
    infos = [m for m in (catalog.metric(n) for n in metrics) if m is not None]
    # "(inkl. Onlineshop)", "including online": named to be included, so no filter
    dims = [d for d in draft.dims if not _included(inp.question, d)]
    values = [v for v in draft.values if not _included(inp.question, v)]
    metrics = _figures_of_the_online_one(catalog, metrics, spans, [*dims, *values])
    infos = [m for m in (catalog.metric(n) for n in metrics) if m is not None]
    draft.metrics = metrics
    dims, values, channel_by, channel_note = _channel_reading(inp, metrics, dims, values)
    dims = [_reachable_reading(d, infos, inp.lexicon) for d in dims if not _all_of(inp.question, d)]
    words = _role_words(inp.question, [*dims, *values, *(spans or [])], catalog)
    covered = frozenset(
        k
        for m in [*dims, *values, *spans]
        if m.entry.source != "entity" and not _names_entity(catalog, m.text)
        for k in range(max(m.start, 0), m.end)
    )
    draft.infos, draft.channel_by, draft.channel_note = infos, channel_by, channel_note
    resolved = _resolve_paths(catalog, dims, infos, words, inp.lexicon.value_counts, tokens, covered)
    if isinstance(resolved, ClarificationPlan):
        return resolved
    draft.dims = resolved
    # a name looked up beyond the lexicon's cap, under several roles: the roles whose facts hold it
    held = inp.values_beyond_cap().held if any(v.entry.source == "value" for v in values) else {}
    resolved = _resolve_paths(
        catalog, values, infos, words, inp.lexicon.value_counts, tokens, covered, held=held
    )
    if isinstance(resolved, ClarificationPlan):
        return resolved
    # a value read as the yes/no dimension it names (see `_flag_of_the_value`) filters as one
    draft.values = [v for v in resolved if v.entry.kind == "value"]
    draft.dims = [*draft.dims, *(v for v in resolved if v.entry.kind != "value")]
    return None


def _choose_group_by(draft: _Draft) -> ClarificationPlan | None:
    """Which dimensions break the figures down (the others filter them)."""
    inp, sig, dims, values, base = draft.inp, draft.sig, draft.dims, draft.values, draft.base
    catalog, infos, spans, channel_by = inp.catalog, draft.infos, draft.spans, draft.channel_by
    group_by: list[str] = []
    explicit_by = {d.entry.target for d in dims}
    value_columns = {_column(catalog, v.entry.target) for v in values}
    value_entities = {e for v in values for e in _path(catalog, v.entry.target)}
    flags = [d for d in dims if d.entry.is_flag and not _says_by(inp.question, d)]
    stacked = _coordinated_flags(inp.question, flags)
    if stacked is not None:
        return stacked
    for d in dims:
        # "stores in Hamburg": the value explains the dimension word — a filter, not a group-by;
        # "consignees in France": the entity word says whose country, it is no breakdown
        explained = _column(catalog, d.entry.target) in value_columns or (
            d.entry.source == "entity" and bool(set(_path(catalog, d.entry.target)) & value_entities)
        )
        qualifier = d.entry.source == "entity" and bool(
            set(_path(catalog, d.entry.target)) & _qualified(catalog, d, dims)
        )
        if d in flags or qualifier or (explained and not _says_by(inp.question, d)):
            continue
        if _whose(catalog, d, dims, draft.tokens):
            continue  # 'by region of the destination depot': whose region, no breakdown by depot
        if d.entry.source == "entity" and not (sig.ranking or sig.order or _names_groups(inp.question, d)):
            continue  # 'went back to the shipper': an entity named in passing is no breakdown
        if _the_set_asked_about(inp.question, catalog, d, sig, infos, spans):
            continue  # 'October mailings: recipients, opens and clicks': those mailings together
        if _value_qualified(catalog, d, values) and not _says_by(inp.question, d):
            continue  # 'Portuguese hotels': the hotels in Portugal, not each hotel
        group_by.append(d.entry.target)
    contrasted_flags = [f for f in flags if _set_against(inp.question, f)]
    # 'subcontracted linehaul vs our own fleet': the yes/no set against its other side — both shown
    group_by += [f.entry.target for f in contrasted_flags]
    flags = [f for f in flags if f not in contrasted_flags]
    group_by = _unique(group_by)
    if len([g for g in group_by if g != "metric_time"]) > 2:
        labels = [_label(catalog, g) for g in group_by if g != "metric_time"]
        return ClarificationPlan(
            question=f"Broken down by which: {', '.join(labels)}? (Three at once make a table too big.)",
            options=tuple(labels),
        )
    if base is not None and not explicit_by and not channel_by:
        group_by = [g for g in base.query.group_by if g != "metric_time"]
    elif base is not None:
        group_by = _unique([*group_by])
    if channel_by:
        group_by = _unique([channel_by, *group_by])
    draft.group_by, draft.explicit_by, draft.flags = group_by, explicit_by, flags
    return None


def _build_filters(draft: _Draft) -> ClarificationPlan | None:
    """The values and yes/no words as filters; a share's focus; a follow-up's filters kept."""
    inp, sig, dims, values, base = draft.inp, draft.sig, draft.dims, draft.values, draft.base
    catalog, infos, group_by, flags = inp.catalog, draft.infos, draft.group_by, draft.flags
    filters = _filters(values, inp.lexicon)
    filters += [Filter(dimension=d.entry.target, operator="=", values=(not d.negated,)) for d in flags]
    if not [g for g in group_by if g != "metric_time"] and not sig.share:
        in_filters = {f.dimension for f in filters if f.operator == "in"}
        group_by += [d for d in _contrasted_dimensions(inp.question, values) if d in in_filters]
    focus: tuple[str, ...] = ()
    focus_only = False
    if sig.share:
        # "what share of sales is online": group by the named value's dimension, keep it in focus
        share_dims = _share_dimensions(values, draft.spans)
        if share_dims:
            focus = tuple(v.entry.value or "" for v in values if v.entry.target == share_dims[0])
            # of two values the other row is the rest; of more, the share asked about is the answer —
            # and so it is per period ('the online share in each quarter': not the stores' rows too)
            focus_only = (
                inp.lexicon.value_counts.get(share_dims[0], 0) > 2 or sig.grain is not None
            ) and not _says_by_any(inp.question, dims)
            filters = [f for f in filters if f.dimension != share_dims[0]]
            group_by = _unique([share_dims[0], *group_by])
        elif len(flags) == 1 and not [g for g in group_by if g != "metric_time"]:
            # 'what share of the occupied room nights were complimentary', 'Anteil der verspäteten
            # Zustellungen': the figure with the yes/no over the figure without it — the yes (or
            # no) row of the breakdown by that flag, alone
            flag = flags[0]
            focus, focus_only = (str(not flag.negated).lower(),), True
            filters = [f for f in filters if f.dimension != flag.entry.target]
            group_by = _unique([flag.entry.target, *group_by])
        if not group_by:
            return ClarificationPlan(
                question="Share of what? For example: by store, by category or by channel.",
                options=_dimension_options(catalog, infos),
            )
    if base is not None:
        kept = [
            f
            for f in base.query.filters
            if not _replaced_by(f, filters, catalog) and f.operator != "is not null"  # a ranking's, re-added
        ]
        filters = [*kept, *filters]
    draft.filters, draft.group_by, draft.focus, draft.focus_only = filters, group_by, focus, focus_only
    return None


def _share_dimensions(values: list[Mention], spans: Sequence[Mention]) -> list[str]:
    """The dimensions of the values a share is asked of, the part first. 'What share of the OTA
    bookings were cancelled': a value standing right before the figure qualifies the whole (the OTA
    bookings, a filter); the part is the value said apart from it (cancelled) — not the OTA share
    of the cancellations. Otherwise the first value named is the part ('share of net sales was
    online in Hamburg', 'Anteil Online am Umsatz in Hamburg')."""
    said = [v for v in values if not v.negated]
    dims = _unique(v.entry.target for v in said)
    starts = {m.start for m in spans if m.start >= 0}
    qualifying = _unique(v.entry.target for v in said if v.end in starts)
    parts = [d for d in dims if d not in qualifying]
    if qualifying and len(parts) == 1:
        return [parts[0], *qualifying]
    return dims


def _reread_for_reach(draft: _Draft) -> ClarificationPlan | None:
    """A figure re-read as the one that reaches what the breakdown and filters need."""
    inp, sig, dims, values, base = draft.inp, draft.sig, draft.dims, draft.values, draft.base
    catalog, infos, spans = inp.catalog, draft.infos, draft.spans
    group_by, filters = draft.group_by, draft.filters
    needed = {*group_by, *(f.dimension for f in filters)}
    said_values = {v.entry.target: lemmas(v.text) for v in values if v.start >= 0}
    swapped = [_reaching_reading(catalog, i, spans, needed, said_values) for i in infos]
    if any(s is not None for s in swapped) and base is None:
        # 'revenue the newsletter campaigns brought in': the campaigns' revenue, not the shop's;
        # 'email campaign revenue': 'email' named the figure, it is no traffic medium filter
        infos = [s[0] if s else i for s, i in zip(swapped, infos, strict=True)]
        draft.infos, draft.metrics = infos, [i.name for i in infos]
        named_by_figure = {d for s in swapped if s for d in s[1]}
        draft.filters = [f for f in filters if f.dimension not in named_by_figure]
        sets = {d.entry.target for d in dims if _the_set_asked_about(inp.question, catalog, d, sig, infos)}
        draft.group_by = [g for g in group_by if g not in sets]
    return None


def _check_reachable(draft: _Draft) -> ClarificationPlan | None:
    """Every figure can be broken down and filtered as asked, or the question says by what it can."""
    catalog = draft.inp.catalog
    for info in draft.infos:
        unreachable = [g for g in draft.group_by if g not in info.dimensions]
        unreachable += [f.dimension for f in draft.filters if f.dimension not in info.dimensions]
        if unreachable:
            dim = catalog.dimension(unreachable[0])
            label = dim.label if dim else unreachable[0]
            return ClarificationPlan(
                question=f"{info.label} cannot be broken down or filtered by {label.lower()}. "
                f"It can be by: {', '.join(_labels(catalog, info.dimensions)[:8])}.",
                options=tuple(_labels(catalog, info.dimensions)[:8]),
            )
    return None


def _period_and_comparison(draft: _Draft) -> ClarificationPlan | None:
    """The period (a follow-up's, moved; year to date for a comparison without one) and the comparison."""
    inp, sig, base = draft.inp, draft.sig, draft.base
    time_range = sig.time or (_period_range(base.period) if base is not None else None)
    if sig.shift is not None and sig.time is None:
        moved = _shifted_period(time_range, sig, inp.as_of, base)
        if moved is None:
            return ClarificationPlan(
                question=f"'{sig.shift.phrase.strip()}' moves the previous answer's period, but that "
                "answer covered no fixed period (or the moved one has not begun). Which period?",
            )
        time_range = moved
    comparison = sig.comparison or (base.comparison if base is not None and not sig.time else None)
    if sig.compare_to is not None and time_range is not None and comparison is None:
        comparison = _comparison_between(time_range, sig.compare_to)
        if comparison is None:
            return ClarificationPlan(
                question=f"I can compare {time_range.label} with the period just before it or with the "
                f"same period a year earlier, but not with {sig.compare_to.label}. Which would you like?",
                options=("the period before", "the same period last year"),
            )
    if comparison is None and sig.change_words and not sig.share and (time_range or sig.ranking):
        comparison = "same_period_last_year"
    if comparison is not None and time_range is None:
        ytd_start = date(inp.as_of.year, 1, 1)
        time_range = DateRange(ytd_start, inp.as_of, f"year to date ({ytd_start} to {inp.as_of})")
    draft.time_range, draft.comparison = time_range, comparison
    return None


def _is_date(catalog: Catalog, name: str) -> bool:
    dim = catalog.dimension(name)
    return name != "metric_time" and dim is not None and dim.type == "time"


def _period_after(text: str) -> re.Pattern[str]:
    """The date word said with the period right after it ('arrival date in November', 'Anreisedatum
    im November', 'delivery date last week'), not listed as a column ('(name and send date)')."""
    return re.compile(
        rf"\b{re.escape(text)}\s+(?:in|im|during|for|from|between|within|on|am|vom|von|zwischen|"
        r"innerhalb|this|last|next|dies(?:e[snmr]?)?|letzte[nmr]?|vorige[nmr]?|nächste[nmr]?|kommende[nmr]?)\b",
        re.IGNORECASE,
    )


def _period_on_a_named_date(draft: _Draft) -> ClarificationPlan | None:
    """'bookings for arrival dates in November', 'Buchungen mit Anreisedatum im November': the
    period is on the date the question names when that is not the figure's own (its metric_time):
    a `between` filter on that date, and the answer says on which date. A follow-up keeps the date
    its previous answer's period was on. The figure's own date named ('booked in November') stays."""
    inp, base, catalog = draft.inp, draft.base, draft.inp.catalog
    named = _unique(
        d.entry.target
        for d in draft.dims
        if _is_date(catalog, d.entry.target) and _period_after(d.text).search(inp.question)
    )
    kept = [f for f in draft.filters if f.operator == "between" and _is_date(catalog, f.dimension)]
    if base is not None and not named:
        named = _unique(f.dimension for f in base.query.filters if f in kept)
    own = {i.time_dimension for i in draft.infos}
    other = [n for n in named if n not in own]
    if not other or draft.time_range is None:
        return None
    if len(other) > 1:
        labels = _labels(catalog, other)
        return ClarificationPlan(
            question=f"On which date is the period: {' or '.join(labels)}?", options=tuple(labels)
        )
    date_dim, rng = other[0], draft.time_range
    if draft.comparison is not None:
        mine = ", ".join(_label(catalog, t).lower() for t in own if t) or "its own date"
        return ClarificationPlan(
            question=f"I can compare {', '.join(i.label for i in draft.infos)} between periods of its "
            f"{mine} only, not of the {_label(catalog, date_dim).lower()}. Compare on the "
            f"{mine}, or show {rng.label} by {_label(catalog, date_dim).lower()} without a comparison?",
        )
    start = rng.start or inp.first_data_date or date(1970, 1, 1)
    end = rng.end or inp.as_of
    draft.filters = [f for f in draft.filters if f.dimension != date_dim or f.operator != "between"]
    draft.filters.append(Filter(dimension=date_dim, operator="between", values=(start, end)))
    said = [d for d in draft.dims if d.entry.target == date_dim]
    if date_dim in draft.group_by and not any(_says_by(inp.question, d) for d in said):
        draft.group_by = [g for g in draft.group_by if g != date_dim]  # the period's date, no breakdown
    draft.period_on = date_dim
    return None


def _choose_grain(draft: _Draft) -> ClarificationPlan | None:
    """The time grain: asked for, a follow-up's, or a trend's; never finer than the figure's finest."""
    sig, base, infos = draft.sig, draft.base, draft.infos
    grain = sig.grain or (base.query.time_grain if base and "metric_time" in base.query.group_by else None)
    if sig.trend and grain is None:
        grain = _trend_grain(draft.time_range, draft.inp)
    if grain is not None:
        finest = infos[0].grains[0] if infos and infos[0].grains else Grain.DAY
        if grain.rank < finest.rank:
            grain = finest
        draft.group_by = [*draft.group_by, "metric_time"]
    draft.grain = grain
    return None


_WHICH_OR_TOP = re.compile(r"\b(?:which|what|welche[rsnm]?|top(?:\s+\d{1,3})?)\s+$", re.IGNORECASE)


def _members_ranked(draft: _Draft) -> tuple[str, bool] | None:
    """'Which subcontractor carried the most …', 'top 3 subcontractors': a value named right after
    'which' or 'top N' asks for the members holding it, ranked — the name breakdown of the entity
    the value was read under (its filter kept), and whether the value was said in the singular
    (one member asked for). None when no such value or no name dimension."""
    tokens = draft.tokens
    for v in draft.values:
        if v.start <= 0 or v.start >= len(tokens):
            continue
        before = draft.inp.question[: tokens[v.start].start]
        dim = draft.inp.catalog.dimension(v.entry.target)
        if dim is None or dim.entity is None or not _WHICH_OR_TOP.search(before):
            continue
        name = entity_name_dimension(draft.inp.catalog, dim.entity)
        prefix = v.entry.target[: -len(dim.name.split("__")[-1])]
        candidate = f"{prefix}{name.split('__')[-1]}" if name else None
        if candidate and all(candidate in i.dimensions for i in draft.infos):
            return candidate, singular_of(fold(v.text)) == fold(v.text)
    return None


def _ranked_figure(draft: _Draft, metrics: list[str]) -> str:
    """Of several figures asked, the one the ranking words govern: the first named after them
    ('which brands brought the most revenue, and how many pieces' ranks by revenue; 'sold the most
    pieces … and what revenue' by the units). A unit word names the quantity figure."""
    if len(metrics) < 2:
        return metrics[0]
    question = draft.inp.question
    starts = [m.end() for pattern in RANKING_WORDS if (m := pattern.search(question)) is not None]
    if not starts:
        return metrics[0]
    at = min(starts)
    tokens = draft.tokens
    said = [
        (tokens[m.start].start, m.entry.target)
        for m in draft.spans
        if 0 <= m.start < len(tokens) and m.entry.target in metrics
    ]
    quantity = [n for n in metrics if _role(draft.inp.catalog, n) == "quantity"]
    if len(quantity) == 1:
        said += [
            (u.start(), quantity[0]) for u in intents.UNIT_WORDS.finditer(question) if u.group(0).islower()
        ]
    after = sorted(p for p in said if p[0] >= at)
    return after[0][1] if after else metrics[0]


def _order_and_limit(draft: _Draft) -> ClarificationPlan | None:
    """Ranking (on the figure or its change; a derived ratio's after the division), else a stable order."""
    inp, sig, dims, base, metrics = draft.inp, draft.sig, draft.dims, draft.base, draft.metrics
    catalog, infos, group_by, comparison = inp.catalog, draft.infos, draft.group_by, draft.comparison
    order_by: list[OrderBy] = []
    limit: int | None = None
    ranking = sig.ranking
    derived: DerivedRatio | None = None
    if draft.ratio is not None:
        derived = DerivedRatio(numerator=draft.ratio[0], denominator=draft.ratio[1], percent=draft.percent)
    if ranking is not None and not [g for g in group_by if g != "metric_time"] and not sig.ranked_periods:
        ranked = _members_ranked(draft)
        if ranked is not None:  # 'which subcontractor carried the most': the carriers, one row each
            group_by = draft.group_by = [*group_by, ranked[0]]
            if ranking.n is None and ranked[1]:
                ranking = Ranking(ranking.direction, 1)  # 'which subcontractor': the one
    if ranking is not None:
        if not [g for g in group_by if g != "metric_time"] and not sig.ranked_periods:
            return ClarificationPlan(
                question="Top what? For example the top stores, categories or products.",
                options=_dimension_options(catalog, infos),
            )
        if sig.ranked_periods and not [g for g in group_by if g != "metric_time"]:
            limit = ranking.n or _DEFAULT_TOP_N
        elif ranking.n is None and (sig.order is not None or sig.all_rows):
            limit = None  # "which segment spent the most? show all, biggest first": every row, sorted
        else:
            limit = ranking.n or (1 if _singular_subject(inp.question, dims) else _DEFAULT_TOP_N)
        direction = ranking.direction if sig.order is None or ranking.n else sig.order
        descending = direction == "desc"
        ranked_by = _ranked_figure(draft, metrics)
        if derived is None:  # the ranked figure first: the answer speaks of it first
            metrics = draft.metrics = _unique([ranked_by, *metrics])
        order_by = [OrderBy(name=ranked_by, descending=descending)]
        if sig.change_rank is not None and comparison is not None and derived is None:
            # 'the biggest drop vs last year': ranked on the change, the most negative first
            order_by = [OrderBy(name=f"{metrics[0]}{CHANGE_SUFFIX}", descending=sig.change_rank == "desc")]
        if derived is not None:
            # the ratio is known only after the division: ranked and cut there, not in SQL
            derived = derived.model_copy(update={"descending": descending, "limit": limit})
            order_by, limit = [], None
    elif sig.order is not None and [g for g in group_by if g != "metric_time"]:
        # "by brand, biggest first": every row, sorted by the (first) figure
        order_by = [OrderBy(name=metrics[0], descending=sig.order == "desc")]
        if "metric_time" in group_by:
            order_by = [OrderBy(name="metric_time"), *order_by]
        if derived is not None:
            derived = derived.model_copy(update={"descending": sig.order == "desc"})
            order_by = [o for o in order_by if o.name == "metric_time"]
    elif base is not None and base.query.limit and not draft.explicit_by:
        # 'top 5 products by units sold' → 'and the revenue?': the same ranking, of the figure now
        # asked (an order by a figure no longer selected is no query at all)
        limit = base.query.limit
        order_by = [_reranked(o, base.query.metrics, metrics) for o in base.query.order_by]
    elif "metric_time" in group_by:
        # Periods in order; within a period the biggest first, then by name, so the rows come
        # in the same order on every run (the warehouse keeps no order of its own).
        others = [g for g in group_by if g != "metric_time"]
        order_by = [OrderBy(name="metric_time")]
        if others:
            order_by += [OrderBy(name=metrics[0], descending=True), *(OrderBy(name=g) for g in others)]
    elif group_by:
        order_by = [OrderBy(name=metrics[0], descending=True)]
    draft.group_by = _unique(group_by)
    draft.order_by, draft.limit, draft.derived = order_by, limit, derived
    if (ranking is not None or limit is not None) and not sig.share:
        draft.filters = [*draft.filters, *_members_only(draft.group_by, draft.filters)]
    return None


def _reranked(order: OrderBy, before: Sequence[str], now: Sequence[str]) -> OrderBy:
    """A follow-up's order: on a figure (or its change) asked before and no longer selected, the
    first figure now asked takes its place, in the same direction."""
    for old in before:
        if old in now:
            continue
        for suffix in ("", *CHANGE_SUFFIXES):
            if order.name == f"{old}{suffix}":
                return OrderBy(name=f"{now[0]}{suffix}", descending=order.descending)
    return order


def _members_only(group_by: Sequence[str], filters: Sequence[Filter]) -> list[Filter]:
    """'Which carrier had the most …', 'top 3 cities': a ranking is of the carriers, the cities —
    the rows with no carrier (our own fleet) or no city (the online shop) are none of them, and an
    empty group at the top answered '(none) had the most'. Each ranked breakdown keeps the rows that
    have a value. (Every row, sorted: the empty group of a joined breakdown is left out and said by
    `answering.unknown_groups`.)"""
    filtered = {f.dimension for f in filters}
    return [
        Filter(dimension=g, operator="is not null")
        for g in group_by
        if g != "metric_time" and g not in filtered
    ]


# OfflinePlanner._assemble's steps, in order; the first to ask back ends the assembly
_ASSEMBLY = (
    _resolve_readings,
    _choose_group_by,
    _build_filters,
    _reread_for_reach,
    _check_reachable,
    _period_and_comparison,
    _period_on_a_named_date,
    _choose_grain,
    _order_and_limit,
)


def _metric_plan(draft: _Draft) -> MetricPlan:
    """The assembled draft as the query, its period and the lines saying how it was understood."""
    inp, sig, metrics, infos = draft.inp, draft.sig, draft.metrics, draft.infos
    catalog, group_by, filters, grain = inp.catalog, draft.group_by, draft.filters, draft.grain
    time_range, comparison, order_by, limit = draft.time_range, draft.comparison, draft.order_by, draft.limit
    derived, ranking = draft.derived, sig.ranking
    query = SemanticQuery(
        metrics=tuple(metrics),
        group_by=tuple(group_by),
        time_grain=grain or Grain.DAY,
        filters=tuple(filters),
        time_range=(
            TimeRange(start=time_range.start, end=time_range.end)
            if time_range and draft.period_on is None
            else TimeRange()
        ),
        order_by=tuple(order_by),
        limit=limit,
    )
    if draft.period_on is not None:
        period = _period_on_date(catalog, draft, filters)
    elif time_range:
        period = Period(start=time_range.start, end=time_range.end, label=time_range.label)
    else:
        period = Period(start=inp.first_data_date, end=None, label="all loaded data")
    understood = [", ".join(i.label for i in infos)]
    if derived is not None and len(infos) == 2:
        how = "as % of" if draft.percent else "per"
        understood = [f"{infos[0].label} {how} {infos[1].label.lower()} (derived: no metric defines it)"]
    if draft.channel_note:
        understood.append(draft.channel_note)
    understood += [f"by {_label(catalog, g)}" for g in group_by if g != "metric_time"]
    if grain is not None:
        understood.append(f"per {grain.value}")
    understood += [
        _describe_filter(catalog, f)
        for f in filters
        if f.operator != "is not null" and f.dimension != draft.period_on
    ]
    understood.append(period.label)
    if comparison:
        understood.append("vs the same period last year" if comparison == "same_period_last_year"
                          else "vs the previous period")  # fmt: skip
    if order_by and order_by[-1].name == f"{metrics[0]}{CHANGE_SUFFIX}":
        top = f"top {limit}" if limit else "all rows"
        first = "biggest rise" if order_by[-1].descending else "biggest drop"
        understood.append(f"{top}, ranked by the change: {first} first")
    elif (sig.order or ranking) and order_by and order_by[-1].name in metrics:
        top = f"top {limit}" if limit else "all rows"
        understood.append(f"{top}, {'largest' if order_by[-1].descending else 'smallest'} first")
    return MetricPlan(
        query=query,
        period=period,
        comparison=draft.comparison,
        share_of_total=sig.share,
        focus=draft.focus,
        focus_only=draft.focus_only,
        understood=tuple(understood),
        derived=derived,
    )


# ---- helpers ---------------------------------------------------------------------------------


def _period_on_date(catalog: Catalog, draft: _Draft, filters: Sequence[Filter]) -> Period:
    """The period on another date than the figure's own, that date said ('November 2026 by arrival
    date (not the booking date)'); its ends are the filter's."""
    assert draft.time_range is not None and draft.period_on is not None
    on = next(f for f in filters if f.dimension == draft.period_on and f.operator == "between")
    start, end = (v if isinstance(v, date) else None for v in on.values)
    own = [_label(catalog, i.time_dimension) for i in draft.infos if i.time_dimension]
    instead = f" (not the {own[0]})" if own else ""
    label = f"{draft.time_range.label} by {_label(catalog, draft.period_on)}{instead}"
    return Period(start=start, end=end, label=label)


_GRAIN_WORDS = frozenset(("daily", "weekly", "monthly", "quarterly", "yearly", "annual", "annually"))


def _grain_in_a_name(sig: Signals, question: str, lexicon: Lexicon) -> Signals:
    """'average daily rate': 'daily' is a word of a figure's name there, not a grain."""
    if sig.grain is None:
        return sig
    words = [t.text for t in tokenize(question)]
    tokens = tokenize(question)
    for i, w in enumerate(words):
        if w not in _GRAIN_WORDS:
            continue
        for a in range(max(0, i - 3), i + 1):
            for b in range(i + 1, min(len(words), i + 4) + 1):
                if b - a < 2 or not any(
                    e.kind == "metric" for e in lexicon.lookup(key_of(" ".join(words[a:b])))
                ):
                    continue
                if sig.text[tokens[i].start : tokens[i].end].strip():
                    return sig  # the word was not read as the grain
                start, end = tokens[i].start, tokens[i].end
                text = sig.text[:start] + question[start:end] + sig.text[end:]
                return dataclasses.replace(sig, text=text, grain=None)
    return sig


# 'the whole group', 'across the company', 'der (gesamten) Gruppe': the business itself, all of it,
# not a value that happens to be called 'Group' (a market segment, a rate plan); 'group bookings',
# 'the group segment' (a catalog word right after) still name that value
_WHOLE_BUSINESS = re.compile(
    r"\b(?:the|our|der|die|unsere[rn]?|des|unseres)\s+(?:(?:whole|entire|total|ganzen?|gesamten?)\s+)?"
    r"(?:group|company|business|chain|firm|gruppe|unternehmens?|firma|konzerns?)\b(?!\s*['’]s\b)(?!-)"
    # 'the whole range', 'das gesamte Sortiment': every product, no filter
    r"|\b(?:the|our|das|unser|unseres|des)\s+(?:whole|entire|full|complete|ganzen?|gesamten?|komplette[ns]?)\s+"
    r"(?:product\s+)?(?:range|assortment|sortiments?|portfolio)\b",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r"\s*([^\W\d_][\w-]*)")


_RANKING_WORD = re.compile(
    r"\b(?:best|top|highest|lowest|most|least|worst|biggest|largest|smallest)\b(?=\s+(?P<rest>[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,2}))",
    re.IGNORECASE,
)


def _translated_around_comparison(question: str, known: set[str]) -> str:
    """The German words the lexicon does not know in English (`translate_unknown`), the words of a
    comparison left as typed: the signals read them in German, a half-translated 'compared mit dem
    Vorjahr' in neither language (the comparison was lost and one period answered)."""
    spans = comparison_spans(question)
    if not spans or not reads_german(question):
        return translate_unknown(question, known)
    # each span held by a marker no word pattern reads; its 'ü' keeps the question German to the
    # translation even where the comparison word was its only German mark ('… gegenüber 2025')
    markers = [f"\x00ü{chr(0xE000 + i)}\x00" for i in range(len(spans))]
    masked, last = "", 0
    for marker, (a, b) in zip(markers, spans, strict=True):
        masked += question[last:a] + marker
        last = b
    translated = translate_unknown(masked + question[last:], known)
    if not all(translated.count(marker) == 1 for marker in markers):
        return translate_unknown(question, known)
    for marker, (a, b) in zip(markers, spans, strict=True):
        translated = translated.replace(marker, question[a:b])
    return translated


def _signals_around_values(question: str, inp: PlannerInput) -> Signals:
    """The signals of the question, where a ranking word that begins a value's name ('the best
    available rate', a rate plan) stays part of that name: no ranking is read from it."""
    masked = question
    kept: list[tuple[int, int]] = []
    for m in _RANKING_WORD.finditer(question):
        words = key_of(f"{m.group(0)} {m['rest']}")
        for n in range(len(words), 1, -1):
            if any(e.kind == "value" for e in inp.lexicon.lookup(words[:n])):
                kept.append(m.span())
                masked = masked[: m.start()] + "x" * (m.end() - m.start()) + masked[m.end() :]
                break
    sig = extract_signals(masked, inp.as_of)
    if not kept:
        return sig
    text = sig.text
    for start, end in kept:
        if text[start:end] == "x" * (end - start):
            text = text[:start] + question[start:end] + text[end:]
    return dataclasses.replace(sig, text=text)


# 'leave the OTAs out', 'lokale Relationen bitte rauslassen': an exclusion said around its words
_LEAVE_OUT = re.compile(
    r"\b(?:leave|leaving|keep|keeping)\s+(?P<x>(?:the\s+|our\s+)?[^\W\d_][\w&/-]*(?:\s+[^\W\d_][\w&/-]*){0,2}?)\s+out\b"
    r"|(?P<y>\b[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*)?)\s+(?P<note>\([^)]*\)\s+)?(?:bitte\s+)?"
    r"(?:rauslassen|weglassen|herauslassen|ausklammern|ausschließen|ausschliessen)\b",
    re.IGNORECASE,
)


def _left_out(question: str) -> str:
    """'… - leave the OTAs out' → '… excluding the OTAs'; 'lokale Relationen (gleiches Depot) bitte
    rauslassen' → 'ohne lokale Relationen (gleiches Depot)': the negation the filters read."""

    def said(m: re.Match[str]) -> str:
        if m["x"] is not None:
            return f"excluding {m['x']}"
        return f"ohne {m['y']}{' ' + m['note'].strip() if m['note'] else ''}"

    return _LEAVE_OUT.sub(said, question)


_PERFORMANCE = re.compile(r"\b(?P<what>[^\W\d_][\w-]*)\s+(?P<word>performance|leistung|kpi)\b", re.IGNORECASE)


def _performance_as_rate(question: str, lexicon: Lexicon) -> str:
    """'our worst on-time performance': a KPI named by its own word and 'performance' is the rate
    that word names ('on-time rate'), where the lexicon reads that phrase as a figure."""

    def rate(m: re.Match[str]) -> str:
        entries = lexicon.lookup(key_of(f"{m['what']} rate"))
        return f"{m['what']} rate" if any(e.kind == "metric" for e in entries) else m.group(0)

    return _PERFORMANCE.sub(rate, question)


def _whole_business(sig: Signals, lexicon: Lexicon) -> Signals:
    """Blanks out 'the whole group' and the like: no filter, every store, hotel or depot."""
    text = sig.text
    for m in _WHOLE_BUSINESS.finditer(text):
        after = _NEXT_WORD.match(text, m.end())
        word = after.group(1) if after is not None else ""
        if word and not is_harmless(fold(word)) and set(key_of(word)) & lexicon.vocabulary - STOPWORDS:
            continue  # 'the group segment', 'der Gruppe Buchungen': the value, named with its kind
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return sig if text == sig.text else dataclasses.replace(sig, text=text)


def _city_as_the_data_names_it(question: str, names: Sequence[str], lexicon: Lexicon) -> str | None:
    """The question with each unknown city name ('München', 'Vienna') written as the tenant's values
    write that city ('Munich', 'Wien'); None when no unknown name is a city the values name."""
    words = {
        k[0]
        for k, entries in lexicon.entries.items()
        if len(k) == 1 and any(e.kind == "value" for e in entries)
    }
    out = question
    for name in names:
        local = places.known_name(name, words)
        if local is not None:
            out = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", local, out)
    return out if out != question else None


def _per_what(
    catalog: Catalog, prev: MetricPlan, what: str, linked: Linked
) -> tuple[str | None, tuple[str, str] | None] | ClarificationPlan:
    """'and per kg?' after freight revenue: the catalog's own ratio of the two (Revenue per kg) if
    one is named so, else the previous figure divided by the figure 'kg' or 'shipment' names (a
    metric, or the unit in a metric's label: 'Shipped weight (kg)'); asked when not exactly one."""
    if len(prev.query.metrics) != 1:
        return _which_metric(catalog, f"Which figure per {what} do you mean?")
    numerator = prev.query.metrics[0]
    said = {fold(w) for w in re.findall(r"[^\W\d_]+", what)}
    named = _unique(m.entry.target for m in linked.of_kind("metric") if m.entry.target != numerator)
    if not named:
        named = [
            m.name
            for m in catalog.metrics
            if m.name != numerator
            and (
                {fold(u) for u in re.findall(r"\(([^)]*)\)", m.label)} & said
                or (m.unit is not None and fold(m.unit) in said)
            )
        ]
    if len(named) != 1:
        return _which_metric(catalog, f"Per {what}: which figure should I divide by?")
    denominator = named[0]
    top = catalog.metric(numerator)
    own = top.label if top is not None else numerator
    head = {fold(w) for w in re.findall(r"[^\W\d_]+", own)}
    for m in catalog.metrics:
        words = {fold(w) for w in re.findall(r"[^\W\d_]+", m.label)}
        per_part = re.search(r"\bper\s+(.+)$", m.label, re.IGNORECASE)
        if per_part is None or not words & head:
            continue
        after = {fold(w) for w in re.findall(r"[^\W\d_]+", per_part.group(1))}
        if after and after <= said | {fold(w) for w in re.findall(r"[^\W\d_]+", denominator)}:
            return m.name, None  # 'Revenue per kg' is the catalog's own
    return None, (numerator, denominator)


_END_OF = re.compile(
    r"\b(?:(?:at|to|by)\s+)?(?:the\s+)?end(?:\s+of)?\s+(?=\s{2,}|$)|\b(?:zum\s+|per\s+|stand\s+|am\s+)?ende\s+(?=\s{2,}|$)",
    re.I,
)


def _period_end(sig: Signals) -> Signals:
    """'Lagerwert … Ende September 2026', 'stock at the end of Q3': the words before the period read
    (blanked by the time parser) ask for its last day; a stock figure's answer is its last count in
    the period, which is that. Marked here; a figure that is no stock is asked about (`_figures_named`)."""
    m = _END_OF.search(sig.text) if sig.time is not None else None
    if m is None:
        return sig
    return dataclasses.replace(
        sig, text=sig.text[: m.start()] + " " * (m.end() - m.start()) + sig.text[m.end() :], period_end=True
    )


def _up_to_now(sig: Signals, inp: PlannerInput) -> Signals:
    """'since it opened', 'so far', 'seit der Eröffnung' with no other period: the first data to as_of."""
    m = _UP_TO_NOW.search(sig.text)
    if m is None or sig.time is not None or sig.shift is not None:
        return sig
    start = inp.first_data_date if inp.first_data_date and inp.first_data_date <= inp.as_of else None
    text = sig.text[: m.start()] + " " * (m.end() - m.start()) + sig.text[m.end() :]
    rng = DateRange(start or date(inp.as_of.year - 20, 1, 1), inp.as_of, f"all data up to {inp.as_of}")
    return dataclasses.replace(sig, text=text, time=rng)


_RATIO_OPERATORS = (("per",), ("divided", "by"), ("pro",), ("je",), ("geteilt", "durch"), ("over",))


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


_DISTINCT_AFTER = re.compile(
    r"\s+(?:of\s+)?(?:the\s+|our\s+|unsere\w*\s+)?(?:different|distinct|unique|individual|verschiedene\w*|unterschiedliche\w*)\b",
    re.IGNORECASE,
)


def _how_many_unanswered(inp: PlannerInput, linked: Linked, metrics: list[str]) -> ClarificationPlan | None:
    """'Deliveries to the Netherlands: how many, and what was the on-time rate?': 'how many' asks for a
    count, and a rate, an average or a distinct count alone does not give it. Unless a count (or a
    sum) is among the figures, or 'how many' stands right before a figure's name, it is asked."""
    if not asks_how_many(inp.question) or not metrics:
        return None
    infos = [i for i in (inp.catalog.metric(n) for n in metrics) if i is not None]
    counting_roles = ("count", "quantity", "returned_quantity", "quantity_before_returns", "stock")
    if any(i.additive or i.counts or i.role in counting_roles for i in infos):
        return None
    m = re.search(
        r"\b(?:how\s+many|wie\s*viele|number\s+of|anzahl(?:\s+(?:der|an|von))?)\b", inp.question, re.I
    )
    if m is None:
        return None
    if _DISTINCT_AFTER.match(inp.question, m.end()) and any(
        is_distinct_count(inp.catalog, n) for n in metrics
    ):
        return None  # 'how many different guests': a distinct count is the count asked for
    spans = [(linked.tokens[x.start].start, linked.tokens[x.end - 1].end) for x in linked.of_kind("metric")
             if 0 <= x.start < x.end <= len(linked.tokens)]  # fmt: skip
    after = [t for t in linked.tokens if t.start >= m.end()]
    skip = {
        "of",
        "the",
        "our",
        "your",
        "those",
        "these",
        "unique",
        "distinct",
        "different",
        "der",
        "die",
        "unsere",
    }
    after = [t for t in after if t.text not in skip]
    if after and any(a <= after[0].start < b for a, b in spans):
        return None  # 'how many active shippers', 'number of unique guests'
    counts = [x.label for x in inp.catalog.metrics if x.counts][:4]
    labels = _unique([*counts, *(i.label for i in infos)])
    return ClarificationPlan(
        question=f"'How many' asks for a count, but {' and '.join(i.label for i in infos)} is no count. "
        f"Which figure do you mean: {' or '.join(labels)}?",
        options=tuple(labels),
    )


def _ratio_operator(words: Sequence[str]) -> bool:
    """'per', 'divided by' … between two figures, with nothing but function words around it."""
    for op in _RATIO_OPERATORS:
        for i in range(len(words) - len(op) + 1):
            if tuple(words[i : i + len(op)]) == op:
                rest = [*words[:i], *words[i + len(op) :]]
                return all(w in STOPWORDS for w in rest)
    return False


# the figure a share is taken of: right after 'of', 'an', 'am', 'vom' … ('as a percentage of gross
# sales', 'Anteil der Rabatte am Bruttoumsatz', 'what share of gross sales were discounts')
_ARTICLES = r"(?:(?:the|our|total|den|dem|die|das|unseren?|unserem|gesamten?|gesamtem)\s+)*$"
_SHARE_OF = re.compile(r"\b(?:of|to|an|am|von|vom|zum|zur)\s+" + _ARTICLES, re.IGNORECASE)
_SHARE_OF_GENITIVE = re.compile(r"\b(?:des|der)\s+" + _ARTICLES, re.IGNORECASE)  # 'in % des Umsatzes'


_PRICE = re.compile(r"\b(?:prices?|\w*preis(?:e|es)?|asp)\b", re.IGNORECASE)


def _price_per_unit(inp: PlannerInput, metrics: list[str]) -> tuple[str, str] | None:
    """'average selling price per piece', 'Durchschnittspreis pro Stück': a price is money per unit
    sold — with no price figure in the catalog, the headline money figure divided by the one
    quantity figure read ('per piece': the units sold), derived and said so."""
    if not _PRICE.search(inp.question) or len(metrics) != 1:
        return None
    quantity = inp.catalog.metric(metrics[0])
    if quantity is None or not (quantity.role == "quantity" or quantity.unit == "units"):
        return None
    money = [m for m in inp.catalog.metrics if m.role == "money" and m.additive]
    default = next((m for m in money if m.name == inp.default_metric), None)
    chosen = default or (money[0] if len(money) == 1 else None)
    if chosen is None or not set(quantity.dimensions) <= set(chosen.dimensions) | {"metric_time"}:
        return None
    return chosen.name, quantity.name


def _percentage_of(question: str, linked: Linked) -> tuple[str, str] | None:
    """Two figures and a share word: (the part, the whole) — the whole is the figure right after the
    share's 'of' ('Discounts as a percentage of gross sales' → discounts ÷ gross sales). Anything
    else (one figure, three, no 'of' before either) stays a share of a breakdown."""
    metrics = sorted(linked.of_kind("metric"), key=lambda m: m.start)
    if len({m.entry.target for m in metrics}) != 2 or len(metrics) != 2:
        return None
    before = [question[: linked.tokens[m.start].start] for m in metrics]
    wholes = [m for m, text in zip(metrics, before, strict=True) if _SHARE_OF.search(text)]
    if not wholes:  # 'Rabatte in % des Bruttoumsatzes' (not 'Anteil der Rabatte am …', read above)
        wholes = [m for m, text in zip(metrics, before, strict=True) if _SHARE_OF_GENITIVE.search(text)]
    if len(wholes) != 1:
        return None
    whole = wholes[0]
    part = next(m for m in metrics if m is not whole)
    return part.entry.target, whole.entry.target


def _explicit_ratio(linked: Linked, catalog: Catalog) -> tuple[str, str] | None:
    """'claimed amount per claim', 'F&B revenue per occupied room night', 'delivery attempts … per
    delivered shipment': a figure per another figure (or per one of an entity whose count a metric
    gives) that no metric names — to be divided after one query of both (see answering/derived)."""
    words = [t.text for t in linked.tokens]
    metrics = sorted(linked.of_kind("metric"), key=lambda m: m.start)
    for a, b in itertools.pairwise(metrics):
        if a.entry.target != b.entry.target and _ratio_operator(words[a.end : b.start]):
            return a.entry.target, b.entry.target
    for a in metrics:
        for k in range(a.end, min(len(words), a.end + 6)):
            if words[k] not in ("per", "pro", "je") or k + 1 >= len(words):
                continue
            if not all(w in STOPWORDS for w in words[a.end : k]):
                break
            noun = lemma(words[k + 1])
            counters = [m.name for m in catalog.metrics if m.counts and m.counts.replace("_", " ") == noun]
            if len(counters) == 1 and counters[0] != a.entry.target:
                return a.entry.target, counters[0]
    return _sum_per_figure(linked, catalog, words, metrics)


def _sum_per_figure(
    linked: Linked, catalog: Catalog, words: list[str], metrics: list[Mention]
) -> tuple[str, str] | None:
    """'revenue per shipment': a word no phrase read that names one sum figure ('Freight revenue';
    'Revenue per kg' is a ratio already), 'per', then a figure — the sum divided by that figure."""
    covered = {k for m in linked.mentions for k in range(max(m.start, 0), m.end)}
    for b in metrics:
        k = b.start - 1
        if k < 1 or words[k] not in ("per", "pro", "je") or k - 1 in covered:
            continue
        word = lemma(words[k - 1])
        sums = [
            m.name
            for m in catalog.metrics
            if m.additive and m.name != b.entry.target and word in {lemma(w) for w in key_of(m.label)}
        ]
        if len(sums) == 1:
            return sums[0], b.entry.target
    return None


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
    if guess.metric is not None and _contrasted_words(linked):
        # 'claimed vs paid amounts': two figures set against each other, read as one — asked
        ranked = [name for name, _ in ranked_by_description(inp.catalog, words)[:4]]
        guess = Guess(None, tuple(_unique([guess.metric, *ranked])))
    if guess.metric is None and asks_how_many(inp.question):
        counted = count_of_entity(inp.catalog, words)
        # the count of the entity named, unless the other words read as another figure
        names = {x for e in named_entities(inp.catalog, words) for x in entity_words(e)}
        rest = [w for w in words if w not in names]
        other = metric_from_description(inp.catalog, rest) if rest else Guess(None)
        by_verb = count_named(inp.catalog, words) if counted.metric is None else None
        if by_verb is not None:
            guess = Guess(by_verb)  # 'how many guests arrived': the count the verb names
        elif counted.metric is not None and (other.metric is None and not other.options):
            guess = counted  # nothing else in the question reads as a figure
        elif counted.metric is not None:
            # 'how many guests … arrived': the guests counted, or the arrivals? asked
            guess = Guess(
                None,
                tuple(_unique([counted.metric, *([other.metric] if other.metric else []), *other.options])),
            )
        elif counted.options and not guess.options:
            guess = counted
        if guess.metric is None:
            guess = _count_among_counts(inp.catalog, counted, guess, words)
    if guess.metric is not None:
        return [guess.metric]
    said = [m for m in linked.mentions if m.entry.is_flag or m.entry.kind == "value"]
    flags = [
        w
        for d in said
        for w in sorted(lemmas(d.text))
        if any(names_metric(inp.catalog, o, w) for o in guess.options)
    ]
    if guess.options and not _RATIO_ASKED.search(inp.question):
        # 'revenue from pharma shippers': the sum, not the ratios built on it ('revenue per kg')
        sums = [o for o in guess.options if (i := inp.catalog.metric(o)) is not None and i.additive]
        ratios = [
            o for o in guess.options if o not in sums and _RATIO_LABEL.search(_metric_label(inp.catalog, o))
        ]
        if len(sums) == 1 and ratios and len(sums) + len(ratios) == len(guess.options):
            return sums
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


def _count_among_counts(catalog: Catalog, counted: Guess, guess: Guess, words: Sequence[str]) -> Guess:
    """'How many room nights …': the counts the question's noun names (RevPAR and room revenue are
    no counts); of several, the one its other words are said of ('stayed': the occupied ones, not the
    paid ones whose description leaves the stays out), else those counts asked about."""
    options = counted.options or guess.options
    counts = [o for o in options if (i := catalog.metric(o)) is not None and i.counts is not None]
    if len(counts) < 2 or not shared_name(catalog, counts):
        return guess  # no counts the one noun names alike
    chosen = count_by_other_words(catalog, counts, words)
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


_RATE_WORDS = frozenset(
    ("rate", "ratio", "percentage", "percent", "quote", "quota", "share", "proportion", "anteil")
)
_RATE_ASKED = re.compile(
    r"\b(?:rate|ratio|percentage|percent|per\s*cent|share|proportion|fraction|quote|quota|anteil|%)|%|quote\b",
    re.IGNORECASE,
)
# 'gross margin … in euros and as a percentage', 'Marge in %': the figure's percentage sibling too
_AS_PERCENT = re.compile(
    r"(?:\b(?:as\s+an?\s+|in\s+|als\s+)?(?P<word>percent\w*|percentge|per\s*cent|prozent\w*)\b|\bin\s+(?P<sign>%))"
    r"(?!\s*(?:of|vom|von|des|der)\b)",
    re.IGNORECASE,
)


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


def _rate_of_a_part(
    inp: PlannerInput,
    sig: Signals,
    metrics: list[str],
    left: dict[str, list[str]],
    ratio: tuple[str, str] | None,
) -> tuple[str, str] | None:
    """'What percentage of our delivery attempts failed', 'cancellation rate for bookings',
    'Stornoquote der Buchungen': a rate asked of one figure by a word naming the part of it another
    figure counts (failed delivery attempts of delivery attempts) — that part divided by the whole."""
    if ratio is not None or len(metrics) != 1 or not (sig.share or _RATE_ASKED.search(inp.question)):
        return None
    words = {
        w: o for w, o in left.items() if w not in _RATE_WORDS and lemma(w) not in _RATE_WORDS and w != "raten"
    }
    if len(words) != 1:
        return None
    ((_word, others),) = words.items()
    if len(others) != 1 or narrowed(inp.catalog, metrics, others[0]) != metrics[0]:
        return None
    return others[0], metrics[0]


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
        if len(parts) == 1:
            r.values = [x for x in r.values if (x.start, x.end) != (v.start, v.end)]
            r.dims = [x for x in r.dims if (x.start, x.end) != (v.start, v.end)]
            return parts[0], metrics[0]
    return None


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


_RATIO_ASKED = re.compile(
    r"\b(?:per|pro|je|rate|ratio|average|avg|mean|durchschnitt\w*|quote|%)", re.IGNORECASE
)
_RATE_LABEL = re.compile(r"\b(?:per|rate|ratio|share)\b|%", re.IGNORECASE)
_RATIO_LABEL = re.compile(r"\b(?:per|rate|ratio|average|avg|share)\b|%", re.IGNORECASE)


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


def _with_percent_sibling(question: str, catalog: Catalog, metrics: list[str]) -> tuple[list[str], set[str]]:
    """A money figure asked for 'as a percentage' too, whose percentage the catalog defines as a metric
    of its own (labelled '<label> %', or named '<name>_pct'): both figures, and the words
    read. Anything else leaves the percentage words to be read (or asked about) as before."""
    found = _AS_PERCENT.search(question)
    if found is None or not metrics:
        return metrics, set()
    siblings = []
    for name in metrics:
        info = catalog.metric(name)
        if info is None or info.format != "currency":
            continue
        wanted = {f"{info.label} %".lower(), f"{info.label} (%)".lower(), f"{info.label} percentage".lower()}
        siblings += [
            m.name for m in catalog.metrics
            if m.name in (f"{name}_pct", f"{name}_percent") or m.label.lower() in wanted
        ]  # fmt: skip
    if not siblings:
        return metrics, set()
    words = {fold(w) for w in (found["word"] or "").split()}
    return _unique([*metrics, *siblings]), words


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
        or _says_by(question, d)
    ):
        return False
    return not _COMPARE_WORDS.search(question)


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
    said = [lemmas(m.text) for m in spans if m.entry.target == info.name]
    if not said or not all(said):
        return None
    fits: list[tuple[MetricInfo, set[str]]] = []
    for m in (info, *(m for m in catalog.metrics if m.name != info.name)):
        names = [lemmas(n) for n in (m.label, m.name.replace("_", " "), *m.synonyms)]
        if m is not info and not all(any(words <= n for n in names) for words in said):
            continue
        own = set().union(*names)
        named = {d for d, words in said_values.items() if words and all(_stem_in(w, own) for w in words)}
        if needed - named <= set(m.dimensions):
            fits.append((m, named & needed - set(m.dimensions)))
            if m is info:
                return fits[0]  # the figure itself, once the filters its own name holds are dropped
    return fits[0] if len(fits) == 1 else None


def _stem_in(word: str, words: set[str]) -> bool:
    return word in words or any(
        same_stem(word, w) or word.replace("-", "") == w.replace("-", "") for w in words
    )


_SHARED_HEAD = re.compile(
    r"\b([^\W\d_][\w-]*)\s+(and|or|&|und|oder)\s+([^\W\d_][\w-]*)\s+([^\W\d_][\w-]*)\b", re.I
)


def _shared_heads(question: str, lexicon: Lexicon) -> str:
    """'open and click rates' → 'open rates and click rates': two figures sharing their last word,
    spelled out when both phrases name a metric (and the first word alone names none of them)."""

    def metric(phrase: str) -> bool:
        return any(e.kind == "metric" and e.source != "partial" for e in lexicon.lookup(key_of(phrase)))

    def spell(m: re.Match[str]) -> str:
        first, joint, second, head = m.groups()
        if (
            metric(f"{first} {head}")
            and metric(f"{second} {head}")
            and not metric(f"{first} {joint} {second}")
        ):
            return f"{first} {head} {joint} {second} {head}"
        return m.group(0)

    return _SHARED_HEAD.sub(spell, question)


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


def _average_of_a_total(catalog: Catalog, metrics: list[str], word: str) -> ClarificationPlan | None:
    """'the average discount': an average of a figure that is a total (a sum) is that total divided by
    something — per order, per item — which the question does not say. Never the total itself, and
    no guess: asked, with the divisions the catalog can make as options."""
    if fold(word) not in _AVERAGE_WORDS or len(metrics) != 1:
        return None
    info = catalog.metric(metrics[0])
    if info is None or info.type != "simple" or info.format == "percent":
        return None
    counts = [
        m for m in catalog.metrics
        if m.role in ("count", "quantity") and m.type == "simple" and m.name != info.name
        and set(info.dimensions) <= set(m.dimensions) | {"metric_time"}
    ][:3]  # fmt: skip
    options = tuple(f"{info.label} per {_singular(m.label)}" for m in counts)
    if not options:
        return None
    return ClarificationPlan(
        question=f"The average of {info.label.lower()} per what: "
        f"{' or '.join(o.split(' per ')[1] for o in options)}? ({info.label} on its own is a total.)",
        options=options,
    )


def _singular(label: str) -> str:
    words = label.lower().split()
    if words and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _described_whole(
    catalog: Catalog, linked: Linked, metrics: list[str], left: dict[str, list[str]]
) -> str | None:
    """'How many weeks will the running shoes stock last', 'wie viele Wochen reicht der Bestand': of
    the figures a word left over may mean (and the one read), the one whose description says every
    word of the question outside its values and dimensions ('How many weeks the stock lasts at the
    current selling pace'), when no other does. A word the figure does not say leaves it asked."""
    if len(metrics) != 1:
        return None
    candidates = _unique([*metrics, *(n for names in left.values() for n in names)])
    placed = {k for m in linked.mentions if m.entry.kind != "metric" for k in range(max(m.start, 0), m.end)}
    words = set()
    for k, t in enumerate(linked.tokens):
        if k not in placed and t.text not in STOPWORDS and not t.text.isdigit():
            words |= lemmas(t.text)
    if len(words) < 3:
        return None  # a figure's name and one word more say too little to choose by description
    saying = []
    for name in candidates:
        info = catalog.metric(name)
        if info is None:
            continue
        told = lemmas(" ".join([info.label, info.description or "", *info.synonyms]))
        if all(lemmas(t.text) & told for k, t in enumerate(linked.tokens) if k not in placed
               and t.text not in STOPWORDS and not t.text.isdigit()):  # fmt: skip
            saying.append(name)
    return saying[0] if len(saying) == 1 else None


def _sharper_reading(
    catalog: Catalog, linked: Linked, metrics: list[str], left: dict[str, list[str]]
) -> list[str] | None:
    """'stock worth at cost': the phrase read as one figure ('stock': units on hand) also names exactly
    one other figure ('stock value', 'inventory at cost') that every leftover word is explained by —
    the question names that one more exactly. Anything less clear stays a question back."""
    if len(metrics) != 1 or not left:
        return None
    others = {name for names in left.values() for name in names}
    if len(others) != 1:
        return None
    (other,) = others
    info = catalog.metric(other)
    mentions = [m for m in linked.of_kind("metric") if m.entry.target == metrics[0]]
    if info is None or not mentions:
        return None
    names = [info.label, other.replace("_", " "), *info.synonyms]
    said = [lemmas(m.text) for m in mentions]
    if all(any(words <= lemmas(n) for n in names) for words in said):
        first = catalog.metric(metrics[0])
        texts = [t.text for t in linked.tokens]
        in_units = any(
            a in ("in", "as", "als") and intents.UNIT_WORDS.fullmatch(b) for a, b in itertools.pairwise(texts)
        )
        if first is not None and first.format != info.format and in_units:
            return [metrics[0], other]  # 'stock in units and in value at cost': both figures
        return [other]
    return None


def _value_named_with_its_entity(linked: Linked, lexicon: Lexicon, catalog: Catalog) -> Linked:
    """'the Vienna depot': a name right before an entity word is that entity's — the one value of
    the entity's dimension whose name holds those words ('Vienna Inzersdorf'), not the city 'Vienna'
    of another table, even though that one is named in full."""
    out = list(linked.mentions)
    for v in linked.of_kind("value"):
        after = [d for d in linked.of_kind("dimension") if d.start == v.end]
        if not after or v not in out:
            continue
        columns = {_column(catalog, d.entry.target) for d in after}
        same = [m for m in out if (m.start, m.end) == (v.start, v.end) and m.entry.kind == "value"]
        if any(_column(catalog, m.entry.target) in columns for m in same):
            continue
        words = key_of(v.text)
        found: dict[str, list[str]] = {}
        for key, entries in lexicon.entries.items():
            if len(key) <= len(words) or not any(
                key[i : i + len(words)] == words for i in range(len(key) - len(words) + 1)
            ):
                continue
            for e in entries:
                if e.kind == "value" and e.value and _column(catalog, e.target) in columns:
                    found.setdefault(e.value, []).append(e.target)
        if len(found) != 1:
            continue
        ((value, targets),) = found.items()
        out = [m for m in out if m not in same]
        entries = [Entry("value", t, value, "partial") for t in _unique(targets)]
        out += [Mention(e, v.start, v.end, v.text) for e in entries]
    if out == linked.mentions:
        return linked
    out.sort(key=lambda m: (m.start, -m.entry.priority))
    return dataclasses.replace(linked, mentions=out)


def _without_loose_partials(linked: Linked) -> Linked:
    """A metric's head noun alone ('revenue' of 'freight revenue') names it only when no word of
    ours stands before it: 'cancellation rate' or 'restaurant revenue' is another figure."""
    kept = []
    for m in linked.mentions:
        if m.entry.source == "partial" and m.entry.kind == "metric" and m.end - m.start == 1 and m.start > 0:
            before = linked.tokens[m.start - 1].text
            covered = any(o.start <= m.start - 1 < o.end for o in linked.mentions)
            if not covered and before not in STOPWORDS and not before.isdigit():
                continue
        kept.append(m)
    return dataclasses.replace(linked, mentions=kept)


_OF_WORDS = frozenset(
    ("of", "the", "our", "their", "its", "each", "des", "der", "von", "dem", "den", "vom", "eines")
)


def _whose(catalog: Catalog, d: Mention, dims: list[Mention], tokens: Sequence[Token]) -> bool:
    """'region of the destination depot', 'Region des Zustelldepots': a dimension phrase after another
    with 'of'/'des' between names whose attribute that is (its entity on the other's path), not a
    second breakdown."""
    for other in dims:
        if other is d or other.end > d.start or d.start - other.end > 3:
            continue
        # 'of the destination depot': the words between are 'of' and the role's own words
        between = [t.text for t in tokens[other.end : d.start]]
        if not between or between[0] not in _OF_WORDS or between[0] in ("the", "our", "their", "its", "each"):
            continue
        whose = set(_path(catalog, d.entry.target))
        if (
            whose
            and whose <= set(_path(catalog, other.entry.target))
            and other.entry.target != d.entry.target
        ):
            return True
    return False


def _qualified(catalog: Catalog, entity_word: Mention, dims: list[Mention]) -> set[str]:
    """'consignee country': an entity word right before another dimension phrase says whose it is;
    the entities of that dimension's path (when the word's entity is among them)."""
    found: set[str] = set()
    for d in dims:
        if d is not entity_word and entity_word.end <= d.start <= entity_word.end + 1:
            found |= set(_path(catalog, d.entry.target))
    return found


def _names_entity(catalog: Catalog, text: str) -> bool:
    words = lemmas(text)
    return any(lemmas(e.name.replace("_", " ")) == words for e in catalog.entities)


def _role_words(question: str, mentions: Sequence[Mention], catalog: Catalog) -> set[str]:
    """The question's words that may name a role ('delivering', 'consignees'): those no metric,
    dimension or value phrase took, plus entity words — a phrase's own words say what, not whose."""
    text = question
    for m in mentions:
        # 'consignments delivered by the Vienna depot': a status word with 'by' after it is the
        # doer's verb, and says whose depot as much as it names a status
        agent_verb = re.search(rf"\b{re.escape(m.text)}\s+by\b", question, re.I) is not None
        if m.entry.source != "entity" and m.text and not agent_verb and not _names_entity(catalog, m.text):
            text = text.replace(m.text, " ")
    return lemmas(text)


def _column(catalog: Catalog, name: str) -> tuple[str | None, str]:
    dim = catalog.dimension(name)
    return attribute(dim) if dim is not None else (None, name)


def _path(catalog: Catalog, name: str) -> tuple[str, ...]:
    dim = catalog.dimension(name)
    return (*dim.path, dim.entity or "") if dim is not None else ()


def _resolve_paths(
    catalog: Catalog,
    mentions: list[Mention],
    infos: list[MetricInfo],
    words: set[str],
    value_counts: dict[str, int],
    tokens: Sequence[Token] = (),
    covered: frozenset[int] = frozenset(),
    *,
    held: Mapping[str, frozenset[str]] | None = None,
) -> list[Mention] | ClarificationPlan:
    """One reading per phrase, on the entity path the metrics reach (see `paths`); a phrase whose
    readings stay ambiguous is asked about, naming each reading. A value `held` by the facts of
    some of its roles only is read as those roles (see `ValueIndex.held`)."""
    entities = [e.name for e in catalog.entities]
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        by_span.setdefault((m.start, m.end), []).append(m)
    out: list[Mention] = []
    for readings in by_span.values():
        first = readings[0]
        if first.start < 0 or not infos:
            out += readings
            continue
        named = catalog.dimension(first.entry.target) if first.entry.source == "entity" else None
        entity = named.entity if named is not None else None
        names = [r.entry.target for r in readings]
        # the words next to the phrase first ('Austrian shippers … consignees in Germany'), then all
        choice = _role_of_modifier(catalog, names, infos, tokens, first.start, covered, entity)
        around = [*range(max(0, first.start - 2), first.start), *range(first.end, first.end + 2)]
        near = {lemma(tokens[k].text) for k in around if k < len(tokens) and k not in covered}
        if choice.name is None:
            choice = resolve(catalog, names, infos, near, entity=entity)
        if choice.name is None:
            choice = resolve(catalog, names, infos, words, entity=entity)
        if choice.ambiguous and first.entry.kind == "value":
            choice = _named_role(choice, role_before([t.text for t in tokens], first.start, entities))
        if choice.ambiguous and first.entry.kind == "value":  # 'which subcontractor carried …'
            choice = _named_role(choice, role_after([t.text for t in tokens], first.end, entities))
        if choice.ambiguous and first.entry.kind == "value" and held:
            choice = _held_roles(choice, first.entry.value, held)
        if choice.ambiguous and first.entry.kind == "value":
            flag = _flag_of_the_value(catalog, first.entry.value, infos)
            if flag is not None:  # 'complimentary' of two segments, and the yes/no 'Complimentary stay'
                out.append(dataclasses.replace(first, entry=Entry("dimension", flag, source="label")))
                continue
        if choice.name is not None:
            pick = next((r for r in readings if r.entry.target == choice.name), first)
            out.append(dataclasses.replace(pick, entry=dataclasses.replace(pick.entry, target=choice.name)))
        elif choice.ambiguous and first.entry.kind == "value" and catalog.declares_roles:
            # A project that declares its roles gets the documented convention: the reading with the
            # fewest values, the broadest (a city is a store's before a customer's, 'ski' a category
            # before a subcategory). One that declares none is asked.
            pick_dim = min(choice.options, key=lambda o: (value_counts.get(o.name, 10**6), o.name))
            pick = next(
                (r for r in readings if _column(catalog, r.entry.target) == attribute(pick_dim)), first
            )
            out.append(dataclasses.replace(pick, entry=dataclasses.replace(pick.entry, target=pick_dim.name)))
        elif choice.ambiguous:
            labels = _unique(option_label(o, choice.options) for o in choice.options)
            what = f"'{first.text}'" if first.entry.kind == "value" else f"by {first.text}"
            return ClarificationPlan(
                question=f"Which do you mean {what}: {' or '.join(labels)}?", options=tuple(labels)
            )
        elif first.entry.kind == "value" and _names_entity(catalog, first.text):
            continue  # 'consignees' read as a claimant role the metric cannot reach: a role word
        else:
            out += readings  # reachable by none: the caller says what the metric can be broken down by
    return out


def _role_of_modifier(
    catalog: Catalog,
    names: list[str],
    infos: list[MetricInfo],
    tokens: Sequence[Token],
    start: int,
    covered: frozenset[int],
    entity: str | None,
) -> PathChoice:
    """The word right before a phrase names its role first ('origin depot to destination depot',
    'delivering depot'): in a compound the modifier says whose, before any word further away."""
    k = start - 1
    if k < 0 or k in covered or k >= len(tokens):
        return PathChoice(None)
    return resolve(catalog, names, infos, lemmas(tokens[k].text), entity=entity)


def _named_role(choice: PathChoice, role: str | None) -> PathChoice:
    """Of the roles a value is read under, the one the verb before it names ('shipped by X')."""
    keep = tuple(o for o in choice.options if o.path and o.path[-1] == role)
    if role is None or not keep or len(keep) == len(choice.options):
        return choice
    return PathChoice(keep[0].name) if len(keep) == 1 else PathChoice(None, keep)


def _flag_of_the_value(catalog: Catalog, value: str | None, infos: list[MetricInfo]) -> str | None:
    """'complimentary' held by two dimensions ('Market segment', 'Rate plan') while a yes/no
    dimension the figures reach is named by it ('Complimentary stay', `is_complimentary`): the
    catalog's own yes/no for that kind, rather than a guess between the dimensions holding the word."""
    said = set(key_of(value or ""))
    if not said:
        return None
    flags = {
        attribute(d): d.name
        for d in catalog.dimensions
        if Entry("dimension", d.name).is_flag
        and all(d.name in i.dimensions for i in infos)
        and said <= {*key_of(d.label), *key_of(d.name.split("__")[-1].replace("_", " "))}
    }
    return next(iter(flags.values())) if len(flags) == 1 else None


def _held_roles(choice: PathChoice, value: str | None, held: Mapping[str, frozenset[str]]) -> PathChoice:
    """Of the roles a value is read under, those whose facts hold it — when every role's values are
    known and some (not none) hold it: 'Neckar Reifenservice' only ever shipped, so it is the shipper."""
    keys = {o.name: f"{o.path[-1]}__{attribute(o)[1]}" if o.path else o.name for o in choice.options}
    if value is None or not all(k in held for k in keys.values()):
        return choice
    keep = tuple(o for o in choice.options if value in held[keys[o.name]])
    if not keep or len(keep) == len(choice.options):
        return choice
    return PathChoice(keep[0].name) if len(keep) == 1 else PathChoice(None, keep)


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]


def _says_by(question: str, mention: Mention) -> bool:
    return bool(
        re.search(rf"\b(?:by|per|each|every|nach|pro|je)\s+{re.escape(mention.text)}", question, re.I)
    )


def _says_by_any(question: str, dims: Sequence[Mention]) -> bool:
    return any(_says_by(question, d) for d in dims)


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


def _other_side(question: str, flag: Mention) -> set[str]:
    """The words of what a yes/no is set against ('… vs our own fleet' → our, own, fleet)."""
    found = re.search(re.escape(flag.text) + _BETWEEN + _CONTRAST + r"((?:[\w-]+\s*){1,4})", question, re.I)
    return {fold(w) for w in found.group(1).split()} if found else set()


def _set_against(question: str, flag: Mention) -> bool:
    return bool(re.search(re.escape(flag.text) + _BETWEEN + _CONTRAST, question, re.I))


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
                    re.search(
                        re.escape(a.text) + _AROUND + _CONTRAST + _AFTER + re.escape(b.text), question, re.I
                    )
                    or re.search(_EACH_OWN.format(a=re.escape(a.text), b=re.escape(b.text)), question, re.I)
                    or re.search(_HEADING.format(a=re.escape(a.text), b=re.escape(b.text)), question, re.I)
                    or re.search(_SPLIT_INTO.format(a=re.escape(a.text), b=re.escape(b.text)), question, re.I)
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


def _trend_grain(rng: DateRange | None, inp: PlannerInput) -> Grain:
    if rng is None:
        return Grain.MONTH
    if rng.days <= 31:
        return Grain.DAY
    if rng.days <= 190:
        return Grain.WEEK
    return Grain.MONTH


def _shifted_period(
    current: DateRange | None, sig: Signals, as_of: date, base: MetricPlan | None
) -> DateRange | None:
    """'and the month before?', 'same thing a year earlier?': the previous answer's period moved.
    With no previous period, the shift counts from as_of ('the month before' = last month)."""
    assert sig.shift is not None
    unit, n = sig.shift.unit, sig.shift.n
    if current is None:
        if base is not None or n > 0:
            return None
        start, end = full_period(shift(as_of, unit, n), unit)
        return DateRange(start, end, f"last {unit} ({start} to {end})")
    return shift_range(current, unit, n, as_of)


def _included(question: str, mention: Mention) -> bool:
    return bool(
        re.search(
            rf"\b(?:inkl\.?|inklusive|einschlie(?:ß|ss)lich|incl\.?|including)\s+(?:(?:the|our|des|der|dem|den)\s+)?"
            rf"{re.escape(mention.text)}",
            question,
            re.I,
        )
    )


def _all_of(question: str, mention: Mention) -> bool:
    """'sales per sqm across all stores', 'Fläche aller Filialen': the total over them, no breakdown."""
    return bool(
        re.search(
            rf"\b(?:across\s+(?:all\s+)?(?:(?:of\s+)?(?:the|our)\s+)?|(?:for|over|of)\s+all\s+(?:(?:the|our)\s+)?|"
            rf"(?:(?:ü|ue)ber\s+|f(?:ü|ue)r\s+)?alle[rn]?\s+(?:unsere[rn]?\s+)?){re.escape(mention.text)}",
            question,
            re.I,
        )
    )


def _reachable_reading(mention: Mention, infos: list[MetricInfo], lexicon: Lexicon) -> Mention:
    """'new members by city': the word 'city' names a store's and a customer's city; the figure
    reaches only one of them, so that is the one meant."""
    if not infos or all(mention.entry.target in i.dimensions for i in infos):
        return mention
    for entry in lexicon.lookup(key_of(mention.text)):
        if entry.kind == "dimension" and all(entry.target in i.dimensions for i in infos):
            return dataclasses.replace(mention, entry=entry)
    return mention


def _role(catalog: Catalog, metric: str) -> str | None:
    info = catalog.metric(metric)
    return info.role if info is not None else None


def _replaced_by(old: Filter, new: list[Filter], catalog: Catalog) -> bool:
    """A follow-up's filter replaces the previous one on the same dimension, and one on another
    place dimension ('und für München?' after Berlin, a region, now a city)."""
    if any(f.dimension == old.dimension for f in new):
        return True
    dim = catalog.dimension(old.dimension)
    if dim is None or dim.role != "location":
        return False
    return any((d := catalog.dimension(f.dimension)) is not None and d.role == "location" for f in new)


def _figures_of_the_online_one(
    catalog: Catalog, metrics: list[str], spans: Sequence[Mention], mentions: Sequence[Mention]
) -> list[str]:
    """'visits to the online shop and the revenue they brought': one figure is the online shop's by
    nature (sessions: no channel to filter), another is named by a general word ('revenue') that
    would take the filter. That word means the figure of the same source as the online one (web
    revenue, of the sessions' model): re-read so, when exactly one such figure's name holds it."""
    online = [m for m in mentions if intents.ONLINE.search(m.text)]
    infos = [i for i in (catalog.metric(n) for n in metrics) if i is not None]
    if not online or len(infos) < 2:
        return metrics
    targets = {m.entry.target for m in online}
    by_nature = [i for i in infos if not targets & set(i.dimensions)]
    taking = [i for i in infos if targets & set(i.dimensions)]
    if not by_nature or not taking:
        return metrics
    models = {model for i in by_nature for model in i.models}
    swapped: dict[str, str] = {}
    for info in taking:
        said = [lemmas(m.text) for m in spans if m.entry.target == info.name]
        if not said or not all(said):
            return metrics
        fits = [
            m.name
            for m in catalog.metrics
            if m.name not in metrics
            and m.models
            and set(m.models) <= models
            and all(
                any(words <= lemmas(n) for n in (m.label, m.name.replace("_", " "), *m.synonyms))
                for words in said
            )
        ]
        if len(fits) != 1:
            return metrics
        swapped[info.name] = fits[0]
    return [swapped.get(n, n) for n in metrics]


def _channel_reading(
    inp: PlannerInput, metrics: list[str], dims: list[Mention], values: list[Mention]
) -> tuple[list[Mention], list[Mention], str | None, str | None]:
    """'online vs stores' → group by the channel dimension (the store and online-shop words are not
    filters then); 'in the online shop' → the channel's online value where the figure has a channel;
    for a figure that is online by nature (web sessions), the online-shop words are dropped, said."""
    catalog, lexicon = inp.catalog, inp.lexicon
    channel = intents.channel_contrast(inp.question, catalog, lexicon, metrics)

    def online_words(m: Mention) -> bool:
        return bool(intents.ONLINE.search(m.text) or intents.STORES.search(m.text)) or fold(m.text) in (
            "store", "shop", "filiale", "online",
        )  # fmt: skip

    if channel is not None:
        dims = [d for d in dims if not online_words(d)]
        values = [v for v in values if not online_words(v)]
        return dims, values, channel, f"by {_label(catalog, channel)} (online vs stores)"
    infos = [i for i in (catalog.metric(n) for n in metrics) if i is not None]

    def says_online(m: Mention) -> bool:
        # 'online shop' (a flag or a value), or 'shop' right after 'web'/'online' ('the web shop's')
        if intents.ONLINE.search(m.text) and (m.entry.is_flag or m.entry.kind == "value"):
            return True
        return m.entry.kind == "dimension" and bool(
            re.search(rf"\b(?:web|online)[\s-]*{re.escape(m.text)}", inp.question, re.I)
        )

    online = [m for m in [*dims, *values] if says_online(m)]
    # 'in the stores', 'in-store', 'in den Filialen' (not 'by store'): the store channel
    in_stores = [
        d
        for d in dims
        if not online
        and not _says_by(inp.question, d)
        and re.search(
            rf"\b(?:in|im)\s+(?:the\s+|our\s+|den\s+|unseren\s+)?{re.escape(d.text)}\b", inp.question, re.I
        )
        and intents.STORES.search(d.text)
    ]
    if not (online or in_stores) or not infos:
        return dims, values, None, None
    for dim in catalog.dimensions_with_role("channel"):
        if all(dim.name in i.dimensions for i in infos):
            found = online or in_stores
            entry = intents.channel_value(lexicon, dim.name, "online" if online else "store")
            if entry is not None:
                first = found[0]
                dims = [d for d in dims if d not in found]
                values = [v for v in values if v not in found]
                values.append(Mention(entry, first.start, first.end, first.text, first.negated))
                return dims, values, None, None
    if not online:
        return dims, values, None, None
    unreachable = [m for m in online if not any(m.entry.target in i.dimensions for i in infos)]
    if unreachable:
        dims = [d for d in dims if d not in unreachable]
        values = [v for v in values if v not in unreachable]
        return dims, values, None, f"{infos[0].label.lower()} covers the online shop only"
    return dims, values, None, None


def _comparison_between(current: DateRange, against: DateRange) -> Comparison | None:
    """Two named periods ('December vs November', 'Q2 compared to Q1', '2025 vs 2024'): the
    comparison the semantic layer runs when `against` is the period before or a year before."""
    rng = TimeRange(start=current.start, end=current.end)
    for mode in ("previous_period", "same_period_last_year"):
        other = comparison_range(rng, mode)
        if (other.start, other.end) == (against.start, against.end):
            return mode
    return None


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
    label = _role_label(catalog, f.dimension)
    if f.operator in ("!=", "not in"):
        return f"excluding {label} {vals}"
    return f"{label} {vals}"


def _role_label(catalog: Catalog, name: str) -> str:
    """'consignee name' where one column is read through several roles (a party's name as the
    shipper's, the consignee's, the carrier's), so the answer says whose; else the label."""
    dim = catalog.dimension(name)
    if dim is None or not dim.path:
        return _label(catalog, name)
    roles = {d.path[-1] for d in catalog.dimensions if d.path and attribute(d) == attribute(dim)}
    if len(roles) < 2:
        return _label(catalog, name)
    return f"{dim.path[-1].replace('_', ' ')} {dim.label.lower()}"


def _dimension_options(catalog: Catalog, infos: list[MetricInfo]) -> tuple[str, ...]:
    names = infos[0].dimensions if infos else tuple(d.name for d in catalog.dimensions)
    return tuple(_labels(catalog, names)[:6])


def _which_metric(catalog: Catalog, question: str) -> ClarificationPlan:
    preferred = ("sales", "margin", "purchases", "units", "basket", "return_share")  # meta.mercurios.kpi
    options = [m.label for kpi in preferred if (m := catalog.metric_for(kpi)) is not None]
    if not options:
        options = [m.label for m in catalog.metrics[:6]]
    return ClarificationPlan(question=question, options=tuple(options))


def _off_topic(inp: PlannerInput) -> DocumentPlan | RefusalPlan:
    if documents_answer_instead(inp.document_context()):
        return DocumentPlan(question=inp.question.strip())
    return RefusalPlan(reason="off_topic", message=help_text(inp.catalog))


# words that are context, not a filter: the unit of a count, the channel's everyday names
_CONTEXT_WORDS = frozenset(
    (
        *(
            "piece",
            "unit",
            "pair",
            "paar",
            "stueck",
            "stuecken",
            "stuck",
            "teil",
            "teile",
            "stk",
            "pcs",
        ),
        *("web", "webshop", "instore", "offline", "online", "internet", "ecommerce", "stationaer"),
        *("shop", "shops", "store", "stores", "equipment", "gear", "goods", "merchandise", "range"),
        *("assortment", "sortiment", "ware", "waren", "product", "products", "item", "items", "stuff"),
    )
)


def _context_words(catalog: Catalog, *, described: bool = True) -> frozenset[str]:
    """The catalog's entity words ('customers', 'Kunden', 'articles'): context, never a filter —
    and, `described`, the words its descriptions use (see `_described_words`)."""
    return _described_context(catalog) if described else _entity_context(catalog)


@per_catalog
def _entity_context(catalog: Catalog) -> frozenset[str]:
    words = set(_CONTEXT_WORDS)
    for entity in catalog.entities:
        for phrase in (entity.name, entity.label, *entity.synonyms):
            words.update(key_of(phrase))
            words.update(lemma(w) for w in key_of(phrase))
    return frozenset(words)


@per_catalog
def _described_context(catalog: Catalog) -> frozenset[str]:
    # the words the catalog's descriptions use ('consignments', 'went back to the shipper', 'the
    # delivering depot'): read by the description and role readings (describe, paths); one that
    # nothing of the plan explains is asked about afterwards (`_unexplained_described`)
    words = set(_entity_context(catalog))
    texts = [t for m in catalog.metrics for t in (m.description, *m.context)]
    texts += [t for d in catalog.dimensions for t in (d.description, d.label)]
    texts += [e.description for e in catalog.entities]
    for text in texts:
        # lower-case words only: a description's proper names ('e.g. HAM1 (Hamburg hub)') are examples
        common = [t.text for t in tokenize(text) if t.original[:1].islower() and len(t.text) > 2]
        words.update(common)
        words.update(lemma(w) for w in common)
    words.update(_source_words(catalog))
    return frozenset(words)


_AVERAGE_WORDS = frozenset(("average", "mean", "durchschnitt", "durchschnittlich"))
_MONEY_WORDS = frozenset(("worth", "wert", "value", "money", "geld"))


def _described_words(linked: Linked, inp: PlannerInput) -> list[str]:
    """Words left outside every mention that only the catalog's descriptions know ('paid search' of
    a medium described as 'cpc (paid search)', 'send' of 'the day the campaign was sent'): excused
    while the description and role readings run, but each must be explained by the plan in the end."""
    return unplaced_words(linked, inp.lexicon, lambda: _context_words(inp.catalog, described=False))


def _unexplained_described(
    words: Sequence[str], catalog: Catalog, metrics: Sequence[str], dimensions: Sequence[str]
) -> list[str]:
    """Of `words` (see `_described_words`), those no part of the plan explains: not in what the catalog
    says about the chosen metrics (name, label, synonyms, description, what they are computed from),
    nor about the dimensions named (label, description, and the entities on every path to the same
    column: 'delivering' names the destination depot's role). Answering without them would drop
    them silently; a wrong number is worse than a question back."""
    if not words:
        return []
    known: set[str] = set()
    for name in metrics:
        info = catalog.metric(name)
        if info is not None:
            known |= lemmas(" ".join((info.name.replace("_", " "), info.label, info.description,
                                      *info.synonyms, *info.context)))  # fmt: skip
            if info.format == "currency":
                known |= _MONEY_WORDS  # 'what was our stock worth': a money figure says what it is worth
    for name in dimensions:
        dim = catalog.dimension(name)
        if dim is None:
            continue
        for other in catalog.dimensions:
            if attribute(other) != attribute(dim):
                continue
            known |= lemmas(f"{other.label} {other.description}")
            for entity in other.path or (other.entity,):
                info_e = catalog.entity(entity) if entity else None
                if info_e is not None:
                    known |= entity_words(info_e) | lemmas(info_e.description)
    out = []
    for word in words:
        forms = lemmas(word) | {fold(word)}
        if forms & known or any(same_stem(f, k) for f in forms for k in known):
            continue
        out.append(word)
    return out


def _product_words(unplaced: list[str], linked: Linked, lexicon: Lexicon) -> tuple[list[Mention], list[str]]:
    """Unplaced words that name items ('Leuchten', 'Skijacken'): value mentions on the narrowest level
    holding all of them (see product_words); the words that name no item stay unplaced."""
    naming = [w for w in unplaced if read_product_words([w], lexicon) is not None]
    values = [i for m in linked.of_kind("value") for i in (m.start, m.end - 1)]
    # 'bike helmet': a word right next to another product value is part of one name, not a second one
    naming = [w for w in naming if not any(abs(_index(linked, w) - i) == 1 for i in values)]
    if not naming:
        return [], unplaced
    found = read_product_words(naming, lexicon)
    if found is None or len(found.values) > _MAX_PRODUCT_WORD_VALUES:
        return [], unplaced
    token = next(t for t in linked.tokens if t.original == naming[0])
    index = linked.tokens.index(token)
    text = " ".join(naming)
    mentions = [
        Mention(Entry("value", found.dimension, value, source="product word"), index, index + 1, text)
        for value in found.values
    ]
    return mentions, [w for w in unplaced if w not in naming]


def _without_bracketed_parts(values: list[Mention], text: str, tokens: Sequence[Token]) -> list[Mention]:
    """'das ganze Radsortiment (Bikes, Helme, Zubehör, Bekleidung)': a bracket right after a value
    lists what that value holds — its words explain the value, they are no filters of their own."""
    out = list(values)
    for bracket in re.finditer(r"\(([^()]*)\)", text):
        before = text[: bracket.start()].rstrip()
        named = [v for v in values if 0 <= v.end - 1 < len(tokens) and tokens[v.end - 1].end == len(before)]
        if not named:
            continue
        inside = [
            v for v in values if v.start >= 0 and bracket.start() < tokens[v.start].start < bracket.end()
        ]
        out = [v for v in out if v not in inside or v in named]
    return out


def _unknown(linked: Linked, inp: PlannerInput) -> list[str]:
    """Names linking could not place, less the catalog's context words ('Kunden', 'Teile') and the
    words that name items ('Skijacken'): those are read, not unknown."""
    if not linked.unknown_names:
        return []  # (and no lemma dictionary loaded for the catalog's words)
    context = _context_words(inp.catalog)
    return [
        name
        for name in linked.unknown_names
        if not ({fold(name), lemma(fold(name))} & context) and read_product_words([name], inp.lexicon) is None
    ]


def _index(linked: Linked, word: str) -> int:
    return next(i for i, t in enumerate(linked.tokens) if t.original == word)


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


def _product_words_over_partials(values: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """'Leuchten': a word that names items (see product_words) is read as those items, not as a
    loose part of another value's name (a campaign 'Neue Leuchten')."""
    out: list[Mention] = []
    for v in values:
        found = read_product_words([v.text], lexicon) if v.entry.source == "partial" else None
        if found is None or len(found.values) > _MAX_PRODUCT_WORD_VALUES:
            out.append(v)
            continue
        out += [
            Mention(Entry("value", found.dimension, value, source="product word"), v.start, v.end, v.text)
            for value in found.values
        ]
    return out


def _unplaced_clarification(words: list[str], lexicon: Lexicon) -> ClarificationPlan:
    quoted = " and ".join(f"'{w}'" for w in words[:3])
    suggestions = suggest_values(words[0], lexicon)
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    return ClarificationPlan(
        question=f"I don't know what {quoted} refers to in your data: it is none of your figures, stores, "
        f"products or other values, and an answer without it would be wrong.{hint}",
        options=tuple(suggestions),
    )


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
    dimension of the same name (`is_…` = false) — a filter, not a second metric."""
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
