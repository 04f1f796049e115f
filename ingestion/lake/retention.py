"""Retention of the lake, per tenant: `mercurios lake expire`.

Three steps, because Iceberg separates "no longer in the table" from "gone from storage":
1. delete each tenant's partitions whose `load_date` is older than its retention (a new snapshot
   in which they are absent — whole files, since the partitions are per tenant and day);
2. expire snapshots older than the time-travel window (the current one always stays);
3. delete the data files no remaining snapshot references, so expired data is physically gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from pyiceberg.table import Table

from ingestion.lake.iceberg_lake import IcebergLake, mark_property, tenant_filter


@dataclass
class ExpireReport:
    rows_deleted: dict[str, int] = field(default_factory=dict)  # tenant -> rows no longer in the lake
    snapshots_expired: int = 0
    files_deleted: int = 0


def _referenced_files(table: Table) -> set[str]:
    files: set[str] = set()
    for snapshot in table.snapshots():
        for task in table.scan(snapshot_id=snapshot.snapshot_id).plan_files():
            files.add(_local_path(task.file.file_path))
    return files


def _data_files_on_disk(table: Table) -> set[str]:
    """Parquet files under a local table's data folder (object stores: the bucket's lifecycle rules)."""
    location = table.location().rstrip("/") + "/data"
    if not location.startswith("file:"):
        return set()
    root = Path(urlparse(location).path)
    return {str(p) for p in root.rglob("*.parquet")} if root.exists() else set()


def _local_path(location: str) -> str:
    return urlparse(location).path if location.startswith("file:") else location


def expire(
    lake: IcebergLake,
    *,
    tenants: Mapping[str, int],
    now: dt.datetime,
    snapshot_window: dt.timedelta,
) -> ExpireReport:
    """`tenants`: tenant id -> retention in days, counted back from `now` on the pages' load dates.

    Tenants not named keep everything."""
    report = ExpireReport()
    for table in lake.tables():
        for tenant_id, days in sorted(tenants.items()):
            cutoff = (now - dt.timedelta(days=days)).date()
            expired = f"{tenant_filter(tenant_id)} AND load_date < '{cutoff.isoformat()}'"
            n = sum(t.file.record_count for t in table.scan(row_filter=expired).plan_files())
            if n:
                # the tenant's mark stays (tables archived before marks existed get it now, read
                # from the rows about to go): a catch-up never re-archives what retention dropped
                ident = (table.name()[-2], table.name()[-1])
                held = table.properties.get(mark_property(tenant_id))
                mark = None if held is not None else lake.mark(ident, tenant_id)
                table = lake.catalog.load_table(ident)
                with table.transaction() as tx:
                    tx.delete(expired)
                    if mark is not None:
                        tx.set_properties({mark_property(tenant_id): mark.isoformat()})
                report.rows_deleted[tenant_id] = report.rows_deleted.get(tenant_id, 0) + n
        table = lake.catalog.load_table(table.name())
        current = table.current_snapshot()
        # snapshots carry the real commit time, so the window is measured on the real clock
        horizon = int((dt.datetime.now(dt.UTC) - snapshot_window).timestamp() * 1000)
        old = [
            s.snapshot_id
            for s in table.snapshots()
            if s.timestamp_ms < horizon and (current is None or s.snapshot_id != current.snapshot_id)
        ]
        if old:
            table.maintenance.expire_snapshots().by_ids(old).commit()
            report.snapshots_expired += len(old)
        table = lake.catalog.load_table(table.name())
        unreferenced = _data_files_on_disk(table) - _referenced_files(table)
        for path in sorted(unreferenced):
            Path(path).unlink(missing_ok=True)
            report.files_deleted += 1
    return report
