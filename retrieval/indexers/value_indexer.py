"""Dimension values of one tenant (store names, cities, brands, categories, campaigns …).

For entity linking: "Munich" → store__city = 'München'. Values are the tenant's own and go only
into that tenant's partition. Each value gets one record for itself and one per alias
(`value_aliases`), all pointing at the stored value through metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from retrieval.protocols import Embedder, VectorStore
from retrieval.records import Record, RecordKind, SyncReport, check_partition
from retrieval.sync import Scope, sync
from retrieval.value_aliases import aliases_for

# Values that carry no words worth linking: yes/no flags, hours, single-valued tenant facts.
_KINDS: tuple[RecordKind, ...] = ("value",)
_SKIP_LEAVES = ("is_", "has_")
_SKIP_DIMENSIONS = frozenset({"sale_line__sale_hour"})


def _linkable(dimension: str, value: str) -> bool:
    leaf = dimension.split("__")[-1]
    if dimension in _SKIP_DIMENSIONS or leaf.startswith(_SKIP_LEAVES) or dimension.startswith("tenant__"):
        return False
    return bool(value.strip()) and value.casefold() not in ("true", "false")


def value_records(tenant_id: str, values: Mapping[str, Sequence[str]]) -> list[Record]:
    check_partition(tenant_id)
    out: list[Record] = []
    for dimension in sorted(values):
        for value in values[dimension]:
            if not _linkable(dimension, value):
                continue
            meta = {"dimension": dimension, "value": value}
            base = f"value:{dimension}:{value}"
            out.append(Record(id=base, partition=tenant_id, kind="value", text=value, metadata=meta))
            for i, alias in enumerate(aliases_for(value)):
                out.append(
                    Record(
                        id=f"{base}:alias:{i}",
                        partition=tenant_id,
                        kind="value",
                        text=alias,
                        metadata={**meta, "alias": alias},
                    )
                )
    return out


def index_values(
    store: VectorStore, embedder: Embedder, tenant_id: str, values: Mapping[str, Sequence[str]]
) -> SyncReport:
    return sync(store, embedder, Scope(tenant_id, _KINDS), value_records(tenant_id, values))
