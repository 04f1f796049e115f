"""Run the ProHandel simulator on a free loopback port, in a background thread.

Used by the tests (a real HTTP server, so the real client, retries and timeouts are exercised)
and by `mercurios ingest prohandel --simulate` / the via-API demo build.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Sequence
from types import TracebackType

import duckdb
import uvicorn

from guardrails.errors import InternalError
from ingestion.demo import TENANT_PROFILES, generate_demo
from ingestion.demo.raw_tables import loaded_at
from ingestion.prohandel.client import Credentials
from ingestion.prohandel.simulator import Simulator, create_app
from ingestion.prohandel.simulator_data import tenant_api_data


def demo_simulator(
    *,
    end_date: dt.date,
    scale: float,
    tenants: Sequence[str] | None = None,
    token_ttl_s: float = 3600.0,
    demo_con: duckdb.DuckDBPyConnection | None = None,
) -> Simulator:
    """A simulator serving exactly what `generate_demo` produces for these arguments.

    Pass `demo_con` to generate into (and keep) a connection the caller also reads from.
    """
    con = demo_con or duckdb.connect()
    try:
        summary = generate_demo(con, end_date=end_date, scale=scale, tenants=tenants)
        data = [tenant_api_data(con, t, TENANT_PROFILES[t].code) for t in summary.tenants]
    finally:
        if demo_con is None:
            con.close()
    return Simulator(data, now=loaded_at(end_date), token_ttl_s=token_ttl_s)


class SimulatorServer:
    """`with SimulatorServer(sim) as server:` serves `sim` at `server.base_url` until the block ends."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        config = uvicorn.Config(create_app(sim), log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth_url(self) -> str:
        return f"{self.base_url}/auth"

    def credentials(self, tenant_id: str) -> Credentials:
        key, secret = self.sim.credentials_for(tenant_id)
        return Credentials(tenant_id=tenant_id, api_key=key, api_secret=secret, auth_url=self.auth_url)

    def start(self) -> SimulatorServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise InternalError("the ProHandel simulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
