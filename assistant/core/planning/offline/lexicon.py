"""The lexicon: every phrase a retailer may use for a metric, a dimension or a dimension value.

Built from the catalog (names, labels, synonyms — shared by all tenants of a dbt project) and the
tenant's own dimension values (store names, cities, categories … — never shared). Phrases are
stored as folded, singularised token tuples so that 'Stores', 'store' and 'Filialen' style
variants meet; exonyms ('Munich' → 'München') are registered beside the real value.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from assistant.core.planning.offline.countries import country_aliases, is_country_dimension
from assistant.core.planning.offline.text import fold, fold_plain, lemma, phrase_key, singular
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
        "need", "attention", "promising", "regular", "s", "m", "l", "xl", "one", "size", "look",
    )
)  # fmt: skip


# Two-letter codes that are also words ('AT' Austria, 'NO' Norway, 'DE'): read only by name.
_SHORT_WORDS = frozenset("at de no it in is be us am an as by do go he me my of on or so to up we".split())  # noqa: SIM905


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    target: str  # metric name | dimension name
    value: str | None = None  # for kind == 'value': the value exactly as stored
    source: str = "name"  # name | label | synonym | value | exonym | retrieval | partial | entity
    weak: bool = False

    @property
    def is_flag(self) -> bool:
        """A yes/no dimension ('is_cod', 'is_complimentary'): named, it means a filter, not a breakdown."""
        leaf = self.target.split("__")[-1]
        return self.kind == "dimension" and leaf.startswith(("is_", "has_"))

    @property
    def priority(self) -> float:
        # a concrete value ('online' of channel) is more specific than a yes/no flag's label
        base = 0.5 if self.is_flag else {"metric": 3, "dimension": 2, "value": 1}[self.kind]
        # a phrase that only partly names a metric ('on-time rate' of 'on-time delivery rate') is
        # read after every phrase that names something in full
        return base - 2.75 if self.source == "partial" else base


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
    _neighbours: tuple[dict[str, set[str]], dict[str, set[str]]] | None = field(default=None, repr=False)

    def add(self, phrase: str, entry: Entry) -> None:
        # the linker reads 'pro' and 'je' as 'per' ('Umsatz pro qm'): so are the phrases stored
        key = tuple("per" if w in ("pro", "je") else w for w in key_of(phrase))
        if not key:
            return
        self._neighbours = None
        bucket = self.entries[key]
        if entry not in bucket:
            bucket.append(entry)
        self.vocabulary.update(key)
        self.max_len = max(self.max_len, len(key))

    def lookup(self, key: tuple[str, ...]) -> list[Entry]:
        return self.entries.get(key, [])

    def phrase_neighbours(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """For two-word phrases (a, b): the words that stand before each b, and after each a — the
        few candidates a misspelt word next to b (or after a) may be. Built once per lexicon."""
        if self._neighbours is None:
            before: dict[str, set[str]] = defaultdict(set)
            after: dict[str, set[str]] = defaultdict(set)
            for key in self.entries:
                if len(key) == 2:
                    before[key[1]].add(key[0])
                    after[key[0]].add(key[1])
            self._neighbours = (dict(before), dict(after))
        return self._neighbours

    def copy(self) -> Lexicon:
        """An independent copy to extend for one question (the cached tenant lexicon stays as is)."""
        entries: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        for key, bucket in self.entries.items():
            entries[key] = list(bucket)
        return Lexicon(
            entries, set(self.vocabulary), dict(self.value_counts), self.max_len, dict(self.members)
        )


# Abbreviations of column names ("avg_transit_days", "pct_late"): the words people type instead.
_ABBREVIATIONS = {
    "avg": "average", "pct": "percent", "perc": "percent", "qty": "quantity", "amt": "amount",
    "cnt": "count", "num": "number", "nr": "number", "nbr": "number", "tot": "total",
}  # fmt: skip
# Words that never name a metric on their own (shared with the linker's stop words in spirit).
# Verb particles ('came back', 'sold out', 'ging zurück'): a phrasal verb's, never a value's word alone
# ('back' of a campaign 'Back to Trail').
_PARTICLES = frozenset("back out away off down over along around zurück zurueck weg".split())  # noqa: SIM905
_FUNCTION_WORDS = frozenset("of per by the a an and or to in on for show me number total all".split())  # noqa: SIM905
_PARENTHESISED = re.compile(r"\(([^)]*)\)")


def _label_phrases(label: str) -> list[str]:
    """'On-time delivery (OTD)' → the label, 'On-time delivery' and the acronym 'OTD'; 'Shipped
    weight (kg)' → also 'Shipped weight' (a unit in brackets is not a word people say)."""
    out = [label]
    inner = _PARENTHESISED.findall(label)
    if inner:
        out.append(_PARENTHESISED.sub(" ", label))
        out += [i for i in inner if re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", i.strip()) and i.strip().isupper()]
    return out


def acronym_expansion(label: str, description: str) -> str | None:
    """'ADR' with 'Average daily rate - room revenue per …' → 'Average daily rate'; 'RevPAR' with
    'Room revenue per available room-night' → 'Revenue per available room': the words of the
    description whose initials spell an acronym label (the words people say for it)."""
    acronym = label.strip()
    if not re.fullmatch(r"[A-Za-z&]{2,8}", acronym) or sum(ch.isupper() for ch in acronym) < 2:
        return None
    letters = [ch.lower() for ch in acronym if ch.isupper()]
    words = re.findall(r"[A-Za-z][A-Za-z'&]*", description.replace("-", " "))
    for i in range(len(words) - len(letters) + 1):
        window = words[i : i + len(letters)]
        if [w[0].lower() for w in window] == letters and window[0][0].isalpha():
            return " ".join(window)
    return None


def _name_phrases(name: str) -> list[str]:
    """'avg_transit_days' → 'avg transit days' and 'average transit days'."""
    words = name.split("_")
    expanded = [_ABBREVIATIONS.get(w, w) for w in words]
    return list(dict.fromkeys((" ".join(words), " ".join(expanded))))


# Head nouns that say what kind of figure is meant, not which: 'rate' names no 'return rate' alone
# (the same words as `describe.KIND_WORDS`, which asks which figure they mean)
_KIND_HEADS = frozenset(
    """rate ratio quote quota percentage percent share proportion average mean avg""".split()  # noqa: SIM905
)


def _partial_phrases(phrase: str) -> list[str]:
    """Shorter ways to name a metric: one inner word left out ('on time rate' of 'on time delivery
    rate'), two words swapped ('amount claimed'), or the head noun alone ('revenue' of 'freight
    revenue'). Read only where nothing names a metric in full; one read as two metrics is asked."""
    words = [w for w in key_of(phrase)]
    out: list[str] = []
    if len(words) >= 3:
        out += [" ".join(words[:i] + words[i + 1 :]) for i in range(1, len(words) - 1)]
    if len(words) == 2:
        out.append(f"{words[1]} {words[0]}")
    head = words[-1] if words else ""
    if len(words) == 2 and head.endswith("ed"):
        head = words[0]  # 'pieces shipped', 'claims filed': the noun comes first
    if len(words) == 2 and len(head) > 3 and not head.endswith(("ed", "ing")) and head not in _FUNCTION_WORDS:
        out.append(head)
    return [p for p in out if not all(w in _FUNCTION_WORDS for w in p.split())]


def _dimension_phrases(dim: DimensionInfo) -> Iterable[tuple[str, str]]:
    leaf = dim.name.split("__")[-1]
    if leaf.startswith(("is_", "has_")):
        # a flag: "is online" would out-match the value 'online' of a real dimension (channel)
        leaf = leaf.split("_", 1)[1]
    yield leaf.replace("_", " "), "name"
    if "__" in dim.name:
        entity = dim.name.split("__")[0]
        # 'depot__depot_name' → 'depot name' is the leaf; 'depot__region' → also 'depot region'
        if not leaf.startswith(entity):
            yield f"{entity} {leaf.replace('_', ' ')}", "name"
    for phrase in _label_phrases(dim.label):
        yield phrase, "label"
    for s in dim.synonyms:
        yield s, "synonym"


_DEFINITION = re.compile(r"^\s*(?:an?|the)\s+([a-z]+)\b(?!\s+(?:of|for)\b)", re.IGNORECASE)


def defined_as(description: str) -> str | None:
    """The noun an entity's description defines it as ('A consignment, identified by its number' →
    'consignment'): another word the project uses for the thing counted ('how many consignments')."""
    m = _DEFINITION.match(description)
    return lemma(m.group(1).lower()) if m else None


def build_lexicon(
    catalog: Catalog,
    values: Mapping[str, Sequence[str]] | None = None,
    members: Mapping[str, Members] | None = None,
) -> Lexicon:
    lex = Lexicon(members=dict(members or {}))
    partial: list[tuple[str, str]] = []
    for metric in catalog.metrics:
        phrases = [(p, "name") for p in _name_phrases(metric.name)]
        phrases += [(p, "label") for p in _label_phrases(metric.label)]
        expansion = acronym_expansion(metric.label, metric.description)
        if expansion is not None and "per" not in key_of(expansion):
            # ('revenue per available room' stays a ratio of two names: 'total revenue per available …')
            phrases.append((expansion, "label"))
        for phrase, source in phrases:
            lex.add(phrase, Entry("metric", metric.name, source=source))
            partial += [(p, metric.name) for p in _partial_phrases(phrase)]
        for s in metric.synonyms:
            lex.add(s, Entry("metric", metric.name, source="synonym"))
    for dim in catalog.dimensions:
        if dim.type == "time":
            # 'per mailing (name and send date)': a date of the item's own, named in full, is a
            # breakdown by that day; 'date' or 'day' alone is a grain word the signals read
            if dim.name != "metric_time":
                for phrase in (dim.label, *dim.synonyms):
                    words = key_of(phrase)
                    compound = len(words) == 1 and words[0].endswith("datum") and len(words[0]) > 5
                    if compound or (len(words) >= 2 and any(w in ("date", "datum") for w in words)):
                        lex.add(phrase, Entry("dimension", dim.name, source="label"))
            continue
        for phrase, source in _dimension_phrases(dim):
            lex.add(phrase, Entry("dimension", dim.name, source=source))
    _add_kind_words(lex, catalog)
    _add_described_kinds(lex, catalog)
    for entity in catalog.entities:
        # An entity named on its own ('by store') means its most descriptive name dimension.
        name_dim = entity_name_dimension(catalog, entity.name)
        if name_dim is not None:
            lex.add(entity.name.replace("_", " "), Entry("dimension", name_dim, source="entity"))
    _add_defining_nouns(lex, catalog)
    _add_described_heads(lex, catalog)
    metrics_of_word: dict[str, set[str]] = defaultdict(set)
    for key, entries in lex.entries.items():
        for e in entries:
            if e.kind == "metric":
                for w in key:
                    metrics_of_word[w].add(e.target)
    for phrase, metric_name in partial:
        key = key_of(phrase)
        if len(key) == 1 and metrics_of_word[key[0]] != {metric_name}:
            continue  # 'delivery' is in four metrics' names: a head noun alone names none of them
        if len(key) == 1 and key[0] in _KIND_HEADS:
            continue  # 'the rate' of 'return rate': says what kind of figure, not which (asked)
        if (key and not lex.lookup(key)) or (key and all(e.source == "partial" for e in lex.lookup(key))):
            lex.add(phrase, Entry("metric", metric_name, source="partial"))
    taken = {key for key, entries in lex.entries.items() if any(not e.is_flag for e in entries)}
    catalog_words = set(lex.vocabulary)
    for dim_name, dim_values in (values or {}).items():
        lex.value_counts[dim_name] = len(dim_values)
        for value in dim_values:
            if not isinstance(value, str) or value.lower() in ("true", "false") or not value.strip():
                continue
            weak = fold(value) in COMMON_WORDS or fold(value) in _SHORT_WORDS or key_of(value) in taken
            lex.add(value, Entry("value", dim_name, value, "value", weak))
            if fold_plain(value) != fold(value):
                lex.add(fold_plain(value), Entry("value", dim_name, value, "value", weak))
            for exonym in EXONYMS.get(value.casefold(), ()):
                lex.add(exonym, Entry("value", dim_name, value, "exonym", weak))
        _add_value_synonyms(lex, catalog.dimension(dim_name), dim_values, taken)
        _add_value_glosses(lex, catalog.dimension(dim_name), dim_values, taken)
    for dim_name, dim_values in (values or {}).items():
        info = catalog.dimension(dim_name)
        codes = [v for v in dim_values if isinstance(v, str)]
        if info is not None and is_country_dimension(info.name, info.label, codes):
            for name, code in country_aliases(codes):
                if not any(e.kind in ("metric", "dimension") for e in lex.lookup(key_of(name))):
                    lex.add(name, Entry("value", dim_name, code, "exonym"))
    # items with a hierarchy are read by their words elsewhere (product_words: the level holding
    # all items a word names), never as the one item a word happens to belong to
    hierarchies = {d for m in lex.members.values() for d in m.dimensions}
    parts = {d: v for d, v in (values or {}).items() if d not in hierarchies}
    _add_value_parts(lex, parts, catalog_words)
    return lex


# Words for money taken in, as the last word of a figure's name ('F&B revenue', 'net sales')
MONEY_HEADS = ("revenue", "sales", "turnover", "takings", "income")


# 'service level', 'service type', 'Serviceart': a word for 'kind' after an attribute's one-word label
_KIND_WORDS = ("type", "level", "kind", "class", "art", "typ", "stufe", "klasse")


_DESCRIBED_NOUN = re.compile(r"\bthe\s+([a-z]+)\b(?:\s+([a-z]+))?")


def _add_described_kinds(lex: Lexicon, catalog: Catalog) -> None:
    """'Delivered, or the reason the attempt failed' (Attempt outcome): a noun the opening words of
    one attribute's description give its values ('by reason', 'failure reason', 'nach Grund'), where
    no other description of the catalog says it and the lexicon has no word for it. Yes/no
    descriptions ('True when the driver collects …') describe a condition, not their values."""
    found: dict[str, set[str]] = defaultdict(set)
    texts = [m.description for m in catalog.metrics] + [e.description for e in catalog.entities]
    for dim in catalog.dimensions:
        leaf = dim.name.split("__")[-1]
        if dim.type != "categorical" or leaf.startswith(("is_", "has_")) or not dim.description:
            continue
        opening = " ".join(dim.description.split()[:8])
        for m in _DESCRIBED_NOUN.finditer(opening):
            noun, after = m.group(1), m.group(2) or ""
            if singular(after) in lex.vocabulary and after not in _FUNCTION_WORDS:
                continue  # 'the first attempt': a word said of a noun the catalog names, no noun itself
            if (
                len(noun) > 3
                and noun not in _FUNCTION_WORDS
                and not lex.lookup((noun,))
                and noun not in lex.vocabulary
            ):
                found[noun].add(leaf)
        texts.append(dim.description)
    for noun, leaves in found.items():
        said = sum(len(re.findall(rf"\bthe\s+{noun}\b", t)) for t in texts)
        if len(leaves) != 1 or said != len(
            [d for d in catalog.dimensions if d.name.split("__")[-1] in leaves]
        ):
            continue
        _add_noun_for_leaves(lex, catalog, noun, leaves)


def _add_noun_for_leaves(lex: Lexicon, catalog: Catalog, noun: str, leaves: set[str]) -> None:
    """The noun as a (partial) name of every dimension reading one of these columns, on any path."""
    for dim in catalog.dimensions:
        if dim.name.split("__")[-1] in leaves:
            lex.add(noun, Entry("dimension", dim.name, source="partial"))


_DEFINING_NOUN = re.compile(r"\s*([A-Z][a-z]{3,})\s+([a-z]+ed)\s*[.;:]")


def _add_defining_nouns(lex: Lexicon, catalog: Catalog) -> None:
    """'Product booked. EXPRESS is next-day …' (Service): an attribute whose description opens by
    saying what noun its values are ('<noun> <participle>.') is named by that noun ('by product',
    'je Produkt'), where the lexicon has no word for it and no other attribute is defined so. It
    was 'by product' dropped (every shipment's total) or asked."""
    found: dict[str, set[str]] = defaultdict(set)
    for dim in catalog.dimensions:
        m = _DEFINING_NOUN.match(dim.description or "")
        if dim.type == "categorical" and m and not dim.name.split("__")[-1].startswith(("is_", "has_")):
            found[m.group(1).lower()].add(dim.name.split("__")[-1])
    for noun, leaves in found.items():
        if len(leaves) != 1 or lex.lookup((noun,)) or noun in lex.vocabulary or noun in _FUNCTION_WORDS:
            continue
        _add_noun_for_leaves(lex, catalog, noun, leaves)


_LOWER_WORD = re.compile(r"(?<![\w-])([a-z]{4,})(?![\w-])")


def _add_described_heads(lex: Lexicon, catalog: Catalog) -> None:
    """'customer segment', 'Kundensegment' (Account segment: 'KEY_ACCOUNT and CONTRACT customers have
    negotiated rates'): the last word of an attribute's two-word label, which no other attribute's
    label ends in, after a noun its description says in the plural (its members) and the lexicon has
    no word for, is that attribute. A word the description writes as a value too ('PRIVATE for
    private recipients') is that value's, not the attribute's."""
    heads: dict[str, set[str]] = defaultdict(set)
    for dim in catalog.dimensions:
        label = key_of(dim.label or "")
        if dim.type == "categorical" and len(label) == 2:
            heads[label[1]].add(dim.name.split("__")[-1])
    for dim in catalog.dimensions:
        label = key_of(dim.label or "")
        if dim.type != "categorical" or len(label) != 2 or len(heads[label[1]]) != 1 or not dim.description:
            continue
        if dim.name.split("__")[-1].startswith(("is_", "has_")):
            continue  # a yes/no's description says its condition ('staff stays'), not its members
        said = _LOWER_WORD.findall(dim.description)
        plurals = {singular(w) for w in said if w.endswith("s") and not w.endswith("ss") and singular(w) != w}
        for word in plurals:
            phrase = f"{word} {label[1]}"
            if (
                word in _FUNCTION_WORDS
                or word in said  # said in the singular too: a word of the sentence, not the members
                or re.search(rf"\b{re.escape(word.capitalize())}", dim.description)
                or word in lex.vocabulary
                or lex.lookup((word,))
                or lex.lookup(key_of(phrase))
                or re.search(rf"\b{re.escape(word.upper())}", dim.description)
            ):
                continue
            lex.add(phrase, Entry("dimension", dim.name, source="label"))


def _add_kind_words(lex: Lexicon, catalog: Catalog) -> None:
    """An attribute named with a word for its kind ('by service level', 'nach Serviceart') is that
    attribute, where no other phrase reads so ('depot type' is a dimension of its own). Names of
    items ('hotel type' is no hotel name) are left out."""
    names = {n for e in catalog.entities if (n := entity_name_dimension(catalog, e.name)) is not None}
    added: list[tuple[str, str]] = []
    for dim in catalog.dimensions:
        label = key_of(dim.label)
        if dim.type != "categorical" or dim.name in names or len(label) != 1 or dim.name.endswith("_name"):
            continue
        for kind in _KIND_WORDS:
            for phrase in (f"{label[0]} {kind}", f"{label[0]}{kind}"):
                if not lex.lookup(key_of(phrase)):
                    added.append((phrase, dim.name))
    for phrase, dim_name in added:
        lex.add(phrase, Entry("dimension", dim_name, source="label"))


def _add_value_synonyms(
    lex: Lexicon, dim: DimensionInfo | None, values: Sequence[str], taken: set[tuple[str, ...]]
) -> None:
    """The project's other words for a stored value (`meta.mercurios.value_synonyms`: 'Damenmode'
    and 'women' for Womenswear, 'paid search' for cpc), for the values this tenant holds. A synonym
    that is also an everyday word or a catalog phrase ('stores', 'paid') is weak: read only next to
    its dimension's name, like such a value."""
    if dim is None or not dim.value_synonyms:
        return
    held = {v for v in values if isinstance(v, str)}
    owners: dict[str, set[str]] = defaultdict(set)  # a word of a longer synonym → the values it is in
    for value, words in dim.value_synonyms:
        for word in words:
            for part in key_of(word) if len(key_of(word)) > 1 else ():
                owners[part].add(value)
    for value, words in dim.value_synonyms:
        if value not in held:
            continue
        for word in words:
            key = key_of(word)
            if not key:
                continue
            if key not in taken and tuple(singular(lemma(w)) for w in key) in taken:
                continue  # 'Filialen' (stores) reads as the catalog's 'Filiale', as it did without it
            weak = fold(word) in COMMON_WORDS or fold(word) in _SHORT_WORDS or key in taken
            lex.add(word, Entry("value", dim.name, value, "synonym", weak))
            if fold_plain(word) != fold(word):
                lex.add(fold_plain(word), Entry("value", dim.name, value, "synonym", weak))
    # 'pyjamas' of 'pyjamas and nightwear': a word of one value's longer synonyms, no other value's,
    # names it (read after every full name); a word several values share ('jackets') names none
    for part, found in owners.items():
        owner = next(iter(found)) if len(found) == 1 else None
        if owner is None or owner not in held or len(part) <= 3:
            continue
        if part in _FUNCTION_WORDS or part in COMMON_WORDS or (part,) in taken or lex.lookup((part,)):
            continue
        lex.add(part, Entry("value", dim.name, owner, "partial"))


def _add_value_glosses(
    lex: Lexicon, dim: DimensionInfo | None, values: Sequence[str], taken: set[tuple[str, ...]]
) -> None:
    """'Reserved (future)', 'LOCAL (same depot)', a brand '(upscale)': the words in a bracket
    right after a held value in its dimension's description gloss it, and name it ('future
    reservations', 'same-depot shipments'). Only the bracket's first part ('midscale, no
    restaurant' → 'midscale'), and only words the lexicon reads as nothing else."""
    if dim is None or not dim.description or dim.type != "categorical":
        return
    for value in values:
        if not isinstance(value, str) or not value.strip():
            continue
        pattern = rf"(?<![\w-]){re.escape(value)}\s*\(([^()]*)\)"
        for m in re.finditer(pattern, dim.description, re.IGNORECASE):
            gloss = m.group(1).split(",")[0].split(";")[0].strip()
            key = key_of(gloss)
            if not key or len(key) > 4 or key in taken or lex.lookup(key):
                continue
            if all(w in _FUNCTION_WORDS or len(w) <= 2 for w in key):
                continue
            lex.add(gloss, Entry("value", dim.name, value, "synonym", fold(gloss) in COMMON_WORDS))


def _add_value_parts(lex: Lexicon, values: Mapping[str, Sequence[str]], catalog_words: set[str]) -> None:
    """'Copenhagen Nyhavn' or 'Bergen' for 'Halden House Copenhagen Nyhavn': a run of a value's words
    that belongs to that one value alone (in every dimension holding it) names it. Runs made of
    catalog words, everyday words or short words are left out, and nothing already read is shadowed."""
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    dims_of: dict[str, set[str]] = defaultdict(set)
    for dim_name, dim_values in values.items():
        for value in dim_values:
            if not isinstance(value, str):
                continue
            dims_of[value].add(dim_name)
            key = key_of(value)
            for i in range(len(key)):
                for j in range(i + 1, len(key) + (0 if i == 0 else 1)):
                    owners[key[i:j]].add(value)
    for part, found in owners.items():
        if len(found) != 1 or lex.lookup(part):
            continue
        if any(w in catalog_words or w in COMMON_WORDS or w in _FUNCTION_WORDS or w.isdigit() for w in part):
            continue
        if len(part) == 1 and (len(part[0]) < 4 or part[0] in _PARTICLES):
            continue
        (value,) = found
        for dim_name in sorted(dims_of[value]):
            lex.add(" ".join(part), Entry("value", dim_name, value, "partial"))


def entity_name_dimension(catalog: Catalog, entity: str) -> str | None:
    """'depot' → 'depot__depot_name' (or '…__name'), the dimension a person means by 'by depot'."""
    candidates = [d for d in catalog.dimensions if d.entity == entity and d.type == "categorical"]
    for suffix in (f"{entity}_name", "name", "label", "title"):
        for d in candidates:
            if d.name.endswith("__" + suffix):
                return d.name
    # a shared table's own name column ('party_name' of a shipper, a consignee, a carrier)
    named = [d for d in candidates if d.name.endswith("_name") and d.name.count("__") == 1]
    return named[0].name if len(named) == 1 else None


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
