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


_HOW_LONG = re.compile(r"\bhow\s+long\b|\bwie\s+lange?\b", _I)
# a figure of how long something lasts: 'Average length of stay (nights)', 'Average transit time
# (days)'; not a rate of a time word ('On-time delivery rate')
_DURATION = re.compile(
    r"\b(?:length|duration|dauer)\b|\((?:days|nights|hours|minutes|weeks)\)|\b(?:average|mean|avg)\b.*\btime\b",
    _I,
)
_LABEL_WORD = re.compile(r"[^\W\d_]+")
_GENERIC = frozenset(
    [
        "average",
        "avg",
        "mean",
        "length",
        "duration",
        "time",
        "of",
        "the",
        "per",
        "days",
        "nights",
        "hours",
        "minutes",
        "weeks",
    ]
)


def _said_by(word: str, label_words: set[str]) -> bool:
    """A verb of the question that is a word of the label ('stay', 'stayed', 'übernachtet' → stay)."""
    folded = word.casefold()
    forms = {folded, lemma(folded)}
    english = english_for(folded)
    if english and " " not in english:
        forms |= {english, lemma(english)}
    return bool(forms & label_words)


def said_as_duration(question: str, catalog: Catalog) -> str | None:
    """'How long do guests stay (on average)?', 'Wie lange bleiben Gäste?', 'how long are shipments
    in transit': the one figure of a duration ('Average length of stay (nights)', 'Average transit
    time (days)') whose label holds the question's verb, said in place of 'how long' and the verb;
    None when no figure or several fit."""
    if _AHEAD.search(question):
        return None
    long = _HOW_LONG.search(question)
    if long is None:
        return None
    found: list[tuple[str, tuple[int, int]]] = []
    for metric in catalog.metrics:
        if not _DURATION.search(metric.label):
            continue
        label_words = {w.casefold() for w in _LABEL_WORD.findall(metric.label) if len(w) > 3} - _GENERIC
        verbs = [
            w.span() for w in _WORD.finditer(question[long.end() :]) if _said_by(w.group(0), label_words)
        ]
        if verbs:
            start, end = verbs[0]
            found.append((metric.label, (long.end() + start, long.end() + end)))
    if len(found) != 1:
        return None
    label, (start, end) = found[0]
    between = question[long.end() : start]
    if _SUBJECT.fullmatch(between):  # 'do guests', 'are shipments': the figure's own things
        between = " "
    after = question[end:]
    if not between.strip() and (subject := _SUBJECT_AFTER.match(after)):  # 'Wie lange bleiben unsere Gäste'
        after = after[subject.end() :]
    question = question[: long.start()] + label + between + after
    if re.search(r"\b(?:average|mean)\b", label, _I):  # 'on average' said again
        question = _ON_AVERAGE.sub(" ", question)
    return re.sub(r"\s{2,}", " ", question).strip()


# an auxiliary and the one noun said of it ('do guests', 'did our guests', 'sind Sendungen')
_SUBJECT = re.compile(
    r"\s+(?:do|does|did|are|is|were|was|have|has|had|will|would|sind|ist|waren|war|haben|hat|hatten|bleiben)"
    r"(?:\s+(?:our|the|your|their|unsere|die|unser|unseren))?\s+[^\W\d_]+\s+(?:in\s+)?",
    _I,
)
# the subject right after the verb, in German order ('bleiben unsere Gäste', 'bleiben Gäste')
_SUBJECT_AFTER = re.compile(r"\s+(?:(?:unsere|unser|die|der|our|the)\s+)?[^\W\d_]+(?=[\s,?.!]|$)", _I)
_ON_AVERAGE = re.compile(
    r"\b(?:on\s+average|in\s+average|on\s+avg|im\s+(?:schnitt|durchschnitt|mittel)|durchschnittlich)\b", _I
)
