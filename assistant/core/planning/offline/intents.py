"""Intent words that choose a figure or a breakdown without naming it.

- "how many <noun>" is a count, never money: of an entity the catalog counts ("how many customers"
  → the count metric over customers), else of units ("how many e-bikes did we sell" → the
  quantity metric). "pieces", "Stück", "Teile", "pairs" are units too.
- "how much did we take / make / sell" asks for the headline money figure.
- "online vs stores", "Filialen vs. Online", "web shop or in store" compare the *channel*
  dimension, not the stores (whose list happens to hold an online shop).

Everything is read through the catalog's roles (money, quantity, count + the entity counted,
channel) and its words (labels, synonyms), so another dbt project that declares roles gets the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.lexicon import MONEY_HEADS, Entry, Lexicon, defined_as, key_of
from assistant.core.planning.offline.linking import STOPWORDS, Linked, Mention
from assistant.core.planning.offline.parts_of_counts import own_values_named, whole_of_a_part
from assistant.core.planning.offline.signals import SET_AGAINST_ALONE
from assistant.core.planning.offline.text import fold, lemma
from assistant.core.planning.time_words import period_after
from semantic_layer.catalog import Catalog, MetricInfo

_I = re.IGNORECASE
HOW_MANY = re.compile(r"\b(?:how\s+many|wie\s*viele|number\s+of|anzahl(?:\s+(?:der|an|von))?)\b", _I)
UNIT_WORDS = re.compile(
    r"\b(?:pieces?|pcs|units?|pairs?|st(?:ü|ue)ck(?:zahl|m(?:ä|ae)(?:ß|ss)ig)?|stk|teile|paar(?:e)?)\b", _I
)
_SOLD = re.compile(r"\b(?:sell|sold|selling|verkauf\w*|abgesetzt|absatz)\b", _I)
_HOW_MUCH_MONEY = re.compile(
    r"\bhow\s+much\s+(?:did|have|has|do|does)\s+(?:we|you|they|(?:the|each|every|our)\s+\w+(?:\s+\w+)?(?:\s+in\s+\w+)?)\s+"
    r"(?:take|taken|took|make|made|earn|earned|sell|sold|bring\s+in|brought\s+in|turn\s+over|turned\s+over|do|done)\b"
    r"|\bwhat\s+(?:did|does|do)\s+(?:we|they|(?:the|each|every|our)\s+\w+(?:\s+\w+)?)\s+(?:take|make|earn|bring\s+in|turn\s+over)\b"
    r"|\bwie\s*viel\s+(?:haben|ham|hat|hatten|machen|machten)\b[^?]{0,50}\b(?:gemacht|umgesetzt|eingenommen|verdient)\b"
    r"|\bwas\s+(?:haben|ham|hat|hatten)\b[^?]{0,60}\b(?:umgesetzt|eingenommen|verdient)\b"
    # 'which hours bring in the most money', 'wie viel Geld': money asked in so many words
    r"|\b(?:how\s+much|the\s+most|the\s+least|more|less|wie\s*viel|am\s+meisten|das\s+meiste)\s+(?:money|geld)\b",
    _I,
)
ONLINE = re.compile(
    r"\b(?:online(?:[\s-]?shop|[\s-]?store|\s+channel)?|web[\s-]?shop|web\s*store|e-?commerce|internet|webseite|website)\b",
    _I,
)
STORES = re.compile(
    r"\b(?:(?:physical|retail|bricks?[\s-]and[\s-]mortar)\s+)?(?:stores|shops|branches|filialen|l(?:ä|ae)den|gesch(?:ä|ae)fte)\b"
    r"|\b(?:in[\s-]?stores?|instore|offline|station(?:ä|ae)r\w*|in\s+(?:the|our)\s+(?:stores?|shops?|filialen?))\b",
    _I,
)
_STORE_SINGULAR = re.compile(r"\b(?:store|branch|filiale|laden|gesch(?:ä|ae)ft)\b", _I)
_CONTRAST = re.compile(
    r"\b(?:vs\.?|versus|or|oder|and|und|compared|verglichen|against|gegen(?:über)?|than|als)\b|/|\bvs\.?(?=\s)",
    _I,
)


@dataclass(frozen=True)
class Reading:
    """What the intent words changed, for the plan's 'understood' line."""

    metrics: list[str]
    note: str | None = None


