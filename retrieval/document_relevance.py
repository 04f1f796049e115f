"""How relevant a document passage is to a question: the share of the question's topic it covers.

"What's the weather in Hamburg?" shares a word with the store guide ("Hamburg") and none with what
it asks about ("weather"). Counting shared words alike, the guide looked like an answer. Here the
question's **topic words** are its content words less function words (the English and German
lists of the `stop-words` package) and less the tenant's own names (its dimension values: cities,
stores, campaigns), which say where or which, not what is asked. A question made only of names
("when are the Fahrrad-Check-Wochen?") keeps them as its topic. Each topic word weighs by its
rarity among the tenant's passages (IDF: a word every passage has says little), words meet as
lemmas (simplemma, English and German: "rent" meets "rented"), and a passage's relevance is the
weighted share of topic words it contains — or, when it contains at least one, its embedding
similarity to the question if that is higher (paraphrase: "opening hours" vs "is open from") —
in [0, 1]. A passage with no topic word scores 0: a shared name is never enough.

A document answer needs a passage at or above `RELEVANCE_THRESHOLD`. Calibrated on
`eval/suites/document-relevance.yaml` (on-topic and off-topic questions, English and German,
against the demo documents) and the data questions of `eval/suites/retrieval.yaml`; see
`tests/assistant/test_retrieval_wiring.py`, which holds the threshold to that set.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from stop_words import get_stop_words

from retrieval.text_tokens import tokens

# Off-topic passages of the calibration set reach at most 0.43 (a weekday or a country the store
# guide also names); English on-topic ones at least 0.69. The threshold keeps a margin both sides.
RELEVANCE_THRESHOLD = 0.5
_LANGUAGES = ("en", "de")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@lru_cache(maxsize=65_536)
def word_forms(word: str) -> frozenset[str]:
    """The folded tokens of a word and of its lemma ('Öffnungszeiten': oeffnungszeit, offnungszeit…)."""
    import simplemma  # on first use: importing it compiles ~400 regexes (70-100 ms a process)

    lemma = simplemma.lemmatize(word, lang=_LANGUAGES, low_memory=True)  # same lemmas, 17 MB, not 130
    return frozenset(tokens(word)) | frozenset(tokens(lemma))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(t for lang in _LANGUAGES for w in get_stop_words(lang) for t in tokens(w))


def _words(text: str) -> list[frozenset[str]]:
    out = []
    for word in _WORD.findall(text):
        for part in re.split(r"[-'’]", word):  # 'Ski-Service-Aktion' is three words
            forms = frozenset(f for f in word_forms(part) if len(f) > 1)
            if forms:
                out.append(forms)
    return out


@dataclass(frozen=True)
class TopicWord:
    forms: frozenset[str]
    weight: float


class DocumentRelevance:
    """One tenant's passages and names, ready to score questions against (build once per index)."""

    def __init__(self, passages: Iterable[str], names: Iterable[str]) -> None:
        self._passages = 0
        self._df: Counter[str] = Counter()
        for text in passages:
            self._passages += 1
            self._df.update({f for forms in _words(text) for f in forms})
        self._names = frozenset(f for name in names for forms in _words(name) for f in forms)

    def topic(self, question: str) -> tuple[TopicWord, ...]:
        stop = function_words()
        content = [forms for forms in _words(question) if not forms & stop]
        topical = [forms for forms in content if not forms & self._names] or content
        unique = list(dict.fromkeys(topical))
        return tuple(TopicWord(forms, self._idf(forms)) for forms in unique)

    def _idf(self, forms: frozenset[str]) -> float:
        # smoothed: with a handful of passages an absent word must not outweigh present ones 5:1
        df = max(self._df.get(f, 0) for f in forms)  # passages with any form, at least
        return math.log(1 + self._passages / (df + 1))

    def score(self, topic: tuple[TopicWord, ...], passage: str, *, similarity: float = 0.0) -> float:
        """The weighted share of topic words in the passage; when it holds at least one, its vector
        similarity to the question counts too ("opening hours" meets "is open from 9 to 7"). A
        passage with none of them scores 0 however close its vector: sharing a name is not an answer."""
        total = sum(w.weight for w in topic)
        if not topic or total <= 0:
            return 0.0
        have = {f for forms in _words(passage) for f in forms}
        covered = sum(w.weight for w in topic if w.forms & have) / total
        return max(covered, similarity) if covered > 0 else 0.0
