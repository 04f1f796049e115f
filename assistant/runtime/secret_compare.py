"""Comparing a secret the caller sent with the one we hold, in constant time, whatever it holds.

`hmac.compare_digest` raises TypeError for `str` arguments with non-ASCII characters, and the
caller chooses what a header, a query parameter or a token holds: compared as UTF-8 bytes, a
non-ASCII guess is simply wrong (a 401/403/404), never a crash.
"""

from __future__ import annotations

import hmac


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )
