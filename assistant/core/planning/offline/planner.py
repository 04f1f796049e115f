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
from datetime import date

from assistant.core.answering.examples import example_question
from assistant.core.planning.offline import places
from assistant.core.planning.offline.assembly import _ASSEMBLY, _Draft, _metric_plan
from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.clarifications import (
    _explain_plan,
    _unknown,
    _unknown_name_clarification,
    _unplaced_clarification,
    _which_metric,
)
from assistant.core.planning.offline.clipped_words import completed
from assistant.core.planning.offline.context_words import (
    _described_words,
    _product_words,
    _unexplained_described,
    catalog_context_words,
)
from assistant.core.planning.offline.dated_events import dated_by_its_event
from assistant.core.planning.offline.document_questions import is_document_question
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
from assistant.core.planning.offline.groups import _read_as_value
from assistant.core.planning.offline.included import without_included
from assistant.core.planning.offline.inputs import PlannerInput, RetrievalLookup
from assistant.core.planning.offline.intents import (
    HOW_MUCH,
    money_in_the_projects_word,
    money_said_as_a_figure,
)
from assistant.core.planning.offline.labels_apart import label_said_apart
from assistant.core.planning.offline.lead_in import adds_nothing, opening
from assistant.core.planning.offline.lead_times import said_as_duration, said_as_lead_time
from assistant.core.planning.offline.lexicon import Entry, Lexicon, key_of
from assistant.core.planning.offline.linking import (
    STOPWORDS,
    Linked,
    Mention,
    is_harmless,
    link,
    unplaced_words,
)
from assistant.core.planning.offline.members_named import members_named, receivers_named
from assistant.core.planning.offline.named_as_examples import without_examples
from assistant.core.planning.offline.paths import lemmas, same_stem
from assistant.core.planning.offline.place_adjectives import places_named
from assistant.core.planning.offline.population_words import group_named_as_a_figure
from assistant.core.planning.offline.product_words import read_product_words
from assistant.core.planning.offline.qualified_groups import group_qualified
from assistant.core.planning.offline.question_kinds import WRITE_INTENT
from assistant.core.planning.offline.ratios import unlike_share
from assistant.core.planning.offline.reading import _READING, _Reading
from assistant.core.planning.offline.restated import glossed_by_the_catalog, restated_by_a_bracket
from assistant.core.planning.offline.retrieval_hints import with_retrieval
from assistant.core.planning.offline.roles import _column, _unique
from assistant.core.planning.offline.signals import Signals, comparison_spans, extract_signals
from assistant.core.planning.offline.status_words import change_words_naming_values
from assistant.core.planning.offline.text import (
    Token,
    english_lemma,
    expand_elisions,
    expand_shorthand,
    fold,
    lemma,
    tokenize,
)
from assistant.core.planning.offline.typos import correct_typos
from assistant.core.planning.offline.unit_words import said_in_units
from assistant.core.planning.offline.value_lookup import with_values_beyond_cap
from assistant.core.planning.offline.whole_question import answer_or_ask
from assistant.core.planning.plans import ClarificationPlan, DocumentPlan, MetricPlan, Plan, RefusalPlan
from assistant.core.planning.time_range import DateRange
from semantic_layer.catalog import Catalog

__all__ = ["OfflinePlanner", "PlannerInput", "RetrievalLookup"]

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


