"""Typing slips in words no dictionary knows, corrected before anything reads the question.

Linking corrects a slip towards the lexicon's words (metric, dimension and value names). A slip in
any other word ("deliever", "custmers", "subcontracters", "on-tiem", "Qartal") used to be a word
nobody could read: asked about at best, and at worst dropped while the rest was answered. Here a
word that neither simplemma's English and German dictionaries nor the lexicon know is replaced by the
one close word among the catalog's own words (names, labels, descriptions: `context`) and the words
of time — only when exactly one such word is one slip away (a letter left out, added or changed,
or two neighbours swapped). Names the catalog does not hold ("Hilton") stay as typed, and are
asked about later.
"""

from __future__ import annotations

import re

import simplemma

from assistant.core.planning.offline.text import fold, singular

# Words of time the parser reads (English and German), so that a slip in one reaches it.
TIME_WORDS = frozenset(
    """time today yesterday tonight week weeks month months quarter quarters year years half last this
    next previous since until through weekly monthly daily quarterly yearly weekend january february march
    april may june july august september october november december heute gestern woche wochen monat
    monate monats quartal quartals jahr jahres halbjahr letzten letzte letzter dieses diesen diesem seit
    bis januar februar maerz juni juli oktober dezember""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_][\w'’]*", re.UNICODE)


def known_word(word: str) -> bool:
    try:
        return bool(simplemma.is_known(word, lang=("en", "de")))
    except (ValueError, KeyError):  # pragma: no cover - a dictionary simplemma cannot load
        return True


def correct_word(word: str, vocabulary: set[str], context: frozenset[str]) -> str | None:
    """The one catalog or time word `word` is a slip of, else None (see the module docstring)."""
    folded = fold(word)
    if len(folded) < 4 or not folded.isalpha() or folded in vocabulary or singular(folded) in vocabulary:
        return None
    if folded in context or folded in TIME_WORDS or known_word(word) or known_word(folded):
        return None
    pool = set(context) | TIME_WORDS | vocabulary
    pool = {w for w in pool if w.isalpha() and len(w) >= 4 and abs(len(w) - len(folded)) <= 2}
    near = [w for w in pool if _one_slip(folded, w)]
    if len(near) > 1:  # 'tiem': 'time' (a word of the lexicon) before 'item' (one of a description)
        near = [w for w in near if w in vocabulary or w in TIME_WORDS]
    forms = {singular(w) for w in near}
    return sorted(near)[0] if len(forms) == 1 else None


def another_word(word: str, near: str) -> bool:
    """'weekday' is no slip for 'weekend': a word one language's dictionary knows is not corrected
    into another word that dictionary knows, more than one slip away ('Platin' still reads as
    'platinum': one begins the other, and no one dictionary holds both)."""
    word, near = fold(word), fold(near)
    if near.startswith(word) or word.startswith(near) or _one_slip(word, near):
        return False
    return _one_dictionary_knows_both(word, near)


def another_word_first_letter(word: str, near: str) -> bool:
    """'running gear' is no slip for 'running wear': a word one language's dictionary knows is not
    corrected into another word it knows that begins with another letter (a slip rarely hits the
    first letter, and two everyday words one letter apart are two words: gear, wear, year)."""
    word, near = fold(word), fold(near)
    if word[:1] == near[:1]:
        return False
    return _one_dictionary_knows_both(word, near)


def _one_dictionary_knows_both(word: str, near: str) -> bool:
    for lang in ("en", "de"):
        try:
            if simplemma.is_known(word, lang=lang) and simplemma.is_known(near, lang=lang):
                return True
        except (ValueError, KeyError):  # pragma: no cover - a dictionary simplemma cannot load
            return False
    return False


def _one_slip(a: str, b: str) -> bool:
    """One letter left out, added, changed, or two neighbours swapped (Damerau distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def correct_typos(question: str, vocabulary: set[str], context: frozenset[str]) -> str:
    """The question with each slip (see `correct_word`) replaced, in the case it was typed in."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        fixed = correct_word(word, vocabulary, context)
        if fixed is None:
            return word
        return fixed.capitalize() if word[:1].isupper() else fixed

    return _WORD.sub(fix, question)
