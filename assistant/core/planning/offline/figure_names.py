"""Words of a figure's other names: a question restating the figure it asks about in more words.

'How many new customers signed up for the loyalty card', 'neue Kunden … für die Kundenkarte
angemeldet': 'card', 'Kundenkarte' are no value and no dimension — they are words of other names the
catalog gives the chosen figure ('loyalty cards issued', 'neue Kundenkarten' of new customers), so
they restate it and name nothing to filter by. Only the label and the synonyms count: a word of a
figure's description may be a condition the figure leaves out ('excluding returns').
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from assistant.core.planning.offline.linking import STOPWORDS
from assistant.core.planning.offline.paths import lemmas
from assistant.core.planning.offline.text import fold
from semantic_layer.catalog import Catalog, MetricInfo


@functools.lru_cache(maxsize=1024)
def _names_of(info: MetricInfo) -> frozenset[str]:
    return frozenset(lemmas(" ".join((info.label, *info.synonyms))) - STOPWORDS)


def names_the_figures(word: str, metrics: Sequence[str], catalog: Catalog) -> bool:
    """Whether `word` is a word of the label or a synonym of one of the chosen `metrics`."""
    forms = lemmas(word) | {fold(word)}
    return any(
        (info := catalog.metric(name)) is not None and bool(forms & _names_of(info)) for name in metrics
    )
