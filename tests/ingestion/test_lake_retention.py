"""`lake expire`: each tenant's retention is enforced on its own partitions, physically, and no other's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.lake.retention import expire
from ingestion.landing.batch import LandingBatch, TableRows

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # snapshots are stamped with the real clock


def _page(tenant: str, days_ago: int, ids: list[str]) -> LandingBatch:
    rows = TableRows(
        "prohandel_branches",
        ("branch_id",),
        {"branch_id": ids, "name": [f"Branch {i}" for i in ids]},
        {"branch_id": "str", "name": "str"},
    )
    return LandingBatch(
        tenant_id=tenant,
        source="prohandel",
        resource="branches",
        load_id=f"load-{days_ago}",
        loaded_at=NOW - dt.timedelta(days=days_ago),
        tables=(rows,),
    )


def _on_disk(root: Path) -> list[tuple[str, int]]:
    files = [str(p) for p in root.rglob("*.parquet")]
    with duckdb.connect() as con:
        return con.execute(
            "SELECT tenant_id, count(*) FROM read_parquet(?) GROUP BY 1 ORDER BY 1", [files]
        ).fetchall()


def test_expire_drops_only_the_tenants_own_old_pages(tmp_path: Path) -> None:
    lake = IcebergLake(LakeLocation(str(tmp_path)))
    for tenant in ("alpin-sport", "casa-living"):
        lake.archive(_page(tenant, 100, ["b1", "b2"]))
        lake.archive(_page(tenant, 5, ["b3"]))
    assert _on_disk(tmp_path) == [("alpin-sport", 3), ("casa-living", 3)]

    # alpin-sport keeps 30 days, casa-living (not named) keeps everything
    report = expire(lake, tenants={"alpin-sport": 30}, now=NOW, snapshot_window=dt.timedelta(0))
    assert report.rows_deleted == {"alpin-sport": 2}
    assert report.files_deleted == 1

    table = lake.catalog.load_table(("prohandel", "prohandel_branches"))
    current = lake.read(table)
    assert current is not None
    kept = sorted(zip(current["tenant_id"].to_pylist(), current["branch_id"].to_pylist(), strict=True))
    assert kept == [
        ("alpin-sport", "b3"),
        ("casa-living", "b1"),
        ("casa-living", "b2"),
        ("casa-living", "b3"),
    ]
    # physically gone from the lake root, not only hidden by a newer snapshot
    assert _on_disk(tmp_path) == [("alpin-sport", 1), ("casa-living", 3)]


def test_expire_keeps_time_travel_inside_the_snapshot_window(tmp_path: Path) -> None:
    lake = IcebergLake(LakeLocation(str(tmp_path)))
    lake.archive(_page("alpin-sport", 100, ["b1"]))
    lake.archive(_page("alpin-sport", 1, ["b2"]))
    report = expire(lake, tenants={"alpin-sport": 30}, now=NOW, snapshot_window=dt.timedelta(days=7))
    assert report.rows_deleted == {"alpin-sport": 1}
    assert report.files_deleted == 0  # a snapshot inside the window still references the old page
    assert _on_disk(tmp_path) == [("alpin-sport", 2)]
