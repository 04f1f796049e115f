"""Incremental indexing: embed and write only what changed, delete what disappeared.

Every indexer produces the full desired set of records for what it owns (a `scope`: one
partition, some kinds, optionally an id prefix); `sync` diffs it against the store's content
hashes. Re-running an indexer over unchanged input embeds nothing and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from retrieval.protocols import Embedder, VectorStore
from retrieval.records import Record, RecordKind, SyncReport, check_partition

BATCH = 512


@dataclass(frozen=True)
class Scope:
    """What an indexer owns: records of `kinds` in `partition` whose id starts with `id_prefix`."""

    partition: str
    kinds: Collection[RecordKind]
    id_prefix: str = ""


def sync(store: VectorStore, embedder: Embedder, scope: Scope, records: Sequence[Record]) -> SyncReport:
    check_partition(scope.partition)
    for r in records:
        if (
            r.partition != scope.partition
            or r.kind not in scope.kinds
            or not r.id.startswith(scope.id_prefix)
        ):
            raise ValueError(f"record {r.id} ({r.partition}/{r.kind}) is outside the scope being synced")
    existing = {
        i: h
        for i, h in store.content_hashes(scope.partition, scope.kinds).items()
        if i.startswith(scope.id_prefix)
    }
    desired = {r.id: r for r in records}
    changed = [r for r in desired.values() if existing.get(r.id) != r.hash]
    stale = [i for i in existing if i not in desired]
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        store.upsert(batch, embedder.embed([r.text for r in batch]))
    store.delete(scope.partition, stale)
    added = sum(1 for r in changed if r.id not in existing)
    return SyncReport(
        partition=scope.partition,
        added=added,
        updated=len(changed) - added,
        deleted=len(stale),
        unchanged=len(desired) - len(changed),
    )
