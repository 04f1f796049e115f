"""The embedded store: records and vectors in a DuckDB file, searched in memory per partition.

Why DuckDB + NumPy rather than LanceDB or DuckDB's vss/fts extensions: DuckDB is already the
warehouse engine here (one less native dependency), extensions would be downloaded at run time
(no network), and at our sizes (≤ 100k chunks per tenant) a brute-force cosine over a float32
matrix is exact and takes a few milliseconds — no ANN index to tune or to go stale. The file is
the durable copy; each partition is loaded into a `PartitionIndex` on first search and dropped
when that partition is written. Isolation is structural: a search loads and scores one
partition's rows (`WHERE partition = ?`) and nothing else.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from retrieval.bm25 import Bm25Index
from retrieval.errors import EmbeddingMismatchError, StoreUnavailableError
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.protocols import StoreHealth, Vectors
from retrieval.records import Hit, Record, RecordKind, check_partition

SCHEMA_VERSION = "1"
CANDIDATES = 50  # depth of each ranking that enters fusion

_DDL = (
    "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS records (
        partition VARCHAR NOT NULL, id VARCHAR NOT NULL, kind VARCHAR NOT NULL, text VARCHAR NOT NULL,
        metadata VARCHAR NOT NULL, hash VARCHAR NOT NULL, vector FLOAT[] NOT NULL)""",
)


@dataclass
class KindIndex:
    """One kind of record of one partition: searched on its own, so a value lookup never scans
    100k document chunks."""

    records: list[Record]
    matrix: Vectors
    bm25: Bm25Index


PartitionIndex = dict[str, KindIndex]


