"""What the Weaviate store sends, built as plain client objects by pure functions.

Kept apart from the I/O (`weaviate_store.py`) so that the collection config, tenant names,
filters, hybrid parameters, object payloads and batch error reports are tested without a server.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from weaviate.classes.config import Configure, DataType, Property, Tokenization
from weaviate.classes.query import Filter, HybridFusion, MetadataQuery
from weaviate.collections.classes.batch import ErrorObject
from weaviate.util import generate_uuid5

from retrieval.errors import StoreWriteError
from retrieval.protocols import Vectors
from retrieval.records import Record, RecordKind, check_partition

SCHEMA_VERSION = "1"
HYBRID_ALPHA = 0.5  # equal weight to BM25 and vector, as the embedded store's RRF


def properties() -> list[Property]:
    """`text` is the only BM25-searchable property; ids, kinds and hashes are exact-match fields."""
    return [
        Property(
            name="record_id", data_type=DataType.TEXT, tokenization=Tokenization.FIELD, index_searchable=False
        ),
        Property(
            name="kind", data_type=DataType.TEXT, tokenization=Tokenization.FIELD, index_searchable=False
        ),
        Property(name="text", data_type=DataType.TEXT, tokenization=Tokenization.WORD, index_searchable=True),
        Property(name="metadata", data_type=DataType.TEXT, index_searchable=False, index_filterable=False),
        Property(name="hash", data_type=DataType.TEXT, index_searchable=False, index_filterable=False),
    ]


def describe(model_id: str, dimension: int) -> str:
    """The collection description records the vector space: a model change is detected on start."""
    return json.dumps({"schema_version": SCHEMA_VERSION, "model_id": model_id, "dimension": dimension})


def parse_description(description: str | None) -> dict[str, Any]:
    try:
        value = json.loads(description or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def collection_spec(name: str, model_id: str, dimension: int) -> dict[str, Any]:
    """Keyword arguments of `client.collections.create`: one tenant per retailer, our own vectors."""
    return {
        "name": name,
        "description": describe(model_id, dimension),
        "properties": properties(),
        "vector_config": Configure.Vectors.self_provided(),
        "multi_tenancy_config": Configure.multi_tenancy(
            enabled=True, auto_tenant_creation=True, auto_tenant_activation=True
        ),
        "inverted_index_config": Configure.inverted_index(bm25_b=0.75, bm25_k1=1.2),
    }


def missing_properties(existing: Collection[str]) -> list[Property]:
    """Schema migration: properties a newer version added, to add to an existing collection."""
    return [p for p in properties() if p.name not in existing]


def tenant_name(partition: str) -> str:
    return check_partition(partition)  # our partition names are valid Weaviate tenant names


def object_uuid(partition: str, record_id: str) -> str:
    return str(generate_uuid5(f"{partition}/{record_id}"))


def object_payload(record: Record, vector: Sequence[float] | np.ndarray) -> dict[str, Any]:
    return {
        "uuid": object_uuid(record.partition, record.id),
        "properties": {
            "record_id": record.id,
            "kind": record.kind,
            "text": record.text,
            "metadata": record.metadata_json(),
            "hash": record.hash,
        },
        "vector": [float(x) for x in vector],
    }


def record_from(partition: str, props: Mapping[str, Any]) -> Record:
    kind: RecordKind = props["kind"]
    return Record(
        id=str(props["record_id"]),
        partition=partition,
        kind=kind,
        text=str(props["text"]),
        metadata=json.loads(str(props.get("metadata") or "{}")),
        hash=str(props["hash"]),
    )


def kind_filter(kinds: Collection[RecordKind]) -> Any:
    return Filter.by_property("kind").contains_any(sorted(kinds))


def ids_filter(ids: Collection[str]) -> Any:
    return Filter.by_property("record_id").contains_any(sorted(ids))


def hybrid_request(text: str, vector: Vectors, kinds: Collection[RecordKind], limit: int) -> dict[str, Any]:
    """Keyword arguments of `collection.with_tenant(t).query.hybrid`."""
    return {
        "query": text,
        "vector": [float(x) for x in np.asarray(vector, dtype=np.float32).reshape(-1)],
        "alpha": HYBRID_ALPHA,
        "fusion_type": HybridFusion.RANKED,
        "query_properties": ["text"],
        "filters": kind_filter(kinds),
        "limit": limit,
        "include_vector": True,
        "return_metadata": MetadataQuery(score=True),
    }


def batch_error(failed: Sequence[ErrorObject], total: int, shown: int = 3) -> StoreWriteError | None:
    """One clear error for a batch with rejected objects (None when all were written)."""
    if not failed:
        return None
    details = "; ".join(
        f"{(e.object_.properties or {}).get('record_id', e.original_uuid)}: {e.message}"
        for e in failed[:shown]
    )
    more = f" (and {len(failed) - shown} more)" if len(failed) > shown else ""
    return StoreWriteError(f"Weaviate rejected {len(failed)} of {total} objects: {details}{more}")
