"""A backup set: one directory holding the warehouse export, the app database and a manifest.

`restore` refuses a directory without the manifest, so a typo cannot import some random folder.
The manifest records which parts are present; restoring restores exactly those.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from guardrails.errors import UserError
from ingestion.backup.app_database_backup import backup_app_database, restore_app_database
from ingestion.backup.errors import NotABackup
from ingestion.backup.warehouse_backup import export_warehouse, import_warehouse

MANIFEST = "mercurios-backup.json"
WAREHOUSE_DIR = "warehouse"


@dataclass(frozen=True)
class BackupManifest:
    created_at: str
    warehouse: bool
    app_database: str | None  # file name inside the set, or None when not backed up


def backup(dest: Path, *, warehouse: Path | None, database_url: str | None) -> BackupManifest:
    """Write a backup set into `dest`, which must be empty or absent."""
    if dest.exists() and any(dest.iterdir()):
        raise UserError(f"backup directory {dest} is not empty: choose a new one")
    if warehouse is not None and not warehouse.exists():
        raise UserError(f"warehouse {warehouse} does not exist: nothing to back up")
    dest.mkdir(parents=True, exist_ok=True)
    if warehouse is not None:
        export_warehouse(warehouse, dest / WAREHOUSE_DIR)
    app_file = backup_app_database(database_url, dest).name if database_url else None
    manifest = BackupManifest(
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        warehouse=warehouse is not None,
        app_database=app_file,
    )
    (dest / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> BackupManifest:
    try:
        data = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        return BackupManifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise NotABackup(f"{source} is not a Mercurios backup (no readable {MANIFEST})") from exc


def restore(source: Path, *, warehouse: Path | None, database_url: str | None) -> BackupManifest:
    """Restore the parts of the set that are present into the given targets."""
    manifest = read_manifest(source)
    if manifest.warehouse and warehouse is not None:
        import_warehouse(source / WAREHOUSE_DIR, warehouse)
    if manifest.app_database and database_url:
        restore_app_database(database_url, source)
    return manifest
