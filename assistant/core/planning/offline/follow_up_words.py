"""The words that mark a question as a follow-up on the previous answer, and what kind of follow-up
it is: the start of one ('and by store?', 'what about last year?', 'ok, now only Graz'), an
acknowledgement before it, a narrowing ('only …'), a figure added ('… too'), a why-question, a
pointer back ('that', 'davon') and a per-what division ('and per kg?'). English and German. The
planner (`planner.OfflinePlanner._follow_up`) reads them; kept here so the follow-up vocabulary is
one list, not regular expressions scattered through the planner.
"""

from __future__ import annotations

import re

# 'ok, now only Graz', 'thanks — and by week?': a word of assent before the follow-up's own start
ASSENT = (
    r"(?:(?:ok(?:ay)?|great|thanks|thank you|cool|nice|alright|all right|fine|perfect|good|gut|danke|super|"
    r"prima|alles klar|sehr gut)\s*[,.!:;\u2013\u2014-]*\s+)?"
)
FOLLOW_UP_START = re.compile(
    r"^\s*"
    + ASSENT
    + r"(?:and|what about|how about|what of|now|same|also|but|then|only|just|instead|und|nur|jetzt|"
    r"wie sieht es|show (?:it|that|this|me that)|split|break (?:it|that) down|drill)\b",
    re.IGNORECASE,
)

# 'ok and …', 'okay, what about …', 'gut, und …': an acknowledgement before a follow-up's first word
ACKNOWLEDGED = re.compile(
    r"^\s*(?:ok(?:ay)?|right|alright|great|thanks|fine|gut|danke|alles\s+klar|okay\s+danke)\b[\s,.!;:-]*"
    r"(?=(?:and|what|how|now|same|also|but|then|only|just|und|nur|jetzt|wie)\b)",
    re.IGNORECASE,
)

NARROWING = re.compile(
    r"^\s*" + ASSENT + r"(?:and\s+|und\s+|but\s+)?(?:now\s+|jetzt\s+)?(?:only|just|nur|bloß)\b",
    re.IGNORECASE,
)

# 'with the margin % too', 'und auch die Stückzahl': the figure named joins those asked before
ADDING = re.compile(
    r"\b(?:too|as well|also|additionally|in addition|auch|dazu|zusätzlich|ebenfalls)\b", re.IGNORECASE
)

EXPLAIN = re.compile(r"^\s*(?:why|warum|wieso|how come|what drove|what caused|explain)\b", re.IGNORECASE)

ANAPHOR = re.compile(
    r"\b(?:that|those|these|them|dar(?:auf|an|aus)|dafür|dafuer|davon|damit|dabei|diese[nmrs]?)\b",
    re.IGNORECASE,
)

PER_FOLLOW_UP = re.compile(
    r"^\s*(?:(?:and|und|what\s+about|how\s+about|und\s+wie\s+viel)\s+)?(?:per|pro|je)\s+(?:each\s+|one\s+)?"
    r"(?P<what>[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*)?)\s*\??\s*$",
    re.IGNORECASE,
)
