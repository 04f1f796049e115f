"""Fixtures of the retrieval tests: the offline embedder, shared by every test (loads once)."""

from __future__ import annotations

import pytest

from retrieval.embedders.wordllama_embedder import WordLlamaEmbedder


@pytest.fixture(scope="session")
def embedder() -> WordLlamaEmbedder:
    return WordLlamaEmbedder()