class EmbeddedStore:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self._read_only = read_only
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(str(path), read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise StoreUnavailableError(f"cannot open the retrieval index {path}: {exc}") from exc
        self._lock = threading.RLock()
        self._cache: dict[str, PartitionIndex] = {}
        if not read_only:
            for ddl in _DDL:
                self._con.execute(ddl)

    # -- schema ---------------------------------------------------------------------------------
    def _meta(self) -> dict[str, str]:
        try:
            rows = self._con.execute("SELECT key, value FROM store_meta").fetchall()
        except duckdb.CatalogException:
            return {}
        return {str(k): str(v) for k, v in rows}

    def prepare(self, model_id: str, dimension: int) -> None:
        with self._lock:
            meta = self._meta()
            if meta and (meta.get("model_id") != model_id or meta.get("dimension") != str(dimension)):
                raise EmbeddingMismatchError(
                    f"the retrieval index at {self.path} was built with {meta.get('model_id')} "
                    f"({meta.get('dimension')}-d vectors) but the configured embedder is {model_id} "
                    f"({dimension}-d); run `mercurios index --rebuild`"
                )
            if not meta and not self._read_only:
                self._con.executemany(
                    "INSERT INTO store_meta VALUES (?, ?)",
                    [
                        ("schema_version", SCHEMA_VERSION),
                        ("model_id", model_id),
                        ("dimension", str(dimension)),
                    ],
                )

    def model(self) -> tuple[str, int] | None:
        meta = self._meta()
        if "model_id" not in meta:
            return None
        return meta["model_id"], int(meta["dimension"])

    # -- writes ---------------------------------------------------------------------------------
    def content_hashes(self, partition: str, kinds: Collection[RecordKind]) -> dict[str, str]:
        check_partition(partition)
        with self._lock:
            rows = self._con.execute(
                "SELECT id, hash FROM records WHERE partition = ? AND list_contains(?, kind)",
                [partition, list(kinds)],
            ).fetchall()
        return {str(i): str(h) for i, h in rows}

    def upsert(self, records: Sequence[Record], vectors: Vectors) -> None:
        if not records:
            return
        if len(records) != len(vectors):
            raise ValueError(f"{len(records)} records but {len(vectors)} vectors")
        partitions = {r.partition for r in records}
        table = pa.table(
            {
                "partition": [r.partition for r in records],
                "id": [r.id for r in records],
                "kind": [r.kind for r in records],
                "text": [r.text for r in records],
                "metadata": [r.metadata_json() for r in records],
                "hash": [r.hash for r in records],
                "vector": pa.array(list(np.asarray(vectors, dtype=np.float32)), type=pa.list_(pa.float32())),
            }
        )
        with self._lock:
            self._con.execute("BEGIN")
            try:
                self._con.register("incoming", table)
                self._con.execute(
                    "DELETE FROM records r USING incoming i WHERE r.partition = i.partition AND r.id = i.id"
                )
                self._con.execute("INSERT INTO records SELECT * FROM incoming")
                self._con.unregister("incoming")
                self._con.execute("COMMIT")
            except Exception:
                self._con.execute("ROLLBACK")
                raise
            for p in partitions:
                self._cache.pop(p, None)

    def delete(self, partition: str, ids: Collection[str]) -> None:
        check_partition(partition)
        if not ids:
            return
        with self._lock:
            self._con.execute(
                "DELETE FROM records WHERE partition = ? AND list_contains(?, id)", [partition, list(ids)]
            )
            self._cache.pop(partition, None)

    def drop_partition(self, partition: str) -> None:
        check_partition(partition)
        with self._lock:
            self._con.execute("DELETE FROM records WHERE partition = ?", [partition])
            self._cache.pop(partition, None)

    def partitions(self) -> list[str]:
        with self._lock:
            rows = self._con.execute("SELECT DISTINCT partition FROM records ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]

    # -- readiness ------------------------------------------------------------------------------
    def health(self) -> StoreHealth:
        """Reads the schema and counts the records: a truncated or foreign file fails here, not on a
        user's question. The version is the file name (`index-<time>-<id>.duckdb`)."""
        in_memory = str(self.path) == ":memory:"
        version = None if in_memory else self.path.name
        try:
            with self._lock:
                meta = self._meta()
                self._con.execute("SELECT count(*) FROM records").fetchone()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return StoreHealth(False, f"retrieval index {self.path} cannot be read: {first}", version)
        if "model_id" not in meta:
            return StoreHealth(
                False,
                f"retrieval index {self.path} records no embedding model (an unfinished build); "
                "run `mercurios index --rebuild`",
                version,
            )
        where = "in-memory retrieval index" if in_memory else f"embedded retrieval index {self.path.name}"
        return StoreHealth(True, f"{where} ({meta['model_id']}, {meta.get('dimension')}-d vectors)", version)

    # -- reads ----------------------------------------------------------------------------------
    def _partition(self, partition: str) -> PartitionIndex:
        check_partition(partition)
        with self._lock:
            cached = self._cache.get(partition)
            if cached is not None:
                return cached
            arrow = self._con.sql(
                "SELECT id, kind, text, metadata, hash, vector FROM records WHERE partition = $p ORDER BY id",
                params={"p": partition},
            ).to_arrow_table()
        ids, kinds, texts = (arrow.column(c).to_pylist() for c in ("id", "kind", "text"))
        metas, hashes = arrow.column("metadata").to_pylist(), arrow.column("hash").to_pylist()
        matrix = _matrix(arrow, len(ids))
        index: PartitionIndex = {}
        for kind in sorted(set(kinds)):
            rows = [i for i, k in enumerate(kinds) if k == kind]
            records = [
                Record(
                    id=ids[i],
                    partition=partition,
                    kind=kind,
                    text=texts[i],
                    metadata=json.loads(metas[i]),
                    hash=hashes[i],
                )
                for i in rows
            ]
            index[kind] = KindIndex(records, matrix[rows], Bm25Index([texts[i] for i in rows]))
        with self._lock:
            self._cache[partition] = index
        return index

    def records(self, partition: str, kind: RecordKind) -> list[Record]:
        part = self._partition(partition).get(kind)
        return list(part.records) if part else []

    def search(
        self,
        partition: str,
        text: str,
        vector: Vectors,
        *,
        kinds: Collection[RecordKind],
        limit: int = 10,
    ) -> list[Hit]:
        index = self._partition(partition)
        parts = [index[k] for k in sorted(set(kinds)) if k in index and index[k].records]
        if not parts or limit <= 0:
            return []
        records = [r for p in parts for r in p.records]
        matrix = parts[0].matrix if len(parts) == 1 else np.vstack([p.matrix for p in parts])
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != matrix.shape[1]:
            raise EmbeddingMismatchError(
                f"query vector has {query.shape[0]} dimensions, the index {matrix.shape[1]}; "
                "run `mercurios index --rebuild` after changing the embedding model"
            )
        sims = matrix @ query
        vec_rank = _top(sims, CANDIDATES)
        kw_scores = np.concatenate([p.bm25.scores(text) for p in parts])
        kw_rank = [i for i in _top(kw_scores, CANDIDATES) if kw_scores[i] > 0]
        fused = reciprocal_rank_fusion([kw_rank, vec_rank])[:limit]
        kw_pos = {i: n for n, i in enumerate(kw_rank, start=1)}
        vec_pos = {i: n for n, i in enumerate(vec_rank, start=1)}
        return [
            Hit(
                record=records[i],
                score=score,
                keyword_rank=kw_pos.get(i),
                vector_rank=vec_pos.get(i),
                similarity=float(sims[i]),
            )
            for i, score in fused
        ]

    def close(self) -> None:
        with self._lock:
            self._con.close()
            self._cache.clear()


def _matrix(arrow: pa.Table, rows: int) -> Vectors:
    if rows == 0:
        return np.zeros((0, 0), dtype=np.float32)
    flat = arrow.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return np.asarray(flat, dtype=np.float32).reshape(rows, -1)


def _top(scores: np.ndarray, n: int) -> list[int]:
    finite = np.isfinite(scores)
    count = int(finite.sum())
    if count == 0:
        return []
    n = min(n, count)
    idx = np.argpartition(-np.where(finite, scores, -np.inf), n - 1)[:n]
    return [int(i) for i in idx[np.argsort(-scores[idx], kind="stable")]]
