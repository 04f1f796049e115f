"""Values beyond the lexicon's cap: a name the question holds, looked up among all of a large
dimension's values (customer and carrier companies, products, articles).

The lexicon holds at most a few hundred values per dimension; a dimension with more (1,500 party
names, thousands of articles) is left out of it, so 'shipments for Nordlicht Handel GmbH' would be
an unknown name. When the lexicon leaves a content word of the question unread, the planner asks
for the tenant's full value index (`ValueIndex`, built per tenant and data version through the
semantic layer's tenant-scoped, guarded dimension-values query) and links a phrase that names a
value exactly — up to case, accents, spacing and punctuation — as a filter. Nothing fuzzier: a
near miss among ten thousand names is a guess; and a name of one plain word is not looked up
(an unread 'Wert' or 'classic' is more often a word than an article's name); a company is
also found without its legal form ('Eifel Direct' for 'Eifel Direct GmbH'). Like retrieval, only
gaps are filled: a phrase the lexicon reads keeps its reading, and the phrase must cover a word
the lexicon left unread. A phrase naming two values of one dimension (written alike) is asked about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.core.planning.offline.lexicon import COMMON_WORDS, Entry, Lexicon, key_of
from assistant.core.planning.offline.linking import STOPWORDS, Linked
from assistant.core.planning.offline.text import fold, fold_plain, singular
from assistant.core.planning.plans import ClarificationPlan

MAX_PHRASE_WORDS = 8  # a longer value is not looked up (no name is written that way)
# The legal forms of companies (as folded words without dots): people name 'Eifel Direct', the
# data holds 'Eifel Direct GmbH'. A name is also found without the legal form that ends it.
_LEGAL_FORM_WORDS = frozenset(
    [
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "co",
        "and",
        "bv",
        "nv",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sro",
        "sp",
        "z",
        "oo",
        "ltd",
        "llc",
        "inc",
        "plc",
        "oy",
        "ab",
        "as",
        "kft",
        "se",
    ]
)


@dataclass(frozen=True)
class ValueIndex:
    """Folded phrase → the (dimension, value) pairs it names, over the dimensions the lexicon's cap
    left out. One tenant's values only (built from its own dimension-values query)."""

    names: Mapping[tuple[str, ...], tuple[tuple[str, str], ...]] = field(default_factory=dict)
    max_len: int = 0
    # One column reached through several entity roles (a party table as shipper, consignee and
    # carrier): role dimension → the values its facts hold (`shipper__party_name` → the names of
    # the parties that shipped). A role missing here is unknown, never 'holds none'.
    held: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.names)


def build_value_index(
    values: Mapping[str, Sequence[str]], held: Mapping[str, Iterable[str]] | None = None
) -> ValueIndex:
    """The index of every value of `values` (dimension → its values) by its folded words, with the
    values each role's facts `held` (see `ValueIndex.held`)."""
    names: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for dimension, dim_values in values.items():
        for value in dim_values:
            if not isinstance(value, str) or not value.strip() or value.lower() in ("true", "false"):
                continue
            for spelling in {value, fold_plain(value)}:
                full = _plain(key_of(spelling))
                for key in (full, _without_legal_form(full)):
                    if not key or len(key) > MAX_PHRASE_WORDS or _only_function_words(key):
                        continue
                    if (dimension, value) not in names[key]:
                        names[key].append((dimension, value))
    return ValueIndex(
        {k: tuple(v) for k, v in names.items()},
        max((len(k) for k in names), default=0),
        {dimension: frozenset(vs) for dimension, vs in (held or {}).items()},
    )


def _plain(words: Iterable[str]) -> tuple[str, ...]:
    """Words without the dots and apostrophes inside them ('B.V.' and 'BV', "O'Neill" and 'ONeill' meet)."""
    return tuple(w.replace(".", "").replace("'", "") for w in words)


def _without_legal_form(key: tuple[str, ...]) -> tuple[str, ...]:
    """The name without the legal form that ends it ('eifel direct gmbh' → 'eifel direct'); empty
    when it ends in none or is nothing but one."""
    end = len(key)
    while end > 0 and key[end - 1] in _LEGAL_FORM_WORDS:
        end -= 1
    return key[:end] if 0 < end < len(key) else ()


def _only_function_words(key: Iterable[str]) -> bool:
    return all(w in STOPWORDS or w in COMMON_WORDS or w.isdigit() for w in key)


def unread_positions(linked: Linked) -> set[int]:
    """Token positions holding a content word the lexicon did not read as written (outside every
    mention, or read only by a spelling correction)."""
    used = {i for m in linked.mentions for i in range(m.start, m.end)}
    corrected = {fold(original) for original, fixed in linked.corrected.items() if fold(original) != fixed}
    out = set()
    for i, token in enumerate(linked.tokens):
        word = singular(token.text)
        if token.text.isdigit() or word in STOPWORDS or word in COMMON_WORDS or token.text in STOPWORDS:
            continue
        if i not in used or fold(token.original) in corrected or token.text in corrected:
            out.add(i)
    return out


def with_values_beyond_cap(
    lexicon: Lexicon, index: ValueIndex, linked: Linked
) -> Lexicon | ClarificationPlan:
    """The lexicon plus the values the question names among `index` (the input when none is named);
    a phrase naming several values of one dimension is asked about instead."""
    unread = unread_positions(linked)
    if not index or not unread:
        return lexicon
    words = list(_plain(singular(t.text) for t in linked.tokens))
    lexicon_words = [
        "per" if w in ("pro", "je") else singular(t.text) for t in linked.tokens for w in (t.text,)
    ]
    taken: set[int] = set()
    additions: list[tuple[str, list[tuple[str, str]]]] = []
    for n in range(min(index.max_len, len(words)), 0, -1):  # the longest name first
        for i in range(len(words) - n + 1):
            span = set(range(i, i + n))
            if span & taken or not span & unread:
                continue
            key = tuple(words[i : i + n])
            found = index.names.get(key)
            if not found or lexicon.lookup(tuple(lexicon_words[i : i + n])) or _only_function_words(key):
                continue
            if n == 1 and not any(ch.isdigit() for ch in key[0]):
                continue  # one plain word ('Wert', 'classic') is too often a word, not a name
            taken |= span
            phrase = " ".join(linked.tokens[k].text for k in range(i, i + n))
            additions.append((phrase, list(found)))
    if not additions:
        return lexicon
    for phrase, named in additions:
        by_dimension: dict[str, list[str]] = defaultdict(list)
        for dimension, value in named:
            by_dimension[dimension].append(value)
        for values in by_dimension.values():
            if len(values) > 1:
                options = tuple(sorted(values))
                return ClarificationPlan(
                    question=f"Which do you mean by '{phrase}': {' or '.join(options)}?", options=options
                )
    extended = lexicon.copy()
    for phrase, named in additions:
        for dimension, value in named:
            extended.add(phrase, Entry("value", dimension, value, source="value"))
    return extended
