"""The `retrieval` suite routed to eval/bench/retrieval_recall.py (the retrieval engineer's scorer).

The harness only supplies a retriever: the live index when one was built (`mercurios index`), else
a temporary in-memory index of the catalog and the tenants' dimension values built for this run —
so `--suite all` and the CI gate measure retrieval on a fresh checkout too, and say which it was.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.runtime.from_settings import retrieval_config
from assistant.runtime.settings import Settings
from eval.bench.retrieval_recall import RecallReport, check_suite, evaluate, load_suite
from retrieval.factory import build_embedder, open_reader
from retrieval.index_versions import IndexVersions
from retrieval.knowledge_index import index_knowledge
from retrieval.retriever import Retriever
from retrieval.stores.embedded import EmbeddedStore
from semantic_layer.facade import SemanticLayer


@dataclass(frozen=True)
class RetrievalRun:
    report: RecallReport
    index: str  # "live" or "temporary"

    def as_json(self) -> dict[str, Any]:
        r = self.report
        return {
            "suite": "retrieval",
            "index": self.index,
            "k": r.k,
            "cases": r.cases,
            f"metric_recall@{r.k}": round(r.metrics.recall, 4),
            f"dimension_recall@{r.k}": round(r.dimensions.recall, 4),
            f"value_recall@{r.k}": round(r.values.recall, 4),
            "misses": [
                {"id": m.case, "kind": m.kind, "expected": m.expected, "got": list(m.got)} for m in r.misses
            ],
        }


def run_retrieval(settings: Settings, sl: SemanticLayer) -> RetrievalRun:
    k, cases = load_suite()
    tenants = sorted({c.tenant for c in cases})
    values = {t: {dv.dimension: dv.values for dv in sl.dimension_values(t)} for t in tenants}
    check_suite(cases, values)
    config = retrieval_config(settings)
    embedder = build_embedder(config)
    live = config.vector_store == "weaviate" or IndexVersions(config.index_dir).current() is not None
    with tempfile.TemporaryDirectory(prefix="mercurios-eval-index-") as scratch:
        if live:
            store = open_reader(config, embedder)
        else:
            store = EmbeddedStore(Path(scratch) / "index.duckdb")
            store.prepare(embedder.model_id, embedder.dimension)
            index_knowledge(store, embedder, catalog=sl.catalog, values=values)
        try:
            report = evaluate(Retriever(store, embedder), cases, k)
        finally:
            store.close()
    return RetrievalRun(report, "live" if live else "temporary")
