"""Business documents of one tenant → chunks with citations (source file, title, heading).

All files are read and chunked before anything is written: one bad file fails the run with a
clear message and the index is untouched (and, with the versioned embedded store, the previous
index keeps serving). A run owns one *collection* (by default the directory's name): documents
removed from that folder disappear from the index on the next run; other collections stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from retrieval.documents.chunker import chunk_sections
from retrieval.documents.readers import SUPPORTED, read_document
from retrieval.errors import EmptyDocumentError, UnreadableDocumentError
from retrieval.protocols import Embedder, VectorStore
from retrieval.records import Record, RecordKind, SyncReport, check_partition
from retrieval.sync import Scope, sync

_KINDS: tuple[RecordKind, ...] = ("chunk",)
DEFAULT_MAX_BYTES = 5 * 1_048_576


@dataclass(frozen=True)
class DocumentIndexReport:
    files: int
    chunks: int
    sync: SyncReport


def collect_files(path: Path) -> tuple[Path, list[Path]]:
    """(root, files): a folder's supported files (recursively, sorted), or one file."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        if not files:
            raise EmptyDocumentError(f"{path}: no documents ({', '.join(SUPPORTED)}) in this folder")
        return path, files
    if path.is_file():
        return path.parent, [path]
    raise UnreadableDocumentError(f"{path}: no such file or folder")


def document_records(
    tenant_id: str,
    collection: str,
    root: Path,
    files: Sequence[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = 900,
    overlap: int = 150,
) -> list[Record]:
    check_partition(tenant_id)
    out: list[Record] = []
    for file in files:
        doc = read_document(file, max_bytes=max_bytes)
        source = file.relative_to(root).as_posix()
        for chunk in chunk_sections(doc.sections, max_chars=max_chars, overlap=overlap):
            text = (
                f"{doc.title} — {chunk.heading}\n{chunk.text}"
                if chunk.heading
                else f"{doc.title}\n{chunk.text}"
            )
            out.append(
                Record(
                    id=f"chunk:{collection}/{source}#{chunk.index}",
                    partition=tenant_id,
                    kind="chunk",
                    text=text,
                    metadata={
                        "collection": collection,
                        "source": source,
                        "title": doc.title,
                        "heading": chunk.heading,
                        "chunk": str(chunk.index),
                    },
                )
            )
    return out


def index_documents(
    store: VectorStore,
    embedder: Embedder,
    tenant_id: str,
    path: Path,
    *,
    collection: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DocumentIndexReport:
    root, files = collect_files(path)
    name = collection or (path.name if path.is_dir() else path.parent.name) or "documents"
    records = document_records(tenant_id, name, root, files, max_bytes=max_bytes)
    if path.is_file():
        scope = Scope(tenant_id, _KINDS, f"chunk:{name}/{files[0].relative_to(root).as_posix()}#")
    else:
        scope = Scope(tenant_id, _KINDS, f"chunk:{name}/")
    return DocumentIndexReport(
        files=len(files), chunks=len(records), sync=sync(store, embedder, scope, records)
    )
