"""Figures derived from two others: an explicit ratio ('A per B', 'A / B'), a per-unit price,
a percentage of a whole, the rate of a part, a figure's percent sibling, the average of a total,
a description that names the whole, and the sharper of two readings — and the words that ask for
them (rates, averages, prices). The shares read off the `_Reading` stay in `reading`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from assistant.core.planning.offline import intents
from assistant.core.planning.offline.describe import (
    asks_how_many,
    is_distinct_count,
    metric_from_description,
    narrowed,
)
from assistant.core.planning.offline.entity_counts import counts_of, names_entity
from assistant.core.planning.offline.inputs import PlannerInput
from assistant.core.planning.offline.lexicon import key_of
from assistant.core.planning.offline.linking import STOPWORDS, Linked, Mention
from assistant.core.planning.offline.paths import lemmas, same_stem
from assistant.core.planning.offline.roles import _unique
from assistant.core.planning.offline.signals import Signals
from assistant.core.planning.offline.text import fold, lemma
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog, MetricInfo

_RATIO_OPERATORS = (("per",), ("divided", "by"), ("pro",), ("je",), ("geteilt", "durch"), ("over",))


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
# 'share of discounts in gross sales', 'percentage of returns within sales': the share word's own
# 'of' names the part, the figure after 'in' the whole
_SHARE_WORD_OF = re.compile(
    r"\b(?:share|proportion|percentage|percent|fraction|part)\s+of\s+" + _ARTICLES, re.IGNORECASE
)
_IN_THE_WHOLE = re.compile(r"\b(?:in|within|among|of\s+all)\s+" + _ARTICLES, re.IGNORECASE)
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
    text = dict(zip((id(m) for m in metrics), before, strict=True))
    if _SHARE_WORD_OF.search(text[id(whole)]) and _IN_THE_WHOLE.search(text[id(part)]):
        part, whole = whole, part  # 'share of discounts in gross sales': the 'of' names the part
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
            if any(d.start == k + 1 and d.end > k + 2 for d in linked.of_kind("dimension")):
                break  # 'claims paid per claim type': a breakdown by an attribute, no count of claims
            noun = lemma(words[k + 1])
            counters = [m.name for m in catalog.metrics if m.counts and m.counts.replace("_", " ") == noun]
            if not counters:  # 'pieces per consignment': the word the entity's description defines it as
                counters = list(_entity_count(catalog, linked, k + 1))
            if len(counters) == 1 and counters[0] != a.entry.target:
                return a.entry.target, counters[0]
    return _sum_per_figure(linked, catalog, words, metrics)


def _sum_per_figure(
    linked: Linked, catalog: Catalog, words: list[str], metrics: list[Mention]
) -> tuple[str, str] | None:
    """'revenue per shipment': a word no phrase read that names one sum figure ('Freight revenue';
    'Revenue per kg' is a ratio already), 'per', then a figure — the sum divided by that figure."""
    covered = {k for m in linked.mentions for k in range(max(m.start, 0), m.end)}
    after = [(b.start - 1, b.entry.target) for b in metrics]
    for k, w in enumerate(words[:-1]):  # 'weight per consignment': an entity word its count reads
        if (
            w in ("per", "pro", "je")
            and k + 1 not in covered
            and len(counts := _entity_count(catalog, linked, k + 1)) == 1
        ):
            after.append((k, counts[0]))
    for k, target in after:
        if k < 1 or words[k] not in ("per", "pro", "je") or k - 1 in covered:
            continue
        word = lemma(words[k - 1])
        sums = [
            m.name
            for m in catalog.metrics
            if m.additive and m.name != target and word in {lemma(w) for w in key_of(m.label)}
        ]
        if len(sums) == 1:
            return sums[0], target
    return None


def _entity_count(catalog: Catalog, linked: Linked, k: int) -> tuple[str, ...]:
    """The count figure(s) of the entity the word at `k` names ('consignment': the shipment, counted
    by Shipments), a word no phrase read; () when it names none."""
    if k >= len(linked.tokens) or any(m.start <= k < m.end for m in linked.mentions):
        return ()
    entity = names_entity(catalog, linked.tokens[k].text)
    return counts_of(catalog, entity, [linked.tokens[k].text]) if entity is not None else ()


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
    if _names_the_percentage(question, found, catalog, metrics):
        # 'margin percentage by department': the percentage figure alone, not the money beside it
        return _unique([s for s in siblings]), words
    return _unique([*metrics, *siblings]), words


# the words right before a percent word that make it a second ask ('… in euros and as a percentage')
_SECOND_ASK = frozenset(("and", "und", "also", "auch", "too", "plus", "sowie", "&"))


def _names_the_percentage(question: str, found: re.Match[str], catalog: Catalog, metrics: list[str]) -> bool:
    """'margin percentage', 'Marge Prozent': the percent word said right after the figure's own word,
    with no 'as a', 'in' or 'and' before it, is the name of the percentage figure, one figure asked."""
    if found["word"] is None or found.start() != found.start("word"):
        return False
    before = re.findall(r"[\w%&'-]+", question[: found.start()])
    if not before or fold(before[-1]) in _SECOND_ASK:
        return False
    if len(metrics) != 1:
        return False
    info = catalog.metric(metrics[0])
    if info is None:
        return False
    said = {
        fold(w)
        for w in re.findall(r"\w+", " ".join((info.label, *info.synonyms, info.name.replace("_", " "))))
    }
    return fold(before[-1]) in said


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


# Words for 'as it is now' a description may say one of and a question another ('at the current
# selling pace', 'at the recent pace', 'beim aktuellen Tempo'): one word for choosing by description
_NOW = frozenset(
    {"current", "currently", "recent", "recently", "present", "aktuell", "derzeitig", "jetzig", "momentan"}
)


def _calendar_only(left: dict[str, list[str]]) -> bool:
    """'sales in Easter week', 'best day of the week for sales': calendar words left over are no part
    of a figure's name or description that holds one as its window ('4-week sales', units sold in
    the 4 weeks to a stock count) — they stay asked, never a reason to read that figure."""
    return bool(left) and all(lemma(fold(w)) in CALENDAR_UNITS or fold(w) in CALENDAR_UNITS for w in left)


def _described_whole(
    catalog: Catalog, linked: Linked, metrics: list[str], left: dict[str, list[str]]
) -> str | None:
    """'How many weeks will the running shoes stock last', 'wie viele Wochen reicht der Bestand': of
    the figures a word left over may mean (and the one read), the one whose description says every
    word of the question outside its values and dimensions ('How many weeks the stock lasts at the
    current selling pace'), when no other does. A word the figure does not say leaves it asked."""
    if len(metrics) != 1 or _calendar_only(left):
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
        if told & _NOW:  # 'at the current selling pace' says 'at the recent pace' too
            told |= _NOW
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
    if _calendar_only(left):
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


_AVERAGE_WORDS = frozenset(("average", "mean", "durchschnitt", "durchschnittlich"))
# calendar units: a figure's name may hold one as its window ('4-week sales'), never as what it counts
CALENDAR_UNITS = frozenset(
    ("day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "weekday",
     "tag", "tage", "tagen", "woche", "wochen", "monat", "monate", "monaten", "quartal", "jahr", "jahre")
)  # fmt: skip


def _kind(catalog: Catalog, name: str) -> str | None:
    """What a figure's numbers are: a count of things, a quantity of units, an amount of money, a
    sum of something unsaid (a simple metric of a project with no meta), or unknown."""
    info = catalog.metric(name)
    if info is None:
        return None
    if info.counts is not None or info.role == "count":
        return "count"
    if info.role == "quantity" or info.unit == "units":
        return "quantity"
    if info.role == "money" or info.format == "currency" or (info.unit or "").endswith("currency"):
        return "money"
    if info.type == "simple" and info.format != "percent" and info.role is None:
        return "sum"
    return None


def unlike_share(catalog: Catalog, ratio: tuple[str, str] | None) -> ClarificationPlan | None:
    """'Anteil der Retouren am Umsatz', 'share of no-shows in room revenue': a percentage of a whole
    is a part over a whole of the same kind. Returned units over net sales, a count of bookings over
    an amount of revenue is no share (0.0 %, 2.791.267 %): a wrong number, stated as a percentage.
    Asked, naming the two figures, when their kinds differ (counts, units, money; a sum of a project
    with no meta may be units or money, never a count)."""
    if ratio is None:
        return None
    kinds = [_kind(catalog, n) for n in ratio]
    if None in kinds or kinds[0] == kinds[1] or ("sum" in kinds and "count" not in kinds):
        return None
    part, whole = (catalog.metric(n) for n in ratio)
    assert part is not None and whole is not None  # both have a kind
    return ClarificationPlan(
        question=f"{part.label} and {whole.label} are not measured alike, so one is no share of the "
        f"other. Which figure do you want the share of, and of which whole?",
        options=(part.label, whole.label),
    )


def _is_part_of(part: MetricInfo, whole: MetricInfo) -> bool:
    """The part's rows are among the whole's by definition: the same things counted, and the whole
    counts every one of them, or the manifest's conditions say so (`MetricInfo.within`), or the
    part's label is a word before the whole's ('Cancelled bookings' of 'Bookings')."""
    if whole.name == part.name or whole.counts != part.counts or whole.type != "simple":
        return False
    if whole.counts_every or whole.name in part.within:
        return True
    label, own = fold(part.label).split(), fold(whole.label).split()
    return len(label) == len(own) + 1 and label[1:] == own


def rate_of_a_named_part(
    inp: PlannerInput,
    linked: Linked,
    metrics: list[str],
    left: dict[str, list[str]],
    ratio: tuple[str, str] | None,
    share: bool = False,
) -> tuple[str, str] | ClarificationPlan | None:
    """'return-to-sender rate by service', 'failed attempt rate by depot', 'no-show rate': a rate
    word right after a count no rate metric is defined for, and no whole named — that count over the
    one count of the same things that holds it by definition and is dated alike (derived). 'What
    share of shipments went back to the sender' names that whole itself. A part with no such whole
    (differently dated, not a subset, several) is asked, never guessed."""
    if ratio is not None or len(metrics) != 1 or not left:
        return None
    rates = {w for w in left if w in _RATE_WORDS or lemma(w) in _RATE_WORDS or w == "raten"}
    own = {w for w, o in left.items() if w not in rates and set(o) <= set(metrics)}  # the part's words
    if set(left) != rates | own:
        return None
    part = inp.catalog.metric(metrics[0])
    if part is None or part.counts is None or part.counts_every:
        return None
    texts = [t.text for t in linked.tokens]
    at = [m.end for m in linked.of_kind("metric") if m.entry.target == metrics[0] and m.start >= 0]
    at += [k + 1 for k, t in enumerate(texts) if t in own or lemma(t) in own]
    said = any(k < len(texts) and texts[k] in rates for k in at)
    wholes = [w for w in inp.catalog.metrics if _is_part_of(part, w)]
    named = [w for w in wholes if share and any(m.entry.target == w.name for m in linked.of_kind("metric"))]
    if not said and not named:
        return None  # the rate word is not said of the count ('no-shows and the occupancy rate')
    if named and all(w.time_dimension == part.time_dimension for w in named) and len(named) == 1:
        return part.name, named[0].name
    dated = [w for w in wholes if w.time_dimension == part.time_dimension and w.time_dimension is not None]
    if len(dated) == 1:
        return part.name, dated[0].name
    others = wholes or [w for w in inp.catalog.metrics if w.counts == part.counts and w.name != part.name]
    if not others:
        return None
    dating = ""
    if wholes and not dated:  # 'no-show rate': no-shows by arrival date, bookings by booking date
        dating = f", and {part.label} is not dated like {' or '.join(w.label for w in wholes)}"
    return ClarificationPlan(
        question=f"No figure defines a rate of {part.label.lower()}{dating}. Of which figure should it be "
        f"the share: {' or '.join(w.label for w in others)}?",
        options=tuple(f"{part.label} per {w.label.lower()}" for w in others),
    )


def _names_it(word: str, info: MetricInfo) -> bool:
    """The word is one of the figure's own name words (its label, name or synonyms), not only of its
    description ('return' of 'Return rate', not of OTD's 'returns to sender … are excluded')."""
    said = " ".join((info.label, info.name.replace("_", " "), *info.synonyms))
    return any(same_stem(word, w) or lemma(word) == lemma(w) for w in key_of(said))


# a share word said right after a token, the signals having taken it out ('Cancellation share by …')
_RATE_AFTER = re.compile(r"[\s-]*(?:rate|ratio|share|percentage|proportion|quote|quota|anteil)\b", re.I)


def part_before_a_rate_word(inp: PlannerInput, linked: Linked) -> tuple[str, str] | None:
    """'Cancellation share by channel group', 'Stornoquote je Hotel', 'Retourenquote nach Serviceart':
    a word no figure is named by, right before a rate word, that the catalog's descriptions read as
    one count and (at most) the whole it is a part of by definition (`_is_part_of`), the two dated
    alike — that part over its whole, derived. A rate word read as a figure of its own ('quote' as
    the one ratio) is the rate asked. Anything else is left to the other readings (or asked)."""
    if not _RATE_ASKED.search(inp.question):
        return None
    texts, text = [t.text for t in linked.tokens], inp.question
    covered = {
        k: m for m in linked.mentions if m.entry.kind == "metric" for k in range(max(m.start, 0), m.end)
    }
    found = None
    for k in range(len(texts)):
        rate = texts[k + 1] if k + 1 < len(texts) else ""
        after = text[linked.tokens[k].end :] if linked.tokens[k].end <= len(text) else ""
        if not (rate in _RATE_WORDS or (rate and lemma(rate) in _RATE_WORDS) or _RATE_AFTER.match(after)):
            continue
        if k in covered or texts[k] in STOPWORDS or texts[k].isdigit():
            continue
        # the figures named elsewhere in the question: only the part itself may be ('cancelled
        # bookings and the cancellation rate'); another is its own ask ('no-shows and the occupancy rate')
        named_too = {
            m.entry.target for j, m in covered.items() if j != k and (m.end - m.start > 1 or m.start != k + 1)
        }
        guess = metric_from_description(inp.catalog, [texts[k]])
        named = [guess.metric] if guess.metric else list(guess.options)
        infos = [i for n in named if (i := inp.catalog.metric(n)) is not None]
        parts = [
            (p, w)
            for p in infos
            for w in inp.catalog.metrics
            if p.counts is not None and _is_part_of(p, w) and w.time_dimension == p.time_dimension
        ]
        if len(parts) != 1 or found is not None:
            return None
        part, whole = parts[0]
        if named_too - {part.name}:
            return None
        if any(_names_it(texts[k], i) for i in infos if i.name not in (part.name, whole.name)):
            return None  # the word is another figure's name too ('return rate' defined): not overridden
        if any(i.numerator == part.name for i in inp.catalog.metrics):
            return None  # the catalog's own rate of the part is the one asked
        found = (part.name, whole.name)
    return found
