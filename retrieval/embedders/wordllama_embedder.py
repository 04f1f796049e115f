"""The offline default: WordLlama, whose weights ship inside its wheel (no download, no torch).

It is a bag of token embeddings distilled from an LLM's embedding table: weak on long-range
meaning, good on words and short phrases — which is most of what we embed (metric synonyms,
dimension values, questions). Loading takes well under a second; the model is shared per process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedders.normalise import l2_normalised
from retrieval.errors import EmbeddingError
from retrieval.protocols import Vectors

_LOCK = threading.Lock()
_MODELS: dict[int, Any] = {}


def _load(dimension: int) -> Any:
    with _LOCK:
        model = _MODELS.get(dimension)
        if model is None:
            import wordllama
            from wordllama import WordLlama

            try:
                model = WordLlama.load(
                    cache_dir=Path(wordllama.__file__).parent, disable_download=True, trunc_dim=dimension
                )
            except Exception as exc:  # the library raises bare exceptions for missing files
                raise EmbeddingError(f"cannot load the bundled wordllama weights: {exc}") from exc
            _MODELS[dimension] = model
        return model


class WordLlamaEmbedder:
    """`dimension` may truncate the 256-d vectors (Matryoshka-trained) for smaller indexes."""

    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"wordllama/l2_supercat_{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = _load(self._dimension).embed(list(texts), norm=True)
        return l2_normalised(vectors)
