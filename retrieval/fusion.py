"""Reciprocal rank fusion: how keyword and vector rankings become one.

RRF (score = Σ 1/(k + rank)) needs no score calibration between BM25 (unbounded) and cosine
(-1…1), which is why both stores use it; Weaviate's `HybridFusion.RANKED` is the same idea, so the
embedded default and production rank alike. k = 60 is the value of the original paper.
"""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse rankings (lists of item indexes, best first) into (item, score), best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
