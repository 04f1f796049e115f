"""What retrieval adds to the offline planner: the question's words for values in other words.

The lexicon knows the tenant's values as stored (and a few exonyms). Retrieval also finds values
named by a typo ("Birkenstok"), an English gloss ("trainers" → "Laufschuhe") or another language's
city name. For one question we extend a COPY of the tenant's lexicon with the words the user wrote
as a phrase for the retrieved value, so linking and everything after it works unchanged. The
cached lexicon is never touched: one question's reading must not leak into the next one's.

Only gaps are filled: a phrase the lexicon already reads (a metric, a dimension, a value) keeps
its reading, and a phrase containing a metric or dimension word is left alone, so retrieval can
resolve what the lexicon could not but never overrule what it could.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from assistant.core.planning.offline.lexicon import COMMON_WORDS, Entry, Lexicon, key_of
from assistant.core.planning.offline.linking import STOPWORDS, correct_spelling
from assistant.core.planning.offline.text import fold

if TYPE_CHECKING:  # types only: the retriever module loads numpy and the lemmatizer
    from retrieval.retriever import RetrievalContext, ValueMatch

MIN_VALUE_SCORE = 0.75  # retrieval's value score (1.0 exact … 0.8 × cosine for semantic matches)
MIN_VALUE_LEAD = 0.05  # a retrieved value this much ahead of any other value for the same words
MIN_WORD_SIMILARITY = 0.8  # an unknown word vs a word of the top metric's catalog phrase


def _catalog_words(lexicon: Lexicon, key: tuple[str, ...]) -> bool:
    """Does a word of the phrase (as written, or as the lexicon would correct it) name a metric or
    a dimension? Then the lexicon's reading stands."""
    for word in key:
        for w in (word, correct_spelling(word, lexicon)):
            if w is not None and any(e.kind in ("metric", "dimension") for e in lexicon.lookup((w,))):
                return True
    return False


def with_retrieval(lexicon: Lexicon, ctx: RetrievalContext | None) -> Lexicon:
    """The tenant lexicon plus this question's retrieved readings (the input when nothing is new)."""
    if ctx is None:
        return lexicon
    additions: list[tuple[str, Entry]] = []
    for match in ctx.values:
        if match.how == "exact" or match.score < MIN_VALUE_SCORE:
            continue
        if _rivalled(match, ctx):
            continue  # two values about as near the same words: a guess, left to be asked about
        key = key_of(match.words)
        if not key or lexicon.lookup(key) or _catalog_words(lexicon, key):
            continue
        if all(w in STOPWORDS or w in COMMON_WORDS for w in key):
            continue
        additions.append((match.words, Entry("value", match.dimension, match.value, source="retrieval")))
    additions += _metric_hints(lexicon, ctx)
    if not additions:
        return lexicon
    extended = lexicon.copy()
    for phrase, entry in additions:
        extended.add(phrase, entry)
    return extended


def _rivalled(match: ValueMatch, ctx: RetrievalContext) -> bool:
    """Another value (not the same one in another dimension) scored within MIN_VALUE_LEAD of
    `match` for the same words ('Bern' as a store city and a customer city is one value)."""
    return any(
        other.words == match.words
        and fold(other.value) != fold(match.value)
        and other.score >= match.score - MIN_VALUE_LEAD
        for other in ctx.values
        if other is not match
    )


def _metric_hints(lexicon: Lexicon, ctx: RetrievalContext) -> list[tuple[str, Entry]]:
    """A misspelt or inflected metric word the lexicon's spelling correction missed ('margins',
    'revenu'): read as the top retrieved metric when it is close to a word of that metric's phrase.
    Only when the question names no metric the lexicon knows."""
    words = key_of(ctx.question)
    if not ctx.metrics or any(e.kind == "metric" for w in words for e in lexicon.lookup((w,))):
        return []
    top = ctx.metrics[0]
    phrase_words = [w for w in key_of(top.matched) if w not in STOPWORDS and len(w) > 3]
    if not phrase_words or len(phrase_words) > 4:
        return []
    hints: list[tuple[str, Entry]] = []
    for word in words:
        if word in lexicon.vocabulary or word in STOPWORDS or len(word) < 4 or word.isdigit():
            continue
        if correct_spelling(word, lexicon) is not None:
            continue  # the lexicon's own correction ('revnue' → 'revenue') reads it already
        if difflib.get_close_matches(word, phrase_words, n=1, cutoff=MIN_WORD_SIMILARITY):
            hints.append((word, Entry("metric", top.name, source="retrieval")))
    return hints
