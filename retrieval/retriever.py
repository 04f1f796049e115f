"""The `Retriever` the engine calls: what a question is about, in one tenant's world.

- `context()`: candidate metrics and dimensions (shared catalog), dimension values named in the
  question (the tenant's own: exact, alias, fuzzy and semantic matches of its word n-grams), and
  similar verified examples (the tenant's and the global seed).
- `documents()`: the tenant's document chunks for a document question, with citations and a
  verdict on whether they contain an answer at all.

Every store call names exactly one partition: the tenant's, or the shared catalog partition for
catalog entries and seed examples. Nothing here can read another retailer's partition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from retrieval.document_relevance import RELEVANCE_THRESHOLD, DocumentRelevance
from retrieval.protocols import Embedder, VectorStore
from retrieval.records import CATALOG_PARTITION, Hit, Record, RecordKind, check_partition
from retrieval.text_tokens import folded_forms, strip_accents, tokens
from retrieval.value_forms import ValueForms

MatchKind = Literal["exact", "alias", "partial", "fuzzy", "semantic"]
VALUE_KIND: tuple[RecordKind, ...] = ("value",)
CHUNK_KIND: tuple[RecordKind, ...] = ("chunk",)

# Words that never name a value on their own (and n-grams made only of them are not looked up).
STOPWORDS = frozenset(
    (
        "a", "an", "the", "of", "in", "on", "at", "by", "for", "to", "from", "with", "and", "or", "vs",
        "versus", "per", "what", "which", "who", "how", "is", "are", "was", "were", "our", "my", "we",
        "us", "me", "i", "do", "did", "does", "show", "give", "list", "top", "best", "worst", "last",
        "this", "next", "previous", "month", "week", "year", "quarter", "day", "days", "weeks", "months",
        "years", "today", "yesterday", "ytd", "mtd", "since", "between", "compared", "compare", "than",
        "much", "many", "sales", "sale", "revenue", "units", "by", "each", "all", "total", "der", "die",
        "das", "und", "in", "im", "am", "vom", "zum", "zur", "für", "mit", "wie", "viel", "viele",
        "letzte", "letzten", "letzter", "diesen", "diese", "dieser", "monat", "woche", "jahr", "umsatz",
        "pro",
    )
)  # fmt: skip
WEAK_VALUES = frozenset(("store", "online", "new", "lost", "loyal", "gold", "silver", "bronze", "none"))
_WORD = re.compile(r"[\w][\w'’.&-]*", re.UNICODE)


@dataclass(frozen=True)
class CatalogCandidate:
    name: str
    kind: Literal["metric", "dimension"]
    score: float
    matched: str  # the catalog phrase that matched best


@dataclass(frozen=True)
class ValueMatch:
    dimension: str
    value: str
    score: float
    words: str  # the words of the question that name it
    how: MatchKind


@dataclass(frozen=True)
class ExampleMatch:
    question: str
    plan_json: str
    score: float
    shared: bool  # from the global seed rather than the tenant's own feedback


@dataclass(frozen=True)
class RetrievalContext:
    tenant_id: str
    question: str
    metrics: tuple[CatalogCandidate, ...]
    dimensions: tuple[CatalogCandidate, ...]
    values: tuple[ValueMatch, ...]
    examples: tuple[ExampleMatch, ...]


@dataclass(frozen=True)
class Citation:
    source: str
    title: str
    heading: str
    chunk: int

    def label(self) -> str:
        return f"{self.source} — {self.heading}" if self.heading else self.source


@dataclass(frozen=True)
class DocumentChunk:
    text: str
    citation: Citation
    score: float
    similarity: float
    shared_terms: int  # content words of the question found in the chunk
    relevance: float = 0.0  # share of the question's topic words in the chunk (document_relevance.py)


@dataclass(frozen=True)
class DocumentContext:
    tenant_id: str
    question: str
    chunks: tuple[DocumentChunk, ...]
    answerable: bool  # False: the tenant's documents do not contain an answer

    @property
    def relevant_chunks(self) -> tuple[DocumentChunk, ...]:
        """The chunks an answer may quote: those at or above the relevance threshold."""
        return tuple(c for c in self.chunks if c.relevance >= RELEVANCE_THRESHOLD)


def content_terms(text: str) -> set[str]:
    return {t for t in tokens(text) if t not in STOPWORDS and len(t) > 1}


def _ngrams(question: str, max_n: int = 4) -> list[str]:
    words = _WORD.findall(question)
    out: list[str] = []
    for n in range(max_n, 0, -1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if all(strip_accents(w) in STOPWORDS for w in gram):
                continue
            if strip_accents(gram[0]) in STOPWORDS or strip_accents(gram[-1]) in STOPWORDS:
                continue  # 'sales in Munich' is looked up as 'Munich'
            out.append(" ".join(gram))
    return out


class Retriever:
    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        *,
        fuzzy_cutoff: float = 0.88,
        semantic_cutoff: float = 0.62,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._fuzzy_cutoff = fuzzy_cutoff
        self._semantic_cutoff = semantic_cutoff
        self._forms_cache: dict[str, tuple[int, ValueForms]] = {}
        self._relevance_cache: dict[str, tuple[int, DocumentRelevance]] = {}

    # -- catalog ---------------------------------------------------------------------------------
    def _catalog(
        self, question: str, vector: object, kind: Literal["metric", "dimension"], k: int
    ) -> tuple[CatalogCandidate, ...]:
        hits = self._store.search(CATALOG_PARTITION, question, vector, kinds=(kind,), limit=60)  # type: ignore[arg-type]
        best: dict[str, CatalogCandidate] = {}
        for hit in hits:
            target = hit.record.meta("target")
            if target and target not in best:
                best[target] = CatalogCandidate(target, kind, hit.score, hit.record.text)
        return tuple(list(best.values())[:k])

    # -- values ----------------------------------------------------------------------------------
    def match_values(self, tenant_id: str, question: str, k: int = 5) -> tuple[ValueMatch, ...]:
        check_partition(tenant_id)
        records = self._store.records(tenant_id, "value")
        if not records:
            return ()
        grams = _ngrams(question)
        found: dict[tuple[str, str], ValueMatch] = {}

        def keep(record: Record, score: float, words: str, how: MatchKind) -> None:
            if record.meta("value").casefold() in WEAK_VALUES and how != "exact":
                return
            if strip_accents(words) in WEAK_VALUES:
                score *= 0.5
            key = (record.meta("dimension"), record.meta("value"))
            if key not in found or found[key].score < score:
                found[key] = ValueMatch(key[0], key[1], score, words, how)

        forms = self._forms(tenant_id, records)
        for gram in grams:
            for g in folded_forms(gram):
                for record, score, how in forms.matches(g, self._fuzzy_cutoff):
                    keep(record, score, gram, how)  # type: ignore[arg-type]
        semantic_grams = [g for g in grams if len(g.split()) <= 3 and len(g) >= 3][:40]
        if semantic_grams:
            vectors = self._embedder.embed(semantic_grams)
            for gram, vector in zip(semantic_grams, vectors, strict=True):
                for hit in self._store.search(tenant_id, gram, vector, kinds=VALUE_KIND, limit=3):
                    if hit.similarity >= self._semantic_cutoff:
                        keep(hit.record, 0.8 * hit.similarity, gram, "semantic")
        ranked = sorted(found.values(), key=lambda m: (-m.score, m.dimension, m.value))
        return tuple(ranked[:k])

    def _forms(self, tenant_id: str, records: list[Record]) -> ValueForms:
        version = hash(tuple(r.hash for r in records))
        cached = self._forms_cache.get(tenant_id)
        if cached is None or cached[0] != version:
            cached = (version, ValueForms.build(records))
            self._forms_cache[tenant_id] = cached
        return cached[1]

    # -- examples --------------------------------------------------------------------------------
    def _examples(self, tenant_id: str, question: str, vector: object, k: int) -> tuple[ExampleMatch, ...]:
        own = self._store.search(tenant_id, question, vector, kinds=("example",), limit=k)  # type: ignore[arg-type]
        seed = self._store.search(CATALOG_PARTITION, question, vector, kinds=("example",), limit=k)  # type: ignore[arg-type]
        both = [(h, False) for h in own] + [(h, True) for h in seed]
        both.sort(key=lambda hs: -hs[0].similarity)
        seen: set[str] = set()
        out = []
        for hit, shared in both:
            if hit.record.text.casefold() in seen:
                continue
            seen.add(hit.record.text.casefold())
            out.append(ExampleMatch(hit.record.text, hit.record.meta("plan"), hit.similarity, shared))
        return tuple(out[:k])

    def context(self, tenant_id: str, question: str, *, k: int = 5) -> RetrievalContext:
        check_partition(tenant_id)
        vector = self._embedder.embed([question])[0]
        return RetrievalContext(
            tenant_id=tenant_id,
            question=question,
            metrics=self._catalog(question, vector, "metric", k),
            dimensions=self._catalog(question, vector, "dimension", k),
            values=self.match_values(tenant_id, question, k),
            examples=self._examples(tenant_id, question, vector, 3),
        )

    # -- documents -------------------------------------------------------------------------------
    def documents(self, tenant_id: str, question: str, *, k: int = 4) -> DocumentContext:
        check_partition(tenant_id)
        vector = self._embedder.embed([question])[0]
        hits = self._store.search(tenant_id, question, vector, kinds=CHUNK_KIND, limit=k)
        wanted = content_terms(question)
        relevance = self._relevance(tenant_id) if hits else None
        topic = relevance.topic(question) if relevance is not None else ()
        chunks = tuple(
            _chunk(
                h,
                wanted,
                relevance.score(topic, h.record.text, similarity=h.similarity)
                if relevance is not None
                else 0.0,
            )
            for h in hits
        )
        # a document answer needs a passage about what the question asks, not one that merely
        # shares a name with it ("the weather in Hamburg" vs the Hamburg store's opening hours)
        answerable = any(c.shared_terms > 0 and c.relevance >= RELEVANCE_THRESHOLD for c in chunks)
        return DocumentContext(tenant_id, question, chunks, answerable)

    def _relevance(self, tenant_id: str) -> DocumentRelevance:
        chunks = self._store.records(tenant_id, "chunk")
        values = self._store.records(tenant_id, "value")
        version = hash(tuple(r.hash for r in chunks) + tuple(r.hash for r in values))
        cached = self._relevance_cache.get(tenant_id)
        if cached is None or cached[0] != version:
            model = DocumentRelevance((r.text for r in chunks), (r.meta("value") for r in values))
            cached = (version, model)
            self._relevance_cache[tenant_id] = cached
        return cached[1]


def _chunk(hit: Hit, wanted: Iterable[str], relevance: float) -> DocumentChunk:
    r = hit.record
    have = content_terms(r.text)
    return DocumentChunk(
        text=r.text,
        citation=Citation(r.meta("source"), r.meta("title"), r.meta("heading"), int(r.meta("chunk", "0"))),
        score=hit.score,
        similarity=hit.similarity,
        shared_terms=sum(1 for t in set(wanted) if t in have),
        relevance=relevance,
    )
