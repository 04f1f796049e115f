"""The two seams of retrieval: turning text into vectors, and storing/searching records.

Implementations sit side by side (`embedders/`, `stores/`) and `factory.py` picks them from
`Settings`; the indexers and the `Retriever` see only these protocols.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
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

    def close(self) -> None: ...
