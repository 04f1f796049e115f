"""Text normalisation shared by the lexicon and the parser.

Retailers type "Muenchen", "München" and "Munich" for the same store, misspell metrics, and mix
German and English. Everything is matched on a folded form: case-folded, umlauts and ß spelled
out and then stripped of diacritics, punctuation dropped, so that all spellings meet.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from assistant.core.planning.offline.lemma_memo import MEMO

_SPELL_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "&": " and "})
_TOKEN = re.compile(r"[a-z0-9%]+(?:[.'][a-z0-9]+)*")


def fold(text: str) -> str:
    """'Zürich' → 'zuerich'; 'Zurich' → 'zurich' (the lexicon registers both spellings)."""
    text = text.casefold().translate(_SPELL_OUT)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fold_plain(text: str) -> str:
    """'Zürich' → 'zurich': diacritics dropped instead of spelled out."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Token:
    text: str  # folded
    original: str
    start: int  # character offsets in the original question
    end: int


def tokenize(question: str) -> list[Token]:
    """Tokens with their original spelling and offsets (offsets let the parser blank out spans)."""
    tokens: list[Token] = []
    # '1,000' and '1.000' are one number (a label's 'per 1,000 shipments' meets 'pro 1000 Sendungen')
    question = re.sub(r"(?<=\d)[,.](?=\d{3}\b)", "\u2060", question)
    for m in re.finditer(r"[\w%\u2060]+(?:[.'’][\w]+)*", question):
        original = m.group(0).replace("\u2060", "")
        folded = fold(original).replace("’", "'")
        for part in _TOKEN.findall(folded) or [folded]:
            tokens.append(Token(part, original, m.start(), m.end()))
    return tokens


def phrase_key(text: str) -> tuple[str, ...]:
    """A phrase as the token sequence the matcher compares ('Net sales' → ('net', 'sales'))."""
    return tuple(t.text for t in tokenize(text.replace("_", " ")))


def singular(word: str) -> str:
    """A cheap English singular for matching 'stores' to 'store', 'categories' to 'category'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _simplemma(word: str, languages: tuple[str, str]) -> str:
    """simplemma's memory-frugal dictionaries (low_memory): the same lemmas (checked on 1,400 catalog
    and question words), 17 MB instead of 130 MB per process, and a faster first load."""
    import simplemma  # here, not at import: its rule tables compile ~400 regexes (70-100 ms a process)

    return str(simplemma.lemmatize(word, lang=languages, low_memory=True))


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of a folded word, English or German (simplemma): 'customers' → 'customer',
    'kunden' → 'kunde', 'kleider' → 'kleid'. Compared on both sides (question and catalog words),
    so a word matches however it is inflected."""
    plain = singular(word)
    if plain != word:
        return plain
    found = MEMO.lookup(f"de,en|{word}", lambda: _simplemma(word, ("de", "en")))
    return fold(found.casefold())


_ELISION = re.compile(r"\b([^\W\d_]+)-\s+(und|oder|bzw\.?|and|or|,)\s+([^\W\d_][\w-]*)", re.IGNORECASE)


# Shorthand retailers type for whole words ('avg basket', 'qty sold'): spelled out before anything reads
# the question, so every reading (linking, descriptions, unplaced words) sees the word itself.
_SHORTHAND = {
    "avg": "average",
    "qty": "quantity",
    "amt": "amount",
    "pct": "percent",
    "durchschn": "durchschnittlicher",
}
_SHORTHAND_RE = re.compile(r"\b(" + "|".join(_SHORTHAND) + r")\b\.?", re.IGNORECASE)


# 'leaving out the outlets', 'not counting online', 'lass Online weg': 'without' ('leave X out' is the
# planner's `_LEAVE_OUT`)
_LEAVE_OUT = (
    (re.compile(r"\b(?:leave|leaving|leaves)\s+out\s+", re.IGNORECASE), "without "),
    (re.compile(r"\bnot\s+counting\b", re.IGNORECASE), "without"),
    (
        re.compile(
            r"\b(?:lass|lasst|lassen)\s+((?:die\s+|den\s+|das\s+)?[^\W\d_][\w-]*)\s+(?:weg|au(?:ß|ss)en\s+vor)\b",
            re.I,
        ),
        r"ohne \1",
    ),
)


# 'claims per thousand shipments', 'Reklamationen pro tausend Sendungen': the number a label writes
_PER_NUMBER_WORD = re.compile(
    r"\b(per|pro|je)\s+(?:a\s+|one\s+|ein\s+)?(thousand|tausend|hundred|hundert)\b", re.IGNORECASE
)
_NUMBER_WORD = {"thousand": "1000", "tausend": "1000", "hundred": "100", "hundert": "100"}


# 'reservations on the books', 'still on the books (not yet arrived, not cancelled)': booked and still
# to come, said as the catalog's word for it ('Reserved (future)'); a bracket right after restates it
_ON_THE_BOOKS = re.compile(
    r"\b(?:still\s+|currently\s+|now\s+)?on\s+the\s+books\b(?:\s*\((?:not|no|excluding|without)\b[^()]*\))?",
    re.IGNORECASE,
)


def expand_shorthand(question: str) -> str:
    question = _ON_THE_BOOKS.sub("future", question)
    for pattern, replacement in _LEAVE_OUT:
        question = pattern.sub(replacement, question)
    question = _PER_NUMBER_WORD.sub(lambda m: f"{m.group(1)} {_NUMBER_WORD[m.group(2).lower()]}", question)
    return _SHORTHAND_RE.sub(lambda m: _SHORTHAND[m.group(1).lower()], question)


def expand_elisions(question: str, vocabulary: set[str]) -> str:
    """German coordinated compounds spelled out: 'Öffnungs- und Klickrate' → 'Öffnungsrate und
    Klickrate', 'Gold- und Platin-Kunden' → 'Gold-Kunden und Platin-Kunden'. The shared head is the
    second word's part after its hyphen, else its longest ending the vocabulary knows."""

    def spell(m: re.Match[str]) -> str:
        first, joint, second = m.group(1), m.group(2), m.group(3)
        if "-" in second:
            return f"{first}-{second.rsplit('-', 1)[1]} {joint} {second}"
        folded = fold(second)
        for size in range(len(folded) - 3, 3, -1):
            if folded[-size:] in vocabulary:
                return f"{first}{second[-size:]} {joint} {second}"
        return m.group(0)

    return _ELISION.sub(spell, question)


@functools.lru_cache(maxsize=65536)
def english_lemma(word: str) -> str:
    """`lemma` with English read first ('sold' → 'sell', 'went' → 'go'), for matching question words
    against an English catalog's descriptions."""
    found = MEMO.lookup(f"en,de|{word}", lambda: _simplemma(word, ("en", "de")))
    return fold(found.casefold())
