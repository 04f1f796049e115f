"""An offline, extractive answer to a document question, with numbered citations.

Without an LLM we do not paraphrase: we quote the sentences of the best chunks that share the most
content words with the question, and cite each chunk's file and heading. When the chunks do not
answer (`DocumentContext.answerable` is False) the answer says so instead of quoting something
loosely related. An LLM narrator gets the same chunks and citations and must keep the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.retriever import Citation, DocumentContext, content_terms

NOT_FOUND = "The documents I have do not contain an answer to this question."
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class DocumentAnswer:
    text: str
    citations: tuple[Citation, ...]
    found: bool


def _body(chunk_text: str) -> str:
    # the first line of a chunk is "Title — Heading" (see document_indexer), not content
    return chunk_text.split("\n", 1)[1] if "\n" in chunk_text else chunk_text


def answer_from_documents(ctx: DocumentContext, *, max_sentences: int = 3) -> DocumentAnswer:
    if not ctx.answerable or not ctx.chunks:
        return DocumentAnswer(NOT_FOUND, (), False)
    wanted = content_terms(ctx.question)
    scored: list[tuple[float, int, str]] = []
    relevant = set(ctx.relevant_chunks)
    for n, chunk in enumerate(ctx.chunks):
        if chunk not in relevant:  # never quote a passage that only shares a name with the question
            continue
        for sentence in _SENTENCE.split(_body(chunk.text)):
            clean = sentence.strip().replace("**", "")
            if len(clean) < 12:
                continue
            overlap = len(wanted & content_terms(clean))
            if overlap:
                scored.append((overlap + chunk.similarity - n * 0.01, n, clean))
    if not scored:
        return DocumentAnswer(NOT_FOUND, (), False)
    best = sorted(scored, key=lambda s: -s[0])[:max_sentences]
    used: list[int] = []
    parts = []
    for _, n, sentence in best:
        if n not in used:
            used.append(n)
        parts.append(f"{sentence} [{used.index(n) + 1}]")
    citations = tuple(ctx.chunks[n].citation for n in used)
    sources = "; ".join(f"[{i}] {c.label()}" for i, c in enumerate(citations, 1))
    return DocumentAnswer(" ".join(parts) + f"\n\nSources: {sources}", citations, True)
