"""Back up and restore the app database: SQLite through its online backup API, PostgreSQL with
`pg_dump`/`pg_restore` (custom format) when they are on PATH.

SQLite's backup API copies a consistent snapshot even while the service writes (a plain file copy
could catch a half-written page); restoring goes the same way into the live file, page by page.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from guardrails.errors import ConfigError, InternalError
from ingestion.backup.errors import BackupToolMissing

SQLITE_FILE = "app.sqlite3"
POSTGRES_FILE = "app.pgdump"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ConfigError(f"the app database {url} is in memory: there is nothing to back up")
    return Path(database)


def _pg_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupToolMissing(f"{name} is not on PATH: install the PostgreSQL client tools to back up")
    return found


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InternalError(f"{Path(cmd[0]).name} failed: {done.stderr.strip().splitlines()[-1:]}")


def backup_app_database(url: str, dest_dir: Path) -> Path:
    """Write the app database into `dest_dir`; returns the file written."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise ConfigError(f"the app database {source} does not exist")
        target = dest_dir / SQLITE_FILE
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target
    if backend == "postgresql":
        target = dest_dir / POSTGRES_FILE
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _pg_url(url)])
        return target
    raise ConfigError(f"cannot back up a {backend} app database (supported: sqlite, postgresql)")


def restore_app_database(url: str, source_dir: Path) -> Path:
    """Replace the app database's content with the backup in `source_dir`; returns the file read."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        source = source_dir / SQLITE_FILE
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return source
    if backend == "postgresql":
        source = source_dir / POSTGRES_FILE
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={_pg_url(url)}",
                str(source),
            ]
        )
        return source
    raise ConfigError(f"cannot restore a {backend} app database (supported: sqlite, postgresql)")
