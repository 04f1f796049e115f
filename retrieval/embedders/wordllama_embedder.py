"""The offline default: WordLlama, whose weights ship inside its wheel (no download, no torch).

It is a bag of token embeddings distilled from an LLM's embedding table: weak on long-range
meaning, good on words and short phrases — which is most of what we embed (metric synonyms,
dimension values, questions). Loading takes well under a second; the model is shared per process.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedders.normalise import l2_normalised
from retrieval.errors import EmbeddingError
from retrieval.protocols import Vectors

_LOCK = threading.Lock()
_MODELS: dict[int, Any] = {}


@contextlib.contextmanager
def _root_logging_untouched() -> Iterator[None]:
    """Restores the root logger's level and handlers: a library must not turn on INFO logging for
    the whole process (the demo printed ~900 MetricFlow INFO lines after wordllama's import)."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers


def _load(dimension: int) -> Any:
    with _LOCK:
        model = _MODELS.get(dimension)
        if model is None:
            with _root_logging_untouched():  # wordllama calls logging.basicConfig(INFO) on import
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
