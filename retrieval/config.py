"""Retrieval's configuration as one typed value, built by the composition root from `Settings`.

Retrieval sits below `assistant` and may not import its settings; the CLI and services turn
`Settings` (MERCURIOS_ prefix) into this value in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class RetrievalConfig:
    data_dir: Path
    embedding_model: str = "wordllama"
    embedding_api_base: str | None = None
    embedding_api_key: str | None = None
    vector_store: Literal["embedded", "weaviate"] = "embedded"
    weaviate_url: str | None = None
    weaviate_api_key: str | None = None
    weaviate_collection: str = "MercuriosKnowledge"
    max_document_bytes: int = 5 * 1_048_576

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "retrieval"
