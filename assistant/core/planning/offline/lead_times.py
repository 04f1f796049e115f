"""'How far in advance do guests book', 'Wie lange im Voraus wird gebucht': the time from the event
the verb names to a later one — the one figure whose description measures the days between that
event and another ('Days between booking and arrival, …'). The question is said with that figure's
label in place of the phrase and its verb; with no such figure, or two, it is left as it was (and
asked about as before)."""

from __future__ import annotations

import re

from assistant.core.planning.offline.german import english_for
from assistant.core.planning.offline.text import lemma
from semantic_layer.catalog import Catalog

_I = re.IGNORECASE
_AHEAD = re.compile(
    r"\bhow\s+(?:far|long|many\s+(?:days|weeks)|early)\s+(?:in\s+advance|ahead(?:\s+of\s+time)?|beforehand)\b|"
    r"\bwie\s+(?:lange|weit|viele\s+(?:tage|wochen)|fr(?:ü|ue)h)\s+(?:im\s+)?voraus\b|"
    r"\bwie\s+(?:lange|weit|viele\s+(?:tage|wochen))\s+vorher\b",
    _I,
)
_BETWEEN = re.compile(r"\b(?:days|hours|weeks|minutes)\s+between\s+(?:the\s+)?([^\W\d_]+)\s+and\b", _I)
_WORD = re.compile(r"[^\W\d_]+")


def _names(word: str, event: str) -> bool:
    """A verb of the question naming the event ('book', 'booked', 'buchen', 'gebucht' → booking)."""
    folded = word.casefold()
    forms = {folded, lemma(folded)}
    english = english_for(folded)
    if english:
        forms |= {english, lemma(english)}
    # the verb, not the event's noun ('booking', 'Buchungskanal' → booking channel) nor a compound
    return any(len(f) >= 4 and f != event and " " not in f and event.startswith(f) for f in forms)


def said_as_lead_time(question: str, catalog: Catalog) -> str | None:
    """The question with 'how far in advance … book' said as the lead-time figure's label, or None."""
    ahead = _AHEAD.search(question)
    if ahead is None:
        return None
    found: list[tuple[str, list[tuple[int, int]]]] = []
    for metric in catalog.metrics:
        between = _BETWEEN.search(metric.description)
        if between is None:
            continue
        event = between.group(1).casefold()
        verbs = [
            w.span()
            for w in _WORD.finditer(question)
            if not (ahead.start() <= w.start() < ahead.end()) and _names(w.group(0), event)
        ]
        if verbs:
            found.append((metric.label, verbs))
    if len(found) != 1:
        return None
    label, verbs = found[0]
    spans = sorted([(ahead.start(), ahead.end(), label), *((a, b, "") for a, b in verbs)], reverse=True)
    for start, end, text in spans:
        question = question[:start] + text + question[end:]
    return re.sub(r"\s{2,}", " ", question).strip()
