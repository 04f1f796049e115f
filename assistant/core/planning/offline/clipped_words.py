"""Clipped words of a figure's name: 'conv rate' → 'conversion rate', 'freight rev' → 'freight
revenue', 'canc bookings' → 'cancelled bookings'.

People clip the long word of a figure's name when they type fast. A word the lexicon does not know
that begins a longer word which, beside the word next to it, is part of exactly one figure's phrase
is that word ('conv' before 'rate' → 'conversion' of the web conversion rate). Nothing else is
completed: a known word, a short one (under three letters), a clip that could begin two different
words beside the same neighbour ('c rate': conversion or click) stays as typed — and is asked about.
"""

from __future__ import annotations

import re

from assistant.core.planning.offline.lexicon import Lexicon, key_of
from assistant.core.planning.offline.linking import STOPWORDS
from assistant.core.planning.offline.text import fold

_WORD = re.compile(r"[^\W\d_]+")
_MIN = 3
_JOINS = " -"


def _completions(clip: str, before: str | None, after: str | None, lexicon: Lexicon) -> set[str]:
    """The words beginning with `clip` that, beside `before` or `after`, make a figure's two words."""
    words_before, words_after = lexicon.phrase_neighbours()
    out: set[str] = set()
    if after is not None:
        out |= {
            a for a in words_before.get(after, ()) if _fits(clip, a) and _names_a_figure(lexicon, (a, after))
        }
    if before is not None:
        out |= {
            b for b in words_after.get(before, ()) if _fits(clip, b) and _names_a_figure(lexicon, (before, b))
        }
    return out


def _fits(clip: str, word: str) -> bool:
    return word.startswith(clip) and len(word) >= len(clip) + 2


def _names_a_figure(lexicon: Lexicon, key: tuple[str, str]) -> bool:
    return any(e.kind == "metric" for e in lexicon.lookup(key))


def completed(question: str, lexicon: Lexicon) -> str:
    """`question` with each clipped word of a figure's name written out (see the module)."""
    words = list(_WORD.finditer(question))
    out, last = "", 0
    for k, w in enumerate(words):
        clip = fold(w.group(0))
        if len(clip) < _MIN or clip in lexicon.vocabulary or clip in STOPWORDS or not clip.isalpha():
            continue
        prev = words[k - 1] if k > 0 else None
        nxt = words[k + 1] if k + 1 < len(words) else None
        before = (
            key_of(prev.group(0))
            if prev is not None and not question[prev.end() : w.start()].strip(_JOINS)
            else ()
        )
        after = (
            key_of(nxt.group(0))
            if nxt is not None and not question[w.end() : nxt.start()].strip(_JOINS)
            else ()
        )
        found = _completions(
            clip, before[0] if len(before) == 1 else None, after[0] if len(after) == 1 else None, lexicon
        )
        if len(found) == 1:
            out += question[last : w.start()] + found.pop()
            last = w.end()
    return out + question[last:]
