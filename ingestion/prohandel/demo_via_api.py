"""Land the demo tenants through the real connectors instead of writing raw tables directly.

ProHandel data goes simulator -> HTTP -> client -> validation -> raw tables; GA4 and Klaviyo go
through Fivetran-shaped schemas and the Fivetran loader. Two phases, as a retailer's first weeks
look: a first load while the API's clock stands `incremental_days` before the end of history,
then an incremental load at the end. dbt on the result must give the direct demo build's marts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from ingestion.demo import TENANT_PROFILES
from ingestion.demo.raw_tables import loaded_at
from ingestion.fivetran.demo_landing import write_fivetran_demo
from ingestion.fivetran.loader import load_connector
from ingestion.lake.archiving_sink import ArchivingSink
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.landing.batch import LoadRecord
from ingestion.landing.duckdb_sink import DuckDbSink
from ingestion.landing.protocols import RawSink
from ingestion.prohandel.client import ProHandelClient
from ingestion.prohandel.connector import SyncReport, sync_tenant
from ingestion.prohandel.retry_policy import RetryPolicy
from ingestion.prohandel.simulator import FaultPlan
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator


@dataclass
class ViaApiSummary:
    prohandel: list[SyncReport] = field(default_factory=list)
    fivetran: list[LoadRecord] = field(default_factory=list)
    faults_injected: dict[str, int] = field(default_factory=dict)

    @property
    def tenants(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.tenant_id for r in self.prohandel))


def land_demo_via_api(
    con: duckdb.DuckDBPyConnection,
    *,
    end_date: dt.date,
    scale: float,
    tenants: Sequence[str] | None = None,
    faults: FaultPlan | None = None,
    incremental_days: int = 10,
    page_size: int = 1000,
    policy: RetryPolicy | None = None,
    lake: IcebergLake | None = None,
) -> ViaApiSummary:
    """Fill `con`'s raw schema for the demo tenants through the simulator and the Fivetran loader
    (every landed page also archived in `lake`, if given)."""
    demo_con = duckdb.connect()
    try:
        sim = demo_simulator(end_date=end_date, scale=scale, tenants=tenants, demo_con=demo_con)
        sim.reset_faults(faults)
        duck = DuckDbSink(con)
        sink: RawSink = duck if lake is None else ArchivingSink(duck, lake)
        summary = ViaApiSummary()
        policy = policy or RetryPolicy(base_delay_s=0.05, max_delay_s=2.0)
        end = loaded_at(end_date)
        with SimulatorServer(sim) as server:
            for now in (end - dt.timedelta(days=incremental_days), end):
                sim.now = now
                for account in sim.accounts.values():
                    with ProHandelClient(server.credentials(account.tenant_id), policy=policy) as client:
                        summary.prohandel.append(sync_tenant(client, sink, page_size=page_size))
        for account in sim.accounts.values():
            code = TENANT_PROFILES[account.tenant_id].code
            for connector in write_fivetran_demo(con, demo_con, account.tenant_id, code):
                summary.fivetran.extend(load_connector(duck, connector, lake=lake))
        summary.faults_injected = dict(sim.stats.injected)
        return summary
    finally:
        demo_con.close()
