"""A count of an entity asked beside another figure: 'freight revenue and number of consignments',
'consignments and revenue per month', 'how many reservations and what room revenue', 'Q3: revenue
and consignment count', '<qualified consignments> - how many and what revenue?'.

The entity word alone is read as its count ('how many consignments': `intents.count_metric`); beside
a named figure it was excused as a word of that figure's description and dropped, and the other
figure alone answered the question. Now the count is asked too: the one count of the entity, or of
several the one its other words or its name single out ('Shipments' of the shipment); several
alike are asked about, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.describe import is_distinct_count
from assistant.core.planning.offline.lexicon import defined_as, key_of
from assistant.core.planning.offline.linking import STOPWORDS, Linked
from assistant.core.planning.offline.text import english_lemma, lemma
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog, MetricInfo

# 'how many X', 'number of X', 'Anzahl (der) X' (read as 'number'), 'wie viele X' before the entity word
_COUNT_BEFORE = (("how", "many"), ("wie", "viele"), ("number",), ("anzahl",), ("count",))
# words that may stand between the count words and the entity ('number of our consignments')
_BETWEEN = frozenset(("of", "our", "the", "all", "der", "die", "den", "unserer", "unseren", "an", "von"))
# 'consignment count', 'Sendungsanzahl' is one word and read elsewhere
_COUNT_AFTER = frozenset(("count", "counts", "anzahl"))
# a figure joined to the entity word ('revenue and consignments', 'Umsatz und Sendungen')
_JOINS = frozenset(("and", "und", "&", "plus", "sowie"))


@dataclass(frozen=True)
class CountAsked:
    entity: str
    at: int  # token index of the entity word
    counts: tuple[str, ...]  # the count figures it may mean: one, or several to ask about


@per_catalog
def _entity_words(catalog: Catalog) -> dict[str, str]:
    """Lemma → the entity it names (its name, label, synonyms, the noun its description defines it
    as), for entities some figure counts; a word two entities share names neither."""
    counted = {m.counts for m in catalog.metrics if m.counts}
    found: dict[str, set[str]] = {}
    for entity in catalog.entities:
        if entity.name not in counted:
            continue
        words = {
            w
            for phrase in (entity.name.replace("_", " "), entity.label, *entity.synonyms)
            for w in key_of(phrase)
        }
        if len(key_of(entity.name.replace("_", " "))) > 1:
            words = {" ".join(key_of(entity.name.replace("_", " ")))}  # 'room night': the whole name only
        noun = defined_as(entity.description)
        if noun:
            words.add(noun)
        for w in words:
            if w and w not in STOPWORDS:
                found.setdefault(lemma(w), set()).add(entity.name)
    return {w: next(iter(es)) for w, es in found.items() if len(es) == 1}


def names_entity(catalog: Catalog, word: str) -> str | None:
    words = _entity_words(catalog)
    return words.get(lemma(word)) or words.get(english_lemma(word))


def _count_words_before(
    texts: Sequence[str], k: int, covered: set[int], counted: Sequence[tuple[int, int]] = ()
) -> bool:
    """'how many [cash-on-delivery] consignments', 'number of our consignments'. A count figure
    named in between takes the count words ('how many unique guests stayed': the guests are
    counted, 'stayed' says which)."""
    for j in range(k - 1, max(-1, k - 6), -1):
        if any(j - len(p) + 1 >= 0 and tuple(texts[j - len(p) + 1 : j + 1]) == p for p in _COUNT_BEFORE):
            return True
        if any(a <= j < b for a, b in counted):
            return False
        if texts[j] not in _BETWEEN and j not in covered:
            return False
    return False


def _how_many_after(texts: Sequence[str], k: int, metric_spans: list[tuple[int, int]]) -> bool:
    """'<entity> last month - how many and what revenue?': a 'how many' after the entity word with
    nothing counted after it (a join, or the end, right after 'many')."""
    for j in range(k + 1, min(len(texts) - 1, k + 8)):
        if (texts[j], texts[j + 1]) in (("how", "many"), ("wie", "viele")):
            nxt = texts[j + 2] if j + 2 < len(texts) else None
            return nxt is None or nxt in _JOINS
        if any(a <= j < b for a, b in metric_spans):
            return False
    return False


def count_asked_beside(catalog: Catalog, linked: Linked, metrics: Sequence[str]) -> CountAsked | None:
    """The count of an entity the question asks beside the figures `metrics` (see the module)."""
    infos = [i for i in (catalog.metric(m) for m in metrics) if i is not None]
    if not infos:
        return None
    tokens = linked.tokens
    texts = [t.text for t in tokens]
    covered = {k for m in linked.mentions if m.start >= 0 for k in range(m.start, m.end)}
    metric_spans = [(m.start, m.end) for m in linked.of_kind("metric") if m.start >= 0]
    starts = {a for a, _ in metric_spans}
    ends = {b for _, b in metric_spans}
    said = set().union(*(_words_of(i) for i in infos))
    counters = {i.name for i in infos if i.counts or is_distinct_count(catalog, i.name)}
    counted = [
        (m.start, m.end) for m in linked.of_kind("metric") if m.start >= 0 and m.entry.target in counters
    ]

    def figure_at(j: int, edges: set[int]) -> bool:
        """A figure's phrase begins (or ends) at `j`, or an unread word of a chosen figure stands there."""
        return j in edges or (0 <= j < len(texts) and j not in covered and lemma(texts[j]) in said)

    for k, t in enumerate(tokens):
        if k in covered:
            continue
        entity = names_entity(catalog, t.text)
        if entity is None or any(i.counts == entity for i in infos):
            continue
        asked = (
            _count_words_before(texts, k, covered, counted)
            or (k + 1 < len(texts) and texts[k + 1] in _COUNT_AFTER)
            or (k >= 2 and texts[k - 1] in _JOINS and (k - 1 in ends or figure_at(k - 2, set())))
            or (k + 2 < len(texts) and texts[k + 1] in _JOINS and figure_at(k + 2, starts))
            or _how_many_after(texts, k, metric_spans)
        )
        if not asked:
            continue
        counts = counts_of(catalog, entity, texts)
        return CountAsked(entity, k, counts) if counts else None
    return None


