"""Tokens for keyword search: case- and accent-folded words with a light plural strip.

Shared by the embedded BM25 and the value linker so that 'Zurich', 'Zürich' and 'zuerich' meet.
Umlauts are folded both ways a German speaker writes them without the key (ü → u and ü → ue):
each produces its own token, so either spelling in a question matches.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")
_UMLAUT_E = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Folded, lightly stemmed words; umlaut words also yield their 'ue' spelling."""
    lowered = text.casefold()
    out = [_stem(t) for t in _WORD.findall(strip_accents(lowered))]
    if any(c in lowered for c in "äöüß"):
        plain = set(out)
        out.extend(_stem(t) for t in _WORD.findall(lowered.translate(_UMLAUT_E)) if _stem(t) not in plain)
    return out


def _words(text: str) -> list[str]:
    return [_stem(t) for t in _WORD.findall(text)]


def folded_forms(text: str) -> tuple[tuple[str, ...], ...]:
    """The token sequences `text` may be written as without umlauts ('München': 'munchen', 'muenchen')."""
    lowered = text.casefold()
    plain = tuple(_words(strip_accents(lowered)))
    if not any(c in lowered for c in "äöüß"):
        return (plain,)
    return (plain, tuple(_words(lowered.translate(_UMLAUT_E))))
