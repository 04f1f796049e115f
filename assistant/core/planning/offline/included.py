"""A value said to be included is part of the whole, no filter: 'Welche 5 Standorte (Onlineshop
mitgezählt) …', 'top 5 locations, online shop included', 'including the online shop'.

'X included' / 'including X' tells what the whole holds; read as a filter it would answer for X
alone. The value's words and the inclusion word are read (blanked from the signals' text, as a
consumed phrase), so the question is planned over everything. Only a value the lexicon read is
dropped so: an unknown word after 'inklusive' ('inklusive MwSt') is still asked about. A remark is
set apart: 'X included' ends a clause ('…, online shop included?'), 'including X' begins one
(', including the online shop'); inside a sentence the words are verbs ('purchases in Bern included
furniture', 'orders including shoes') and the value stays a filter.
"""

from __future__ import annotations

import dataclasses

from assistant.core.planning.offline.linking import Linked
from assistant.core.planning.offline.signals import Signals
from assistant.core.planning.offline.text import Token, fold

_AFTER = frozenset(
    ("included", "mitgezaehlt", "mitgezahlt", "eingeschlossen", "inbegriffen", "eingerechnet", "mitgerechnet")
)
# 'Onlineshop bitte mit aufführen': a verb of listing after 'mit' (along) says the value is included
_LISTED_ALONG = frozenset(
    (
        "auffuehren",
        "aufgefuehrt",
        "auflisten",
        "aufgelistet",
        "aufnehmen",
        "aufgenommen",
        "anzeigen",
        "angezeigt",
    )
)
_FILLERS = frozenset(("bitte", "auch", "please", "too", "also"))
_BEFORE = frozenset(("including", "incl", "inkl", "inklusive", "einschliesslich", "einschlieslich", "samt"))
_CLOSES = frozenset(",;:.!?)]–-")  # an inclusion remark ends here …
_OPENS = frozenset(",;:([–-")  # … or begins here: never a verb of the sentence ('orders including shoes')
_ARTICLES = frozenset(
    ("the", "our", "der", "die", "das", "dem", "den", "des", "unser", "unseren", "unserem", "unserer")
)


def without_included(sig: Signals, linked: Linked) -> Signals:
    """`sig` with each value said to be included blanked out, with its inclusion word (see the module)."""
    tokens, text = linked.tokens, sig.text
    spans: list[tuple[int, int]] = []
    for m in linked.of_kind("value"):
        along = _listed_along(tokens, m.end)
        if along is not None:
            rest = text[tokens[along].end :].lstrip()
            if not rest or rest[0] in _CLOSES:  # 'Onlineshop bitte mit aufführen.'
                spans.append((tokens[m.start].start, tokens[along].end))
            continue
        if m.end < len(tokens) and fold(tokens[m.end].original) in _AFTER:
            rest = text[tokens[m.end].end :].lstrip()
            if not rest or rest[0] in _CLOSES:  # 'online shop included?', '(Onlineshop mitgezählt)'
                spans.append((tokens[m.start].start, tokens[m.end].end))
            continue  # 'purchases in Bern included furniture': a verb, Bern still a filter
        k = m.start - 1
        if k >= 0 and tokens[k].text in _ARTICLES:
            k -= 1
        if k >= 0 and fold(tokens[k].original) in _BEFORE:
            before = text[: tokens[k].start].rstrip()
            if before and before[-1] in _OPENS:  # ', including the online shop', '(inkl. Onlineshop)'
                spans.append((tokens[k].start, tokens[m.end - 1].end))
    if not spans:
        return sig
    text, consumed = sig.text, list(sig.consumed)
    for a, b in spans:
        consumed.append(text[a:b])
        text = text[:a] + " " * (b - a) + text[b:]
    return dataclasses.replace(sig, text=text, consumed=consumed)


def _listed_along(tokens: list[Token], k: int) -> int | None:
    """The index of 'aufführen' in '<value> bitte mit aufführen' ('mit' right before the verb, fillers
    between), else None."""
    while k < len(tokens) and fold(tokens[k].original) in _FILLERS:
        k += 1
    if (
        k + 1 < len(tokens)
        and fold(tokens[k].original) == "mit"
        and fold(tokens[k + 1].original) in _LISTED_ALONG
    ):
        return k + 1
    return None