class OfflinePlanner:
    """Deterministic semantic parser; stateless, safe to share between threads."""

    name = "offline"
    deterministic = True  # the same input, the same plan: the engine may keep it (`core/plan_memo`)

    def plan(self, inp: PlannerInput) -> Plan:
        planned = self._plan(inp)
        split = (
            opening(inp.question) if isinstance(planned, ClarificationPlan) and inp.previous is None else None
        )
        if split is not None:  # 'Is Leipzig pulling its weight? Sales per sqm for Leipzig vs Dresden …'
            lead, rest = split
            alone = self._plan(dataclasses.replace(inp, question=rest))
            if isinstance(alone, MetricPlan) and adds_nothing(lead, alone, inp.lexicon, inp.as_of):
                return alone.model_copy(update={"understood": (*alone.understood, f"asked: {rest.strip()}")})
        return planned

    def _plan(self, inp: PlannerInput) -> Plan:
        question = inp.question.strip()
        folded = f" {fold(question)} "
        for term in inp.foreign_terms:
            if f" {fold(term)} " in folded or fold(term) in folded.replace(" ", "-"):
                return RefusalPlan(
                    reason="cross_tenant",
                    message="I can only answer questions about your own company's data.",
                )
        if WRITE_INTENT.search(question):
            return RefusalPlan(
                reason="not_allowed",
                message="I can only read your data — I can't change or delete anything. "
                f"Ask me about it instead, e.g. '{example_question(inp.catalog)}'.",
            )
        said_so = money_in_the_projects_word(question, inp.catalog, inp.lexicon)
        if said_so != question:  # 'F&B takings' where every money figure is a '… revenue'
            question = said_so
            inp = dataclasses.replace(inp, question=said_so)
        money = money_said_as_a_figure(question, inp.catalog, inp.default_metric)
        if money is not None:  # 'How much did the wine bar make?' with no headline money figure
            planned = self._plan(dataclasses.replace(inp, question=money))
            if isinstance(planned, MetricPlan):
                return planned
        lead = said_as_lead_time(question, inp.catalog) or said_as_duration(question, inp.catalog)
        if lead is not None:  # 'how far in advance do guests book': the booking window figure
            question = lead
            inp = dataclasses.replace(inp, question=lead)
        said = said_in_units(
            receivers_named(members_named(without_examples(question, inp.lexicon), inp.catalog), inp.catalog),
            inp.catalog,
        )  # 'kilos', 'subcontractors'
        clipped = places_named(completed(said, inp.lexicon), inp.lexicon)
        if clipped != question:  # 'conv rate' → 'conversion rate'; 'bayerischen Filialen' → 'Bayern Filialen'
            question = clipped
            inp = dataclasses.replace(inp, question=clipped)
        corrected = correct_typos(question, inp.lexicon.vocabulary, catalog_context_words(inp.catalog))
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
        translated = _figures_set_against(
            _flag_by_its_first_word(_translated_around_comparison(question, inp.lexicon), inp.lexicon),
            inp.lexicon,
            inp.catalog,
        )
        translated = _kind_of_the_subject(_total_and_of_those(translated, inp.catalog), inp.catalog)
        if translated != question:  # German words an English catalog does not hold, in English
            question = translated
            inp = dataclasses.replace(inp, question=translated)
        as_values, strong = change_words_naming_values(question, inp.lexicon)
        if strong is not inp.lexicon:  # 'claims for lost shipments': a status 'Lost', no change
            inp = dataclasses.replace(inp, lexicon=strong)
        sig = _signals_around_values(question, inp, as_values)
        sig = _period_end(_up_to_now(_grain_in_a_name(sig, question, inp.lexicon), inp))
        sig = _whole_business(sig, inp.lexicon)
        if is_document_question(question, sig, inp.document_context):
            return DocumentPlan(question=question)
        dated = dated_by_its_event(question, sig, inp.lexicon, inp.catalog)
        if dated is not None:  # 'reservations for November arrivals': the period on the arrival date
            return self.plan(dataclasses.replace(inp, question=dated))
        linked = _without_loose_partials(link(sig.text, inp.lexicon, original=question))
        included = without_included(sig, linked)
        if included is not sig:  # 'Onlineshop mitgezählt': part of the whole, no filter
            sig = included
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
        linked = label_said_apart(linked, inp.catalog)  # 'claims … per 1000 shipments'
        if linked.unknown_names:
            local = _city_as_the_data_names_it(question, linked.unknown_names, inp.lexicon)
            if local is not None:  # 'Lisbon', 'Lissabon' → the 'Lisboa' of a hotel's name
                return self.plan(dataclasses.replace(inp, question=local))
        glossed = glossed_by_the_catalog(question, linked, inp.catalog)
        if glossed is not None:  # 'never-out-of-stock (NOS) articles': the catalog's own gloss of NOS
            return self.plan(dataclasses.replace(inp, question=glossed))
        restated = restated_by_a_bracket(question, linked)
        if restated is not None:  # 'komplimentär (Gratisnächte)', 'electronic data interchange (EDI)'
            return self.plan(dataclasses.replace(inp, question=restated))
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
        group = group_named_as_a_figure(r.linked, inp.catalog, r.metrics) if r.ratio is None else None
        if group is not None:  # 'net sales of new customers', 'returning customers': a group, asked
            return group
        qualified = group_qualified(r.linked, inp.catalog, r.metrics)
        if qualified is not None:  # 'discounted products', 'Umsatz von Stammkunden': a group, asked
            return qualified
        percent = r.percent_of is not None or r.part_share
        unlike = unlike_share(inp.catalog, r.ratio) if percent else None
        if unlike is not None:  # 'Anteil der Retouren am Umsatz': units over money is no share
            return unlike
        planned = self._assemble(
            r.inp,
            r.sig,
            r.metrics,
            r.dims,
            r.values,
            spans=r.linked.of_kind("metric"),
            ratio=r.ratio,
            tokens=r.linked.tokens,
            percent=percent,
        )
        return answer_or_ask(
            planned, sig, linked, inp.catalog, inp.question, inp.as_of
        )  # every word read, or asked

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
            return _unknown_name_clarification(unknown, inp.lexicon, inp.catalog)
        if EXPLAIN.search(inp.question):
            return _explain_plan(inp, prev)
        unplaced = unplaced_words(linked, inp.lexicon, lambda: catalog_context_words(inp.catalog))
        if linked.of_kind("metric") or HOW_MUCH.search(inp.question):
            # 'wie viel davon ausbezahlt?': 'davon' points back to the answer before when a figure
            # of its own is asked of it; alone ('wie viele davon …?') it is asked about, it was dropped
            # and a wrong number answered (a frozen held-out half, found by scores only)
            unplaced = [w for w in unplaced if not ANAPHOR.fullmatch(w)]
        words, unplaced = _product_words(unplaced, linked, inp.lexicon)
        if unplaced:
            return _unplaced_clarification(unplaced, inp.lexicon, inp.catalog)
        # an everyday word that is also a value, not read as one ('and how much was paid out?': the
        # status PAID): the one figure it names, else asked — never silently dropped
        dims = linked.of_kind("dimension")
        worded: list[str] = []
        narrowed: list[Mention] = []
        for v in linked.of_kind("value"):
            if _read_as_value(v, dims) or any(
                o.entry.kind != "value" and o.start <= v.start and v.end <= o.end for o in linked.mentions
            ):
                continue
            if NARROWING.search(inp.question):
                narrowed.append(v)  # 'only the paid ones': the value, narrowing the figure asked before
                continue
            named_by = _unique(e.target for e in inp.lexicon.lookup(key_of(v.text)) if e.kind == "metric")
            if len(named_by) != 1 or not HOW_MUCH.search(inp.question):
                return _unplaced_clarification([v.text], inp.lexicon, inp.catalog)
            worded += named_by  # 'and how much was paid out?': the figure of that word
        metrics = _unique([*(m.entry.target for m in linked.of_kind("metric")), *worded]) or list(
            prev.query.metrics
        )
        if NARROWING.search(inp.question) and (linked.of_kind("value") or linked.of_kind("dimension")):
            # 'and only for dangerous goods shipments?': the noun after the filter repeats what is
            # counted; a narrowing follow-up keeps the figure asked before
            metrics = list(prev.query.metrics)
        named_metrics = _unique([*(m.entry.target for m in linked.of_kind("metric")), *worded])
        if named_metrics and ADDING.search(inp.question):
            metrics = _unique([*prev.query.metrics, *named_metrics])
        values = [m for m in linked.of_kind("value") if _read_as_value(m, dims)] + narrowed + words
        spans = linked.of_kind("metric")
        named = [m.entry.target for m in [*dims, *values]]
        named += [*prev.query.group_by, *(f.dimension for f in prev.query.filters)]
        loose = _unexplained_described(_described_words(linked, inp), inp.catalog, metrics, named)
        loose = [
            w for w in loose if read_product_words([w], inp.lexicon) is None and not ANAPHOR.fullmatch(w)
        ]
        if loose:
            return _unplaced_clarification(loose, inp.lexicon, inp.catalog)
        if not named_metrics:
            another = _another_figures_word(inp.catalog, prev, _described_words(linked, inp))
            if another is not None:  # 'and the cancellation share?' after bookings: not bookings again
                word, labels = another
                return ClarificationPlan(
                    question=f"'{word}' names another figure than the one before: which do you mean — "
                    f"{' or '.join(labels)}? Ask it in full and I'll answer it.",
                    options=tuple(labels),
                )
        planned = self._assemble(
            inp, sig, metrics, dims, values, base=prev, spans=spans, tokens=linked.tokens
        )
        return answer_or_ask(planned, sig, linked, inp.catalog, inp.question, inp.as_of)