def _words_of(metric: MetricInfo) -> set[str]:
    return {
        lemma(w) for p in (metric.label, metric.name.replace("_", " "), *metric.synonyms) for w in key_of(p)
    }


def counts_of(catalog: Catalog, entity: str, texts: Sequence[str]) -> tuple[str, ...]:
    """The count figures of `entity` the question's words leave: the one its other words name
    ('delivered'), else the plain count named like the entity ('Shipments'), else all of them."""
    counts = [m for m in catalog.metrics if m.counts == entity]
    if len(counts) <= 1:
        return tuple(m.name for m in counts)
    asked = {lemma(w) for w in texts} | {english_lemma(w) for w in texts}
    own = {lemma(w) for w in key_of(entity.replace("_", " "))}
    named = [m for m in counts if (_words_of(m) - own) and (_words_of(m) - own) <= asked]
    if len(named) == 1:
        return (named[0].name,)
    plain = [m for m in counts if _words_of(m) == own]
    if len(plain) == 1 and not named:
        return (plain[0].name,)
    return tuple(m.name for m in (named or counts))


def with_count_beside(catalog: Catalog, linked: Linked, metrics: list[str]) -> list[str] | ClarificationPlan:
    """The figures named, with the count of an entity asked beside them, in the order the question
    says them; several counts of that entity alike are asked about."""
    asked = count_asked_beside(catalog, linked, metrics)
    if asked is None:
        return metrics
    if len(asked.counts) > 1:
        labels = list(dict.fromkeys(m.label for n in asked.counts if (m := catalog.metric(n)) is not None))[
            :5
        ]
        named = " and ".join(dict.fromkeys(m.label for n in metrics if (m := catalog.metric(n)) is not None))
        word = linked.tokens[asked.at].original
        return ClarificationPlan(
            question=f"Which count of '{word}' do you mean beside {named}: {' or '.join(labels)}?",
            options=tuple(labels),
        )
    first = min((m.start for m in linked.of_kind("metric") if m.start >= 0), default=len(linked.tokens))
    return [asked.counts[0], *metrics] if asked.at < first else [*metrics, asked.counts[0]]


# words that may stand between the share words and the entity ('share of all our consignments',
# 'Anteil unserer Sendungen'); a period read before it is blanked and leaves no token
_SHARE_BETWEEN = frozenset((*_BETWEEN, "s", "'s", "’s", "'", "’", "those", "these", "dieser", "aller"))


def share_of_entity(catalog: Catalog, linked: Linked, share_at: int) -> tuple[str, int] | None:
    """'What share of last month's consignments had …', 'Welcher Anteil unserer Sendungen lief …':
    the entity word right after the share words (past function words) names the whole, its plain
    count — the one count of the entity, or of several the one named like the entity alone
    ('Shipments', not 'Delivered shipments': the words after say the part, they choose no narrower
    whole). `share_at` is the first token after the share words. None when no such word stands there
    or no count of its entity is plain: a reservation's bookings, arrivals and stays, each on its
    own date, are asked about — which whole is meant changes the share."""
    tokens = linked.tokens
    covered = {k for m in linked.mentions if m.start >= 0 for k in range(m.start, m.end)}
    for k in range(share_at, min(len(tokens), share_at + 6)):
        if k in covered:
            return None
        entity = names_entity(catalog, tokens[k].text)
        if entity is None:
            if tokens[k].text in _SHARE_BETWEEN:
                continue
            return None
        counts = [m for m in catalog.metrics if m.counts == entity]
        if len(counts) == 1:
            return counts[0].name, k
        own = {lemma(w) for w in key_of(entity.replace("_", " "))}
        plain = [m for m in counts if _words_of(m) == own]
        return (plain[0].name, k) if len(plain) == 1 else None
    return None
