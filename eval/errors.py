"""Errors of the harness itself (a case it could not judge), kept apart from the assistant's misses."""

from __future__ import annotations


class HarnessError(Exception):
    """The harness could not judge a case (gold SQL fails, warehouse missing, API unreachable,
    unknown tenant): reported per case as an error, never counted as the assistant's miss or pass."""
