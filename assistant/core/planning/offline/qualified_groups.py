"""'Net sales of discounted products', 'Umsatz von Stammkunden', 'seasonal items': a group of an
entity's members named by a word before the entity's noun, which no filter of the plan holds.

Three ways the group was dropped and the total (or every member's row) answered instead:
- a **figure's word** qualifying the noun ('net sales of discounted products': 'discounted' read as
  the discount figure, shown beside net sales per product) — the lines with a discount are meant;
- an **attribute's word** qualifying it ('seasonal items', 'own-brand products': read as a breakdown
  by season or brand) — some of its values are meant, and the catalog does not say which;
- a **synonym of the entity that names a kind of it** ('regular customer', 'Stammkunde' beside
  'customer', 'Kunde'): excused as the entity's own word, so 'Umsatz von Stammkunden' was every
  customer's — and every anonymous sale's — net sales.
Each is asked back with what the catalog can narrow the entity by. A count of the entity itself
('wie viele Stammkunden haben eingekauft') reads the synonym as the entity, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.planning.offline import intents
from assistant.core.planning.offline.context_words import catalog_context_words
from assistant.core.planning.offline.linking import Linked, Mention
from assistant.core.planning.offline.text import fold, singular
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog, EntityInfo

# words that make the next attribute a breakdown ('net sales by brand products' is no qualifier)
_BREAKDOWN = frozenset("by per each every je pro nach jede jeder jedes jeden".split())  # noqa: SIM905
_SALE = frozenset(("sale", "promo", "promotion", "aktion"))
_ON = frozenset(("on", "auf", "im"))
_ENDINGS = ("", "n", "en", "s", "e", "er", "es")


def _entity_words(entity: EntityInfo) -> frozenset[str]:
    """The single words naming an entity's members ('customer', 'kunde', 'shopper')."""
    words = {fold(entity.name)}
    words.update(fold(p) for p in (entity.label, *entity.synonyms) if p and " " not in p.strip())
    return frozenset(w for w in words if len(w) > 3)


def _kinds_named(entity: EntityInfo) -> tuple[frozenset[str], frozenset[str]]:
    """The qualifiers of the entity's synonyms that name a kind of it: 'regular' of 'regular
    customer', and the German compounds ending in another of its words ('stammkunde' ← 'kunde')."""
    base = _entity_words(entity)
    qualifiers: set[str] = set()
    compounds: set[str] = set()
    for phrase in entity.synonyms:
        words = fold(phrase).split()
        if len(words) > 1 and (singular(words[-1]) in base or words[-1] in base):
            qualifiers.update(w for w in words[:-1] if len(w) > 2)
        elif len(words) == 1 and any(words[0].endswith(b) and len(words[0]) >= len(b) + 3 for b in base):
            compounds.add(words[0])
    return frozenset(qualifiers), frozenset(compounds)


def _compound_of(word: str, compounds: frozenset[str]) -> bool:
    return any(word == c + end for c in compounds for end in _ENDINGS)


def _in_mention(linked: Linked, at: int) -> Mention | None:
    return next((m for m in linked.mentions if m.start <= at < m.end), None)


def _entity_noun(linked: Linked, at: int, nouns: frozenset[str]) -> bool:
    """Is the token at `at` a plural or singular noun of an entity ('products', 'stores', 'Kunden')?"""
    if at >= len(linked.tokens):
        return False
    word = fold(linked.tokens[at].text)
    return word in nouns or singular(word) in nouns


def _sold_on(linked: Linked, texts: list[str], metrics: list[Mention]) -> ClarificationPlan | None:
    """'How much did we sell on markdown / on sale / on promotion?': the sales made so, not the
    figure the word names (the discounts given) nor every sale."""
    sold = [i for i, w in enumerate(texts) if intents._SOLD.fullmatch(w)]
    for i, word in enumerate(texts[:-1]):
        if word not in _ON or not any(k < i for k in sold):
            continue
        named = next((m for m in metrics if m.start == i + 1), None)
        if named is not None or (texts[i + 1] in _SALE and _in_mention(linked, i + 1) is None):
            return _ask(" ".join(t.original for t in linked.tokens[i : (named.end if named else i + 2)]), ())
    return None


