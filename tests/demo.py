"""What the shared demo-warehouse fixture builds; importable by any test module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
TEST_SCALE = 0.02
TEST_END_DATE = date(2026, 10, 31)
DEMO_TENANTS = ("alpin-sport", "casa-living", "nordwind-fashion")
# The metric names of DESIGN.md's data contract: a public API the semantic layer must keep.
CONTRACT_METRICS = (
    "net_sales",
    "gross_sales",
    "discount_amount",
    "units_sold",
    "orders",
    "average_order_value",
    "gross_margin",
    "gross_margin_pct",
    "returned_units",
    "return_rate",
    "active_customers",
    "new_customers",
    "on_hand_units",
    "inventory_value",
    "sell_through_rate",
    "sessions",
    "transactions",
    "web_conversion_rate",
    "web_revenue",
    "email_open_rate",
    "email_click_rate",
    "email_revenue",
    "units_per_transaction",
    "sales_per_sqm",
    "weeks_of_supply",
)


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

    @property
    def cache_dir(self) -> Path:
        """A cache directory (MERCURIOS_CACHE_DIR) for the CLI processes tests start on this
        warehouse, shared by all of them as one deployment's processes share theirs: what the
        manifest and the warehouse yield (parsed manifest, catalog, compiled SQL, dimension values)
        is derived by the first process and read by the rest, keyed by the manifest, the data
        version and the warehouse's fingerprint. Each process on a fresh data dir derived it all
        again: seconds per process on CI's machine."""
        return self.path.parent / "mercurios-cache"


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only view of a warehouse file that the engine may already hold open in this process.

    DuckDB refuses a second `connect()` to a file that is open with another configuration (the
    engine's read-only, no-external-access connection), so tests attach it to a fresh in-memory
    database instead and make it the default catalog.
    """
    con = duckdb.connect()
    con.execute(f"ATTACH '{path}' AS warehouse (READ_ONLY)")
    con.execute("USE warehouse")
    return con


def versions_and_sales(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Each tenant's data version and its count of sales rows in a warehouse: what a load of one
    tenant may change for that tenant only."""
    with duckdb.connect(str(path), read_only=True) as con:
        versions = dict(
            con.execute("SELECT tenant_id, data_version FROM mercurios_meta.data_versions").fetchall()
        )
        sales = dict(con.execute("SELECT tenant_id, count(*) FROM marts.fct_sales GROUP BY 1").fetchall())
    return versions, sales
