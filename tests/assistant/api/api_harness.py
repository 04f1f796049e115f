"""Test harness for the service: uvicorn on a free loopback port, an SSE reader, backends."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

if TYPE_CHECKING:
    from assistant.runtime.persistence.database import Database

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_ready(
    base: str, process: subprocess.Popen[bytes], output: Callable[[], str], seconds: float
) -> None:
    """Until the server `process` started (`mercurios serve`, `mercurios demo`) answers /readyz at
    `base`; fails with its `output` if it exits first or is not ready within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, output()
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, output()
        time.sleep(0.3)


class LiveServer:
    """A real uvicorn server in a thread: tests talk HTTP to it like any client would."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)

    def client(self, token: str | None = None, **headers: str) -> httpx.Client:
        all_headers = {"Authorization": f"Bearer {token}"} if token else {}
        all_headers.update(headers)
        return httpx.Client(base_url=self.url, headers=all_headers, timeout=30)


@dataclass(frozen=True)
class SseEvent:
    event: str
    data: dict[str, object]


def read_sse(response: httpx.Response) -> Iterator[SseEvent]:
    """Parses `text/event-stream` as it arrives (comments — pings — are skipped)."""
    event, data = "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                yield SseEvent(event, json.loads("\n".join(data)))
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


def postgres_database() -> tuple[str, str] | None:
    """A fresh, empty database on the local PostgreSQL: (url, admin url); None if unreachable."""
    import psycopg

    base = os.environ.get("MERCURIOS_DATABASE_URL") or DEFAULT_PG
    base = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"mercurios_api_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.Error:
        return None
    return base.rsplit("/", 1)[0] + "/" + name, base


def drop_postgres_database(url: str, admin_url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def redis_url() -> str | None:
    import redis

    url = os.environ.get("MERCURIOS_REDIS_URL") or DEFAULT_REDIS
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


class TcpProxy:
    """A loopback TCP relay in front of a real server; `stop()` makes that server look dead."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(50)
        self.port = int(self.listener.getsockname()[1])
        self.conns: list[socket.socket] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.running:
                client.close()
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()

    def stop(self) -> None:
        self.running = False
        self.listener.close()
        for c in self.conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
                c.close()


def migrated_app_db(kind: str, directory: Path) -> Iterator[Database]:
    """A migrated, empty app database for a test parametrised over "sqlite" and "postgresql" (a
    database of its own on the local server, dropped afterwards; a LOUD skip when it is down)."""
    from assistant.runtime.persistence.database import Database

    if kind == "sqlite":
        db = Database(f"sqlite:///{directory / 'app.db'}")
        db.migrate()
        yield db
        db.dispose()
        return
    pg = postgres_database()
    if pg is None:
        message = "!!! SKIPPING: PostgreSQL unreachable (set MERCURIOS_DATABASE_URL) !!!"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI starts it, so this is a failure there")
        warnings.warn(message, stacklevel=2)
        pytest.skip(message)
    assert pg is not None
    url, admin_url = pg
    db = Database(url)
    try:
        db.migrate()
        yield db
    finally:
        db.dispose()
        drop_postgres_database(url, admin_url)
