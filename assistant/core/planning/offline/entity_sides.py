"""Two kinds of party set against each other ('claims filed by consignees vs shippers', 'Reklamationen
von Empfängern gegenüber Versendern'): not each consignee and each shipper, and no entity named in
passing either — the question asks which side each row was on. A dimension whose values are those
very sides (a claimant role holding SHIPPER and CONSIGNEE) is that breakdown; with none, the
question is asked back. Dropped, both words were silently ignored and the total came back as if
it were the answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.planning.offline.lexicon import Lexicon
from assistant.core.planning.offline.linking import Mention
from assistant.core.planning.offline.text import fold, singular
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog

_AGAINST = (
    r"\s+(?:vs\.?|versus|gegen(?:über)?|or|oder|compared\s+(?:to|with)|im\s+vergleich\s+zu|"
    r"and\s+how\s+many\s+by|und\s+wie\s+viele\s+von)\s+(?:by\s+|von\s+)?(?:the\s+|our\s+|die\s+|den\s+|unseren\s+)?"
)


def _entity(mention: Mention) -> str:
    parts = mention.entry.target.split("__")
    return parts[-2] if len(parts) >= 2 else parts[0]


def _set_against(question: str, a: Mention, b: Mention) -> bool:
    return bool(re.search(re.escape(a.text) + _AGAINST + re.escape(b.text), question, re.I))


def sides_set_against(question: str, dims: Sequence[Mention]) -> list[Mention]:
    """The entity words of `dims` set against another entity word of a different entity."""
    named = [d for d in dims if d.entry.source == "entity"]
    sides: list[Mention] = []
    for a in named:
        for b in named:
            if _entity(a) != _entity(b) and _set_against(question, a, b):
                sides += [m for m in (a, b) if m not in sides]
    return sides


def _side_values(lexicon: Lexicon, side: Mention) -> set[str]:
    """The dimensions holding a value that is this side's name ('SHIPPER' for shippers)."""
    words = {fold(side.text), singular(fold(side.text)), _entity(side).replace("_", " ")}
    return {
        e.target
        for w in words
        for e in lexicon.lookup(tuple(w.split()))
        if e.kind == "value" and fold(e.value or "") in {singular(x) for x in words} | words
    }


def dimension_of_sides(
    sides: Sequence[Mention], lexicon: Lexicon, catalog: Catalog
) -> str | ClarificationPlan:
    """The one dimension whose values name every side, or the question asked back."""
    common: set[str] | None = None
    for side in sides:
        found = _side_values(lexicon, side)
        common = found if common is None else common & found
    if common and len(common) == 1:
        return next(iter(common))
    said = " vs ".join(s.text for s in sides)
    each = [f"each {_entity(s).replace('_', ' ')}" for s in sides]
    return ClarificationPlan(
        question=f"What do you mean by '{said}'? I have no field that tells them apart here; "
        f"I can show the figure by {' or by '.join(each)}.",
        options=tuple(each),
    )