def _by_role(catalog: Catalog, *roles: str) -> list[MetricInfo]:
    return [m for m in catalog.metrics if m.role in roles]


def _words_of(metric: MetricInfo) -> set[str]:
    words: set[str] = set()
    for phrase in (metric.label, metric.name.replace("_", " "), *metric.synonyms):
        words.update(lemma(w) for w in key_of(phrase) if w not in STOPWORDS)  # 'to' of 'returns to sender'
    return words


def _question_lemmas(question: str) -> set[str]:
    return {lemma(w) for w in key_of(question)}


def _entity_counted(question: str, start: int, catalog: Catalog) -> str | None:
    """The entity named right after 'how many' ('how many customers', 'wie viele Gold-Kunden')."""
    rest = re.sub(
        r"^\s*(?:of\s+(?:our|the|all|your)\s+|von\s+(?:unseren|den)\s+|unserer\s+)",
        " ",
        question[start:],
        flags=_I,
    )
    words = [lemma(w) for w in key_of(rest)][:5]  # 'how many of our gold and platinum members'

    for entity in catalog.entities:
        names = {lemma(w) for phrase in (entity.name, entity.label, *entity.synonyms) for w in key_of(phrase)}
        if any(w in names for w in words):
            return entity.name
    defined = [e.name for e in catalog.entities if (noun := defined_as(e.description)) and noun in words]
    return defined[0] if len(defined) == 1 else None


def _dated_words(question: str, linked: Linked, catalog: Catalog) -> set[str]:
    """The words of a date named with its period ('for arrival dates in November'): they say when,
    not which count ('How many reservations for arrival dates in November' are the bookings so dated)."""
    words: set[str] = set()
    for m in linked.of_kind("dimension"):
        dim = catalog.dimension(m.entry.target)
        if dim is not None and dim.type == "time" and period_after(m.text).search(question):
            words |= {lemma(w) for w in key_of(m.text)}
    return words


def count_metric(question: str, catalog: Catalog, lexicon: Lexicon, linked: Linked) -> Reading | None:
    """'how many <noun>' (no figure named): a count of the entity, else units; None if neither fits."""
    m = HOW_MANY.search(question)
    if m is None:
        return None
    entity = _entity_counted(question, m.end(), catalog)
    if entity is not None:
        counts = [x for x in catalog.metrics if x.counts == entity]
        if counts:
            asked = _question_lemmas(question) - _dated_words(question, linked, catalog)
            info = catalog.entity(entity)
            said_of = {lemma(w) for p in (entity, *(info.synonyms if info else ())) for w in key_of(p)}
            content = {w for w in asked - said_of if len(w) > 2 and w not in STOPWORDS}  # not 'are', 'there'
            own = {lemma(w) for w in key_of(entity.replace("_", " "))}

            def described(x: MetricInfo) -> int:
                # 'how many of our members bought': the count whose words or description say the verb
                # ('customers who bought') before the one that merely shares the entity's words
                return len(content & (_words_of(x) | {lemma(w) for w in key_of(x.description)}))

            def said(x: MetricInfo) -> tuple[int, int, bool, bool]:
                # 'how many reservations': all of them (bookings), not the arrivals (`counts_every`)
                return described(x), len(_words_of(x) & asked), _words_of(x) == own, x.counts_every

            # of equal words, the plain count named like the entity ('Shipments', not 'Delivered
            # shipments'): a status the question does not name is no filter of its own; of counts
            # alike ('how many complimentary nights'), the whole the others are parts of, not the first
            top = max(said(x) for x in counts)
            tied = [x.name for x in counts if said(x) == top]
            whole = (
                None
                if len(tied) < 2 or own_values_named(catalog, tied, linked)
                else whole_of_a_part(catalog, tied)
            )
            best = catalog.metric(whole) if whole is not None else None
            best = best or max(counts, key=lambda x: (*said(x), -catalog.metrics.index(x)))
            return Reading([best.name], f"how many {entity}s: {best.label.lower()}")
    quantity = _by_role(catalog, "quantity")
    if quantity and (linked.of_kind("value") or _SOLD.search(question) or UNIT_WORDS.search(question)):
        return Reading([quantity[0].name], f"how many: {quantity[0].label.lower()}")
    return None


