"""The lexicon: every phrase a retailer may use for a metric, a dimension or a dimension value.

Built from the catalog (names, labels, synonyms — shared by all tenants of a dbt project) and the
tenant's own dimension values (store names, cities, categories … — never shared). Phrases are
stored as folded, singularised token tuples so that 'Stores', 'store' and 'Filialen' style
variants meet; exonyms ('Munich' → 'München') are registered beside the real value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from assistant.core.planning.offline.text import fold, fold_plain, phrase_key, singular
from semantic_layer.catalog import Catalog, DimensionInfo

EntryKind = Literal["metric", "dimension", "value"]

# English names of DACH cities retailers and their staff use interchangeably with the local ones.
EXONYMS: dict[str, tuple[str, ...]] = {
    "münchen": ("munich",),
    "köln": ("cologne",),
    "nürnberg": ("nuremberg", "nurnberg"),
    "hannover": ("hanover",),
    "wien": ("vienna",),
    "zürich": ("zurich",),
    "braunschweig": ("brunswick",),
    "genf": ("geneva",),
    "luzern": ("lucerne",),
}

# Values that are also everyday words: linked only next to their dimension's name
# ("segment lost", "new segment"), never on their own ("which categories lost margin").
COMMON_WORDS = frozenset(
    (
        "new", "lost", "other", "none", "unknown", "all", "total", "store", "stores", "shop", "best",
        "top", "low", "high", "sale", "sales", "return", "returns", "active", "loyal", "at", "risk",
        "need", "attention", "promising", "regular", "s", "m", "l", "xl", "one", "size",
    )
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    target: str  # metric name | dimension name
    value: str | None = None  # for kind == 'value': the value exactly as stored
    source: str = "name"  # name | label | synonym | value | exonym | retrieval
    weak: bool = False

    @property
    def is_flag(self) -> bool:
        """A yes/no dimension ('is_online', 'is_return'): named, it means a filter, not a breakdown."""
        leaf = self.target.split("__")[-1]
        return self.kind == "dimension" and leaf.startswith(("is_", "has_"))

    @property
    def priority(self) -> float:
        # a concrete value ('online' of channel) is more specific than a yes/no flag's label
        return 0.5 if self.is_flag else {"metric": 3, "dimension": 2, "value": 1}[self.kind]


def key_of(text: str) -> tuple[str, ...]:
    return tuple(singular(t) for t in phrase_key(text))


@dataclass(frozen=True)
class Members:
    """The items of one entity with their place in its hierarchy: `dimensions[0]` is the item's
    name dimension, the others its dimensions of the same role; `primary` indexes the role's
    primary dimension (the top level people break items down by first)."""

    dimensions: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    primary: int


@dataclass
class Lexicon:
    entries: dict[tuple[str, ...], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    vocabulary: set[str] = field(default_factory=set)
    value_counts: dict[str, int] = field(default_factory=dict)  # distinct values per dimension
    max_len: int = 1
    members: dict[str, Members] = field(default_factory=dict)  # name dimension → its items' hierarchy

    def add(self, phrase: str, entry: Entry) -> None:
        key = key_of(phrase)
        if not key:
            return
        bucket = self.entries[key]
        if entry not in bucket:
            bucket.append(entry)
        self.vocabulary.update(key)
        self.max_len = max(self.max_len, len(key))

    def lookup(self, key: tuple[str, ...]) -> list[Entry]:
        return self.entries.get(key, [])

    def copy(self) -> Lexicon:
        """An independent copy to extend for one question (the cached tenant lexicon stays as is)."""
        entries: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        for key, bucket in self.entries.items():
            entries[key] = list(bucket)
        return Lexicon(
            entries, set(self.vocabulary), dict(self.value_counts), self.max_len, dict(self.members)
        )


def _dimension_phrases(dim: DimensionInfo) -> Iterable[tuple[str, str]]:
    leaf = dim.name.split("__")[-1]
    if leaf.startswith(("is_", "has_")):
        # a flag: "is online" would out-match the value 'online' of a real dimension (channel)
        leaf = leaf.split("_", 1)[1]
    yield leaf.replace("_", " "), "name"
    if "__" in dim.name:
        entity = dim.name.split("__")[0]
        # 'store__store_name' → 'store name' is the leaf; 'store__city' → also 'store city'
        if not leaf.startswith(entity):
            yield f"{entity} {leaf.replace('_', ' ')}", "name"
    yield dim.label, "label"
    for s in dim.synonyms:
        yield s, "synonym"


def build_lexicon(
    catalog: Catalog,
    values: Mapping[str, Sequence[str]] | None = None,
    members: Mapping[str, Members] | None = None,
) -> Lexicon:
    lex = Lexicon(members=dict(members or {}))
    for metric in catalog.metrics:
        lex.add(metric.name.replace("_", " "), Entry("metric", metric.name, source="name"))
        lex.add(metric.label, Entry("metric", metric.name, source="label"))
        for s in metric.synonyms:
            lex.add(s, Entry("metric", metric.name, source="synonym"))
    for dim in catalog.dimensions:
        if dim.type == "time":
            continue
        for phrase, source in _dimension_phrases(dim):
            lex.add(phrase, Entry("dimension", dim.name, source=source))
    for entity in catalog.entities:
        # An entity named on its own ('by store') means its most descriptive name dimension.
        name_dim = entity_name_dimension(catalog, entity.name)
        if name_dim is not None:
            lex.add(entity.name.replace("_", " "), Entry("dimension", name_dim, source="entity"))
    taken = {key for key, entries in lex.entries.items() if any(not e.is_flag for e in entries)}
    for dim_name, dim_values in (values or {}).items():
        lex.value_counts[dim_name] = len(dim_values)
        for value in dim_values:
            if not isinstance(value, str) or value.lower() in ("true", "false") or not value.strip():
                continue
            weak = fold(value) in COMMON_WORDS or key_of(value) in taken
            lex.add(value, Entry("value", dim_name, value, "value", weak))
            if fold_plain(value) != fold(value):
                lex.add(fold_plain(value), Entry("value", dim_name, value, "value", weak))
            for exonym in EXONYMS.get(value.casefold(), ()):
                lex.add(exonym, Entry("value", dim_name, value, "exonym", weak))
    return lex


def entity_name_dimension(catalog: Catalog, entity: str) -> str | None:
    """'store' → 'store__store_name' (or '…__name'), the dimension a person means by 'by store'."""
    candidates = [d for d in catalog.dimensions if d.entity == entity and d.type == "categorical"]
    for suffix in (f"{entity}_name", "name", "label", "title"):
        for d in candidates:
            if d.name.endswith("__" + suffix):
                return d.name
    return None


def hierarchy_dimensions(catalog: Catalog) -> list[tuple[str, tuple[str, ...]]]:
    """Per entity with a name dimension and a primary dimension: (the name dimension, the primary
    dimension and the others of its role on that entity) — the columns `Members` rows hold."""
    out = []
    for entity in catalog.entities:
        name = entity_name_dimension(catalog, entity.name)
        if name is None:
            continue
        dims = [
            d
            for d in catalog.dimensions
            if d.entity == entity.name and d.type == "categorical" and d.role and d.name != name
        ]
        primary = [d for d in dims if d.primary]
        if not primary:
            continue
        role = primary[0].role
        others = [
            d.name
            for d in dims
            if d.role == role and not d.primary and not d.name.endswith(("__is_", "__has_"))
        ]
        out.append((name, (primary[0].name, *others)))
    return out
