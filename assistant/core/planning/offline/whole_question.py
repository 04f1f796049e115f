"""The last check before the offline planner answers: does the plan account for the whole question?

Linking already asks about a word that names nothing we know (`linking.unplaced_words`). What it
lets through are words of the stop-word lists and of its own filler lists — and those lists are
broad: besides "the", "of", "welche" they hold "not", "kein", "zero", "over", "members", "open",
"new", "available", "growth", number words. Such a word left outside every mention and every
consumed phrase (period, ranking, comparison) changes what is asked ("products with *no* stock",
"stores with sales *over 10000*", "*new* members", "sales *growth*") — and an answer that ignores
it is a confidently wrong number. So after a plan is chosen, each such word must be explained by a
part of the plan:

- a **negation** ("not", "no", "without", "kein", "ohne", "zero") by the filter it negates: a
  value or yes/no reading right after it;
- a **number** (digits or a number word) by the plan's row limit ("top 3"); any other number is a
  threshold or a quantity the plan does not hold;
- a **change word** ("growth", "dropped", "gestiegen") by a comparison, a ranking by the change,
  a time grain or a ranked breakdown;
- a **ranking or order word** ("best", "lowest", "largest"; the one vocabulary of `vocabulary.py`,
  which `signals.py` reads from too) by an order the question asked for, in its direction; one
  whose direction the figure decides ("fastest", "newest") by none;
- a **content word of the stop-word lists** ("members", "open", "new", "available",
  "value") by nothing at all — it sits outside every mention, so nothing in the plan reads it.

A word left unexplained turns the answer into a clarification that names it. Function words
("the", "of", "which", "welche", "im") stay function words. English and German.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.core.planning.offline import intents
from assistant.core.planning.offline.describe import _named, in_description, is_distinct_count
from assistant.core.planning.offline.entity_counts import names_entity
from assistant.core.planning.offline.lexicon import defined_as
from assistant.core.planning.offline.linking import Linked
from assistant.core.planning.offline.paths import lemmas, same_stem
from assistant.core.planning.offline.ratios import _kind as ratios_kind
from assistant.core.planning.offline.signals import Signals
from assistant.core.planning.offline.text import fold, singular
from assistant.core.planning.offline.vocabulary import (
    is_change_word,
    is_of_time,
    is_ranking_word,
    ranking_direction,
)
from assistant.core.planning.plans import ClarificationPlan, MetricPlan, Plan
from assistant.core.planning.time_range import AHEAD
from semantic_layer.catalog import Catalog, MetricInfo
from semantic_layer.validation import CHANGE_SUFFIXES

NEGATIONS = frozenset(
    """no not none never nothing nobody without except excluding exclude excl zero non nor neither
    kein keine keinem keinen keiner keines nicht nichts niemals nie ohne ausser ausgenommen""".split()  # noqa: SIM905
)
_EN_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve"
_DE_NUMBERS = "null eins zwei drei vier fuenf sechs sieben acht neun zehn elf zwoelf"
NUMBER_WORDS = {
    **{w: n for n, w in enumerate(_EN_NUMBERS.split())},
    **{w: n for n, w in enumerate(_DE_NUMBERS.split())},
    **{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000},
    **{"million": 10**6, "billion": 10**9, "zwanzig": 20, "dreissig": 30, "hundert": 100},
    **{"tausend": 1000, "dozen": 12, "twice": 2, "once": 1, "thrice": 3, "einmal": 1, "zweimal": 2},
    **{"dreimal": 3},
}
_COMPARATORS = frozenset(
    """over under above below more less fewer than at least most exactly about around only
    ueber unter mehr weniger als mindestens hoechstens genau etwa rund""".split()  # noqa: SIM905
)
# Plain adjectives of size: read by rows ordered that way ('low occupancy' is no list led by the highest)
LOW_WORDS = frozenset(
    """low lower poor poorly weak weaker niedrig niedrige niedrigen niedriger schwach schwache
    schwachen""".split()  # noqa: SIM905
)
HIGH_WORDS = frozenset(
    """high higher strong stronger hoch hohe hohen hoeher hoehere hoeheren stark starke
    starken""".split()  # noqa: SIM905
)
# Words of the stop-word lists that name a thing, a state or a kind in a business question: outside
# every mention, only a figure or breakdown of the plan named with them reads them.
CONTENT_WORDS = frozenset(
    """member members order orders value values net new open opened opening available free room rooms
    goods line site web website system point points problem problems part parts place places area
    areas state states name index information interest old young men man world test empty full
    half side sides outside inside andere anderen anderer anderes weitere weiteren again repeat repeated
    often frequently wieder erneut oft haeufig mehrmals mehrfach""".split()  # noqa: SIM905
)
_PER = frozenset(("per", "pro", "je"))
_BY = frozenset(("by", "nach"))
_ORDINALS = frozenset(
    """first second third fourth fifth last erste ersten erster zweite zweiten dritte dritten letzte
    letzten letzter""".split()  # noqa: SIM905
)
_BOUNDS = frozenset(("before", "after", "until", "till", "since", "bevor", "seit"))


def unexplained_words(sig: Signals, linked: Linked, plan: MetricPlan, catalog: Catalog) -> list[str]:
    """The words of the question (as read: `sig.text` with consumed phrases blanked, `linked` its
    mentions) that change what is asked yet no part of `plan` accounts for, in question order."""
    tokens = linked.tokens
    used = {k for m in linked.mentions for k in range(m.start, m.end)}
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        word = fold(tok.text)
        if (
            _explained(word, i, sig, linked, plan, catalog) is not False
            and not _another_figures_word(word, i, sig, linked, plan, catalog)
            and not _counted_entity_asked(word, i, linked, plan, catalog)
        ):
            continue
        phrase = tok.original
        if word.isdigit() or word in NUMBER_WORDS:  # 'over 10000', 'more than 5', 'mindestens 3'
            k = i
            while k > 0 and k - 1 not in used and fold(tokens[k - 1].text) in _COMPARATORS:
                k -= 1
            phrase = " ".join(t.original for t in tokens[k : i + 1])
        if (word in _PER or word in _BY) and i + 1 < len(tokens):  # 'per customer', 'by lane'
            phrase = f"{tok.original} {tokens[i + 1].original}"
        if phrase not in out:
            out.append(phrase)
    if sig.drivers and not any(not g.startswith("metric_time") for g in plan.query.group_by):
        out.append(sig.drivers)  # 'what's driving them?' with no breakdown that could say
    return out


def _another_figures_word(
    word: str, i: int, sig: Signals, linked: Linked, plan: MetricPlan, catalog: Catalog
) -> bool:
    """'the claimed vs the paid amount', 'the claimed, the paid amount': the word, exactly as the
    first of another figure's two-word label ('Claimed amount') says it, set against the rest ('vs',
    'and', a comma) with that label's head in the question, and no name or label of the plan's
    figures and breakdowns holding it in that form — another figure asked, not a word of the
    context ('claimed' is no 'claim': 'Claims paid' was answered alone). 'consignments shipped'
    stays context."""
    tokens = linked.tokens
    if len(word) < 4 or i + 1 >= len(tokens):
        return False
    said = {singular(fold(t.text)) for t in tokens}
    # 'total revenue, rooms plus everything else': a part of a sum the plan asks is said of it
    texts_said = [t.text for t in tokens]
    parts = {
        p
        for n in plan.query.metrics
        if parts_said(texts_said, info := catalog.metric(n), catalog) and info is not None
        for p in info.parts
    }
    others = [
        m
        for m in catalog.metrics
        if m.name not in plan.query.metrics
        and m.name not in parts
        and len(words := _label_words(m.label)) == 2
        and words[0] == word
        and singular(words[1]) in said
    ]
    gap = sig.text[tokens[i].end : tokens[i + 1].start]
    if not others or not (fold(tokens[i + 1].text) in _JOINTS or "," in gap):
        return False
    texts: list[str] = []
    for name in plan.query.metrics:
        info = catalog.metric(name)
        texts += [name.replace("_", " "), *((info.label, *info.synonyms) if info else ())]
    for name in [*plan.query.group_by, *(f.dimension for f in plan.query.filters)]:
        dim = catalog.dimension(name)
        texts += [name.replace("__", " ").replace("_", " "), *((dim.label, *dim.synonyms) if dim else ())]
    return not any(word in _label_words(t) for t in texts)


# words that may open a question before the noun it asks about ('how many claims for …')
_OPENER_WORDS = """how many much number the our all show me list give what which were are was is
    wie viele viel anzahl der die das unsere zeig zeige mir alle welche"""
_OPENERS = frozenset(_OPENER_WORDS.split())
# the preposition after that noun tying it to what follows ('claims for express shipments')
_TIED_BY = frozenset("for on against about concerning regarding fur fuer zu auf gegen".split())  # noqa: SIM905


def _counted_entity_asked(word: str, i: int, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool:
    """'claims for express shipments', 'Reklamationen für Expresssendungen': the noun the question
    opens with names an entity a figure of the catalog counts (claims filed count the claims), tied by
    'for'/'on' to the rest, and no figure of the plan counts it or is named with it — the shipments
    were answered for the claims. The entity's word had been excused as context."""
    tokens = linked.tokens
    if i + 1 >= len(tokens) or fold(tokens[i + 1].text) not in _TIED_BY:
        return False
    if not all(fold(t.text) in _OPENERS for t in tokens[:i]):
        return False
    forms = {word, singular(word)} | lemmas(word)
    entities = {
        e.name
        for e in catalog.entities
        if forms & ({e.name.replace("_", " ")} | {w for p in (e.label, *e.synonyms) if p for w in lemmas(p)})
    }
    counted = {m.name for m in catalog.metrics if m.counts in entities}
    if not counted or counted & set(plan.query.metrics):
        return False
    return not named_in_plan(word, plan, catalog, entity_prefix=False)


