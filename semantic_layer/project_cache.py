"""What a semantic manifest yields, kept on disk so that a new process need not derive it again.

Parsing the manifest, building the catalog and compiling SQL with MetricFlow cost a cold process
seconds (MetricFlow alone takes most of a second to import). All of it is a pure function of the
manifest, of MetricFlow and of this package's code, so it is kept under a directory named by a
hash of exactly those three: a redeployed dbt project, an upgraded MetricFlow or an edited
compiler gets a fresh directory, never a stale entry. Compiled SQL has no tenant filter yet (the
guard adds it at run time). The one tenant-specific entry is a tenant's dimension values, keyed by
the tenant, its data version and the warehouse's fingerprint, each checked on every read.

The cache is an optimisation only: an unreadable entry is ignored and rebuilt, and a cache
directory that cannot be written (a read-only image) leaves everything working as before. Writes
are atomic (a temporary file renamed into place), so concurrent workers never read half an entry.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = "1"  # bump when the layout of the entries changes
MAX_KEYED_ENTRIES = 20_000  # per kind (one small file each); beyond this, work without keeping
STALE_AFTER_S = 7 * 24 * 3600  # directories of other manifests unused this long are removed


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """A hash of the MetricFlow version and of this package's source: what derives the entries."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(FORMAT.encode())
    for dist in ("metricflow",):  # metricflow_semantics and its interfaces ship inside it
        try:
            digest.update(f"{dist}={version(dist)};".encode())
        except PackageNotFoundError:
            digest.update(f"{dist}=?;".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def manifest_hash(manifest_json: str) -> str:
    """The version of a semantic manifest (its content, not its file's date)."""
    return hashlib.sha256(manifest_json.encode()).hexdigest()[:16]


class ProjectCache:
    """Entries derived from one manifest, under `<root>/<key>/` (see the module docstring)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._entries: dict[str, int] = {}

    @classmethod
    def open(cls, root: Path, manifest_json: str) -> ProjectCache:
        key = hashlib.sha256(f"{manifest_hash(manifest_json)}:{_code_fingerprint()}".encode()).hexdigest()
        cache = cls(Path(root) / key[:20])
        _prune_siblings(cache.directory)
        return cache

    def read_text(self, name: str) -> str | None:
        try:
            return (self.directory / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def read_bytes(self, name: str) -> bytes | None:
        try:
            return (self.directory / name).read_bytes()
        except OSError:
            return None

    def write_text(self, name: str, text: str) -> None:
        self.write_bytes(name, text.encode("utf-8"))

    def write_bytes(self, name: str, data: bytes) -> None:
        target = self.directory / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:  # read-only or full disk: the cache is an optimisation only
            log.debug("cannot write the semantic-layer cache entry %s: %s", target, exc)

    # -- keyed entries: compiled SQL per query, dimension values per tenant and data version ------
    @staticmethod
    def _keyed_name(kind: str, key_text: str) -> str:
        return f"{kind}/{hashlib.sha256(key_text.encode()).hexdigest()[:32]}"

    def read_keyed(self, kind: str, key_text: str) -> str | None:
        """The entry stored under this key; the key is stored beside it and must match, so no
        collision of the short file name can ever hand one key another's entry (one query another's
        SQL, one tenant another's values)."""
        stored = self.read_text(self._keyed_name(kind, key_text))
        if stored is None:
            return None
        head, sep, body = stored.partition("\n")
        return body if sep and head == key_text.replace("\n", " ") else None

    def write_keyed(self, kind: str, key_text: str, body: str) -> None:
        if self._entries.get(kind) is None:
            try:
                self._entries[kind] = sum(1 for _ in (self.directory / kind).iterdir())
            except OSError:
                self._entries[kind] = 0
        if self._entries[kind] >= MAX_KEYED_ENTRIES:
            return
        self._entries[kind] += 1
        self.write_text(self._keyed_name(kind, key_text), f"{key_text.replace(chr(10), ' ')}\n{body}")

    def read_sql(self, key_text: str) -> str | None:
        return self.read_keyed("sql", key_text)

    def write_sql(self, key_text: str, sql: str) -> None:
        self.write_keyed("sql", key_text, sql)


def _prune_siblings(directory: Path) -> None:
    """Remove the entries of other manifests (or older code) not used for a week; mark ours used."""
    try:
        now = time.time()
        if directory.is_dir():
            os.utime(directory, (now, now))
        for sibling in directory.parent.iterdir():
            if sibling != directory and sibling.is_dir() and now - sibling.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(sibling, ignore_errors=True)
    except OSError:
        pass
