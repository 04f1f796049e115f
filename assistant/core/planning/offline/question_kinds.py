"""Kinds of whole question read before any figure: a vague 'how are we doing', an everyday topic
that is not the business's data, a request to change data. One place for the three, so the
planner's steps do not each keep their own patterns."""

from __future__ import annotations

import re

__all__ = ["OFF_TOPIC", "VAGUE", "WRITE_INTENT"]

VAGUE = re.compile(
    r"\b(?:how (?:are|is|did|were) (?:we|things|business|it) (?:doing|going|performing)|"
    r"how(?:'s| is) business|"
    r"performance|how are we|how are things|how(?:'s| is) it going|what'?s new|anything new|"
    r"wie läuft|wie laufen|wie geht'?s|kpis?|overview|dashboard|summary|status)\b",
    re.IGNORECASE,
)
# Everyday topics that are not the business's data; a question naming a metric still gets answered.
OFF_TOPIC = re.compile(
    r"\b(?:weather|wetter|joke|witz|poem|gedicht|song|recipe|rezept|capital of|president|bitcoin|"
    r"horoscope|translate|übersetze|who are you|your name|football|fußball|lottery)\b",
    re.IGNORECASE,
)
# Requests to change data: this assistant only reads, and says so rather than answering a SELECT.
WRITE_INTENT = re.compile(
    r"^\s*(?:please\s+|can you\s+|could you\s+|bitte\s+)?(?:delete|drop|remove|truncate|insert|erase|wipe|"
    r"overwrite|lösche|entferne|(?:update|alter|modify|reset|change|set|raise|lower|increase|decrease|reduce|cut|mark)"
    r"\s+(?:the|all|our|my|every|each|alle|die|prices?)\b|(?:erh(?:ö|oe)he|senke|setze|(?:ä|ae)ndere|aktualisiere|"
    r"reduziere)\s+(?:die|den|das|alle|unsere|den)\b)",
    re.IGNORECASE,
)
