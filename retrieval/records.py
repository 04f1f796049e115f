"""The values that travel between indexers, stores and the retriever.

A `Record` is one searchable thing (a metric doc, a dimension value, a verified example, a
document chunk) inside one partition. Partitions are the unit of isolation: every retailer has its
own, and the catalog of the dbt project lives in the reserved partition `CATALOG_PARTITION`, which
no retailer id can collide with (tenant ids are lowercase slugs; the reserved name starts with `_`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from retrieval.errors import InvalidTenantError

RecordKind = Literal["metric", "dimension", "value", "example", "chunk"]
RECORD_KINDS: tuple[RecordKind, ...] = ("metric", "dimension", "value", "example", "chunk")

CATALOG_PARTITION = "_catalog"
"""Shared by all tenants of one dbt project: metric/dimension docs and the global example seed."""

_TENANT_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def check_partition(partition: str) -> str:
    """A partition name every store accepts (Weaviate tenant names are `[A-Za-z0-9_-]{1,64}`)."""
    if partition == CATALOG_PARTITION or _TENANT_RE.fullmatch(partition):
        return partition
    raise InvalidTenantError(
        f"invalid tenant id {partition!r}: use lowercase letters, digits and '-' (at most 63 characters)"
    )


def content_hash(*parts: str) -> str:
    """Stable across runs and machines: what makes re-indexing incremental."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Record:
    """One searchable item. `id` is unique inside its partition; `text` is what is embedded."""

    id: str
    partition: str
    kind: RecordKind
    text: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    hash: str = ""

    def __post_init__(self) -> None:
        check_partition(self.partition)
        if not self.hash:
            object.__setattr__(
                self,
                "hash",
                content_hash(self.kind, self.text, json.dumps(dict(self.metadata), sort_keys=True)),
            )

    def meta(self, key: str, default: str = "") -> str:
        return self.metadata.get(key, default)

    def metadata_json(self) -> str:
        return json.dumps(dict(self.metadata), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Hit:
    """A record found by a search, with the fused score and where each ranker put it (1-based)."""

    record: Record
    score: float
    keyword_rank: int | None = None
    vector_rank: int | None = None
    similarity: float = 0.0  # cosine of query and record vectors: an absolute relevance signal


@dataclass(frozen=True)
class SyncReport:
    """What one `sync` did: how incremental indexing is observed (and tested)."""

    partition: str
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deleted