# nouns of merchandise that take no plural: what is sold of them is not counted in pieces
_MASS_NOUN = re.compile(r"\b(?:gear|equipment|merchandise|stuff|kit)\b|ausr(?:ü|ue)stung\b", _I)
_SOLD_ITEMS = re.compile(r"\b(?:sold|verkaufte[n]?|abgesetzt)\b", _I)
HOW_MUCH = re.compile(r"\b(?:how\s+much|wie\s*viel)\b", _I)  # an amount asked, not a count


_MOST_FLAGGED = re.compile(
    r"\b(?:most|least|fewest|top\s+\d+|am\s+(?:h(?:ä|ae)ufigsten|meisten|wenigsten))\s+(?:\w+\s+)?"
    r"(?:returned|retourniert\w*|zur(?:ü|ue)ckgegeben\w*)\b|\b(?:returned|came\s+back)\s+(?:the\s+)?most\b",
    _I,
)


def unit_metric(question: str, catalog: Catalog, linked: Linked) -> Reading | None:
    """'pieces sold', '(Stück)', 'Teile', 'Skihelme sold by store': units, or returned units when
    the return flag is named. ('how much did we sell' is money: see `money_metric`.)"""
    sold = bool(_SOLD_ITEMS.search(question)) and not HOW_MUCH.search(question)
    sold = sold and not re.search(r"\bsold\s+out\b", question, _I)  # 'sold out' is a stock question
    # 'sold the most ski gear': a mass noun has no pieces to count — the selling verb asks no units
    sold = sold and not _MASS_NOUN.search(question)
    flags = [x for x in linked.of_kind("dimension") if x.entry.is_flag and not x.negated]
    # 'the most returned products', 'am häufigsten retourniert': ranked by how many came back
    most = bool(_MOST_FLAGGED.search(question)) and bool(flags)
    if not UNIT_WORDS.search(question) and not sold and not most:
        return None
    for flag in flags:
        said = {lemma(w) for w in key_of(flag.text)}
        for role in ("returned_quantity", "quantity", "quantity_before_returns"):
            for metric in _by_role(catalog, role):
                if said & _words_of(metric):
                    return Reading([metric.name], f"{flag.text}: {metric.label.lower()}")
    quantity = _by_role(catalog, "quantity")
    return Reading([quantity[0].name], f"pieces: {quantity[0].label.lower()}") if quantity else None


_MONEY_HEADS = MONEY_HEADS[:3]


_MONEY_WORD = re.compile(r"\b(?:revenues?|sales|turnovers?|takings|incomes?)\b", _I)


@per_catalog
def _money_heads(catalog: Catalog) -> frozenset[str]:
    """The money words the catalog's figures' labels end in, once per catalog."""
    return frozenset(k[-1] for m in catalog.metrics if (k := key_of(m.label)) and k[-1] in MONEY_HEADS)


