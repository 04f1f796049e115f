"""A yes/no question that opens a question: 'Is Leipzig pulling its weight? Sales per sqm for
Leipzig vs Dresden last month.' — 'Läuft Hamburg gut? Umsatz für Hamburg und Berlin im September.'

The first sentence says why the second is asked; the second says what to show. When the whole
question cannot be read only because of the opening's words ('pulling', 'weight'), the second is
planned on its own, and it is taken only if the opening adds nothing a plan could hold: it names
no figure, no period, no ranking or comparison, and every value it names the second names too
(and filters by). Otherwise the question back stands.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.core.planning.offline.lexicon import Lexicon
from assistant.core.planning.offline.linking import link
from assistant.core.planning.offline.signals import extract_signals
from assistant.core.planning.plans import MetricPlan

_OPENING = re.compile(
    r"^\s*(?P<lead>(?:is|are|was|were|does|do|did|has|have|ist|sind|war|waren|hat|haben|l(?:ä|ae)uft|"
    r"laufen|lohnt|zieht|tr(?:ä|ae)gt|h(?:ä|ae)lt|kommt|schafft|bringt|macht|geht)\b[^?.!]*\?)\s+(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


def opening(question: str) -> tuple[str, str] | None:
    """(the opening yes/no question, the rest) when `question` begins with one and goes on."""
    m = _OPENING.match(question)
    return (m.group("lead"), m.group("rest")) if m is not None else None


def adds_nothing(lead: str, planned: MetricPlan, lexicon: Lexicon, as_of: date) -> bool:
    """Whether the opening `lead` holds nothing `planned` (the rest's plan) does not: no figure, no
    period, ranking or comparison, and only values the plan filters by."""
    sig = extract_signals(lead, as_of)
    if sig.time or sig.ranking or sig.comparison or sig.share or sig.order or sig.change_rank:
        return False
    linked = link(sig.text, lexicon, original=lead)
    if linked.of_kind("metric") or linked.of_kind("dimension"):
        return False
    filtered = {str(v) for f in planned.query.filters for v in f.values}
    return all(v.entry.value in filtered for v in linked.of_kind("value"))