_JOINTS = frozenset(("vs", "versus", "and", "und", "or", "oder", "gegen", "against"))


def _label_words(label: str) -> list[str]:
    return [fold(w) for w in re.findall(r"[^\W\d_][\w-]*", re.sub(r"\([^)]*\)", " ", label))]


_ONE_TOTAL = re.compile(
    r"(?:one|a\s+single|eine?)\s+(?:single\s+)?(?:total|figure|number|sum|gesamtzahl|summe|zahl)\b",
    re.IGNORECASE,
)


def _explained(
    word: str, i: int, sig: Signals, linked: Linked, plan: MetricPlan, catalog: Catalog
) -> bool | None:
    """False: a word that changes the question and the plan does not account for; True: accounted
    for; None: not a word this check reads (a function word, or one linking already placed)."""
    query, text = plan.query, sig.text
    if word in NEGATIONS:
        return _negation_explained(i, linked, plan, catalog)
    if word in _BOUNDS:
        # 'before 10am', 'after Easter' left unread by the period; 'before discounts', 'after
        # returns': a figure's own words (gross sales before discounts), or the figure shown too
        following = [m for m in linked.mentions if i < m.start <= i + 2]
        return any(m.entry.kind == "metric" for m in following) or _negation_explained(
            i, linked, plan, catalog
        )
    if word in _PER:
        return _per_explained(i, text, linked, plan, catalog)
    if word in _BY:
        return _by_entity_explained(i, linked, plan, catalog)
    number = int(word) if re.fullmatch(r"\d{1,9}", word) else NUMBER_WORDS.get(word)
    if number is not None:
        if number == 1 and not query.group_by and _ONE_TOTAL.match(text[linked.tokens[i].start :]):
            return True  # 'one total is fine', 'eine Gesamtzahl': the single figure the plan gives
        return query.limit == number or (plan.derived is not None and plan.derived.limit == number)
    if any(ch.isdigit() for ch in word):
        return False  # '10am', '3rd', '500kg': a quantity, a time or a rank no period consumed
    if is_change_word(word):
        return bool(
            plan.comparison
            or plan.drill_down
            or any(o.name.endswith(CHANGE_SUFFIXES) for o in query.order_by)
            or "metric_time" in query.group_by
            or bool(query.order_by)
        )
    if word in LOW_WORDS or word in HIGH_WORDS:  # 'hotels with low occupancy': the lowest first
        descending = word in HIGH_WORDS
        return any(o.descending == descending for o in query.order_by) or (
            plan.derived is not None and plan.derived.descending is descending
        )
    if is_of_time(word) and _age_of_members(i, linked, plan):
        return False  # 'the newest stores', 'unsere ältesten Kunden': no date of theirs ranks them
    if is_ranking_word(word):
        return _ranking_explained(word, sig, plan)
    if word in _ORDINALS:  # 'delivered on the first attempt': a condition, unless a name or a limit says it
        before = fold(linked.tokens[i - 1].text) if i > 0 else ""
        ordered = bool(query.order_by) and (  # 'longest first', 'größte zuerst': the order of the rows
            is_ranking_word(before) or before in LOW_WORDS or before in HIGH_WORDS or before.endswith("est")
        )
        return named_in_plan(word, plan, catalog) or query.limit is not None or ordered
    if word in REST_WORDS or word in SEPARATELY_WORDS or word in TOGETHER_WORDS:
        texts = [t.text for t in linked.tokens]
        if any(parts_said(texts, catalog.metric(n), catalog) for n in query.metrics):
            return True
    if word in CONTENT_WORDS:
        return (
            named_in_plan(word, plan, catalog)
            or _a_part_of_the_figure(word, linked, plan, catalog)
            or _holders_of_a_filter(i, linked, plan)
            or _describing_bracket(i, text, linked, plan, catalog)
            or _left_out_by_definition(i, linked, plan, catalog)
            or _channel_read(i, text, linked, plan, catalog)
            or _counted_by_the_plan(word, plan, catalog)
        )
    return None


