"""A figure's label 'X per <number> Y' said with other words between its parts: 'How many claims did
we get per 1000 shipments?', 'Wie viele Reklamationen hatten wir pro 1.000 Sendungen?' are 'Claims per
1,000 shipments'. Read whole, the words were the count of shipments and a 'per 1000' no plan held.

Only labels with a number after 'per': the number and the noun after it must be said exactly so, and
the label's head word before them in the question, so no other figure is read into loose words.
"""

from __future__ import annotations

import dataclasses

from assistant.core.planning.offline.catalog_memo import per_catalog
from assistant.core.planning.offline.lexicon import Entry, key_of
from assistant.core.planning.offline.linking import Linked, Mention
from assistant.core.planning.offline.text import english_lemma, lemma
from semantic_layer.catalog import Catalog

_PER = frozenset(("per", "pro", "je"))


@dataclasses.dataclass(frozen=True)
class _Apart:
    metric: str
    head: tuple[str, ...]  # the label's words (`key_of`) before 'per'
    number: str
    tail: tuple[str, ...]  # and after the number


@per_catalog
def _labels_apart(catalog: Catalog) -> tuple[_Apart, ...]:
    found = []
    for m in catalog.metrics:
        key = key_of(m.label)
        at = next((i for i, w in enumerate(key) if w == "per"), None)
        if at is None or at == 0 or at + 2 >= len(key) or not key[at + 1].isdigit():
            continue
        found.append(_Apart(m.name, key[:at], key[at + 1], key[at + 2 :]))
    return tuple(found)


def label_said_apart(linked: Linked, catalog: Catalog) -> Linked:
    """`linked` with one mention of the figure whose 'X per N Y' label the question says apart (see
    the module), in place of the mentions inside its span; unchanged when none is."""
    forms = [{t.text, lemma(t.text), english_lemma(t.text)} for t in linked.tokens]

    def says(at: int, words: tuple[str, ...]) -> bool:
        return (
            at >= 0 and at + len(words) <= len(forms) and all(w in forms[at + i] for i, w in enumerate(words))
        )

    for apart in _labels_apart(catalog):
        if any(m.entry.target == apart.metric for m in linked.mentions):
            continue  # read whole by the lexicon
        n = len(apart.tail)
        for k in range(len(forms) - n - 1):
            if not (linked.tokens[k].text in _PER and says(k + 1, (apart.number, *apart.tail))):
                continue
            h = len(apart.head)
            starts = [j for j in range(k - h, -1, -1) if says(j, apart.head)]
            if not starts:
                continue
            start, end = starts[0], k + 2 + n
            inside = [m for m in linked.mentions if m.start >= 0 and start <= m.start and m.end <= end]
            across = [m for m in linked.mentions if m.start >= 0 and m.start < end and m.end > start]
            if len(inside) != len(across):
                continue  # a phrase reaching out of the span: read otherwise
            words = " ".join(t.original for t in linked.tokens[start:end])
            said = Mention(Entry("metric", apart.metric, source="label"), start, end, words)
            kept = [m for m in linked.mentions if m not in inside]
            return dataclasses.replace(linked, mentions=sorted([*kept, said], key=lambda m: (m.start, m.end)))
    return linked
