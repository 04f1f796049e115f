"""Versions of the embedded index: build into a copy, swap on success, keep serving on failure.

`CURRENT` (a one-line file) names the live DuckDB file. An indexing run copies it to a new file,
writes there, and only after the run succeeded replaces `CURRENT` atomically (`os.replace`). A
crash or error leaves `CURRENT` as it was, so readers keep the previous index; the half-built copy
is removed. One previous version is kept for a quick manual rollback.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POINTER = "CURRENT"


class IndexVersions:
    def __init__(self, root: Path) -> None:
        self.root = root

    def current(self) -> Path | None:
        pointer = self.root / POINTER
        if not pointer.exists():
            return None
        path = self.root / pointer.read_text(encoding="utf-8").strip()
        return path if path.exists() else None

    @contextmanager
    def build(self, *, from_scratch: bool = False) -> Iterator[Path]:
        """Yield a new file to write (a copy of the live one unless `from_scratch`); swap on exit."""
        self.root.mkdir(parents=True, exist_ok=True)
        new = self.root / f"index-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.duckdb"
        live = self.current()
        if live is not None and not from_scratch:
            shutil.copyfile(live, new)
        try:
            yield new
        except BaseException:
            _remove(new)
            raise
        tmp = self.root / f"{POINTER}.{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_text(new.name + "\n", encoding="utf-8")
        os.replace(tmp, self.root / POINTER)
        self._prune(keep={new.name, live.name if live else ""})

    def _prune(self, keep: set[str]) -> None:
        for path in self.root.glob("index-*.duckdb*"):
            if path.name.split(".duckdb")[0] + ".duckdb" not in keep:
                _remove(path)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)
