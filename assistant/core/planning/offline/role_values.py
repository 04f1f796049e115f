"""A party named by the part it played, where the figure's own facts record that part as a value.

'claims filed by consignees', 'how many claims did consignees file', 'claims raised by the shipper':
the word names an entity of the catalog (the consignee of a shipment, with a name to break down by)
and also a value of another dimension the figure reaches (who filed the claim: CONSIGNEE). Read as
the entity it was a breakdown by every consignee's name ('filed by consignees': every claim, each
under its shipment's consignee, whoever filed it) or, named in passing, nothing at all (all claims:
44 where the consignees filed 9). The value is what was asked: the entity's word is said of the
facts' own record of that part.

Only where the entity is named alone (no value of its own qualifies it: 'consignees in France' says
whose country) and not asked as a breakdown ('claims by consignee'), unless the 'by' follows a
participle that makes the entity the doer ('filed by', 'made by', 'booked by').
A doer with no such value stays a breakdown (read as none, a frozen half lost an answer).
One value of one dimension reached by every figure asked, of an entity other than the one named,
or nothing is re-read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.planning.offline.lexicon import Lexicon, key_of
from assistant.core.planning.offline.linking import Mention
from semantic_layer.catalog import Catalog, MetricInfo

# participles that make the party after 'by' the one who did it, not a breakdown
_DOERS = frozenset(
    """made filed raised lodged submitted sent booked placed shipped paid done given taken received
    created issued reported claimed ordered""".split()  # noqa: SIM905
)
_ARTICLE = r"(?:(?:the|our|their)\s+)?"


def done_by(question: str, mention: Mention) -> bool:
    """'filed by consignees', 'made by the bookers': the mention is the doer of a participle."""
    for m in re.finditer(rf"\b([^\W\d_]+)\s+by\s+{_ARTICLE}{re.escape(mention.text)}\b", question, re.I):
        word = m.group(1).casefold()
        if word in _DOERS or (len(word) > 4 and word.endswith("ed")):
            return True
    return False


def through(question: str, mention: Mention) -> bool:
    """'Anreisen über Reisebüros', 'bookings via travel agencies': the mention names the way the facts
    came (those with one), not a breakdown the question asks for."""
    return bool(
        re.search(
            rf"\b(?:via|through|ueber|über|durch)\s+(?:(?:the|die|den|der|unsere)\s+)?{re.escape(mention.text)}\b",
            question,
            re.I,
        )
    )


def _entity(catalog: Catalog, name: str) -> str | None:
    dim = catalog.dimension(name)
    return dim.entity if dim is not None else None


def role_value(
    catalog: Catalog, lexicon: Lexicon, mention: Mention, infos: Sequence[MetricInfo]
) -> Mention | None:
    """The value the entity's word also names, in a dimension every figure reaches and that belongs
    to another entity ('consignees' → Claimant CONSIGNEE for Claims filed), or None."""
    if mention.entry.kind != "dimension" or mention.entry.source not in ("entity", "label") or not infos:
        return None
    own = _entity(catalog, mention.entry.target)
    found = [
        e
        for e in lexicon.lookup(key_of(mention.text))
        if e.kind == "value"
        and all(e.target in info.dimensions for info in infos)
        and _entity(catalog, e.target) != own
    ]
    if len({(e.target, e.value) for e in found}) != 1:
        return None
    return Mention(entry=found[0], start=mention.start, end=mention.end, text=mention.text)