def money_in_the_projects_word(question: str, catalog: Catalog, lexicon: Lexicon) -> str:
    """'F&B takings', 'freight turnover', 'spa income': where every money figure's label ends in the
    same money word ('Room revenue', 'F&B revenue'), another money word the lexicon does not know
    is said as that one. A project whose labels use two ('Net sales', 'Web revenue') keeps them."""
    heads = _money_heads(catalog)
    if len(heads) != 1:
        return question
    (head,) = heads

    def said(found: re.Match[str]) -> str:
        word = found.group(0)
        if key_of(word)[0] == head or key_of(word)[0] in lexicon.vocabulary:
            return word
        return head

    return _MONEY_WORD.sub(said, question)


def money_said_as_a_figure(question: str, catalog: Catalog, default: str | None) -> str | None:
    """'How much did the wine bar in Porto make?' in a project with no headline money figure (no
    default, no money role): the question with the money word its figures' labels end in ('Room
    revenue', 'Ancillary revenue' → revenue) said after 'how much', read as that word is; None else."""
    found = _HOW_MUCH_MONEY.search(question)
    if found is None or _by_role(catalog, "money") or (default and catalog.metric(default) is not None):
        return None
    heads = [h for h in _MONEY_HEADS if any(m.label.casefold().split()[-1:] == [h] for m in catalog.metrics)]
    much = re.match(r"\s*(?:how\s+much|what|wie\s*viel|was)\b", question[found.start() :], _I)
    if len(heads) != 1 or much is None:
        return None
    at = found.start() + much.end()
    return f"{question[:at]} {heads[0]}{question[at:]}"


def money_metric(question: str, catalog: Catalog, default: str | None) -> str | None:
    """'how much did we take', 'sold the most ski gear' (a mass noun has no pieces to count): the
    project's headline money figure."""
    sold_in_bulk = bool(_SOLD.search(question) and _MASS_NOUN.search(question)) and not UNIT_WORDS.search(
        question
    )
    if not _HOW_MUCH_MONEY.search(question) and not sold_in_bulk:
        return None
    if default and (metric := catalog.metric(default)) is not None and metric.role == "money":
        return default
    money = _by_role(catalog, "money")
    return money[0].name if money else None


def unit_word_values(values: Sequence[Mention]) -> list[Mention]:
    """A value that is written as a lower-case unit word ('(pieces)' vs the brand 'Pieces') is the unit."""
    return [v for v in values if not (v.text.islower() and UNIT_WORDS.fullmatch(v.text))]


def channel_contrast(question: str, catalog: Catalog, lexicon: Lexicon, metrics: Sequence[str]) -> str | None:
    """'online vs in store', 'Filialen vs. Online', 'web shop and the stores': the channel-role
    dimension every metric reaches whose values read as online and as a store; else None."""
    online = list(ONLINE.finditer(question))
    stores = [(m, _CONTRAST) for m in STORES.finditer(question)]
    # 'Online gegen Filiale', 'online vs store': a store word in the singular, set against online
    stores += [(m, SET_AGAINST_ALONE) for m in _STORE_SINGULAR.finditer(question)]
    if not online or not stores:
        return None
    near = False
    for a in online:
        for b, contrast in stores:
            lo, hi = sorted((a, b), key=lambda x: x.start())
            between = question[lo.end() : hi.start()]
            if len(between) <= 60 and contrast.search(between):
                near = True
    if not near:
        return None
    infos = [i for i in (catalog.metric(n) for n in metrics) if i is not None]
    for dim in catalog.dimensions_with_role("channel"):
        if infos and not all(dim.name in i.dimensions for i in infos):
            continue
        readings = {
            e.value
            for word in ("online", "store")
            for e in lexicon.lookup(key_of(word))
            if e.kind == "value" and e.target == dim.name
        }
        if len(readings) >= 2:
            return dim.name
    return None


def channel_value(lexicon: Lexicon, channel_dim: str, word: str) -> Entry | None:
    """The channel's value for 'online' or 'store', if the channel has one by that name."""
    for e in lexicon.lookup((word,)):
        if e.kind == "value" and e.target == channel_dim and fold(e.value or "") == word:
            return e
    return None
