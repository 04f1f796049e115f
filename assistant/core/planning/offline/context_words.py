"""Words a question may use without them being placed as a filter: the context a figure's
entity or description gives (the entity a count counts, the channel's everyday names), the source
phrases of a figure's description, description-only words, the tenant's product words, and
figures named only to be negated (read as flags).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.describe import entity_words
from assistant.core.planning.offline.inputs import PlannerInput
from assistant.core.planning.offline.lexicon import Entry, Lexicon, key_of
from assistant.core.planning.offline.linking import Linked, Mention, unplaced_words
from assistant.core.planning.offline.paths import attribute, lemmas, same_stem
from assistant.core.planning.offline.product_words import read_product_words
from assistant.core.planning.offline.text import Token, fold, lemma, tokenize
from semantic_layer.catalog import Catalog

_MAX_PRODUCT_WORD_VALUES = 5  # a product word naming items of more values than this is asked about


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
            "stueckzahl",
            "stueckzahlen",
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


def catalog_context_words(catalog: Catalog, *, described: bool = True) -> frozenset[str]:
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


_MONEY_WORDS = frozenset(("worth", "wert", "value", "money", "geld"))


def _described_words(linked: Linked, inp: PlannerInput) -> list[str]:
    """Words left outside every mention that only the catalog's descriptions know ('paid search' of
    a medium described as 'cpc (paid search)', 'send' of 'the day the campaign was sent'): excused
    while the description and role readings run, but each must be explained by the plan in the end."""
    return unplaced_words(linked, inp.lexicon, lambda: catalog_context_words(inp.catalog, described=False))


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


def _index(linked: Linked, word: str) -> int:
    return next(i for i, t in enumerate(linked.tokens) if t.original == word)


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
