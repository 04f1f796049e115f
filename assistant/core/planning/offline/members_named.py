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
