"""Serve the ProHandel simulator from its own process (`python -m ingestion.prohandel.simulator_process`).

The benchmark runs the simulator here so that serving JSON does not compete with the connector for
one interpreter's GIL: on loopback, the figure is then the connector's own. The first line on
stdout is JSON with the server's auth URL and each tenant's API key and secret; the process serves
until it is terminated.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading

from ingestion.demo.generator import DEFAULT_END_DATE
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.2)
    args = parser.parse_args(argv)
    sim = demo_simulator(end_date=DEFAULT_END_DATE, scale=args.scale)
    with SimulatorServer(sim) as server:
        accounts = {
            a.tenant_id: {"api_key": c.api_key, "api_secret": c.api_secret, "auth_url": c.auth_url}
            for a in sim.accounts.values()
            for c in [server.credentials(a.tenant_id)]
        }
        sys.stdout.write(json.dumps({"tenants": accounts}) + "\n")
        sys.stdout.flush()
        threading.Event().wait()


if __name__ == "__main__":
    main()
