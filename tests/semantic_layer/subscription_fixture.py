"""Constants and types of the subscription fixture project, shared by its tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURE_PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "dbt_subscription"
TENANTS = ("acme", "globex", "initech")
TENANT_COLUMN = "org_id"


@dataclass(frozen=True)
class BuiltFixture:
    project_dir: Path
    target_path: Path
    warehouse_path: Path  # with mercurios_meta.data_versions for acme and globex
    warehouse_without_meta: Path  # the plain dbt build