def _counted_by_the_plan(word: str, plan: MetricPlan, catalog: Catalog) -> bool:
    """'what does a typical member spend': the word names the entity a figure of the plan counts
    (members → the customers Active customers counts), so the plan reads it."""
    entity = names_entity(catalog, word)
    return entity is not None and any(
        (m := catalog.metric(name)) is not None and m.counts == entity for name in plan.query.metrics
    )


# words for the part of a sum not named ('rooms plus everything else', 'rooms and extras')
_REST = "else extra extras rest other others remainder sonstige sonstiges übrige ubrige andere anderen"
REST_WORDS = frozenset(_REST.split())


# 'rooms and extras separately and together': the parts asked beside their sum
SEPARATELY_WORDS = frozenset("separately separate individually einzeln getrennt jeweils".split())  # noqa: SIM905
TOGETHER_WORDS = frozenset("together combined zusammen gesamt insgesamt".split())  # noqa: SIM905


def parts_said(tokens: Sequence[str], info: MetricInfo | None, catalog: Catalog) -> bool:
    """Every figure `info` is the sum of (`MetricInfo.parts`) said in `tokens` — by a word of its label
    not in the sum's own label ('rooms' of Room revenue), or one of them by a word for the rest
    ('everything else', 'extras'), with 'plus' between or 'separately' after: the sum said again,
    or its parts asked beside it."""
    if info is None or not info.parts:
        return False
    words = {singular(fold(t)) for t in tokens}
    own = {singular(w) for w in _label_words(info.label)}
    unsaid = 0
    for part in info.parts:
        found = catalog.metric(part)
        label = {singular(w) for w in _label_words(found.label)} - own if found is not None else set()
        if not (label & words):
            unsaid += 1
    # joined by 'plus' (the sum said again) or asked 'separately'; 'rooms and extras' alone may ask
    # the parts or the sum: asked about (answering the sum alone cost a confidently wrong answer)
    if "plus" not in words and not (words & SEPARATELY_WORDS):
        return False
    return unsaid == 0 or (unsaid == 1 and bool(words & REST_WORDS))


