"""The credentials file `mercurios ingest prohandel --credentials` (or
MERCURIOS_PROHANDEL_CREDENTIALS_FILE) reads, written for tenants of a running ProHandel simulator."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ingestion.prohandel.simulator_server import SimulatorServer


def write_credentials(path: Path, server: SimulatorServer, tenants: Iterable[str]) -> Path:
    """`path`, holding each tenant's API key, secret and the simulator's auth URL."""
    path.write_text(
        json.dumps(
            {
                t: {
                    "api_key": server.credentials(t).api_key,
                    "api_secret": server.credentials(t).api_secret,
                    "auth_url": server.auth_url,
                }
                for t in tenants
            }
        )
    )
    return path
