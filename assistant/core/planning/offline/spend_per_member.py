"""'What did an average loyalty customer spend with us?', 'what does a typical member spend', 'average
spend per customer', 'Wie viel gibt ein Kunde im Schnitt bei uns aus?', 'Umsatz pro Kunde': what one
member of a counted group spends on average — the money figure divided by the count of those members
measured on the same facts (the customers who bought, not the ones who signed up), held to the facts
that have a member (`assembly._entity_counted_below`: a walk-in's spend is nobody's).

Read only when the words name a group some figure counts (`entity_counts.names_entity`) and exactly
one count of it is measured where the money is; anything else is left to the other readings (which
ask 'per customer' rather than answer the total)."""

from __future__ import annotations

import re

from assistant.core.planning.offline.entity_counts import names_entity
from assistant.core.planning.offline.inputs import PlannerInput
from semantic_layer.catalog import Catalog, MetricInfo

_I = re.IGNORECASE
_WHO = r"(?P<who>(?:[\w-]+\s+){0,2}?[\w-]+?)"
_SPENDS = r"(?:spend|spends|spent|spending|pay|pays|paid)"
_AVERAGE = r"(?:average|typical|avg\.?|usual|mean)"
_DURCHSCHNITT = r"(?:im\s+(?:schnitt|durchschnitt|average)|durchschnittlich|average)"
_ASKS = (
    # 'an average loyalty customer spend', 'a typical member spent', 'the average shopper pays'
    re.compile(rf"\b(?:an?|the|our|one)\s+{_AVERAGE}\s+{_WHO}\s+{_SPENDS}\b", _I),
    # 'average spend per customer', 'spend per member', 'average spending by each shopper'
    re.compile(
        rf"\b{_AVERAGE}\s+(?:{_SPENDS}|revenue|sales)\s+(?:per|a|an|by\s+each|of\s+an?)\s+{_WHO}\b", _I
    ),
    # 'spend per member', 'revenue per customer', 'Umsatz pro Kunde' (read as 'revenue pro customer')
    re.compile(rf"\b(?:{_SPENDS}|revenue|sales|turnover|umsatz)\s+(?:per|pro|je)\s+{_WHO}\b", _I),
    # 'Wie viel gibt ein Kunde im Schnitt bei uns aus?', 'Was hat ein Stammkunde durchschnittlich ausgegeben?'
    # 'Wie viel hat ein durchschnittlicher Kunde letztes Jahr bei uns ausgegeben?'
    re.compile(
        rf"\b(?:wie\s*viel|was)\s+(?:gibt|gab|geben|gaben|hat|haben)\s+(?:ein|eine|einer|der|die|unser|unsere)\s+"
        rf"(?:durchschnittliche[rn]?|typische[rn]?|average|typical)\s+{_WHO}\s+(?:[\w-]+\s+){{0,4}}?(?:aus|ausgegeben|spent|spend)\b",
        _I,
    ),
    re.compile(
        rf"\b(?:wie\s*viel|was)\s+(?:gibt|gab|geben|gaben|hat|haben)\s+(?:ein|eine|einer|der|die|unser|unsere)\s+"
        rf"{_WHO}\s+(?:[\w-]+\s+){{0,3}}?{_DURCHSCHNITT}\s+(?:[\w-]+\s+){{0,3}}?(?:aus|ausgegeben|spent|spend)\b",
        _I,
    ),
    # 'durchschnittliche Ausgaben pro Kunde', 'Ausgaben je Mitglied'
    re.compile(rf"\b(?:durchschnittliche[nr]?\s+|average\s+)?(?:ausgaben|spend)\s+(?:pro|je)\s+{_WHO}\b", _I),
)

# after the group: 'per visit', 'on each trip', 'pro Einkauf' divide by something else than the members
_PER_OTHER = re.compile(
    r"\s+(?:per|pro|je|a|an|each|on\s+(?:a|an|each|every)|in\s+(?:a|an|each|every)|bei\s+jede[mn]?)\s+\w", _I
)


def _member_entity(catalog: Catalog, who: str) -> str | None:
    """The counted entity the group's words name: its head noun (the last word) does, the words
    before may too ('loyalty customer') but name no other."""
    words = who.split()
    entity = names_entity(catalog, words[-1])
    if entity is None:
        return None
    for w in words[:-1]:
        other = names_entity(catalog, w)
        if other is not None and other != entity:
            return None
    return entity


def _money(catalog: Catalog, named: list[str]) -> MetricInfo | None:
    """The one money figure named, else the project's declared headline figure when it is money."""
    money = [m for m in (catalog.metric(n) for n in named) if m is not None and m.role == "money"]
    if len(money) == 1:
        return money[0]
    if money:
        return None
    default = catalog.declared_default
    return default if default is not None and default.role == "money" else None


def spend_per_member(inp: PlannerInput, named: list[str]) -> tuple[tuple[str, str], tuple[int, int]] | None:
    """(money figure, count of the members) and the span of the words read, or None."""
    catalog = inp.catalog
    for pattern in _ASKS:
        found = pattern.search(inp.question)
        if found is None:
            continue
        if _PER_OTHER.match(inp.question, found.end()):
            return None  # 'spend per visit', 'pro Einkauf': an average of another thing
        entity = _member_entity(catalog, found["who"])
        money = _money(catalog, named) if entity is not None else None
        if money is None or entity not in money.entities:
            return None
        counts = [
            m for m in catalog.metrics
            if m.counts == entity and m.role == "count" and set(m.models) & set(money.models)
        ]  # fmt: skip
        if len(counts) != 1:
            return None
        return (money.name, counts[0].name), found.span()
    return None
