"""L2 normalisation shared by every embedder: stores rely on dot product being cosine."""

from __future__ import annotations

import numpy as np

from retrieval.protocols import Vectors


def l2_normalised(matrix: object) -> Vectors:
    arr = np.asarray(matrix, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return (arr / np.where(norms == 0, 1.0, norms)).astype(np.float32)