@per_catalog
def _figure_words(catalog: Catalog) -> dict[str, frozenset[str]]:
    """Each figure's words (lemmas of its name and label), once per catalog: the follow-up check
    runs for every suggested follow-up of every answer."""
    return {m.name: frozenset(lemmas(f"{m.name.replace('_', ' ')} {m.label}")) for m in catalog.metrics}


def _another_figures_word(
    catalog: Catalog, prev: MetricPlan, words: Sequence[str]
) -> tuple[str, list[str]] | None:
    """A follow-up naming no figure keeps the previous one, and the previous figure's description
    excused the words it mentions ('Bookings … whatever happened to them later (stayed, cancelled …)').
    A word that is a word of another figure's name or label and none of the kept one's ('and the
    cancellation share?' after bookings: Cancelled bookings) asks for another figure: it is asked
    about, not answered with the bookings again."""
    kept = set(prev.query.metrics)
    said_by = _figure_words(catalog)
    own = {w for n in kept for w in said_by.get(n, ())}
    others = {m.label: said_by[m.name] for m in catalog.metrics if m.name not in kept}
    for word in words:
        forms = lemmas(word) | {fold(word)}
        if any(same_stem(f, o) for f in forms for o in own):
            continue
        named = [label for label, said in others.items() if any(same_stem(f, o) for f in forms for o in said)]
        if named:
            return word, named
    return None


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


