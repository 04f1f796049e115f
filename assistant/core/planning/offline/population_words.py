"""'Net sales of new customers', 'AOV of returning customers', 'Umsatz Bestandskunden': a group of
people named by words that are a figure's name elsewhere.

A count of an entity ('New customers') named after another figure and a preposition ('net sales
of new customers', 'Umsatz von Neukunden') narrows that figure to a group of the entity; the plan
can only show both totals side by side, the first read as the group's — a wrong number. A verb form
in '-ing' right before an entity word ('returning customers', 'returning guests') describes the
entity; read as a figure (returned units) it would be answered beside the rest. A German compound
whose head is an entity word and whose first part is read as a figure ('Bestandskunden': stock and
customers) is the same. Each is asked back, never answered with the group dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.planning.offline import intents
from assistant.core.planning.offline.context_words import catalog_context_words
from assistant.core.planning.offline.linking import LEAVING_OUT, Linked, Mention
from assistant.core.planning.offline.text import fold, singular
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog

# words between a figure and the group it is narrowed to ('of our', 'from the', 'von den', 'der')
_LINKS = frozenset(
    "of from for among by with the our all von vom bei unter mit der den des die unserer unseren".split()  # noqa: SIM905
)
_PREPOSITIONS = frozenset(
    ["of", "from", "for", "among", "by", "with", "von", "vom", "bei", "unter", "mit", "der"]
)
_RELATIVE = frozenset(("who", "whose", "that", "which", "welche", "welcher", "deren"))
_ENDINGS = ("", "n", "en", "s", "e", "er")  # 'kunde' in 'Bestandskunden'


def _entity_word(word: str, entity: frozenset[str]) -> bool:
    """A word naming an entity's members ('customers', 'Kunden'), not the unit a quantity is counted
    in ('verkaufte Teile', 'pieces': the units sold themselves)."""
    return (
        len(word) > 3
        and (word in entity or singular(word) in entity)
        and not intents.UNIT_WORDS.fullmatch(word)
    )


def _head_entity(word: str, entity: frozenset[str]) -> str | None:
    """'bestandskunden' → 'kunden': the entity word a German compound ends with, if any."""
    for w in entity:
        if len(w) > 3 and any(len(word) > len(w + end) + 2 and word.endswith(w + end) for end in _ENDINGS):
            return w
    return None


def group_named_as_a_figure(
    linked: Linked, catalog: Catalog, chosen: Sequence[str]
) -> ClarificationPlan | None:
    """A question back when a chosen figure's words name a group of people (see the module)."""
    entity = catalog_context_words(catalog, described=False)
    texts = [fold(t.text) for t in linked.tokens]
    metrics = sorted((m for m in linked.of_kind("metric") if m.entry.target in chosen), key=lambda m: m.start)
    for m in metrics:
        words = texts[m.start : m.end]
        info = catalog.metric(m.entry.target or "")
        if info is None:
            continue
        follows = texts[m.end] if m.end < len(texts) else ""
        before_entity = len(words) == 1 and _entity_word(follows, entity) and not _in_mention(linked, m.end)
        if before_entity and (
            words[0].endswith("ing") or (info.counts is None and not _in_mention(linked, m.end + 1))
        ):
            return _asked(f"{m.text} {linked.tokens[m.end].original}", info.label)
        head = _head_entity(words[-1], entity) if len(words) == 1 else None
        if head is not None and info.counts is None and not _names_it(info.label, info.synonyms, words[-1]):
            return _asked(m.text, info.label)
    for i, word in enumerate(texts):
        # 'net sales excluding the online shop and returns': a figure among what is left out is no
        # second figure to show beside the first
        left_out = [m for m in metrics if word in LEAVING_OUT and i < m.start <= i + 6]
        if left_out and len({m.entry.target for m in metrics}) > 1:
            said = " ".join(t.original for t in linked.tokens[i : left_out[0].end])
            return ClarificationPlan(
                question=f"I can't read '{said}': '{left_out[0].text}' is a figure of its own, not a "
                "part I can leave out, and an answer without it would be wrong. Can you say it differently?",
                options=(),
            )
    for i in range(1, len(texts) - 1):
        # 'net sales from customers who signed up this year': a figure inside a relative clause
        # on an entity narrows the figure before it to the entity's members it describes
        if texts[i] in _RELATIVE and _entity_word(texts[i - 1], entity):
            inside = [m for m in metrics if m.start > i]
            if inside and any(m.end < i for m in metrics):
                return _asked(" ".join(t.original for t in linked.tokens[i - 1 : inside[0].end]), "")
    for a in metrics:
        for b in metrics:
            narrowed = _narrowed_by(a, b, texts, catalog)
            if narrowed is not None:
                return narrowed
    return None


def _in_mention(linked: Linked, at: int) -> bool:
    return any(m.start <= at < m.end for m in linked.mentions)


def _names_it(label: str, synonyms: tuple[str, ...], word: str) -> bool:
    return any(fold(s).replace(" ", "") == word for s in (label, *synonyms))


def _narrowed_by(a: Mention, b: Mention, texts: list[str], catalog: Catalog) -> ClarificationPlan | None:
    if b.start < a.end or b.entry.target == a.entry.target:
        return None
    first, second = catalog.metric(a.entry.target or ""), catalog.metric(b.entry.target or "")
    if first is None or second is None or second.counts is None or first.counts == second.counts:
        return None  # ('no-shows among arrivals': a part of the same things counted, a share)
    gap = texts[a.end : b.start]
    if not gap or not all(w in _LINKS for w in gap) or not any(w in _PREPOSITIONS for w in gap):
        return None
    return ClarificationPlan(
        question=f"'{b.text}' is a count in your data ({second.label}), not a group I can narrow "
        f"{first.label.lower()} to. Do you want {first.label.lower()} of everyone, or the number "
        f"of {second.label.lower()}?",
        options=(first.label, second.label),
    )


def _asked(words: str, label: str) -> ClarificationPlan:
    figure = f" ('{label}' is a figure)" if label else ""
    return ClarificationPlan(
        question=f"I don't know which group '{words}' is in your data: it is no dimension or value "
        f"I can narrow to{figure}, and an answer without it would be wrong. Can you say it differently?",
        options=(),
    )
