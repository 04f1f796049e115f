"""The semantic catalog as records: one per metric/dimension doc and one per name or synonym.

Shared by every tenant of one dbt project, so it lives in `CATALOG_PARTITION`. Short phrase
records ('turnover', 'Umsatz') match short questions far better than one long doc per metric does
(BM25 length normalisation, bag-of-words embeddings); the retriever groups hits by `target`.
"""

from __future__ import annotations

from retrieval.protocols import Embedder, VectorStore
from retrieval.records import CATALOG_PARTITION, Record, RecordKind, SyncReport
from retrieval.sync import Scope, sync
from semantic_layer.catalog import Catalog


def _records(
    kind: RecordKind, name: str, label: str, description: str, synonyms: tuple[str, ...]
) -> list[Record]:
    meta = {"target": name, "label": label}
    out = [
        Record(
            id=f"{kind}:{name}:doc",
            partition=CATALOG_PARTITION,
            kind=kind,
            text=f"{label}. {description}".strip(),
            metadata={**meta, "source": "description"},
        )
    ]
    phrases = dict.fromkeys([name.split("__")[-1].replace("_", " "), label, *synonyms])
    for i, phrase in enumerate(p for p in phrases if p.strip()):
        out.append(
            Record(
                id=f"{kind}:{name}:phrase:{i}",
                partition=CATALOG_PARTITION,
                kind=kind,
                text=phrase,
                metadata={**meta, "source": "phrase"},
            )
        )
    return out


def catalog_records(catalog: Catalog) -> list[Record]:
    out: list[Record] = []
    for m in catalog.metrics:
        out.extend(_records("metric", m.name, m.label, m.description, m.synonyms))
    for d in catalog.dimensions:
        if d.name.count("__") > 1:
            continue  # multi-hop names repeat a one-hop dimension ('store__tenant__currency')
        out.extend(_records("dimension", d.name, d.label, d.description, d.synonyms))
    return out


def index_catalog(store: VectorStore, embedder: Embedder, catalog: Catalog) -> SyncReport:
    return sync(store, embedder, Scope(CATALOG_PARTITION, ("metric", "dimension")), catalog_records(catalog))
