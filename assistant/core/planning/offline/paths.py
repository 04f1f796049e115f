"""Which entity path a dimension word means, for the metrics asked about.

One column is often reachable over several entity paths: a depot's region as the shipment lane's
origin depot or its destination depot (`lane__origin_depot__region`, `lane__destination_depot__region`),
a hotel as the room night's property or the reservation's (`property__…`, `reservation__property__…`),
a country as the guest's, the booker's or the hotel's. Grouping by every reading multiplies the
totals (fan-out); picking one at random answers another question. So a word is resolved per metric:

1. the readings the metrics can reach, each with every other path to the same column;
2. the role the question names ("delivering", "origin", "consignees", "guest") keeps the paths whose
   distinguishing entity it names — by the entity's name, label, synonyms or description;
3. of one column, the shortest path (the link the metric's own semantic model defines) wins;
4. two columns still in play, or two paths of equal length, are asked, with both as options.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.core.planning.offline.text import english_lemma, lemma, phrase_key
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo

# Words too common in descriptions to tell two roles apart.
_NOISE = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "for",
        "on",
        "in",
        "at",
        "by",
        "with",
        "from",
        "is",
        "are",
        "be",
        "it",
        "its",
        "that",
        "this",
        "which",
        "who",
        "what",
        "when",
        "when",
        "not",
        "no",
        "one",
        "each",
        "every",
        "per",
        "e.g",
        "eg",
    ]
)


@dataclass(frozen=True)
class PathChoice:
    name: str | None  # the dimension to use; None: none reachable, or ambiguous (see options)
    options: tuple[DimensionInfo, ...] = ()  # the readings to ask about when ambiguous

    @property
    def ambiguous(self) -> bool:
        return self.name is None and len(self.options) > 1


def attribute(dim: DimensionInfo) -> tuple[str | None, str]:
    """The column a dimension reads: its semantic model and its name there."""
    return (dim.model, dim.element or dim.name.split("__")[-1])


def lemmas(text: str) -> set[str]:
    """Dictionary forms of the text's words, read as German first and as English first ('sold' is
    'sell' in English and a word of its own in German): either reading may be the one that meets."""
    words = [w for w in phrase_key(text) if w not in _NOISE and len(w) > 1]
    return {lemma(w) for w in words} | {english_lemma(w) for w in words}


def _entity_words(catalog: Catalog, entity: str) -> tuple[set[str], set[str]]:
    """(name, label and synonym lemmas; description lemmas) of an entity."""
    info = catalog.entity(entity)
    strong = lemmas(entity.replace("_", " "))
    weak: set[str] = set()
    if info is not None:
        strong |= lemmas(info.label) | {w for s in info.synonyms for w in lemmas(s)}
        weak = lemmas(info.description)
    return strong, weak


def role_score(
    catalog: Catalog, dim: DimensionInfo, others: Sequence[DimensionInfo], words: set[str], *, described: bool
) -> float:
    """How strongly the question's words name this reading's role rather than the others': by the
    label and the entities' names, labels and synonyms — or, `described`, by the entities' descriptions."""
    common = set.intersection(*(set(o.path) for o in others)) if others else set()
    common_labels = set.intersection(*(lemmas(o.label) for o in others)) if others else set()
    score = 0.0 if described else 2.0 * len((lemmas(dim.label) - common_labels) & words)
    for entity in dim.path:
        if entity in common:
            continue
        strong, weak = _entity_words(catalog, entity)
        score += _hits(weak - strong, words) if described else 2.0 * _hits(strong, words)
    return score


def _hits(names: set[str], words: set[str]) -> int:
    """Words of the question naming one of `names`: the same lemma, or the same stem of at least six
    letters ('delivering', 'deliveries' and 'delivers'; 'collected' and 'collection')."""
    return sum(1 for n in names if any(w == n or _stem(w, n) for w in words))


def same_stem(a: str, b: str) -> bool:
    """'arrive' ~ 'arrival', 'deliver' ~ 'delivery', 'cancel' ~ 'cancellation' (not 'consignee' ~
    'consignment'): a shared start of five letters or more, missing at most one of the shorter word."""
    return a == b or _stem(a, b)


def _stem(a: str, b: str) -> bool:
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= 5 and shared >= min(len(a), len(b)) - 1


def _reachable(catalog: Catalog, names: Iterable[str], metrics: Sequence[MetricInfo]) -> list[DimensionInfo]:
    wanted = set()
    for name in names:
        dim = catalog.dimension(name)
        if dim is not None:
            wanted.add(attribute(dim))
    return [
        d
        for d in catalog.dimensions
        if attribute(d) in wanted and all(d.name in m.dimensions for m in metrics)
    ]


def resolve(
    catalog: Catalog,
    names: Sequence[str],
    metrics: Sequence[MetricInfo],
    words: set[str],
    *,
    entity: str | None = None,
) -> PathChoice:
    """The one dimension that the readings `names` of a phrase mean for `metrics`, given the
    question's lemmas `words` (see the module docstring)."""
    candidates = _reachable(catalog, names, metrics)
    if entity is not None:
        # 'consignees': the entity named is the role; its own paths only
        candidates = [d for d in candidates if d.entity == entity]
    if not candidates:
        return PathChoice(None)
    candidates = _best(catalog, candidates, words, described=False)
    columns = {attribute(d) for d in candidates}
    if len(columns) > 1:
        return PathChoice(None, tuple(_shortest_per_column(candidates)))
    depth = min(len(d.path) for d in candidates)
    nearest = [d for d in candidates if len(d.path) == depth]
    if len(nearest) > 1:
        # two roles at the same distance (origin or destination depot): a description may tell
        nearest = _best(catalog, nearest, words, described=True)
    if len(nearest) == 1:
        return PathChoice(nearest[0].name)
    return PathChoice(None, tuple(nearest))


