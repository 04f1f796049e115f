"""German adjectives of a place: 'unsere bayerischen Filialen', 'das Hamburger Depot', 'die
Berliner Hotels' name the place value ('Bayern', 'Hamburg', 'Berlin').

A word the lexicon does not know ending in an adjective's ending ('-er', '-isch', '-ische',
'-ischen' …) whose stem begins exactly one of the tenant's one-word values, that value at most two
letters longer ('bayer' → 'Bayern', 'hamburg' → 'Hamburg'), is written as that value; the question is
then read as if it had named it. A stem that begins several values, or none, leaves the word as typed
(and asked about). English demonyms ('Bavarian') are not read here.
"""

from __future__ import annotations

import re

from assistant.core.planning.offline.german import reads_german
from assistant.core.planning.offline.lexicon import Lexicon
from assistant.core.planning.offline.text import fold

_ENDINGS = ("ischen", "ischer", "isches", "ischem", "ische", "isch", "er")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_STEM = 4
_LONGER_BY = 2


_MEMO: dict[int, tuple[Lexicon, int, dict[str, set[str]]]] = {}
_MEMO_LIMIT = 64


def _one_word_values(lexicon: Lexicon) -> dict[str, set[str]]:
    """The tenant's one-word values (as folded keys → the values), once per lexicon and its size."""
    hit = _MEMO.get(id(lexicon))
    if hit is not None and hit[0] is lexicon and hit[1] == len(lexicon.entries):
        return hit[2]
    found: dict[str, set[str]] = {}
    for key, entries in lexicon.entries.items():
        if len(key) == 1:
            for e in entries:
                if e.kind == "value" and e.source in ("value", "exonym", "partial") and e.value:
                    found.setdefault(key[0], set()).add(e.value)
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[id(lexicon)] = (lexicon, len(lexicon.entries), found)
    return found


def _place(stem: str, lexicon: Lexicon) -> str | None:
    found = {
        value
        for word, values in _one_word_values(lexicon).items()
        if word.startswith(stem) and len(word) - len(stem) <= _LONGER_BY
        for value in values
    }
    return found.pop() if len(found) == 1 else None


def places_named(question: str, lexicon: Lexicon) -> str:
    """A German `question` with each adjective of a place written as the place (see the module)."""
    if not reads_german(question):
        return question
    out, last = "", 0
    for w in _WORD.finditer(question):
        folded = fold(w.group(0))
        if folded in lexicon.vocabulary:
            continue
        for ending in _ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= _MIN_STEM:
                place = _place(folded[: -len(ending)], lexicon)
                if place is not None:
                    out += question[last : w.start()] + place
                    last = w.end()
                break
    return out + question[last:]
