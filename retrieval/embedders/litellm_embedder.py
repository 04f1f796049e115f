"""Provider embeddings through litellm (OpenAI, Azure, Cohere, Ollama, … by model name).

The dimension is learned from the first answer (providers differ and some let you choose); the
store then refuses an index built with another model. Batches keep requests under provider caps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from retrieval.embedders.normalise import l2_normalised
from retrieval.errors import EmbeddingError
from retrieval.protocols import Vectors

BATCH = 128


class LiteLlmEmbedder:
    def __init__(
        self,
        model: str,
        *,
        api_base: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 30.0,
        dimension: int | None = None,
    ) -> None:
        self._model = model
        self._api_base = api_base
        self._api_key = api_key
        self._timeout_s = timeout_s
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"litellm/{self._model}"

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = int(self.embed(["dimension probe"]).shape[1])
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension or 0), dtype=np.float32)
        rows: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            rows.extend(self._request(list(texts[start : start + BATCH])))
        matrix = l2_normalised(np.asarray(rows, dtype=np.float32))
        if self._dimension is None:
            self._dimension = int(matrix.shape[1])
        elif matrix.shape[1] != self._dimension:
            raise EmbeddingError(
                f"{self._model} returned {matrix.shape[1]}-d vectors, expected {self._dimension}"
            )
        return matrix

    def _request(self, batch: list[str]) -> list[list[float]]:
        import litellm

        kwargs: dict[str, Any] = {"model": self._model, "input": batch, "timeout": self._timeout_s}
        if self._api_base:
            kwargs["api_base"] = self._api_base
        if self._api_key:
            kwargs["api_key"] = self._api_key
        try:
            response = litellm.embedding(**kwargs)
        except Exception as exc:
            raise EmbeddingError(f"embedding request to {self._model} failed: {exc}") from exc
        data = sorted(response.data, key=lambda d: _field(d, "index"))
        if len(data) != len(batch):
            raise EmbeddingError(f"{self._model} returned {len(data)} vectors for {len(batch)} texts")
        return [list(_field(d, "embedding")) for d in data]


def _field(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)