def _translated_around_comparison(question: str, lexicon: Lexicon) -> str:
    """The German words the lexicon does not know in English (`translate_unknown`), the words of a
    comparison left as typed: the signals read them in German, a half-translated 'compared mit dem
    Vorjahr' in neither language (the comparison was lost and one period answered)."""
    known = lexicon.vocabulary

    def is_phrase(words: str) -> bool:
        return any(e.kind == "metric" for e in lexicon.lookup(key_of(words)))

    spans = comparison_spans(question)
    if not spans or not reads_german(question):
        return translate_unknown(question, known, is_phrase)
    # each span held by a marker no word pattern reads; its 'ü' keeps the question German to the
    # translation even where the comparison word was its only German mark ('… gegenüber 2025')
    markers = [f"\x00ü{chr(0xE000 + i)}\x00" for i in range(len(spans))]
    masked, last = "", 0
    for marker, (a, b) in zip(markers, spans, strict=True):
        masked += question[last:a] + marker
        last = b
    translated = translate_unknown(masked + question[last:], known, is_phrase)
    if not all(translated.count(marker) == 1 for marker in markers):
        return translate_unknown(question, known, is_phrase)
    for marker, (a, b) in zip(markers, spans, strict=True):
        translated = translated.replace(marker, question[a:b])
    return translated


def _signals_around_values(
    question: str, inp: PlannerInput, values: Sequence[tuple[int, int]] = ()
) -> Signals:
    """The signals of the question, where a ranking word that begins a value's name ('the best
    available rate', a rate plan) stays part of that name: no ranking is read from it; nor from the
    spans `values` (change words said as a value: 'lost shipments')."""
    masked = question
    kept: list[tuple[int, int]] = []
    for start, end in values:
        kept.append((start, end))
        masked = masked[:start] + "x" * (end - start) + masked[end:]
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


_SHARED_HEAD = re.compile(
    r"\b([^\W\d_][\w-]*)\s+(and|or|&|und|oder|vs\.?|versus|gegen)\s+([^\W\d_][\w-]*)\s+([^\W\d_][\w-]*)\b",
    re.I,
)
_SET_AGAINST = frozenset(("vs", "vs.", "versus", "gegen"))


