"""Optional: a sentence-transformers model (e.g. all-MiniLM-L6-v2), better on sentences.

Needs torch, so it is not a required dependency; the import happens only when this embedder is
configured (`MERCURIOS_EMBEDDING_MODEL=sentence-transformers/all-MiniLM-L6-v2`), and a missing
package or model is a configuration error with the fix in its message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from guardrails.errors import ConfigError
from retrieval.embedders.normalise import l2_normalised
from retrieval.protocols import Vectors


class SentenceTransformersEmbedder:
    def __init__(self, model_name: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                f"embedding model {model_name!r} needs the sentence-transformers package "
                "(pip install sentence-transformers); the offline default is 'wordllama'"
            ) from exc
        try:
            self._model: Any = SentenceTransformer(model_name)
        except Exception as exc:
            raise ConfigError(f"cannot load sentence-transformers model {model_name!r}: {exc}") from exc
        self._name = model_name
        self._dimension = int(self._model.get_sentence_embedding_dimension())

    @property
    def model_id(self) -> str:
        return f"sentence-transformers/{self._name}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return l2_normalised(self._model.encode(list(texts), normalize_embeddings=True))
