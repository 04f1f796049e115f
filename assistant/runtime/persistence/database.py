"""The app database handle: engine, sessions, migrations, and one translation of driver errors.

A dead database is our problem, not the user's: every driver-level failure (connection refused,
server gone, pool exhausted) becomes `DatabaseUnavailable`, which the API answers with 503. Each
unit of work runs in one transaction, so a failure half-way writes nothing.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, Insert, Table, create_engine, event, inspect, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from guardrails.errors import InternalError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


@functools.lru_cache(maxsize=1)
def migration_head() -> str | None:
    """The newest revision of the migration scripts, read from their `revision` / `down_revision`
    lines (Alembic's own reading, without importing Alembic); None when that is not one clear
    head (a branch, an unexpected layout): then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        down = _DOWN_REVISION.search(source)
        if revision is None or down is None:
            continue
        revisions.add(revision.group(1))
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


class DatabaseUnavailable(InternalError):
    code = "database_unavailable"


class Database:
    def __init__(self, url: str, *, connect_timeout_s: int = 3) -> None:
        if url.startswith(("postgresql://", "postgres://")):  # the installed driver is psycopg 3
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._joined = threading.local()  # this thread's open `one_transaction`, if any
        if self.is_sqlite:
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(
                url,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=10,
                pool_timeout=connect_timeout_s,
                connect_args={"connect_timeout": connect_timeout_s},
            )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        with _unavailable_on_driver_errors(), self._sessions.begin() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction on a Core connection, for the hot paths (a turn, an audit record, a key
        lookup on every request) where the ORM's unit of work costs more than the statement.
        Inside this thread's `one_transaction`, that transaction."""
        joined: Connection | None = getattr(self._joined, "conn", None)
        if joined is not None:
            with _unavailable_on_driver_errors():
                yield joined
            return
        with _unavailable_on_driver_errors(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def one_transaction(self) -> Iterator[None]:
        """Every `transaction()` this thread opens inside joins one transaction, committed at the
        end — or rolled back, all of it, on an error (a turn and its audit record: one commit)."""
        if getattr(self._joined, "conn", None) is not None:
            yield
            return
        with _unavailable_on_driver_errors(), self.engine.begin() as conn:
            self._joined.conn = conn
            try:
                yield
            finally:
                self._joined.conn = None

    def insert_ignoring_duplicates(self, table: Table) -> Insert:
        """INSERT … ON CONFLICT DO NOTHING in this database's dialect (SQLite or PostgreSQL)."""
        if self.is_sqlite:
            return sqlite_insert(table).on_conflict_do_nothing()
        return postgresql_insert(table).on_conflict_do_nothing()

    def ping(self) -> None:
        with self.session() as s:
            s.execute(text("SELECT 1"))

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent).

        A database already at the newest revision — every start but the first — is recognised by
        one query, without Alembic: importing it and its migration environment costs a CLI command
        half a second. Anything else (empty, older, unknown) goes through `alembic upgrade head`."""
        try:
            if self._at_head():
                return
            from alembic import command
            from alembic.config import Config

            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except DBAPIError as exc:
            raise DatabaseUnavailable(f"cannot migrate the app database: {exc.orig}") from exc

    def _at_head(self) -> bool:
        head = migration_head()
        if head is None:
            return False
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            versions = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        return versions == {head}

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _unavailable_on_driver_errors() -> Iterator[None]:
    """Driver-level failures become `DatabaseUnavailable` (503); integrity errors stay themselves."""
    try:
        yield
    except DBAPIError as exc:
        if isinstance(exc, IntegrityError):
            raise
        raise DatabaseUnavailable("the app database is unavailable; try again shortly") from exc
    except SQLAlchemyError as exc:
        if type(exc).__name__ == "TimeoutError":  # pool exhausted
            raise DatabaseUnavailable("the app database is overloaded; try again shortly") from exc
        raise


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """WAL lets readers and one writer work at once (several workers share the file). With WAL,
    synchronous=NORMAL stays consistent after a crash and only a power loss can drop the last
    commits; FULL would fsync every turn and audit record, which caps answers/s on one disk."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()
