"""What the planner knows about one tenant: the lexicon (catalog words + the tenant's own values)
and the data version it was built from.

This is the catalog-only retriever, the default until the retrieval issue plugs in embeddings.
Snapshots are cached per (tenant, data version): a new load rebuilds the tenant's lexicon on its
next question; one tenant's values never enter another tenant's snapshot.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from assistant.planning.offline.lexicon import Lexicon, build_lexicon
from semantic_layer.data_version import DataVersion
from semantic_layer.facade import SemanticLayer


@dataclass(frozen=True)
class KnowledgeSnapshot:
    tenant_id: str
    data_version: DataVersion
    lexicon: Lexicon
    values: dict[str, tuple[str, ...]]


class TenantKnowledge:
    def __init__(self, semantic_layer: SemanticLayer, *, max_values_per_dimension: int = 500) -> None:
        self._sl = semantic_layer
        self._cap = max_values_per_dimension
        self._snapshots: dict[str, KnowledgeSnapshot] = {}
        self._lock = threading.Lock()

    def for_tenant(self, tenant_id: str) -> KnowledgeSnapshot:
        version = self._sl.data_version(tenant_id)
        with self._lock:
            snap = self._snapshots.get(tenant_id)
            if snap is not None and snap.data_version.value == version.value:
                return snap
        values = {
            dv.dimension: dv.values
            for dv in self._sl.dimension_values(tenant_id, cap=self._cap)
            if not dv.truncated
        }
        snap = KnowledgeSnapshot(tenant_id, version, build_lexicon(self._sl.catalog, values), values)
        with self._lock:
            self._snapshots[tenant_id] = snap
        return snap
