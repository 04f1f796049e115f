"""Is this a question for the tenant's documents (policies, store guides, promotion calendars)?

"What is our return policy?", "when does the winter sale start?", "opening hours of the Hamburg
store" are answered from documents, not from the warehouse. The decision needs both a cue in the
wording and the retriever's view of the tenant's documents; it is never taken for a question that
reads as a metric question (a time range, a ranking, a breakdown, a comparison, a share), so the
golden set of data questions keeps its plans. With no index there are no documents to ask, and
the planner behaves exactly as without retrieval.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.core.planning.offline.signals import Signals

if TYPE_CHECKING:  # types only: the retriever module loads numpy and the lemmatizer
    from retrieval.retriever import DocumentContext

# Wording that asks how things are done or when/where something is, not how much was sold.
_DOCUMENT_CUES = re.compile(
    r"\b(?:polic(?:y|ies)|richtlinien?|opening\s+hours?|öffnungszeiten|hours\s+of|open(?:s|ing)?\s+on|"
    r"warrant(?:y|ies)|guarantee|refunds?|exchanges?|umtausch|rückgabe|shipping|delivery\s+(?:time|cost)|"
    r"click\s+and\s+collect|alterations?|gift\s+cards?|dress\s+code|guidelines?|handbook|procedures?|"
    r"terms|conditions|allowed\s+to|can\s+(?:customers|i|we)|do\s+we\s+(?:offer|allow|accept)|"
    r"when\s+(?:does|do|is|are|will)\b.*\b(?:start|begin|end|run|open|close|take\s+place)|"
    r"wann\s+(?:beginnt|startet|endet|öffnet))",
    re.IGNORECASE,
)


def is_document_question(
    question: str, sig: Signals, documents: Callable[[], DocumentContext | None]
) -> bool:
    """`documents` is called (the tenant's chunks searched) only for a question worded like one."""
    if sig.ranking or sig.grain or sig.comparison or sig.share or sig.trend:
        return False
    if not _DOCUMENT_CUES.search(question):
        return False
    found = documents()
    return found is not None and bool(found.chunks)


def documents_answer_instead(documents: DocumentContext | None) -> bool:
    """A question the planner would refuse as off topic, which the tenant's documents do answer
    ("do staff get a discount?"): better a cited answer than a refusal."""
    return documents is not None and documents.answerable
