"""The two seams of retrieval: turning text into vectors, and storing/searching records.

Implementations sit side by side (`embedders/`, `stores/`) and `factory.py` picks them from
`Settings`; the indexers and the `Retriever` see only these protocols.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from retrieval.records import Hit, Record, RecordKind

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Text → L2-normalised float32 vectors (one row per text), so that dot product = cosine."""

    @property
    def model_id(self) -> str:
        """Identifies the vector space: an index built with another id must be rebuilt."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True)
class StoreHealth:
    """What a readiness probe says about a store: `ok`, a one-line `detail` an operator can act on,
    and the embedded index `version` (its file name) when there is one. Never names a tenant:
    `/readyz` answers without credentials."""

    ok: bool
    detail: str
    version: str | None = None


@runtime_checkable
class VectorStore(Protocol):
    """Records with vectors, partitioned by tenant; every read and write names its partition.

    The store, not its callers, enforces isolation: there is no call that searches or lists more
    than one partition, so a bug in a caller cannot mix two retailers' data.
    """

    def prepare(self, model_id: str, dimension: int) -> None:
        """Create or migrate the schema; refuse (EmbeddingMismatchError) an index of another model."""
        ...

    def content_hashes(self, partition: str, kinds: Collection[RecordKind]) -> dict[str, str]:
        """id → content hash of the partition's records of these kinds (what incremental sync diffs)."""
        ...

    def upsert(self, records: Sequence[Record], vectors: Vectors) -> None:
        """Insert or replace records (all of one partition) with their vectors, row for row."""
        ...

    def delete(self, partition: str, ids: Collection[str]) -> None: ...

    def records(self, partition: str, kind: RecordKind) -> list[Record]:
        """Every record of one kind in one partition (values for fuzzy linking; small by design)."""
        ...

    def search(
        self,
        partition: str,
        text: str,
        vector: Vectors,
        *,
        kinds: Collection[RecordKind],
        limit: int = 10,
    ) -> list[Hit]:
        """Hybrid search (keyword + vector, fused) inside one partition, best first."""
        ...

    def drop_partition(self, partition: str) -> None: ...

    def health(self) -> StoreHealth:
        """Whether the store answers now (a cheap read, a short timeout); never raises."""
        ...

    def close(self) -> None: ...
