"""The lexical side of value linking: one tenant's values in their folded written forms.

Built once per version of the tenant's value records (the retriever caches it by their content
hashes) so that a question costs dictionary look-ups and two vectorised rapidfuzz passes, not a
Python loop over every value for every n-gram.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from retrieval.records import Record
from retrieval.text_tokens import folded_forms

Match = tuple[Record, float, str]  # record, score in 0..1, how (exact | alias | partial | fuzzy)


@dataclass
class ValueForms:
    by_form: dict[tuple[str, ...], list[Record]]
    by_token: dict[str, list[tuple[tuple[str, ...], Record]]]  # short values (≤ 3 words) by word
    texts: list[str]
    owners: list[Record]

    @classmethod
    def build(cls, records: Sequence[Record]) -> ValueForms:
        forms = cls({}, {}, [], [])
        for r in records:
            for form in folded_forms(r.text):
                forms.by_form.setdefault(form, []).append(r)
                forms.texts.append(" ".join(form))
                forms.owners.append(r)
                if len(form) <= 3:
                    for token in set(form):
                        forms.by_token.setdefault(token, []).append((form, r))
        return forms

    def matches(self, g: tuple[str, ...], fuzzy_cutoff: float) -> Iterator[Match]:
        if not g:
            return
        for r in self.by_form.get(g, ()):
            yield (r, 0.97, "alias") if "alias" in r.metadata else (r, 1.0, "exact")
        text = " ".join(g)
        if len(text) < 4:
            return
        for form, r in self.by_token.get(g[0], ()):
            if len(form) > len(g) and _contains(form, g):
                # 'sofa' → 'Sofas & Sessel', 'online shop' → 'Nordwind Online-Shop'
                yield r, 0.6 + 0.3 * len(g) / len(form), "partial"
        for _, score, i in process.extract(
            text, self.texts, scorer=fuzz.ratio, score_cutoff=fuzzy_cutoff * 100, limit=10
        ):
            if score < 100:
                yield self.owners[i], 0.9 * score / 100, "fuzzy"
        if len(text) >= 6:  # Jaro-Winkler forgives typos late in a word ('Birkenstok')
            for _, score, i in process.extract(
                text,
                self.texts,
                scorer=JaroWinkler.normalized_similarity,
                score_cutoff=fuzzy_cutoff + 0.05,
                limit=10,
            ):
                if score < 1.0:
                    yield self.owners[i], 0.9 * (score - 0.05), "fuzzy"


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))
