"""simplemma's answers, remembered across processes.

The planner compares lemmas of the question's and the catalog's words (`text.lemma`). simplemma
loads its whole German and English dictionaries on the first lookup — over a second of CPU, paid by
every new process, though the words looked up are the same few hundred (catalog labels, synonyms,
descriptions, common question words). With a memo file, a process that asks about words seen
before never loads a dictionary. The file is keyed by simplemma's version (another version may
lemmatise differently), read once, and written back atomically when the process ends (or `save()`),
merging what other processes added meanwhile; a missing, unreadable or unwritable file only means
simplemma is asked.
"""

from __future__ import annotations

import atexit
import importlib.metadata
import json
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

MAX_ENTRIES = 20_000  # catalog words and question words; a few hundred KB to read at start


class LemmaMemo:
    def __init__(self) -> None:
        self._path: Path | None = None
        self._known: dict[str, str] | None = None
        self._added: dict[str, str] = {}
        self._lock = threading.Lock()
        self._registered = False

    def use(self, directory: Path | None) -> None:
        """Keep the memo under `directory` (None: in this process only)."""
        try:  # the installed version, without importing simplemma (it costs 70-100 ms a process)
            version = importlib.metadata.version("simplemma")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        path = Path(directory) / f"lemmas-simplemma-{version}.json" if directory is not None else None
        with self._lock:
            if path != self._path:
                self._path, self._known = path, None
            if path is not None and not self._registered:
                atexit.register(self.save)
                self._registered = True

    def _load(self) -> dict[str, str]:
        if self._known is None:
            self._known = _read(self._path) if self._path is not None else {}
        return self._known

    def lookup(self, key: str, compute: Callable[[], str]) -> str:
        with self._lock:
            found = self._load().get(key)
        if found is not None:
            return found
        found = compute()
        with self._lock:
            self._load()[key] = found
            self._added[key] = found
        return found

    def save(self) -> None:
        """Write what this process added (merged with the file as it is now)."""
        with self._lock:
            path, added = self._path, dict(self._added)
        if path is None or not added:
            return
        merged = {**_read(path), **added}
        if len(merged) > MAX_ENTRIES:  # the oldest go first (a dict keeps insertion order)
            merged = dict(list(merged.items())[-MAX_ENTRIES:])
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-lemmas-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(merged, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            return  # a read-only cache: simplemma is asked again next time
        with self._lock:
            for key in added:
                self._added.pop(key, None)


def _read(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


MEMO = LemmaMemo()


def use_lemma_memo(directory: Path | None) -> None:
    """Where the planner's lemma memo lives (the composition root passes the cache directory)."""
    MEMO.use(directory)
