"""A metric found by what the catalog says about it, when no name, label or synonym is in the question.

Third-party projects write their business rules in descriptions and rarely add synonyms: "Number of
consignments shipped", "Consignments that went back to the shipper". Two readings, in this order:

1. **How many <entity>**: "how many consignments" — the entity named by its name, label, synonyms or
   the noun its description opens with ("A consignment, identified by …") — is the count metric over
   that entity (`counts`, declared or inferred from a COUNT); of several, the one named like the
   entity, else the question is asked with them as options.
2. **Description words**: the question's unplaced words scored against each metric's name and label
   (weight 1), description (0.7) and the descriptions of what it is computed from (0.3), each word
   weighted by how few metrics it describes (IDF). A clear winner is taken; close ones are asked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.planning.offline.lexicon import acronym_expansion
from assistant.core.planning.offline.paths import lemmas, same_stem
from semantic_layer.catalog import Catalog, EntityInfo, MetricInfo

MIN_SCORE = 2.0  # at least two distinctive words of a description, or one of a name
MIN_LEAD = 1.5  # the best reading this many times the next one
_HOW_MANY = re.compile(r"\b(?:how\s+many|number\s+of|count\s+of|wie\s*viele|anzahl(?:\s+der)?)\b", re.I)
_OPENING = re.compile(r"^\s*(?:a|an|the|one)\s+([A-Za-z-]+)", re.I)
_GENERIC = frozenset(
    ("number", "amount", "total", "count", "value", "sum", "figure", "day", "date", "period")
)


@dataclass(frozen=True)
class Guess:
    metric: str | None  # the reading taken; None when none or several (see options)
    options: tuple[str, ...] = ()  # metric names to ask about


def asks_how_many(question: str) -> bool:
    return bool(_HOW_MANY.search(question))


def entity_words(entity: EntityInfo, *, described: bool = True) -> set[str]:
    """Words naming an entity: its name, label, synonyms — and, `described`, the noun its
    description opens with ('A consignment, identified by …')."""
    words = lemmas(entity.name.replace("_", " ")) | lemmas(entity.label)
    words |= {w for s in entity.synonyms for w in lemmas(s)}
    opening = _OPENING.match(entity.description)
    if opening and described:
        words |= lemmas(opening.group(1))
    return words


def _named(entity: EntityInfo, words: set[str]) -> bool:
    """Every word of the entity's name, label or a synonym is among `words` ('delivery attempts'
    names delivery_attempt; 'deliveries' alone does not)."""
    phrases = [entity.name.replace("_", " "), entity.label, *entity.synonyms]
    return any((ws := lemmas(p)) and ws <= words for p in phrases)


def named_entities(catalog: Catalog, words: Iterable[str]) -> list[EntityInfo]:
    """Entities the words name in full, else by the noun their description opens with."""
    wanted = set(words)
    named = [e for e in catalog.entities if _named(e, wanted)]
    return named or [e for e in catalog.entities if entity_words(e) & wanted]


def count_of_entity(catalog: Catalog, words: Iterable[str]) -> Guess:
    """'how many consignments': the count metric over the entity the words name (by its name
    first, by its description's opening noun only when no entity is named)."""
    named = named_entities(catalog, words)
    counters = _unique(m.name for e in named for m in catalog.metrics if m.counts == e.name)
    if not counters:  # 'how many guests': the one distinct count named like them ('Unique guests')
        counters = (
            distinct_count_of(catalog, named)[:1] if len(distinct_count_of(catalog, named)) == 1 else []
        )
    if len(counters) <= 1:
        return Guess(counters[0] if counters else None)
    plain = [
        name
        for name in counters
        if (m := catalog.metric(name)) is not None
        and any(lemmas(m.label) == lemmas(e.name.replace("_", " ")) for e in named)
    ]
    if len(plain) == 1:
        return Guess(plain[0])
    return Guess(None, tuple(counters))


DISTINCT_WORDS = frozenset(
    ("different", "distinct", "unique", "individual", "verschieden", "unterschiedlich")
)


def distinct_count_of(catalog: Catalog, named: Sequence[EntityInfo]) -> list[str]:
    """The distinct counts whose label is an entity's name with a word saying distinct ('Unique
    guests' of the guest): what 'how many guests', 'the most guests' count when no figure counts
    every row of that entity."""
    found: list[str] = []
    for e in named:
        own = lemmas(e.name.replace("_", " "))
        for m in catalog.metrics:
            if is_distinct_count(catalog, m.name) and own and lemmas(m.label) - DISTINCT_WORDS == own:
                found.append(m.name)
    return _unique(found)


def count_named(catalog: Catalog, words: Sequence[str]) -> str | None:
    """'how many guests arrived' → the count figure named by the verb (Arrivals, not the guests:
    the question's other word shares its stem with that one count's name or label); 'how many
    different guests' → the one distinct count (a description saying 'distinct' or 'unique') named
    like the entity. None unless exactly one figure fits."""
    docs = _docs(catalog.metrics)
    content = [w for w in words if w not in _GENERIC]
    if any(w in DISTINCT_WORDS for w in content):
        entity = {w for e in named_entities(catalog, content) for w in entity_words(e, described=False)}
        distinct = [
            m.name
            for m in catalog.metrics
            if is_distinct_count(catalog, m.name) and docs.strong[m.name] & entity
        ]
        return distinct[0] if len(distinct) == 1 else None
    who = {w for e in catalog.entities for w in entity_words(e)}
    verbs = [w for w in content if w not in who]
    named = _unique(
        m.name
        for m in catalog.metrics
        if m.counts is not None
        for w in verbs
        if any(same_stem(w, k) for k in docs.strong[m.name] - _GENERIC)
    )
    return named[0] if len(named) == 1 else None


def is_distinct_count(catalog: Catalog, metric: str) -> bool:
    """A figure that counts each thing once ('Distinct guest profiles …', 'Unique guests'): not
    additive, and its name or description says so."""
    info = catalog.metric(metric)
    if info is None or info.additive:
        return False
    docs = _docs(catalog.metrics)
    return bool((docs.strong[metric] | docs.described[metric]) & {"distinct", "unique"})


@dataclass(frozen=True)
class _Docs:
    strong: dict[str, set[str]]
    described: dict[str, set[str]]
    context: dict[str, set[str]]
    idf: dict[str, float]


@lru_cache(maxsize=32)
def _docs(metrics: tuple[MetricInfo, ...]) -> _Docs:
    strong, described, context = {}, {}, {}
    df: dict[str, int] = {}
    for m in metrics:
        strong[m.name] = (
            lemmas(m.name.replace("_", " ")) | lemmas(m.label) | {w for s in m.synonyms for w in lemmas(s)}
        )
        expansion = acronym_expansion(m.label, m.description)  # 'ADR': 'average daily rate'
        if expansion is not None:
            strong[m.name] |= lemmas(expansion)
        described[m.name] = lemmas(m.description)
        context[m.name] = {w for t in m.context for w in lemmas(t)}
        for w in strong[m.name] | described[m.name] | context[m.name]:
            df[w] = df.get(w, 0) + 1
    n = len(metrics)
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    return _Docs(strong, described, context, idf)


# Words that say what kind of figure is meant, not which ('the rate', 'die Quote', 'the average'):
# alone they name no figure, even where only one figure's name holds the word
KIND_WORDS = frozenset(
    """rate ratio quote quota percentage percent share proportion average mean avg durchschnitt
    schnitt anteil""".split()  # noqa: SIM905
)


_RATIO_NAME = re.compile(r"\b(?:per|rate|ratio|share|average|avg)\b|%|\bquote\b", re.I)


def _is_kind_word(word: str) -> bool:
    return any(word.startswith(k) or same_stem(word, k) for k in KIND_WORDS)


_AVERAGE_KINDS = ("average", "mean", "avg", "durchschnitt", "schnitt")


def _is_average_word(word: str) -> bool:
    """An average asks a total per something, not a part of a whole: not a rate of a named part."""
    return any(word.startswith(k) or same_stem(word, k) for k in _AVERAGE_KINDS)


def _holds(doc: set[str], word: str) -> bool:
    return word in doc or any(same_stem(word, d) for d in doc)


def _rate_of_a_named_part(catalog: Catalog, words: Sequence[str], best: str) -> Guess | None:
    """'claims rate', 'Schadensquote' (claim rate), 'rate of claims': a kind word beside a word that
    names other figures (their name, label or synonyms), where the best-scored figure is one the
    kind word alone reached and the other word is nowhere in what the catalog says of it (OTD for
    'claims rate'). That figure would answer while dropping the word: the figures the word names are
    the reading — the one of them of the kind asked (a rate, a figure 'per' something) taken, else
    they are asked. None: not this case."""
    content = [w for w in dict.fromkeys(words) if w not in _GENERIC]
    kinds = [w for w in content if _is_kind_word(w) and not _is_average_word(w)]
    others = [w for w in content if not _is_kind_word(w)]
    if not kinds or not others:
        return None
    docs = _docs(catalog.metrics)
    told = docs.strong[best] | docs.described[best] | docs.context[best]
    dropped = [w for w in others if not _holds(told, w)]
    if not dropped:
        return None
    named = [m for m in catalog.metrics if all(_holds(docs.strong[m.name], w) for w in dropped)]
    if not named:
        return None
    of_kind = [m.name for m in named if m.type == "ratio" or _RATIO_NAME.search(m.label)]
    if len(of_kind) == 1:
        return Guess(of_kind[0])
    return Guess(None, tuple(_unique([*of_kind, *(m.name for m in named)]))[:4])


def kind_word_only(words: Sequence[str]) -> bool:
    """The words are one kind word and its readings ('rate', German 'raten'): no figure named."""
    content = set(words) - _GENERIC
    kinds = [{k for k in KIND_WORDS if w.startswith(k) or same_stem(w, k)} for w in content]
    return bool(content) and all(kinds) and len(set().union(*kinds)) == 1


def metric_from_description(catalog: Catalog, words: Sequence[str]) -> Guess:
    ranked = ranked_by_description(catalog, words)
    if not ranked:
        return Guess(None)
    if kind_word_only(words):
        # 'Wie war die Quote letzten Monat?': which rate? The ones the word is in, and the other
        # figures of that kind (ratios, figures 'per' something), asked
        ratios = [m.name for m in catalog.metrics if m.type == "ratio" or _RATIO_NAME.search(m.label)]
        return Guess(None, tuple(_unique([name for name, _ in ranked[:4]] + ratios))[:4])
    part = _rate_of_a_named_part(catalog, words, ranked[0][0])
    if part is not None:
        return part
    best, second = ranked[0][1], ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= MIN_SCORE and best >= MIN_LEAD * second:
        return Guess(ranked[0][0])
    return Guess(None, tuple(name for name, score in ranked[:4] if score >= 0.5 * best))


def ranked_by_description(catalog: Catalog, words: Sequence[str]) -> list[tuple[str, float]]:
    """Metrics by how much of what the catalog says about them the words hold, best first."""
    docs = _docs(catalog.metrics)
    scores: dict[str, float] = {}
    for m in catalog.metrics:
        score = 0.0
        for w in set(words) - _GENERIC:
            for weight, doc in (
                (1.0, docs.strong[m.name]),
                (0.7, docs.described[m.name]),
                (0.3, docs.context[m.name]),
            ):
                hit = w if w in doc else next((d for d in doc if same_stem(w, d)), None)
                if hit is not None:
                    score += weight * docs.idf.get(hit, 0.0)
                    break
        if score > 0:
            scores[m.name] = score
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def explains_most(catalog: Catalog, metric: str, words: Sequence[str]) -> bool:
    """At least half the question's unplaced words are in what the catalog says about `metric`:
    a guess that leaves most words unexplained ('net promoter score of key accounts') is asked."""
    docs = _docs(catalog.metrics)
    known = docs.strong[metric] | docs.described[metric] | docs.context[metric]
    content = [w for w in words if w not in _GENERIC]
    info = next((m for m in catalog.metrics if m.name == metric), None)
    of_kind = info is not None and (info.type == "ratio" or bool(_RATIO_NAME.search(info.label)))

    def said(w: str) -> bool:  # a kind word ('rate', 'Quote') is said of a figure of that kind
        return w in known or (of_kind and _is_kind_word(w))

    return bool(content) and sum(said(w) for w in content) * 2 >= len(content)


def unexplained(catalog: Catalog, chosen: Sequence[str], words: Sequence[str]) -> dict[str, list[str]]:
    """Words naming other metrics ('rate' in 'cancellation rate by channel for bookings') that none of
    the `chosen` metrics' names or descriptions hold: answering would drop them silently.
    {word: the metrics whose names hold it}."""
    if not words:
        return {}  # nothing left to explain (and the catalog's lemmas, a dictionary load, not needed)
    docs = _docs(catalog.metrics)
    known: set[str] = set()  # what the chosen figures are called
    described: set[str] = set()  # what their descriptions mention
    for name in chosen:
        if name in docs.strong:
            known |= docs.strong[name]
            described |= docs.described[name] | docs.context[name]
    # 'customers' names who, not what — by the word itself: 'deliver' is no 'delivery attempt'
    who = {w for e in catalog.entities for w in entity_words(e)}
    # 'claims rate' read as Claims per 1,000 shipments: the one figure chosen is a rate, and says it
    one = catalog.metric(chosen[0]) if len(chosen) == 1 else None
    of_kind = one is not None and (one.type == "ratio" or bool(_RATIO_NAME.search(one.label)))
    out: dict[str, list[str]] = {}
    for w in words:
        if w in known or w in who or w in _GENERIC or any(same_stem(w, k) for k in known):
            continue
        if of_kind and _is_kind_word(w):
            continue
        others = [
            m.name
            for m in catalog.metrics
            if m.name not in chosen and any(same_stem(w, d) for d in docs.strong[m.name])
        ]
        if not others:
            continue
        if w in described or any(same_stem(w, k) for k in described):
            # mentioned by a chosen figure's description ('bookings … whatever happened to them later:
            # cancelled'), yet the name of another ('cancelled bookings'): that one, when it is the
            # chosen figure narrowed by the word; the description's own word ('units ordered from
            # suppliers', not 'weeks of supply') reads as that description; a stem alone is asked
            narrower = [o for o in others if narrowed(catalog, chosen, o) is not None]
            if len(narrower) == 1:
                out[w] = narrower
            elif w not in described or any(w in docs.strong[o] for o in others):
                out[w] = others
            continue
        out[w] = others
    return out


def named_by_all(catalog: Catalog, options: Sequence[str], words: Sequence[str]) -> str | None:
    """Of close readings, the one whose name holds every content word ('room nights … occupied':
    occupied room-nights, not available or paid ones); None unless exactly one does."""
    docs = _docs(catalog.metrics)
    content = [w for w in words if w not in _GENERIC]
    if len(content) < 2:
        return None
    full = [
        o
        for o in options
        if o in docs.strong
        and all(w in docs.strong[o] or any(same_stem(w, k) for k in docs.strong[o]) for w in content)
    ]
    return full[0] if len(full) == 1 else None


def names_metric(catalog: Catalog, metric: str, text: str) -> bool:
    """Every word of `text` is a word of the metric's name ('occupied' of occupied room-nights)."""
    docs = _docs(catalog.metrics)
    words = lemmas(text)
    strong = docs.strong.get(metric, set())
    return bool(words) and all(w in strong or any(same_stem(w, k) for k in strong) for w in words)


def in_description(catalog: Catalog, chosen: Sequence[str], word: str) -> bool:
    """The word (or its stem) is in what the catalog says about one of the `chosen` metrics."""
    docs = _docs(catalog.metrics)
    said = {w for c in chosen if c in docs.described for w in docs.described[c] | docs.context[c]}
    return word in said or any(same_stem(word, w) for w in said)


def narrowed(catalog: Catalog, chosen: Sequence[str], other: str) -> str | None:
    """The chosen figure `other` narrows ('bookings' → 'cancelled bookings'): its name holds all of
    that figure's name words and more."""
    docs = _docs(catalog.metrics)
    if other not in docs.strong:
        return None
    wider = [c for c in chosen if c in docs.strong and docs.strong[c] < docs.strong[other]]
    return wider[0] if len(wider) == 1 else None


# A description's words after one of these, up to the end of the clause, are what the figure leaves
# out ('Occupied room-nights excluding complimentary stays', 'every night, minus rooms out of order')
_LEAVES_OUT = re.compile(
    r"\b(?:excluding|excluded|excludes|exclude|excl|except|without|minus|not|no|never|ohne|ausser|"
    r"abzueglich|nicht|kein\w*)\b([^.;,()]*)",
    re.IGNORECASE,
)


def said_of(info: MetricInfo) -> set[str]:
    """Lemmas a figure's description says it holds: its words outside the clauses it leaves out
    ('excluding complimentary stays' says nothing the paid room-nights hold about stays)."""
    return lemmas(_LEAVES_OUT.sub(" ", info.description))


def shared_name(catalog: Catalog, candidates: Sequence[str]) -> set[str]:
    """The name words every one of the figures holds ('room', 'night' of the room-night counts)."""
    docs = _docs(catalog.metrics)
    names = [docs.strong[c] for c in candidates if c in docs.strong]
    return set.intersection(*names) - _GENERIC if names else set()


def count_by_other_words(catalog: Catalog, candidates: Sequence[str], words: Sequence[str]) -> str | None:
    """'How many room nights have Orla's people stayed': of the counts the noun names alike
    (available, occupied, paid room-nights), the one the question's other words are said of — in its
    name, label or synonyms (weight 1), or in its description outside what it leaves out (0.7), each
    word weighted by how few figures it describes. None unless one is clearly ahead (MIN_LEAD)."""
    docs = _docs(catalog.metrics)
    infos = [i for i in (catalog.metric(c) for c in candidates) if i is not None]
    if len(infos) < 2:
        return None
    shared = shared_name(catalog, [i.name for i in infos])  # the noun they all name
    if not shared:
        return None
    content = {w for w in words if w not in _GENERIC and w not in shared}
    scores: dict[str, float] = {}
    for info in infos:
        own, said = docs.strong[info.name], said_of(info)
        score = 0.0
        for w in content:
            for weight, doc in ((1.0, own), (0.7, said)):
                hit = w if w in doc else next((d for d in doc if same_stem(w, d)), None)
                if hit is not None:
                    score += weight * docs.idf.get(hit, 0.0)
                    break
        scores[info.name] = score
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top > 0 and top >= MIN_LEAD * second and top > second else None