def _best(
    catalog: Catalog, candidates: list[DimensionInfo], words: set[str], *, described: bool
) -> list[DimensionInfo]:
    if len(candidates) < 2:
        return candidates
    scores = {d.name: role_score(catalog, d, candidates, words, described=described) for d in candidates}
    best = max(scores.values())
    return [d for d in candidates if scores[d.name] == best] if best > 0 else candidates


def _shortest_per_column(dims: Sequence[DimensionInfo]) -> list[DimensionInfo]:
    out: dict[tuple[str | None, str], DimensionInfo] = {}
    for d in sorted(dims, key=lambda d: (len(d.path), d.name)):
        out.setdefault(attribute(d), d)
    return list(out.values())


def option_label(dim: DimensionInfo, options: Sequence[DimensionInfo]) -> str:
    """'Region (destination depot)' where two options share a label, else the label."""
    same = [o for o in options if o.label.lower() == dim.label.lower()]
    if len(same) > 1 and dim.entity:
        return f"{dim.label} ({dim.entity.replace('_', ' ')})"
    return dim.label


def names_role(verb: str, entity: str, *, agent: bool) -> bool:
    """Whether `verb` (as written: 'shipped', 'carried', 'consigned') is the action of the role
    `entity` names: its doer ('shipped by' → shipper, 'carried by' → carrier) when `agent`, else its
    receiver ('consigned to' → consignee). Derived from the entity's own name, for any project."""
    if len(verb) < 3 or not entity.isalpha():
        return False
    bases = {verb}
    for ending in ("ed", "ing", "es", "s", "d"):
        if verb.endswith(ending) and len(verb) - len(ending) >= 3:
            bases.add(verb[: -len(ending)])
    for base in list(bases):
        bases |= {base + base[-1], base[:-1] + "i" if base.endswith("y") else base}
    endings = ("er", "or", "r") if agent else ("ee",)
    return any(entity == base + ending for base in bases for ending in endings)


def role_before(tokens: Sequence[str], start: int, entities: Iterable[str]) -> str | None:
    """The role the words right before a value name: 'shipped by X' (the doer), 'consigned to X'
    (the receiver); None when they name none or several."""
    if start < 2:
        return None
    particle, verb = tokens[start - 1].lower(), tokens[start - 2].lower()
    if particle not in ("by", "to"):
        return None
    found = {e for e in entities if names_role(verb, e, agent=particle == "by")}
    return next(iter(found)) if len(found) == 1 else None


def role_after(tokens: Sequence[str], end: int, entities: Iterable[str]) -> str | None:
    """The role a verb right after a value names as its doer ('which subcontractor carried …' →
    carrier); None when it names none or several."""
    if end >= len(tokens):
        return None
    verb = tokens[end].lower()
    found = {e for e in entities if names_role(verb, e, agent=True)}
    return next(iter(found)) if len(found) == 1 else None
