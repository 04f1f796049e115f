"""The words of the texts that ask back — 'Top what?', 'Share of what?', 'I couldn't find …' — in
the project's own nouns (issue #18, item 6).

A clarification names what the question could be about, and those are the project's things: a
retailer's stores, categories and products, a carrier's depots and shippers, a hotel group's
properties. They come from the catalog, never from a list written here: the breakdown dimensions
by role (`meta: {mercurios: {role: location | product | channel | customer}}`, `breakdowns.py`),
the product group's items (the name dimension of the primary `product` dimension's entity), and for
a project that declares no role, the dimensions that name its entities ('carrier', 'consignee').
"""

from __future__ import annotations

from assistant.core.answering.breakdowns import breakdown_dimensions, breakdown_phrase
from assistant.core.planning.offline.lexicon import entity_name_dimension
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo

_NAMED = 3  # nouns a sentence names before 'or other …'
_OPTIONS = 6


def plural(noun: str) -> str:
    """'store' → 'stores', 'category' → 'categories', 'sales channel' → 'sales channels',
    'customer segment (RFM)' → 'customer segments (RFM)': the last word before a bracket."""
    head, bracket, rest = noun.partition(" (")
    words = head.split(" ")
    last = words[-1]
    if last[:1].isupper() and last[1:2].isupper():  # an acronym ('ADR') stays as it is
        return noun
    if last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        last = last[:-1] + "ies"
    else:
        last += "es" if last.endswith(("s", "x", "ch", "sh")) else "s"
    return " ".join([*words[:-1], last]) + (bracket + rest if bracket else "")


def _item_of(catalog: Catalog, group: DimensionInfo, reachable: set[str] | None) -> DimensionInfo | None:
    """The items a product group holds: the name dimension of the group's entity (a category's
    products), when the figure reaches it."""
    if not group.primary or group.entity is None:
        return None
    name = entity_name_dimension(catalog, group.entity)
    item = catalog.dimension(name) if name else None
    return item if item is not None and (reachable is None or item.name in reachable) else None


def things(catalog: Catalog, metric: MetricInfo | None = None, *, items: bool = True) -> tuple[str, ...]:
    """What the figure's rows can be, as a person names them, most usual first: one dimension per
    role, the product group followed by its items ('store', 'category', 'product', 'sales channel'),
    else the dimensions naming the project's entities ('carrier', 'consignee', 'shipper')."""
    reachable = set(metric.dimensions) if metric is not None else None
    out: list[str] = []
    for dim in breakdown_dimensions(catalog, metric):
        out.append(breakdown_phrase(catalog, dim))
        item = _item_of(catalog, dim, reachable) if items else None
        if item is not None:
            out.append(breakdown_phrase(catalog, item))
    return tuple(dict.fromkeys(out))


def _listed(words: list[str], joiner: str = "or") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {joiner} {words[-1]}"


def breakdown_options(catalog: Catalog, metric: MetricInfo | None) -> tuple[str, ...]:
    """The breakdowns to offer as options, in words the planner reads back ('store', 'carrier')."""
    phrases = [breakdown_phrase(catalog, d) for d in breakdown_dimensions(catalog, metric, per_role=2)]
    return tuple(dict.fromkeys([*things(catalog, metric), *phrases]))[:_OPTIONS]


def top_what(catalog: Catalog, metric: MetricInfo | None) -> str:
    """'Top what? For example the top stores, categories or products.' — the figure's own rows."""
    named = [plural(t) for t in things(catalog, metric)[:_NAMED]]
    if not named:
        return "Top what? Please name what should be ranked."
    return f"Top what? For example the top {_listed(named)}."


def share_of_what(catalog: Catalog, metric: MetricInfo | None) -> str:
    """'Share of what? For example: by store, by category or by sales channel.'"""
    named = [f"by {t}" for t in things(catalog, metric, items=False)[:_NAMED]]  # a part, not an item
    if not named:
        return "Share of what? Please name what the whole should be split by."
    return f"Share of what? For example: {_listed(named)}."


def named_things(catalog: Catalog) -> str:
    """'stores, categories, products' — what a name in a question may be a value of, for the
    texts that say a name was not found ('among your stores, categories, products or other data')."""
    return ", ".join(plural(t) for t in things(catalog)[:_NAMED])


def not_found(name: str, catalog: Catalog) -> str:
    """A name that is none of the project's values."""
    nouns = named_things(catalog)
    return f"I couldn't find '{name}' among your {nouns + ' or other data' if nouns else 'data'}."


def not_understood(quoted: str, catalog: Catalog) -> str:
    """Words that name nothing of the project's: asked, never answered without them."""
    nouns = named_things(catalog)
    return (
        f"I don't know what {quoted} refers to in your data: it is none of your figures, "
        f"{nouns + ' ' if nouns else ''}or other values, and an answer without it would be wrong."
    ).replace("figures, or", "figures or")
