"""Indexing throughput and query latency of the embedded store (figures, not assertions).

Synthetic chunks are built from the demo documents' sentences recombined with retail words, so
their length and vocabulary resemble real policy text; values are synthetic store/product names.
Indexing = embedding + writing (what `mercurios index` does); queries go through the `Retriever`
(hybrid search plus value linking), i.e. what the engine pays per question.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from retrieval.protocols import Embedder
from retrieval.records import Record, RecordKind
from retrieval.retriever import Retriever
from retrieval.stores.embedded import EmbeddedStore
from retrieval.sync import Scope, sync

TENANT = "bench-retailer"
_CHUNK: tuple[RecordKind, ...] = ("chunk",)
_VALUE: tuple[RecordKind, ...] = ("value",)
WORDS = (
    "return",
    "refund",
    "exchange",
    "store",
    "online",
    "order",
    "delivery",
    "voucher",
    "gift",
    "card",
    "loyalty",
    "member",
    "discount",
    "sale",
    "season",
    "jacket",
    "shoes",
    "dress",
    "bike",
    "ski",
    "sofa",
    "lamp",
    "rug",
    "assembly",
    "warranty",
    "receipt",
    "days",
    "weeks",
    "opening",
    "hours",
    "click",
    "collect",
    "pickup",
    "workshop",
    "service",
    "rental",
    "promotion",
    "newsletter",
    "black",
    "friday",
    "christmas",
    "summer",
)
QUESTIONS = (
    "what is our return policy",
    "how long do refunds take",
    "when does the black friday sale start",
    "opening hours on saturday",
    "is assembly free for large orders",
    "sales of trainers in Munich last month",
    "net sales by store",
    "gift card expiry",
)


@dataclass(frozen=True)
class BenchResult:
    chunks: int
    values: int
    chunks_per_s: float
    values_per_s: float
    p50_ms: float
    p95_ms: float

    def line(self) -> str:
        return (
            f"{self.chunks:>7} chunks {self.values:>6} values | index {self.chunks_per_s:8.0f} chunks/s "
            f"{self.values_per_s:8.0f} values/s | query p50 {self.p50_ms:6.1f} ms p95 {self.p95_ms:6.1f} ms"
        )


def _sentences(documents: Path) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(documents.rglob("*.md")))
    text = re.sub(r"[#*<>/]", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 30]


def synthetic_chunks(n: int, documents: Path, seed: int = 7) -> list[Record]:
    rng = random.Random(seed)
    sentences = _sentences(documents) or ["Customers may return items within 30 days."]
    out = []
    for i in range(n):
        body = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
        extra = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 15)))
        out.append(
            Record(
                id=f"chunk:bench/doc{i // 8}.md#{i % 8}",
                partition=TENANT,
                kind="chunk",
                text=f"{body} {extra}",
                metadata={
                    "source": f"doc{i // 8}.md",
                    "title": f"Doc {i // 8}",
                    "heading": "",
                    "chunk": str(i % 8),
                },
            )
        )
    return out


def synthetic_values(n: int, seed: int = 11) -> list[Record]:
    rng = random.Random(seed)
    cities = ["München", "Köln", "Wien", "Zürich", "Graz", "Basel", "Bremen", "Linz", "Bern", "Kiel"]
    out = []
    for i in range(n):
        name = f"{rng.choice(WORDS).title()} {rng.choice(cities)} {i}"
        out.append(
            Record(
                id=f"value:product__product_name:{name}",
                partition=TENANT,
                kind="value",
                text=name,
                metadata={"dimension": "product__product_name", "value": name},
            )
        )
    return out


def run_benchmark(
    embedder: Embedder, workdir: Path, documents: Path, *, chunks: int, values: int, queries: int = 100
) -> BenchResult:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"bench-{chunks}.duckdb"
    path.unlink(missing_ok=True)
    store = EmbeddedStore(path)
    embedder.embed(["warm up"])  # model loading is not indexing throughput
    try:
        store.prepare(embedder.model_id, embedder.dimension)
        chunk_records = synthetic_chunks(chunks, documents)
        value_records = synthetic_values(values)
        t = time.perf_counter()
        sync(store, embedder, Scope(TENANT, _CHUNK), chunk_records)
        chunk_s = time.perf_counter() - t
        t = time.perf_counter()
        sync(store, embedder, Scope(TENANT, _VALUE), value_records)
        value_s = time.perf_counter() - t
        retriever = Retriever(store, embedder)
        retriever.documents(TENANT, "warm up")  # first query loads the partition into memory
        latencies = []
        for i in range(queries):
            q = QUESTIONS[i % len(QUESTIONS)]
            t = time.perf_counter()
            if i % 2:
                retriever.documents(TENANT, q)
            else:
                retriever.match_values(TENANT, q)
            latencies.append((time.perf_counter() - t) * 1000)
    finally:
        store.close()
        path.unlink(missing_ok=True)
    latencies.sort()
    return BenchResult(
        chunks=chunks,
        values=values,
        chunks_per_s=chunks / max(chunk_s, 1e-9),
        values_per_s=values / max(value_s, 1e-9),
        p50_ms=statistics.median(latencies),
        p95_ms=latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
    )
