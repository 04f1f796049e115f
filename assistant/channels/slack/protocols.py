"""Seams of the Slack channel: one Protocol each."""

from __future__ import annotations

from typing import Protocol


class SeenKeys(Protocol):
    """Remembers keys (event ids, request signatures) for a while: the first `first_time` wins.

    Redis when configured (shared by all workers), the app database otherwise."""

    def first_time(self, key: str, ttl_s: int) -> bool: ...
