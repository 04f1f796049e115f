"""Back up and restore the DuckDB warehouse with `EXPORT DATABASE` / `IMPORT DATABASE`.

The export is a directory of Parquet files plus the schema and load scripts, readable by any DuckDB
version (a copied .duckdb file is tied to its storage format). Restore imports into a fresh file
beside the target with the same file name — DuckDB names the catalog after the file stem and dbt's
views refer to it — and renames it over the target only when the import has fully succeeded.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_warehouse(warehouse: Path, dest: Path) -> None:
    """Write `warehouse` as Parquet + SQL into `dest` (created; must not exist)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(f"EXPORT DATABASE {_quote(dest)} (FORMAT parquet)")


def import_warehouse(source: Path, warehouse: Path) -> None:
    """Replace `warehouse` with the export in `source`; the old file stays if anything fails."""
    warehouse = warehouse.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    staging = warehouse.parent / f".restore-{os.getpid()}-{time.time_ns()}"
    staging.mkdir()
    try:
        building = staging / warehouse.name
        with duckdb.connect(str(building)) as con:
            con.execute(f"IMPORT DATABASE {_quote(source)}")
            con.execute("CHECKPOINT")
        os.replace(building, warehouse)
        wal = warehouse.with_name(warehouse.name + ".wal")
        if wal.exists():
            wal.unlink()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
