"""A period said of an event the figure is expressly not dated by.

'How many bookings were cancelled last month?', 'Wie viele Reservierungen wurden im September
storniert?', 'cancellations in October': the period is when the cancelling happened. Cancelled
bookings says it is 'dated by the booking date, not the cancellation date', and the catalog has no
date of the cancelling: answered, it was the bookings made last month that were cancelled since
(104, where 145 were cancelled last month) — a different count under the words asked.

The event is read from the figure's own description ('not the <event> date', 'not by <event>
date'); the question names it right next to its period, as a verb or a noun ('cancelled last month',
'im September storniert', 'cancellations in October', 'October cancellations'), not as the word
before the figure's noun ('cancelled bookings last month', the figure by its name, stays answered).
Asked, with the figure as defined offered. 'bookings made in September that were cancelled' puts the
period on the booking: answered.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.core.planning.offline.german import english_for
from assistant.core.planning.offline.paths import lemmas, same_stem
from assistant.core.planning.offline.signals import Signals
from assistant.core.planning.plans import ClarificationPlan, MetricPlan
from semantic_layer.catalog import Catalog

_NOT_DATED = re.compile(r"\bnot\s+(?:by\s+)?(?:the\s+|its\s+)?([a-z]+)\s+date\b", re.IGNORECASE)
_DATED = re.compile(r"\b(?:dated|counted)\s+by\s+(?:the\s+|its\s+)?(?:original\s+)?([a-z]+)\s+date\b", re.I)
_WORD = re.compile(r"[^\W\d_]+")


def _is_event(word: str, event: str) -> bool:
    forms = {word.casefold(), *lemmas(word)}
    english = english_for(word)
    if english:
        forms |= {w for part in english.split() for w in (part, *lemmas(part))}
    return any(same_stem(f, event) for f in forms if len(f) > 4)


def _next_to_period(question: str, sig: Signals, event: str) -> bool:
    """The event's word right before the period ('cancelled last month', 'cancellations in
    October'), or right after it and ending the clause ('im September storniert?', 'October
    cancellations')."""
    if sig.time_span is None:
        return False
    a, b = sig.time_span
    before = list(_WORD.finditer(question, 0, a))
    if before and question[before[-1].end() : a].strip() == "" and _is_event(before[-1].group(0), event):
        return True
    after = _WORD.search(question, b)
    if after is None or question[b : after.start()].strip() != "" or not _is_event(after.group(0), event):
        return False
    rest = question[after.end() :].strip()
    return not rest or not rest[0].isalpha() or rest.split()[0].casefold() in ("and", "und", "or", "oder")


def dated_otherwise(
    question: str, sig: Signals, plan: MetricPlan, catalog: Catalog
) -> ClarificationPlan | None:
    """A question back when the question's period is said of an event one of the plan's figures
    is, by its description, not dated by."""
    if plan.comparison is not None or sig.time_span is None:
        return None
    infos = [i for i in (catalog.metric(n) for n in plan.query.metrics) if i is not None]
    models = {m for i in infos for m in i.models}
    # the figure's own description, or one of a figure over the same facts ('bookings' held to
    # status Cancelled are the Cancelled bookings, 'dated by the booking date, not the cancellation date')
    described = [*infos, *(m for m in catalog.metrics if m not in infos and set(m.models) & models)]
    for info in described:
        found = _NOT_DATED.search(info.description)
        if found is None:
            continue
        event = found.group(1).casefold()
        if not _next_to_period(question, sig, event):
            continue
        own = _DATED.search(info.description)
        by = f"the {own.group(1).lower()} date" if own else "their own date"
        period = plan.period.label if plan.period else "that period"
        asked = info.label
        return ClarificationPlan(
            question=f"{info.label} are dated by {by}, not the {event} date, and I have no {event} date "
            f"to count by. Do you want {asked.lower()} for {period} by {by}?",
            options=(f"{asked}, {period} (by {by})",),
        )
    return None


def not_begun(question: str, plan: MetricPlan, catalog: Catalog, as_of: date) -> ClarificationPlan | None:
    """'how many bookings for stays in December do we have on the books' on 31 October: read on the
    figure's own date (Bookings by booking date), a period that begins after today holds nothing —
    answered '–'. The period was said of another event (the stays); asked, not answered empty."""
    rng = plan.query.time_range
    if rng is None or rng.start is None or rng.start <= as_of or plan.comparison is not None:
        return None
    infos = [i for i in (catalog.metric(n) for n in plan.query.metrics) if i is not None]
    own = sorted({i.time_dimension for i in infos if i.time_dimension})
    dates = [d.label.lower() for d in (catalog.dimension(n) for n in own) if d is not None and d.label]
    by = " or ".join(dates) or "their own date"
    period = plan.period.label if plan.period else "that period"
    figures = ", ".join(i.label for i in infos)
    return ClarificationPlan(
        question=f"{figures} are dated by {by}, and {period} has not begun yet (today is "
        f"{as_of.isoformat()}). Which date do you mean the period on?",
        options=tuple(f"{i.label} by {by}" for i in infos[:1]),
    )
