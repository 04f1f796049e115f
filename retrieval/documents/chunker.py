"""Split sections into overlapping chunks that fit an embedding and a citation.

Paragraphs are packed greedily up to `max_chars`; a paragraph longer than that is cut at sentence
ends (then at spaces). Each chunk after the first of a section starts with the tail of the
previous one (`overlap` characters, snapped to a word), so a fact that straddles a boundary is
whole in at least one chunk. Chunks never cross a section, so a citation names one heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.documents.readers import Section

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Chunk:
    heading: str
    text: str
    index: int  # position in the document, 0-based


def _pieces(text: str, max_chars: int) -> list[str]:
    out: list[str] = []
    for para in (p.strip() for p in re.split(r"\n\s*\n", text)):
        if not para:
            continue
        if len(para) <= max_chars:
            out.append(para)
            continue
        for sentence in _SENTENCE_END.split(para):
            while len(sentence) > max_chars:
                cut = sentence.rfind(" ", 0, max_chars)
                cut = cut if cut > max_chars // 2 else max_chars
                out.append(sentence[:cut].strip())
                sentence = sentence[cut:].strip()
            if sentence:
                out.append(sentence)
    return out


def _tail(text: str, overlap: int) -> str:
    if overlap <= 0 or len(text) <= overlap:
        return text if overlap > 0 else ""
    tail = text[-overlap:]
    space = tail.find(" ")
    return tail[space + 1 :] if 0 <= space < len(tail) - 1 else tail


def chunk_sections(sections: tuple[Section, ...], *, max_chars: int = 900, overlap: int = 150) -> list[Chunk]:
    if overlap >= max_chars:
        raise ValueError("overlap must be smaller than max_chars")
    chunks: list[Chunk] = []
    for section in sections:
        current = ""
        fresh = False  # does `current` hold text not yet emitted?
        for piece in _pieces(section.text, max_chars - overlap):
            if current and len(current) + 2 + len(piece) > max_chars:
                chunks.append(Chunk(section.heading, current, len(chunks)))
                current = _tail(current, overlap)
                fresh = False
            current = f"{current}\n\n{piece}" if current else piece
            fresh = True
        if fresh and current:
            chunks.append(Chunk(section.heading, current, len(chunks)))
    return chunks