_OF_THOSE = re.compile(
    r"\b(?:in\s+)?(?:total|overall|gesamt|insgesamt)\s*,?\s+(?:and|und)\s+"
    r"(?:davon|of\s+(?:them|those|these|which)|thereof)\s+(?P<word>[^\W\d_]+)",
    re.IGNORECASE,
)


def _total_and_of_those(question: str, catalog: Catalog) -> str:
    """'Delivery attempts by depot: total and of those failed', 'Zustellversuche …: gesamt und
    davon gescheitert': the figure named before, and the one figure whose label is that figure's
    label after the word ('Failed delivery attempts'), both, dated alike (the delivered shipments,
    by delivery date, are no part of the shipments shipped) — spelled out as their labels. 'davon'
    had been asked about; with no such pair of figures the words stay (and are asked)."""
    m = _OF_THOSE.search(question)
    if m is None:
        return question
    word = m["word"]
    forms = {fold(word), lemma(fold(word)), english_lemma(word)}
    before = lemmas(question[: m.start()])
    pairs: list[tuple[str, str]] = []
    for info in catalog.metrics:
        words = key_of(info.label)
        if len(words) < 2 or not ({words[0], lemma(words[0])} & forms):
            continue
        wholes = [w for w in catalog.metrics if key_of(w.label) == words[1:]]
        if (
            len(wholes) == 1
            and lemmas(wholes[0].label) <= before
            and wholes[0].time_dimension == info.time_dimension
        ):
            pairs.append((wholes[0].label, info.label))
    if len(pairs) != 1:
        return question
    whole, part = pairs[0]
    return f"{question[: m.start()]}{whole} and {part}{question[m.end() :]}"


_BY_KIND = re.compile(
    r"\b(?P<by>by|per|nach|je|pro)\s+(?P<head>type|kind|category|class|typ|art)\b", re.IGNORECASE
)


def _kind_of_the_subject(question: str, catalog: Catalog) -> str:
    """'Claims this year by type', 'room revenue by type': a bare kind word after 'by' is the one
    attribute labelled '<X> type' whose X the question names otherwise ('claims' → Claim type; not
    Lane type or Depot type). Several such, or none: the words stay (and are asked)."""
    m = _BY_KIND.search(question)
    if m is None:
        return question
    head = {"typ": "type", "art": "type"}.get(m["head"].lower(), m["head"].lower())
    said = lemmas(question[: m.start()] + " " + question[m.end() :])
    labels = {
        dim.label
        for dim in catalog.dimensions
        if len(words := key_of(dim.label or "")) == 2 and words[1] == head and lemmas(words[0]) <= said
    }
    if len(labels) != 1:
        return question
    return f"{question[: m.start()]}{m['by']} {labels.pop().lower()}{question[m.end() :]}"


def _shared_heads(question: str, lexicon: Lexicon) -> str:
    """'open and click rates' → 'open rates and click rates': two figures sharing their last word,
    spelled out when both phrases name a metric (and the first word alone names none of them).
    'weekend vs weekday nights' → 'weekend nights vs weekday nights': a yes/no set against words the
    lexicon does not read, sharing its last word (the other side of the yes/no, see `_other_side`)."""

    def metric(phrase: str) -> bool:
        return any(e.kind == "metric" and e.source != "partial" for e in lexicon.lookup(key_of(phrase)))

    def flag(phrase: str) -> bool:
        return any(e.is_flag and e.source != "partial" for e in lexicon.lookup(key_of(phrase)))

    def spell(m: re.Match[str]) -> str:
        first, joint, second, head = m.groups()
        if joint.lower() in _SET_AGAINST:
            if (
                flag(f"{first} {head}")
                and not lexicon.lookup(key_of(first))
                and not lexicon.lookup(key_of(f"{second} {head}"))
            ):
                return f"{first} {head} {joint} {second} {head}"
            return m.group(0)
        if (
            metric(f"{first} {head}")
            and metric(f"{second} {head}")
            and not metric(f"{first} {joint} {second}")
        ):
            return f"{first} {head} {joint} {second} {head}"
        return m.group(0)

    return _SHARED_HEAD.sub(spell, question)


