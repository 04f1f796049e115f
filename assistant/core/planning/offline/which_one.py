"""'Wie lief die Filiale?', 'How did the depot do last week?': one member asked about, none named.

A definite article and an entity word in the singular ('the store', 'die Filiale', 'das Depot') ask
about one member of the entity; with no value of it named, which one is not said. Answered for every
member, the question about one would get a ranking of all of them, its first row read as the answer.
So it is asked back, naming a few of the tenant's members. Not after 'by', 'per', 'nach', 'each'
('sales by the store'), not with a ranking, an order or a share ('the store with the most sales'
is read by them), not in the plural ('the stores', 'die Filialen'), not for an attribute ('the
region': a breakdown), not when a value of the same entity is named ('die Filiale Hamburg'), not
when the word modifies a noun after it ('the newsletter campaigns'), not when the chosen figure's
description speaks of the entity ('went back to the shipper': each shipment's own).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.answering.breakdowns import breakdown_phrase
from assistant.core.planning.offline.lexicon import Lexicon, entity_name_dimension
from assistant.core.planning.offline.linking import STOPWORDS, Linked, Mention, is_harmless
from assistant.core.planning.offline.paths import lemmas
from assistant.core.planning.offline.signals import Signals
from assistant.core.planning.offline.text import fold, lemma, singular
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog

_DEFINITE = frozenset(
    (
        "the",
        "this",
        "that",
        "die",
        "der",
        "das",
        "dem",
        "den",
        "diese",
        "dieser",
        "diesem",
        "diesen",
        "dieses",
    )
)
_ALL_OF_THEM = frozenset(
    ("by", "per", "nach", "pro", "je", "each", "every", "jede", "jeder", "jedem", "across", "all", "alle")
)
_SHOWN = 5


def _singular(word: str) -> bool:
    folded = fold(word)
    return singular(folded) == folded and fold(lemma(word.lower())) == folded


def _members(lexicon: Lexicon, dimension: str) -> list[str]:
    found = {e.value for entries in lexicon.entries.values() for e in entries
             if e.kind == "value" and e.target == dimension and e.value}  # fmt: skip
    return sorted(found)


def _said_by_the_figures(catalog: Catalog, metrics: Sequence[str], entity: str) -> bool:
    """Whether a chosen figure's own description speaks of the entity ('Shipments that went back to
    the shipper'): 'the shipper' of the question is then each item's own, not one to choose."""
    info = catalog.entity(entity)
    words = lemmas(" ".join((entity.replace("_", " "), *((info.label, *info.synonyms) if info else ()))))
    for name in metrics:
        metric = catalog.metric(name)
        if metric is not None and words & lemmas(metric.description):
            return True
    return False


def one_unnamed(
    catalog: Catalog,
    lexicon: Lexicon,
    sig: Signals,
    linked: Linked,
    metrics: Sequence[str],
    dims: Sequence[Mention],
    values: Sequence[Mention],
) -> ClarificationPlan | None:
    """The question back for 'the <entity>' with none of its members named (see the module)."""
    if sig.ranking or sig.order or sig.share or sig.all_rows or sig.change_rank:
        return None
    tokens = linked.tokens
    for m in dims:
        dim = catalog.dimension(m.entry.target)
        if dim is None or dim.entity is None or m.end - m.start != 1 or m.start == 0:
            continue
        if entity_name_dimension(catalog, dim.entity) != dim.name:
            continue  # 'the region', 'the category': an attribute, read as a breakdown
        if not _singular(tokens[m.start].original) or tokens[m.start - 1].text not in _DEFINITE:
            continue
        if m.start >= 2 and tokens[m.start - 2].text in _ALL_OF_THEM:
            continue
        if any(
            (d := catalog.dimension(v.entry.target)) is not None and d.entity == dim.entity for v in values
        ):
            continue
        after = tokens[m.end] if m.end < len(tokens) else None
        if after is not None and after.text not in STOPWORDS and not is_harmless(after.text):
            continue  # 'the newsletter campaigns': the entity word modifies the noun after it
        if _said_by_the_figures(catalog, metrics, dim.entity):
            continue  # 'went back to the shipper': each shipment's own, as the figure says
        noun = breakdown_phrase(catalog, dim)
        shown = _members(lexicon, dim.name)[:_SHOWN]
        listed = f" ({', '.join(shown)}{' …' if len(shown) == _SHOWN else ''})" if shown else ""
        return ClarificationPlan(
            question=f"Which {noun} do you mean{listed}? Name it, or ask about every {noun} ('… by {noun}').",
            options=tuple(shown),
        )
    return None
