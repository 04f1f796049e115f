"""One indexing run over everything retrieval knows: catalog, seed examples, tenants' values,
verified examples and documents. Used by `mercurios index`, `mercurios demo` and the benchmark.

The caller supplies the inputs (the catalog, each tenant's dimension values read through the
guard, feedback examples, document folders); this module only turns them into records and syncs.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.indexers.catalog_indexer import index_catalog
from retrieval.indexers.document_indexer import DEFAULT_MAX_BYTES, index_documents
from retrieval.indexers.example_indexer import VerifiedExample, index_examples, load_seed_examples
from retrieval.indexers.value_indexer import index_values
from retrieval.protocols import Embedder, VectorStore
from retrieval.records import CATALOG_PARTITION, SyncReport, check_partition
from semantic_layer.catalog import Catalog


@dataclass(frozen=True)
class StepReport:
    what: str  # catalog | seed examples | values | examples | documents
    partition: str
    sync: SyncReport
    seconds: float
    items: int  # records produced (desired state), whether or not they changed


@dataclass
class IndexRunReport:
    steps: list[StepReport] = field(default_factory=list)

    def add(self, what: str, partition: str, sync: SyncReport, started: float, items: int) -> None:
        self.steps.append(StepReport(what, partition, sync, time.perf_counter() - started, items))

    @property
    def changed(self) -> int:
        return sum(s.sync.changed for s in self.steps)


def index_knowledge(
    store: VectorStore,
    embedder: Embedder,
    *,
    catalog: Catalog | None,
    values: Mapping[str, Mapping[str, Sequence[str]]],
    examples: Mapping[str, Sequence[VerifiedExample]] | None = None,
    documents: Mapping[str, Path] | None = None,
    seed_examples: Sequence[VerifiedExample] | None = None,
    max_document_bytes: int = DEFAULT_MAX_BYTES,
) -> IndexRunReport:
    report = IndexRunReport()
    for tenant in list(values) + list(examples or {}) + list(documents or {}):
        check_partition(tenant)  # fail before writing anything
    if catalog is not None:
        t = time.perf_counter()
        sync = index_catalog(store, embedder, catalog)
        report.add("catalog", CATALOG_PARTITION, sync, t, sync.added + sync.updated + sync.unchanged)
        t = time.perf_counter()
        seeds = load_seed_examples() if seed_examples is None else list(seed_examples)
        sync = index_examples(store, embedder, CATALOG_PARTITION, seeds)
        report.add("seed examples", CATALOG_PARTITION, sync, t, len(seeds))
    for tenant, tenant_values in values.items():
        t = time.perf_counter()
        sync = index_values(store, embedder, tenant, tenant_values)
        report.add("values", tenant, sync, t, sync.added + sync.updated + sync.unchanged)
    for tenant, tenant_examples in (examples or {}).items():
        t = time.perf_counter()
        sync = index_examples(store, embedder, tenant, tenant_examples)
        report.add("examples", tenant, sync, t, len(tenant_examples))
    for tenant, folder in (documents or {}).items():
        t = time.perf_counter()
        docs = index_documents(store, embedder, tenant, folder, max_bytes=max_document_bytes)
        report.add("documents", tenant, docs.sync, t, docs.chunks)
    return report