_SIDE_WORD = r"[^\W\d_][\w&-]*"
_TWO_OF_ONE_HEAD = re.compile(
    rf"(?<![\w&-])(?P<left>{_SIDE_WORD}(?:\s+{_SIDE_WORD}){{0,2}})\s+(?P<joint>vs\.?|versus|against|gegen|and|und|&)\s+"
    rf"(?P<filler>(?:the|der|die|das|den|dem)\s+)?(?P<adverb>(?:actually|really|tats(?:ä|ae)chlich|wirklich)\s+)?(?P<right>{_SIDE_WORD}(?:\s+{_SIDE_WORD}){{0,2}})(?![\w&-])",
    re.I,
)


def _figures_set_against(question: str, lexicon: Lexicon, catalog: Catalog) -> str:
    """'claimed vs paid amounts', 'paid amounts vs claimed amounts', 'occupied vs paid room nights',
    'F&B vs ancillary revenue': two figures of one fact set, each named by its own word and the head
    they share (words of both figures' names) — spelled out as their labels. Only where each side
    reads as exactly one figure and the two are measured in the same semantic model: 'online vs
    store revenue' (two models' figures, or a channel) stays as written. Before this, the first
    word was read as a value ('occupied' → the status OCCUPIED) and one figure answered for both."""

    def figure(*phrases: str) -> str | None:
        for phrase in phrases:
            found = {e.target for e in lexicon.lookup(key_of(phrase)) if e.kind == "metric"}
            if len(found) == 1:
                return found.pop()
            if found:
                return None
        return None

    def spelled(a: str, ha: list[str], joint: str, b: str, hb: list[str]) -> str | None:
        if ha and hb and key_of(" ".join(ha)) != key_of(" ".join(hb)):
            return None
        head = " ".join(hb or ha)
        if not head or figure(f"{a} {joint} {b} {head}"):
            return None
        first, second = figure(f"{a} {head}", a), figure(f"{b} {head}", b)
        one = catalog.metric(first) if first is not None else None
        two = catalog.metric(second) if second is not None else None
        if one is None or two is None or first == second or not set(one.models) & set(two.models):
            return None
        words = set(key_of(head))
        if not all(words <= set(key_of(i.name.replace("_", " "))) | set(key_of(i.label)) for i in (one, two)):
            return None
        bracket = re.compile(r"\s*\([^)]*\)")
        return f"{bracket.sub('', one.label)} {joint} {bracket.sub('', two.label)}"

    def spell(m: re.Match[str]) -> str:
        left, right = m["left"].split(), m["right"].split()
        for i in range(len(left)):
            for j in (2, 1, 0):
                if 1 + j > len(right):
                    continue
                found = spelled(left[i], left[i + 1 :], m["joint"], right[0], right[1 : 1 + j])
                if found is not None:
                    # 'newsletter open rate and click rate': words before the side that name its
                    # figure with it ('newsletter open rate', a synonym) go with it — left behind,
                    # 'newsletter' was read as the campaign and the rates broken down by it
                    own = figure(" ".join(left[i:]))
                    start = next((k for k in range(i) if figure(" ".join(left[k:])) == own), i)
                    return " ".join([*left[:start], found, *right[1 + j :]])
        return m.group(0)

    return _TWO_OF_ONE_HEAD.sub(spell, question)


_FIRST_WORD_AGAINST = re.compile(r"\b([^\W\d_][\w-]*)(?=\s+(?:vs\.?|versus|gegen(?:über)?)\s)", re.I)


def _flag_by_its_first_word(question: str, lexicon: Lexicon) -> str:
    """'Auslastung Wochenende vs. unter der Woche': a word set against another ('vs', 'gegen') that
    names nothing alone, and begins the two-word label of exactly one yes/no ('Weekend night'), is
    that yes/no — spelled out, so that its other side is read as one (see `_other_side`)."""
    _, after = lexicon.phrase_neighbours()

    def spell(m: re.Match[str]) -> str:
        word = m.group(1)
        key = key_of(word)
        if len(key) != 1 or lexicon.lookup(key):
            return word
        heads = [b for b in after.get(key[0], ()) if any(e.is_flag for e in lexicon.lookup((key[0], b)))]
        return f"{word} {heads[0]}" if len(heads) == 1 else word

    return _FIRST_WORD_AGAINST.sub(spell, question)


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
