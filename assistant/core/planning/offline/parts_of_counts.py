"""Counts one noun names alike ('room nights': available, occupied, paid room-nights) and the one
said plainly: the whole another of them is defined as a part of, unless the rows' own attributes are
named. Read by `figures` (a count among counts) and `intents` ('how many nights')."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.planning.offline.linking import Linked
from assistant.core.planning.offline.text import phrase_key
from semantic_layer.catalog import Catalog


def own_values_named(catalog: Catalog, counts: Sequence[str], linked: Linked) -> bool:
    """A value of the counted rows' own attributes is named ('room nights lost to out-of-order
    rooms': the rows of that status, which no figure's part reading answers)."""
    models = {m for c in counts if (i := catalog.metric(c)) is not None for m in i.models}
    return any(
        (d := catalog.dimension(m.entry.target)) is not None and d.model in models
        for m in linked.mentions
        if m.entry.kind == "value" or m.entry.is_flag
    )


def whole_of_a_part(catalog: Catalog, counts: Sequence[str]) -> str | None:
    """'How many room nights have we sold': of the counts the noun names alike (available, occupied,
    paid room-nights) with no other word choosing, the one another of them is defined as a part of
    ('Paid room-nights: Occupied room-nights excluding complimentary stays') and that is itself no
    part of another: the noun said plainly is the whole, not one of its parts nor the capacity beside
    it. Only the full label said in the other's description, word for word; one such figure or None."""
    infos = [i for i in (catalog.metric(c) for c in counts) if i is not None]
    keys = {i.name: phrase_key(i.label) for i in infos}

    def names(text: str, key: tuple[str, ...]) -> bool:
        said = phrase_key(text)
        return bool(key) and any(said[k : k + len(key)] == key for k in range(len(said) - len(key) + 1))

    wholes = [
        i.name
        for i in infos
        if any(names(o.description, keys[i.name]) for o in infos if o is not i)
        and not any(names(i.description, keys[o.name]) for o in infos if o is not i)
    ]
    return wholes[0] if len(wholes) == 1 else None