def _figure_of_the_flag(
    linked: Linked, texts: list[str], catalog: Catalog, chosen: Sequence[str]
) -> ClarificationPlan | None:
    """'How many units were returned', 'how many items were returned': the participle read as a
    yes/no filter ('Is return') on the figure asked (units sold of the return lines: a negative
    number) while a figure of its own begins with that word ('Returned units'). Asked, with it."""
    for m in linked.of_kind("dimension"):
        word = texts[m.start]
        if m.end - m.start != 1 or len(word) < 5 or not word.endswith("ed"):
            continue  # a participle ('returned', 'cancelled'), not a name ('store' of 'Store net sales')
        own = [
            x for x in catalog.metrics
            if x.name not in chosen and (w := fold(x.label).split()) and len(w) > 1 and w[0] == word
        ]  # fmt: skip
        if len(own) == 1:
            labels = [info.label for c in chosen if (info := catalog.metric(c)) is not None]
            return ClarificationPlan(
                question=f"'{m.text}' is a figure of its own in your data ({own[0].label}). Do you "
                f"mean {own[0].label.lower()}, or {' and '.join(labels).lower()} of those only?",
                options=(own[0].label, *labels),
            )
    return None


def _ask(words: str, narrowed_by: Sequence[str]) -> ClarificationPlan:
    by = " or ".join(narrowed_by)
    offer = f" Your data can narrow them by {by}." if by else ""
    return ClarificationPlan(
        question=f"I don't know which group '{words}' is in your data: no filter of mine holds it, "
        f"and an answer for all of them would be wrong.{offer} Can you say which you mean?",
        options=tuple(narrowed_by),
    )


def _attributes(catalog: Catalog, entity: str | None) -> list[str]:
    return [d.label for d in catalog.dimensions if d.entity == entity and d.type == "categorical"][:3]


def group_qualified(linked: Linked, catalog: Catalog, chosen: Sequence[str]) -> ClarificationPlan | None:
    """A question back when a word before an entity's noun names a group no filter holds."""
    if not chosen:
        return None
    texts = [fold(t.text) for t in linked.tokens]
    nouns = catalog_context_words(catalog, described=False)
    metrics = [m for m in linked.of_kind("metric") if m.entry.target in chosen]
    values = linked.of_kind("value")
    for entity in catalog.entities:
        qualifiers, compounds = _kinds_named(entity)
        base = _entity_words(entity)
        counted = any((info := catalog.metric(c)) is not None and info.counts == entity.name for c in chosen)
        narrowed = any(
            (d := catalog.dimension(v.entry.target or "")) is not None and d.entity == entity.name
            for v in values
        )
        if counted or narrowed:
            continue
        for i, word in enumerate(texts):
            if _in_mention(linked, i) is not None:
                continue
            said = ""
            if (
                word in qualifiers
                and i + 1 < len(texts)
                and (texts[i + 1] in base or singular(texts[i + 1]) in base)
            ):
                said = f"{linked.tokens[i].original} {linked.tokens[i + 1].original}"
            elif _compound_of(word, compounds):
                said = linked.tokens[i].original
            if said:
                return _ask(said, _attributes(catalog, entity.name))
    on = _sold_on(linked, texts, metrics) or _figure_of_the_flag(linked, texts, catalog, chosen)
    if on is not None:
        return on
    for i, word in enumerate(texts[:-1]):
        noun = _in_mention(linked, i + 1)
        if (
            word in _SALE
            and _in_mention(linked, i) is None
            and noun is not None
            and _entity_noun(linked, i + 1, nouns)
        ):
            # 'net sales of sale items', 'Sale-Artikel': the items on sale, no breakdown of every item
            return _ask(f"{linked.tokens[i].original} {linked.tokens[i + 1].original}", ())
    for m in linked.mentions:
        if m.end - m.start != 1 or not _entity_noun(linked, m.end, nouns):
            continue
        noun = _in_mention(linked, m.end)
        if noun is None or noun.entry.kind != "dimension":
            continue  # 'Menswear products': a value names the group
        before = texts[m.start - 1] if m.start > 0 else ""
        said = f"{m.text} {linked.tokens[m.end].original}"
        if m.entry.kind == "metric" and m in metrics and any(o.start < m.start for o in metrics):
            # 'net sales of discounted products': the figure's word says which lines, not a second figure
            return _ask(said, ())
        attribute = catalog.dimension(m.entry.target or "")
        named = catalog.dimension(noun.entry.target or "")
        if (
            m.entry.kind == "dimension"
            and before not in _BREAKDOWN
            and attribute is not None
            and named is not None
            and attribute.name != named.name
            and attribute.entity == named.entity  # 'returned products' is a flag of the sale line
        ):
            # 'seasonal items', 'own-brand products': some of the attribute's values, not a breakdown
            return _ask(said, (attribute.label,))
    return None