def _a_part_of_the_figure(word: str, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool:
    """'total revenue, rooms plus everything else': a word of the label of a figure the plan's
    figure is the sum of says what it adds up, not another figure — when every part is said
    (`parts_said`); 'total revenue from rooms' names one part only and stays asked."""
    tokens = [t.text for t in linked.tokens]
    for name in plan.query.metrics:
        info = catalog.metric(name)
        if not parts_said(tokens, info, catalog):
            continue
        for part in info.parts if info is not None else ():
            found = catalog.metric(part)
            if found is not None and singular(word) in {singular(w) for w in _label_words(found.label)}:
                return True
    return False


def _age_of_members(i: int, linked: Linked, plan: MetricPlan) -> bool:
    """A superlative of time right before the members of a breakdown or an entity ('the newest
    stores', 'our oldest customers', 'die neuesten Produkte') ranks them by their age — read only by
    an order on a date of theirs, which no figure's order is."""
    after = next((m for m in linked.mentions if m.start > i), None)
    if after is None or after.start > i + 1 or after.entry.kind not in ("dimension", "entity"):
        return False
    if after.entry.target.startswith("metric_time"):
        return False
    metrics = set(plan.query.metrics)
    return not any(
        o.name not in metrics and not o.name.startswith("metric_time") for o in plan.query.order_by
    )


def _ranking_explained(word: str, sig: Signals, plan: MetricPlan) -> bool:
    """A superlative left over ('the shortest transit time', 'die niedrigste Auslastung') is read by
    an order of the rows in its direction. One whose direction the figure decides ('the fastest
    depots': the shortest transit time or the highest speed) is read by no order: the plan has no
    way to know which end the question means. One of time ('the latest stock count') by any. The
    biggest-first order every breakdown gets by default reads no superlative of size: it is there
    for a stable order, not because a word asked for it."""
    direction = ranking_direction(word)
    orders = [o.descending for o in plan.query.order_by if o.name != "metric_time"]
    if plan.derived is not None and plan.derived.descending is not None:
        orders.append(plan.derived.descending)
    if is_of_time(word):  # 'as of the latest stock count': the recent data every answer shows
        return bool(orders) or bool(plan.query.order_by)
    if direction is None or not (sig.ranking or sig.order or sig.change_rank):
        return False
    return (direction == "desc") in orders


# 'Platinum members', "Orla Pharmaceuticals' people", 'Gold-Kunden': the people a value describes
HOLDER_WORDS = (
    "members",
    "member",
    "people",
    "persons",
    "customers",
    "clients",
    "employees",
    "staff",
    "mitglieder",
    "leute",
    "kunden",
)


def _holders_of_a_filter(i: int, linked: Linked, plan: MetricPlan) -> bool:
    """'Gold members': the word after a value the plan filters on (past a possessive) says the
    people holding that value, which the filter reads."""
    k = i - 1
    while k >= 0 and linked.tokens[k].text in ("'", "’", "s", "'s"):
        k -= 1
    filtered = {f.dimension for f in plan.query.filters}
    return any(
        m.end == k + 1 and m.entry.kind == "value" and m.entry.target in filtered for m in linked.mentions
    )


def _per_explained(i: int, text: str, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool:
    """'by store' and 'per store' alike: 'per X' is read by a breakdown by X, a time grain ('per
    day', consumed), or a figure divided by another (a derived ratio or a figure named with it,
    'sales per sqm'). 'net sales per customer' answered as the total would drop it."""
    tokens = linked.tokens
    if i + 1 >= len(tokens) or tokens[i + 1].start - tokens[i].end > 1 or plan.derived is not None:
        return True  # nothing after it, or what follows was read as a period or grain
    nxt = next((m for m in linked.mentions if m.start <= i + 1 < m.end), None)
    query = plan.query
    if nxt is None:  # 'per customer' by loyalty tier: the tier's entity word is no breakdown by it
        return named_in_plan(fold(tokens[i + 1].text), plan, catalog, entity_prefix=False)
    if nxt.entry.kind in ("dimension", "value"):
        entity = dim.entity if (dim := catalog.dimension(nxt.entry.target)) is not None else None
        return (
            nxt.entry.target in {*query.group_by, *(f.dimension for f in query.filters)}
            # 'je Kundensegment' read as the shipper's segment: the one attribute through its role
            or (
                nxt.entry.source == "label"
                and any(g.split("__")[-1] == nxt.entry.target.split("__")[-1] for g in query.group_by)
            )
            # 'per store' read as the store breakdown along another path; 'spends the most per
            # customer' by loyalty tier is a figure divided by the customers, no breakdown reads it
            or (nxt.entry.source == "entity" and _names_breakdown_entity(entity, query.group_by, catalog))
            # 'je Zimmerkategorie' → 'room category': the room of the room-type breakdown
            or (bool(query.group_by) and named_in_plan(fold(tokens[i + 1].text), plan, catalog))
        )
    return True  # a figure after 'per': the figure readings decide (average order value …)


# Everyday words for the things sold, harmless as context ('products that …'); after 'by' a breakdown
_ITEM_WORDS = frozenset("product products item items article articles goods merchandise".split())  # noqa: SIM905


def _by_entity_explained(i: int, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool | None:
    """'returns to sender by lane', 'room revenue by reservation': 'by' before a word naming an
    entity that no phrase read (an entity with no attribute to break down by, or none the figure
    reaches) is read only by a breakdown by that entity — else the figure's total answered it.
    None for any other 'by' ('delivered by the depot', 'by ship date'): not a word this reads."""
    tokens = linked.tokens
    if i + 1 >= len(tokens) or tokens[i + 1].start - tokens[i].end > 1:
        return None
    if any(m.start <= i + 1 < m.end for m in linked.mentions):
        return None
    said = lemmas(tokens[i + 1].text)
    named = [
        e.name for e in catalog.entities if said and (_named(e, said) or said == {defined_as(e.description)})
    ]
    if not named and fold(tokens[i + 1].text) in _ITEM_WORDS:
        return False  # 'bookings by product' where nothing is a product: a breakdown nothing reads
    if len(named) != 1:
        return None
    dims = [d for g in plan.query.group_by if g != "metric_time" and (d := catalog.dimension(g)) is not None]
    return any(named[0] == d.entity or named[0] in d.path for d in dims)


def _names_breakdown_entity(entity: str | None, group_by: tuple[str, ...], catalog: Catalog) -> bool:
    """A breakdown is by the entity itself (its name or primary dimension), not by a trait of it."""
    if entity is None:
        return False
    for name in group_by:
        dim = catalog.dimension(name)
        if dim is None or name == "metric_time":
            continue
        leaf = name.split("__")[-1]
        own = dim.primary or leaf.startswith(entity) or leaf.endswith(("_name", "_id", "_number"))
        if own and dim.entity == entity:
            return True
    return False


def _negation_explained(i: int, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool:
    """'ohne Online', 'not delivered': a value or yes/no reading right after the negation is the
    filter it negates. 'net sales excluding returns', 'alles außer Logis': a figure or word right
    after it that the chosen figure's description leaves out by definition is read by that figure."""
    following = sorted((m for m in linked.mentions if i < m.start <= i + 3), key=lambda m: m.start)
    after = [m for m in following if m.start == following[0].start]  # the nearest reading only
    if any(m.entry.kind in ("value", "dimension") for m in after):
        return True
    if any(m.entry.kind == "metric" and m.entry.target in plan.query.metrics for m in after):
        return False  # 'keinen Bestand': the figure itself negated — a filter the plan does not hold
    words = [w for m in after if m.entry.kind == "metric" for w in lemmas(m.text)]
    used = {k for m in linked.mentions for k in range(m.start, m.end)}
    near = [
        fold(linked.tokens[k].text) for k in range(i + 1, min(i + 4, len(linked.tokens))) if k not in used
    ]
    if any(len(w) > 3 and named_in_plan(w, plan, catalog) for w in near):
        return False  # 'never been sold' of units sold: the figure's own word negated, no filter it holds
    words += [w for t in near for w in lemmas(t)]
    return bool(words) and any(in_description(catalog, plan.query.metrics, w) for w in words)


def _describing_bracket(i: int, text: str, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool:
    """'Gesamtumsatz (Logis plus Nebenerlöse)': a word in a bracket right after a figure of the plan
    that the figure's description holds restates that figure ('Room revenue plus ancillary revenue')."""
    token = linked.tokens[i]
    opened = text.rfind("(", 0, token.start)
    if opened < 0 or text.rfind(")", 0, token.start) > opened:
        return False
    head = text[:opened].rstrip()
    figures = [
        m
        for m in linked.mentions
        if m.entry.kind == "metric" and m.entry.target in plan.query.metrics and m.end > 0
        and head.endswith(linked.tokens[m.end - 1].original)
    ]  # fmt: skip
    forms = lemmas(token.text) | {fold(token.text)}
    for m in figures:
        info = catalog.metric(m.entry.target)
        said = lemmas(info.description) if info is not None else set()
        if forms & said:
            return True
    return False


def _left_out_by_definition(i: int, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool:
    """The word follows a negation that the chosen figure's description explains ('außer Logis')."""
    negations = [k for k in range(max(0, i - 3), i) if fold(linked.tokens[k].text) in NEGATIONS]
    return any(_negation_explained(k, linked, plan, catalog) for k in negations)


def _channel_read(i: int, text: str, linked: Linked, plan: MetricPlan, catalog: Catalog) -> bool:
    """'web shop vs stores', 'the website's sales': online-shop words are read by the plan's channel
    (a breakdown or filter by a channel dimension, or a figure online by nature, said so)."""
    token = linked.tokens[i]
    if not any(m.start() <= token.start < m.end() for m in intents.ONLINE.finditer(text)):
        return False
    channels = {d.name for d in catalog.dimensions_with_role("channel")}
    query = plan.query
    return bool(channels & {*query.group_by, *(f.dimension for f in query.filters)}) or any(
        "online" in line.lower() for line in plan.understood
    )


_MONTHS = {
    name: n
    for names in (
        "january february march april - june july august september october november december",
        "januar februar maerz april mai juni juli august september oktober november dezember",
    )
    for n, name in enumerate(names.split(), start=1)
    if name != "-"  # 'may' is a verb as often as a month
}


def months_not_in_period(sig: Signals) -> list[str]:
    """Month names the time phrases consumed that the period read does not reach ('the first half
    of October' read as H1): the period came from other words of the phrase."""
    if sig.shift is not None or sig.time is None:
        return []
    ranges = [r for r in (sig.time, sig.compare_to) if r is not None and r.start is not None]
    out: list[str] = []
    for phrase in sig.consumed:
        for word in re.findall(r"[^\W\d_]+", phrase):
            month = _MONTHS.get(fold(word))
            if month is None or not ranges:
                continue
            if not any(_reaches(r.start, r.end, month) for r in ranges) and word not in out:
                out.append(word)
    return out


def _reaches(start: date | None, end: date | None, month: int) -> bool:
    if start is None:
        return True
    stop = end or start
    if (stop.year - start.year) * 12 + stop.month - start.month >= 11:
        return True
    y, m = start.year, start.month
    while (y, m) <= (stop.year, stop.month):
        if m == month:
            return True
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return False


_UNTIL = re.compile(r"\b(?:until|till|up\s+to|bis(?:\s+zu[mr]?)?)\b", re.IGNORECASE)


def bound_not_in_period(question: str, sig: Signals, plan: MetricPlan) -> list[str]:
    """'until last month', 'bis heute', 'up to yesterday' answered for that one period: the end bound
    is unread unless the period is a range up to it ('all data up to …', '… to …', 'since …')."""
    out: list[str] = []
    if sig.time is None or (sig.time.start.year, sig.time.start.month) != (
        sig.time.end.year,
        sig.time.end.month,
    ):
        # 'up to 5 stores': no period to bound (the number is read, or asked, apart); a period of
        # months ('Dezember bis Februar', 'until last year') holds its bounds as far as we can tell
        return []
    for m in _UNTIL.finditer(question):
        label = re.sub(r"\([^)]*\)", "", plan.period.label.lower())  # '(2026-09-01 to …)' is no bound
        if not re.search(r"\b(?:to|until|since)\b", label) and m.group(0) not in out:
            out.append(m.group(0))
    return out


_AMOUNT_ASKED = re.compile(
    r"\b(?:and|und)\s+(?:(?:um|about)\s+)?(?:what|which|how\s+(?:high|big|large|much)\s+(?:is|ist|was|were)|"
    r"welche[rnms]?|wie\s+hoch\s+(?:ist|war|sind|waren))\s+(?:(?:is|was|were|the|a|die|der|das|den|"
    r"dem|es|it)\s+)*(?:sum|amount|total|value|summe|betrag|wert|gesamtbetrag)\b",
    re.IGNORECASE,
)


def amount_not_asked(question: str, plan: MetricPlan, catalog: Catalog) -> list[str]:
    """'… how many claims are still open, and what amount?', 'und um welche Summe geht es?': a second
    ask for an amount beside a count. A plan of counts alone answers only the first ask (the amount
    word names no figure of its own: 'amount', 'Summe', 'Betrag' are kind words), so it is asked."""
    m = _AMOUNT_ASKED.search(question)
    if m is None or any(ratios_kind(catalog, n) in ("money", "sum") for n in plan.query.metrics):
        return []
    return [m.group(0).split()[-1]]


# an amount of money asked for in so many words: 'in euros', 'in CHF', 'in Franken', 'in Geld',
# 'how much money'
_MONEY_SAID = re.compile(
    r"\b(?:in|als|as)\s+(?:euros?|eur|chf|franken|francs?|dollars?|usd|gbp|pounds?|geld|money)\b"
    r"|\bin\s+€|\bhow\s+much\s+money\b|\bwie\s*viel\s+geld\b"
    # 'how much did new customers spend', 'wie viel haben Neukunden ausgegeben'
    r"|\b(?:how\s+much|wie\s*viel)\b(?=.*\b(?:spen[dt]|spending|ausgegeben|ausgeben|gezahlt|bezahlt|paid)\b)",
    re.IGNORECASE,
)


def money_not_asked(question: str, plan: MetricPlan, catalog: Catalog) -> list[str]:
    """'Retouren in Euro', 'returned units last month in EUR': the amount is asked for in money, and
    a plan of counts and units alone ('Returned units': 31) answers another question — asked, with
    the reading offered (the currency is no filter of its own either)."""
    m = _MONEY_SAID.search(question)
    if m is None or any(
        ratios_kind(catalog, n) == "money"
        or (ratios_kind(catalog, n) == "sum" and not is_distinct_count(catalog, n))
        for n in plan.query.metrics
    ):  # (a distinct count — 'Unique guests' — is a number of people, whatever the project's meta says)
        return []
    verb = _SPENT.search(question, m.end()) if _HOW_MUCH.fullmatch(m.group(0)) else None
    return [f"{m.group(0)} … {verb.group(0)}" if verb else m.group(0)]


_HOW_MUCH = re.compile(r"how\s+much|wie\s*viel", re.IGNORECASE)
_SPENT = re.compile(r"\b(?:spen[dt]|spending|ausgegeben|ausgeben|gezahlt|bezahlt|paid)\b", re.IGNORECASE)


def ahead_of_what_happened(question: str, plan: MetricPlan, catalog: Catalog) -> list[str]:
    """'future reservations', 'on the books', 'upcoming arrivals': what is still to come is counted
    by a figure of every row (the bookings made); a figure of what happened (arrivals that checked
    in, revenue earned on nights stayed) holds none of it yet, and the word is asked about."""
    m = AHEAD.search(question)
    if m is None:
        return []
    infos = [catalog.metric(name) for name in plan.query.metrics]
    if infos and all(i is not None and i.counts_every for i in infos):
        return []
    return [m.group(0)]


# 'stock on hand now', 'aktueller Lagerbestand', 'laut letzter Inventur': the stock today, whatever
# period the question reads for its other asks ('units sold in H1 2026 and how many are in stock now')
_STOCK_NOW = re.compile(
    r"\b(?:now|right\s+now|currently|current|at\s+the\s+moment|at\s+present|today|as\s+of\s+today|"
    r"aktuell(?:e[nmrs]?)?|derzeit(?:ig(?:e[nmrs]?)?)?|momentan(?:e[nmrs]?)?|zurzeit|jetzt|heute)\b",
    re.IGNORECASE,
)
# 'today' / 'heute' read as a period of their own beside another one ('Absatz im September und
# Lagerbestand heute'): the time words blank them, so they are looked for in the question as asked
_TODAY = re.compile(r"\b(?:today|heute)\b", re.IGNORECASE)


def stock_now_beside_a_period(
    sig: Signals, plan: MetricPlan, catalog: Catalog, as_of: date | None, question: str = ""
) -> list[str]:
    """A stock figure asked 'now' in a question that reads another period: the plan gives the stock
    at that period's end ('units sold in H1 2026 and current stock' answered the stock of 30 June),
    a number for another day than the one asked about. One plan holds one period: asked."""
    m = _STOCK_NOW.search(sig.text) or _TODAY.search(question)
    if m is None or sig.time is None or as_of is None or plan.period.end is None or plan.period.end >= as_of:
        return []
    stock = [
        n
        for n in plan.query.metrics
        if (i := catalog.metric(n)) is not None and i.role in ("stock", "stock_cover")
    ]
    return [m.group(0)] if stock else []


def answer_or_ask(
    plan: Plan, sig: Signals, linked: Linked, catalog: Catalog, question: str = "", as_of: date | None = None
) -> Plan:
    """`plan` when it accounts for the whole question; else a clarification naming the words it
    would leave out and offering the reading it has (so one reply answers it as read)."""
    if not isinstance(plan, MetricPlan):
        return plan
    words = months_not_in_period(sig) + bound_not_in_period(question, sig, plan)
    words += stock_now_beside_a_period(sig, plan, catalog, as_of, question)
    words += ahead_of_what_happened(question, plan, catalog)
    words += unexplained_words(sig, linked, plan, catalog) + amount_not_asked(question, plan, catalog)
    words += money_not_asked(question, plan, catalog)
    if not words:
        return plan
    quoted = " and ".join(f"'{w}'" for w in words[:3])
    reading = ", ".join(plan.understood)
    return ClarificationPlan(
        question=f"I'm not sure what {quoted} means in your question, and an answer without it could be "
        f"wrong. What I can answer: {reading}. Is that what you mean, or can you say it differently?",
        options=(reading,) if reading else (),
    )


def named_in_plan(word: str, plan: MetricPlan, catalog: Catalog, *, entity_prefix: bool = True) -> bool:
    """The word is a word of the name or label of a figure, breakdown or filter of the plan ('room'
    of occupied room-nights, 'name' of a campaign name breakdown); without `entity_prefix`, not
    the entity a trait's name starts with ('customer' of a customer's tier; the 'origin depot' of the
    origin depot's name is the depot's own name, kept)."""
    query = plan.query
    texts: list[str] = []
    for name in query.metrics:
        info = catalog.metric(name)
        texts += [name.replace("_", " "), *((info.label, *info.synonyms) if info else ())]
    for name in [*query.group_by, *(f.dimension for f in query.filters)]:
        dim = catalog.dimension(name)
        leaf = name.split("__")[-1]
        named = dim is not None and (dim.primary or leaf.endswith(("_name", "_id", "_number")))
        own = name if entity_prefix or named else leaf  # the depot of 'origin depot name', not of a trait
        texts += [own.replace("__", " ").replace("_", " "), *((dim.label, *dim.synonyms) if dim else ())]
    said = {w for t in texts for w in lemmas(t)}
    forms = lemmas(word) | {word}
    return any(f in said or any(same_stem(f, w) for w in said) for f in forms)
