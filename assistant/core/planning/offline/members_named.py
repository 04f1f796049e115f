"""A kind of member named for the entity it is: 'which subcontractor carried the most', 'top 3
subcontractors by weight' — where an attribute's description says a value is what one entity's
members are ('… SUBCONTRACTOR for carriers'), that value's word in the place of an entity (after
'which', 'top N', 'by', 'per', 'each') is that entity ('carrier'), not the value of the segment every
role holds (which was asked). Typing slips of the word are read too ('subcontracters')."""

from __future__ import annotations

import difflib
import re

from assistant.core.planning.offline.text import lemma
from semantic_layer.catalog import Catalog

_FOR_ENTITY = re.compile(r"\b([A-Z][A-Z_]{3,})\s+for\s+([a-z]+)")
_PLACE = re.compile(
    r"\b(?P<before>which|what|top\s+\d+|by|per|each|every|welche[rs]?|nach|je|pro)\s+(?P<word>[^\W\d_][\w-]*)",
    re.IGNORECASE,
)


def _kinds(catalog: Catalog) -> dict[str, str]:
    """'subcontractor' → 'carrier': values a description gives as what one entity's members are."""
    entities = {e.name for e in catalog.entities}
    found: dict[str, set[str]] = {}
    for dim in catalog.dimensions:
        for m in _FOR_ENTITY.finditer(dim.description or ""):
            entity = lemma(m.group(2).lower())
            if entity in entities:
                found.setdefault(m.group(1).lower().replace("_", " "), set()).add(entity)
    return {word: next(iter(e)) for word, e in found.items() if len(e) == 1}


def members_named(question: str, catalog: Catalog) -> str:
    kinds = _kinds(catalog)
    if not kinds:
        return question

    def swap(m: re.Match[str]) -> str:
        word = m["word"]
        plural = word.lower().endswith("s")
        stem = word.lower()[:-1] if plural else word.lower()
        close = difflib.get_close_matches(stem, list(kinds), n=1, cutoff=0.85)
        if not close:
            return m.group(0)
        entity = kinds[close[0]].replace("_", " ")
        return f"{m['before']} {entity}{'s' if plural else ''}"

    return _PLACE.sub(swap, question)


_RECEIVER_WORD = re.compile(r"\b(?:recipient|receiver|addressee)(?P<plural>s?)\b", re.IGNORECASE)


def _receiver(catalog: Catalog) -> str | None:
    """The one entity whose name is a receiving noun ('consignee': one who is consigned to), where no
    figure or attribute of the catalog is named with a word for receivers ('E-mail recipients')."""
    names = [(m.name, m.label) for m in catalog.metrics] + [(d.name, d.label) for d in catalog.dimensions]
    named = [
        w for name, label in names for w in (name.replace("_", " "), label or "") if _RECEIVER_WORD.search(w)
    ]
    receivers = [e.name for e in catalog.entities if e.name.endswith("ee") and "_" not in e.name]
    return receivers[0] if len(receivers) == 1 and not named else None


def receivers_named(question: str, catalog: Catalog) -> str:
    """'shipments to recipients in Poland', 'the receivers' segment': an everyday word for the one
    who receives is the catalog's one receiving entity ('consignee'), as 'Empfänger' is in German.
    A catalog with a figure or attribute of its own named so, or no such entity or two, keeps it."""
    if not _RECEIVER_WORD.search(question):
        return question
    entity = _receiver(catalog)
    if entity is None:
        return question
    return _RECEIVER_WORD.sub(lambda m: f"{entity}{m['plural']}", question)
