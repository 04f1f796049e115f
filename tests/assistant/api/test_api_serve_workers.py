"""`mercurios serve --workers 2` on a fresh app database: the schema is migrated once before the
workers start (two workers racing one Alembic upgrade would crash one of them), both workers
answer, and a key created while they run is honoured by whichever worker takes the request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from assistant.runtime.persistence.database import Database
from assistant.runtime.persistence.key_store import KeyRepository
from tests.assistant.api.api_harness import free_port, wait_until_ready
from tests.demo import DemoWarehouse


def test_two_workers_start_on_a_fresh_database_and_share_it(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    port = free_port()
    database_url = f"sqlite:///{tmp_path / 'app.db'}"
    env = {
        **os.environ,
        "MERCURIOS_DATA_DIR": str(tmp_path),
        "MERCURIOS_DATABASE_URL": database_url,
        "MERCURIOS_DUCKDB_PATH": str(demo_warehouse.path),
        "MERCURIOS_DBT_TARGET_PATH": str(demo_warehouse.dbt_target_path),
    }
    env.pop("MERCURIOS_REDIS_URL", None)
    log = tmp_path / "serve.log"
    mercurios = Path(sys.executable).parent / "mercurios"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(mercurios), "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, server, lambda: log.read_text(errors="replace")[-3000:], seconds=120)
        db = Database(database_url)
        tenant = "nordwind-fashion"
        token = KeyRepository(db).create(tenant, "analyst", "made while serving").token
        db.dispose()
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            for _ in range(12):  # new connections: the kernel spreads them over both workers
                r = c.get("/v1/catalog", headers={"Connection": "close"})
                assert r.status_code == 200, r.text
        text = log.read_text(errors="replace")
        assert "Traceback" not in text, text[-3000:]
        assert text.count("Application startup complete") == 2, text[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert server.returncode == 0, log.read_text(errors="replace")[-3000:]
