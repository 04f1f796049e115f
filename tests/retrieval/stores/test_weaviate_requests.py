"""Weaviate request building, always run (no server needed): collection config with multi-tenancy,
tenant names, filters, hybrid parameters, payloads, batch error reports, and a dead server."""

from __future__ import annotations

import json
import socket
import time

import numpy as np
import pytest
from weaviate.classes.config import DataType, Tokenization
from weaviate.classes.query import HybridFusion
from weaviate.collections.classes.batch import BatchObject, ErrorObject
from weaviate.collections.classes.config_vectorizers import Vectorizers

from retrieval.errors import InvalidTenantError, StoreUnavailableError, StoreWriteError
from retrieval.records import CATALOG_PARTITION, Record
from retrieval.stores import weaviate_requests as req
from retrieval.stores.weaviate_store import WeaviateStore


def test_collection_is_multi_tenant_with_our_own_vectors_and_bm25_on_text() -> None:
    spec = req.collection_spec("MercuriosKnowledge", "wordllama/l2_supercat_256", 256)
    assert spec["name"] == "MercuriosKnowledge"
    mt = spec["multi_tenancy_config"]
    assert (mt.enabled, mt.autoTenantCreation, mt.autoTenantActivation) == (True, True, True)
    assert spec["vector_config"].vectorizer.vectorizer is Vectorizers.NONE  # we send vectors
    assert json.loads(spec["description"]) == {
        "schema_version": "1",
        "model_id": "wordllama/l2_supercat_256",
        "dimension": 256,
    }
    props = {p.name: p for p in spec["properties"]}
    assert set(props) == {"record_id", "kind", "text", "metadata", "hash"}
    assert props["text"].indexSearchable is True and props["text"].tokenization is Tokenization.WORD
    assert all(p.indexSearchable is False for n, p in props.items() if n != "text")
    assert props["kind"].tokenization is Tokenization.FIELD and props["kind"].dataType is DataType.TEXT


def test_schema_migration_adds_only_missing_properties() -> None:
    assert [p.name for p in req.missing_properties({"record_id", "kind", "text"})] == ["metadata", "hash"]
    assert req.missing_properties({"record_id", "kind", "text", "metadata", "hash"}) == []


def test_model_is_read_back_from_the_description() -> None:
    assert req.parse_description(req.describe("m", 3)) == {
        "schema_version": "1",
        "model_id": "m",
        "dimension": 3,
    }
    assert req.parse_description("a human description") == {}
    assert req.parse_description(None) == {}


def test_tenant_names_are_validated_partitions() -> None:
    assert req.tenant_name("alpin-sport") == "alpin-sport"
    assert req.tenant_name(CATALOG_PARTITION) == "_catalog"
    for bad in ("Alpin Sport", "a/b", "x" * 80, ""):
        with pytest.raises(InvalidTenantError):
            req.tenant_name(bad)


def test_object_ids_are_stable_and_differ_per_tenant() -> None:
    a = req.object_uuid("alpin-sport", "value:store__city:Wien")
    assert a == req.object_uuid("alpin-sport", "value:store__city:Wien")
    assert a != req.object_uuid("casa-living", "value:store__city:Wien")


def test_payload_carries_properties_and_vector() -> None:
    record = Record(
        id="chunk:x#0", partition="alpin-sport", kind="chunk", text="Returns", metadata={"source": "x"}
    )
    payload = req.object_payload(record, np.array([0.5, 0.25], dtype=np.float32))
    assert payload["vector"] == [0.5, 0.25]
    assert payload["properties"]["kind"] == "chunk" and payload["properties"]["hash"] == record.hash
    assert req.record_from("alpin-sport", payload["properties"]) == record


def test_hybrid_request_filters_kinds_and_fuses_by_rank() -> None:
    request = req.hybrid_request("return policy", np.ones(4, dtype=np.float32), ["value", "chunk"], 7)
    assert request["query"] == "return policy" and request["limit"] == 7
    assert request["fusion_type"] is HybridFusion.RANKED and request["alpha"] == 0.5
    assert request["query_properties"] == ["text"] and request["include_vector"] is True
    assert request["vector"] == [1.0, 1.0, 1.0, 1.0]
    f = request["filters"]
    assert (f.target, f.operator.value, f.value) == ("kind", "ContainsAny", ["chunk", "value"])


def test_delete_filter_names_record_ids() -> None:
    f = req.ids_filter({"b", "a"})
    assert (f.target, f.value) == ("record_id", ["a", "b"])


def _failed(record_id: str, message: str) -> ErrorObject:
    obj = BatchObject(collection="C", properties={"record_id": record_id}, index=0)
    return ErrorObject(message=message, object_=obj)


def test_batch_errors_become_one_clear_error() -> None:
    assert req.batch_error([], 10) is None
    failed = [_failed(f"value:{i}", "vector lengths don't match") for i in range(5)]
    error = req.batch_error(failed, 10)
    assert isinstance(error, StoreWriteError) and error.code == "store_write_failed"
    assert str(error).startswith("Weaviate rejected 5 of 10 objects: value:0: vector lengths don't match")
    assert str(error).endswith("(and 2 more)")


def test_a_dead_weaviate_is_a_clear_unavailable_error() -> None:
    with socket.socket() as a, socket.socket() as b:
        a.bind(("127.0.0.1", 0))
        b.bind(("127.0.0.1", 0))
        port, grpc_port = a.getsockname()[1], b.getsockname()[1]  # nothing listens once closed
    started = time.perf_counter()
    with pytest.raises(StoreUnavailableError, match=f"cannot reach Weaviate at http://127.0.0.1:{port}"):
        WeaviateStore.connect(f"http://127.0.0.1:{port}", grpc_port=grpc_port)
    assert time.perf_counter() - started < 30


def test_a_malformed_url_is_a_config_error() -> None:
    from guardrails.errors import ConfigError

    with pytest.raises(ConfigError, match="MERCURIOS_WEAVIATE_URL"):
        WeaviateStore.connect("localhost:8080")
