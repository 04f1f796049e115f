"""The production store: Weaviate with native multi-tenancy (one Weaviate tenant per retailer).

Isolation is Weaviate's: every read and write goes through `collection.with_tenant(partition)`,
whose shard holds that retailer's objects only. Tenants are created on demand on first write.
Vectors are ours (`self_provided`), so the embedder is the same as with the embedded store, and
the collection description records the model so a model change is refused on start. Hybrid
queries use ranked fusion with alpha 0.5, the same idea as the embedded store's RRF.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np
import weaviate
from weaviate.classes.init import AdditionalConfig, Auth, Timeout
from weaviate.classes.tenants import Tenant
from weaviate.exceptions import WeaviateBaseError

from guardrails.errors import ConfigError
from retrieval.errors import EmbeddingMismatchError, StoreUnavailableError
from retrieval.protocols import StoreHealth, Vectors
from retrieval.records import Hit, Record, RecordKind
from retrieval.stores import weaviate_requests as req
from retrieval.stores.weaviate_health import probe_ready

BATCH_SIZE = 200


class WeaviateStore:
    def __init__(
        self, client: Any, collection: str, *, url: str | None = None, api_key: str | None = None
    ) -> None:
        self._client = client
        self._name = collection
        self._tenants: set[str] | None = None
        self._url = url  # for the readiness probe (`health`)
        self._api_key = api_key

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        api_key: str | None = None,
        collection: str = "MercuriosKnowledge",
        grpc_port: int = 50051,
    ) -> WeaviateStore:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f"MERCURIOS_WEAVIATE_URL must look like http://host:8080, got {url!r}")
        secure = parsed.scheme == "https"
        try:
            client = weaviate.connect_to_custom(
                http_host=parsed.hostname,
                http_port=parsed.port or (443 if secure else 80),
                http_secure=secure,
                grpc_host=parsed.hostname,
                grpc_port=grpc_port,
                grpc_secure=secure,
                auth_credentials=Auth.api_key(api_key) if api_key else None,
                additional_config=AdditionalConfig(timeout=Timeout(init=5, query=30, insert=60)),
            )
        except WeaviateBaseError as exc:
            raise StoreUnavailableError(f"cannot reach Weaviate at {url}: {_first_line(exc)}") from exc
        except ValueError as exc:  # the client validates hosts and ports with pydantic
            raise ConfigError(f"invalid Weaviate connection settings for {url}: {_first_line(exc)}") from exc
        return cls(client, collection, url=url, api_key=api_key)

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WeaviateBaseError as exc:
            raise StoreUnavailableError(f"Weaviate {what} failed: {_first_line(exc)}") from exc

    @property
    def _collection(self) -> Any:
        return self._client.collections.use(self._name)

    # -- schema ---------------------------------------------------------------------------------
    def prepare(self, model_id: str, dimension: int) -> None:
        """Create the collection, or migrate it (add new properties) and check its vector space."""
        if not self._call("schema read", self._client.collections.exists, self._name):
            self._call(
                "create collection",
                self._client.collections.create,
                **req.collection_spec(self._name, model_id, dimension),
            )
            return
        config = self._call("schema read", self._collection.config.get)
        if not config.multi_tenancy_config.enabled:
            raise ConfigError(
                f"Weaviate collection {self._name} exists without multi-tenancy; use another name"
            )
        meta = req.parse_description(config.description)
        if meta and (meta.get("model_id") != model_id or meta.get("dimension") != dimension):
            raise EmbeddingMismatchError(
                f"Weaviate collection {self._name} holds {meta.get('model_id')} vectors "
                f"({meta.get('dimension')}-d), the configured embedder is {model_id} ({dimension}-d); "
                "run `mercurios index --rebuild`"
            )
        for prop in req.missing_properties({p.name for p in config.properties}):
            self._call("schema migration", self._collection.config.add_property, prop)
        if not meta:
            self._call(
                "schema update", self._collection.config.update, description=req.describe(model_id, dimension)
            )

    def destroy(self) -> None:
        """Delete the whole collection (tests and `--rebuild` of everything)."""
        self._call("delete collection", self._client.collections.delete, self._name)
        self._tenants = None

    # -- tenants --------------------------------------------------------------------------------
    def _known_tenants(self, refresh: bool = False) -> set[str]:
        if self._tenants is None or refresh:
            self._tenants = set(self._call("tenant list", self._collection.tenants.get))
        return self._tenants

    def _has(self, partition: str) -> bool:
        name = req.tenant_name(partition)
        return name in self._known_tenants() or name in self._known_tenants(refresh=True)

    def _ensure(self, partition: str) -> Any:
        name = req.tenant_name(partition)
        if not self._has(partition):
            self._call("tenant create", self._collection.tenants.create, [Tenant(name=name)])
            self._known_tenants().add(name)
        return self._collection.with_tenant(name)

    # -- writes ---------------------------------------------------------------------------------
    def upsert(self, records: Sequence[Record], vectors: Vectors) -> None:
        if not records:
            return
        if len(records) != len(vectors):
            raise ValueError(f"{len(records)} records but {len(vectors)} vectors")
        for partition in sorted({r.partition for r in records}):
            shard = self._ensure(partition)
            rows = [(r, v) for r, v in zip(records, vectors, strict=True) if r.partition == partition]
            try:
                with shard.batch.fixed_size(batch_size=BATCH_SIZE) as batch:
                    for record, vector in rows:
                        batch.add_object(**req.object_payload(record, vector))
            except WeaviateBaseError as exc:
                raise StoreUnavailableError(f"Weaviate batch import failed: {_first_line(exc)}") from exc
            error = req.batch_error(shard.batch.failed_objects, len(rows))
            if error is not None:
                raise error

    def delete(self, partition: str, ids: Collection[str]) -> None:
        if not ids or not self._has(partition):
            return
        shard = self._collection.with_tenant(req.tenant_name(partition))
        for start in range(0, len(ids), 1000):
            chunk = sorted(ids)[start : start + 1000]
            self._call("delete", shard.data.delete_many, where=req.ids_filter(chunk))

    def drop_partition(self, partition: str) -> None:
        if self._has(partition):
            self._call("tenant remove", self._collection.tenants.remove, [req.tenant_name(partition)])
            self._known_tenants().discard(req.tenant_name(partition))

    # -- reads ----------------------------------------------------------------------------------
    def _all(self, partition: str) -> list[Record]:
        if not self._has(partition):
            return []
        shard = self._collection.with_tenant(req.tenant_name(partition))
        try:
            return [req.record_from(partition, o.properties) for o in shard.iterator()]
        except WeaviateBaseError as exc:
            raise StoreUnavailableError(f"Weaviate read failed: {_first_line(exc)}") from exc

    def content_hashes(self, partition: str, kinds: Collection[RecordKind]) -> dict[str, str]:
        return {r.id: r.hash for r in self._all(partition) if r.kind in kinds}

    def records(self, partition: str, kind: RecordKind) -> list[Record]:
        return sorted((r for r in self._all(partition) if r.kind == kind), key=lambda r: r.id)

    def search(
        self, partition: str, text: str, vector: Vectors, *, kinds: Collection[RecordKind], limit: int = 10
    ) -> list[Hit]:
        if limit <= 0 or not kinds or not self._has(partition):
            return []
        shard = self._collection.with_tenant(req.tenant_name(partition))
        result = self._call(
            "hybrid query", shard.query.hybrid, **req.hybrid_request(text, vector, kinds, limit)
        )
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        hits = []
        for obj in result.objects:
            stored = obj.vector.get("default") if isinstance(obj.vector, dict) else obj.vector
            similarity = (
                float(np.dot(query, np.asarray(stored, dtype=np.float32))) if stored is not None else 0.0
            )
            score = float(obj.metadata.score or 0.0) if obj.metadata is not None else 0.0
            hits.append(Hit(req.record_from(partition, obj.properties), score, similarity=similarity))
        return hits

    # -- readiness ------------------------------------------------------------------------------
    def health(self) -> StoreHealth:
        """`GET /v1/.well-known/ready` with a short timeout (see `weaviate_health`); a store made
        from a bare client (no URL known) asks the client's own `is_ready()`."""
        if self._url is not None:
            return probe_ready(self._url, api_key=self._api_key)
        try:
            ready = bool(self._client.is_ready())
        except WeaviateBaseError as exc:
            return StoreHealth(False, f"Weaviate readiness check failed: {_first_line(exc)}")
        return StoreHealth(ready, "Weaviate is ready" if ready else "Weaviate is not ready")

    def close(self) -> None:
        self._client.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
