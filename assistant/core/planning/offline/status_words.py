"""A change word that is a stored value said as one: 'claims for lost shipments', 'were lost'.

'lost' is a change word ('which stores lost sales': a comparison) and, in a project whose shipments
end in a status 'Lost', the name of that value. The value is weak (an everyday word: read only next
to its dimension's name), so 'claims for lost shipments' lost the value and kept the change: the
shipments compared with last year, a number that answers nothing asked. Said as an adjective before
a word of the catalog ('lost shipments', 'verlorene Sendungen' once translated) after a function
word or at the start, or after a form of 'to be' ('how many shipments were lost'), the word is the
value: read as it (a strong value for this question) and no change. After a noun ('which stores lost
sales', 'which hotel lost the most room nights') it stays a change.
"""

from __future__ import annotations

import dataclasses
import re

from assistant.core.planning.offline.lexicon import Lexicon
from assistant.core.planning.offline.linking import STOPWORDS
from assistant.core.planning.offline.text import fold, singular, tokenize
from assistant.core.planning.offline.vocabulary import CHANGE

_CHANGE_WORD = re.compile(rf"(?:{CHANGE})", re.IGNORECASE)
# words after which an adjective begins a noun phrase: function words, not a subject ('we lost
# sales', 'wir haben … verloren') nor an auxiliary of the active voice ('have lost')
_SUBJECT_WORDS = """i we you it they he she us have has had do did does can could would
    wir ich es sie er hat haben hatte hatten"""
_SUBJECTS = frozenset(fold(w) for w in _SUBJECT_WORDS.split())
_BEFORE_ADJECTIVE = (
    STOPWORDS | {fold(w) for w in ["für", "über", "bei", "zu", "aller", "allen", "wieviele", "their"]}
) - _SUBJECTS

# a form of 'to be' / 'to get' before a participle: the state the items are in
_BE = frozenset("were was are is been being got get gets getting wurden wurde sind ist waren war".split())  # noqa: SIM905


def change_words_naming_values(question: str, lexicon: Lexicon) -> tuple[list[tuple[int, int]], Lexicon]:
    """The spans of change words the question says as a stored value, and the lexicon in which
    they are read as that value (a copy; the tenant's lexicon stays as it is)."""
    tokens = tokenize(question)
    spans: list[tuple[int, int]] = []
    strong = lexicon
    for i, token in enumerate(tokens):
        if not _CHANGE_WORD.fullmatch(token.text):
            continue
        entries = [
            e
            for e in lexicon.lookup((token.text,))
            if e.kind == "value" and e.weak and fold(e.value or "") == token.text
        ]
        if not entries:
            continue
        before = tokens[i - 1].text if i > 0 else ""
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        adjective = (i == 0 or before in _BEFORE_ADJECTIVE) and (
            after in lexicon.vocabulary or singular(after) in lexicon.vocabulary
        )
        if not adjective and before not in _BE:
            continue
        if strong is lexicon:
            strong = lexicon.copy()
        bucket = strong.entries[(token.text,)]
        strong.entries[(token.text,)] = [
            dataclasses.replace(e, weak=False) if e in entries else e for e in bucket
        ]
        spans.append((token.start, token.end))
    return spans, strong
