"""What the shared demo-warehouse fixture builds; importable by any test module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
TEST_SCALE = 0.02
TEST_END_DATE = date(2026, 10, 31)
DEMO_TENANTS = ("alpin-sport", "casa-living", "nordwind-fashion")


@dataclass(frozen=True)
class DemoWarehouse:
    """The demo warehouse the suite shares: a DuckDB file and the dbt target it was built with."""

    path: Path
    dbt_target_path: Path
    end_date: date
    scale: float

    @property
    def semantic_manifest(self) -> Path:
        return self.dbt_target_path / "semantic_manifest.json"
