"""Embedders: the bundled wordllama offline, and provider embeddings through litellm against a
local OpenAI-compatible /v1/embeddings server started by the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import numpy as np
import pytest

from guardrails.errors import ConfigError
from retrieval.config import RetrievalConfig
from retrieval.embedders.litellm_embedder import LiteLlmEmbedder
from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder
from retrieval.errors import EmbeddingError
from retrieval.factory import build_embedder


def test_wordllama_is_offline_normalised_and_semantic(embedder: WordLlamaEmbedder) -> None:
    vectors = embedder.embed(["Munich", "München", "gift cards never expire"])
    assert vectors.shape == (3, 256) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert embedder.embed([]).shape == (0, 256)


def test_factory_picks_the_embedder_from_config(tmp_path: object) -> None:
    from pathlib import Path

    base = RetrievalConfig(data_dir=Path("var"))
    assert build_embedder(base).model_id == "wordllama/l2_supercat_256"
    assert (
        build_embedder(
            RetrievalConfig(data_dir=Path("var"), embedding_model="wordllama/l2_supercat_64")
        ).dimension
        == 64
    )
    with pytest.raises(ConfigError):
        build_embedder(RetrievalConfig(data_dir=Path("var"), embedding_model="wordllama/l2_supercat_big"))
    other = build_embedder(
        RetrievalConfig(data_dir=Path("var"), embedding_model="openai/text-embedding-3-small")
    )
    assert other.model_id == "litellm/openai/text-embedding-3-small"


class _Embeddings(BaseHTTPRequestHandler):
    dimension = 8
    requests: ClassVar[list[dict[str, object]]] = []
    fail = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if type(self).fail or not self.path.endswith("/embeddings"):
            self._send(500, {"error": {"message": "model overloaded", "type": "server_error"}})
            return
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": [float(len(t) % 5 + 1)] + [float(i)] * (self.dimension - 1),
            }
            for i, t in enumerate(inputs)
        ]
        self._send(
            200,
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            },
        )

    def _send(self, status: int, payload: object) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def embeddings_server() -> Iterator[str]:
    _Embeddings.requests = []
    _Embeddings.fail = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Embeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_litellm_embeddings_from_an_openai_compatible_server(embeddings_server: str) -> None:
    emb = LiteLlmEmbedder("openai/text-embedding-3-small", api_base=embeddings_server, api_key="sk-test")
    vectors = emb.embed(["a", "bb", "ccc"])
    assert vectors.shape == (3, 8) and emb.dimension == 8
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert _Embeddings.requests[0]["input"] == ["a", "bb", "ccc"]
    assert _Embeddings.requests[0]["model"] == "text-embedding-3-small"


def test_litellm_provider_failure_is_an_embedding_error(embeddings_server: str) -> None:
    _Embeddings.fail = True
    emb = LiteLlmEmbedder("openai/text-embedding-3-small", api_base=embeddings_server, api_key="sk-test")
    with pytest.raises(EmbeddingError, match="embedding request to openai/text-embedding-3-small failed"):
        emb.embed(["a"])


def test_a_provider_that_changes_dimension_is_refused(embeddings_server: str) -> None:
    emb = LiteLlmEmbedder(
        "openai/text-embedding-3-small", api_base=embeddings_server, api_key="sk-test", dimension=16
    )
    with pytest.raises(EmbeddingError, match="returned 8-d vectors, expected 16"):
        emb.embed(["a"])


def test_loading_wordllama_leaves_the_processs_logging_alone() -> None:
    """wordllama calls logging.basicConfig(INFO) when imported; the demo then printed ~900 INFO
    lines of other libraries. Loading the embedder must not change the root logger."""
    import logging
    import sys

    from retrieval.embedders import wordllama_embedder

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    sys.modules.pop("wordllama", None)  # force the import (and its basicConfig) to run again
    sys.modules.pop("wordllama.inference", None)
    wordllama_embedder._MODELS.clear()
    root.handlers[:] = []  # basicConfig only acts on a root logger without handlers
    try:
        vectors = wordllama_embedder.WordLlamaEmbedder().embed(["net sales"])
        assert vectors.shape[0] == 1
        assert root.level == level and root.handlers == []
    finally:
        root.handlers[:] = handlers
