"""A hand-written raw dataset for two tenants, and the dbt build on it.

Small enough to compute every expected figure by hand, yet it holds each case the marts must get
right: a return, an anonymous (customer-less) receipt, an online sale, a row re-delivered with a
newer `_loaded_at` (dedup), two weekly inventory snapshots, a draft e-mail campaign (excluded) and
one sent just before midnight UTC (a different local day in Berlin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from ingestion.raw_schema import RAW_TABLES_BY_NAME, create_raw_schema_sql
from semantic_layer.dbt_runner import DbtRunResult, run_dbt

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt"
ALPHA = "alpha-mode"
BETA = "beta-sport"
LOADED = datetime(2026, 9, 20, 6, 0)
EARLIER = datetime(2026, 9, 14, 6, 0)

D = Decimal


@dataclass(frozen=True)
class RawRows:
    """Rows of one raw table, columns in raw_schema order without `_loaded_at`."""

    table: str
    rows: tuple[tuple[object, ...], ...]
    loaded_at: datetime = LOADED


RAW_ROWS: tuple[RawRows, ...] = (
    RawRows(
        "tenants",
        (
            (ALPHA, "Alpha Mode", "EUR", "Europe/Berlin", "DE", "de-DE"),
            (BETA, "Beta Sport", "CHF", "Europe/Zurich", "CH", "de-CH"),
        ),
    ),
    RawRows(
        "prohandel_branches",
        (
            (
                ALPHA,
                "am-b01",
                1,
                "Alpha Hamburg",
                "Hamburg",
                "Hamburg",
                "DE",
                "store",
                date(2020, 3, 1),
                120.0,
            ),
            (
                ALPHA,
                "am-b02",
                2,
                "Alpha Outlet Berlin",
                "Berlin",
                "Berlin",
                "DE",
                "outlet",
                date(2026, 9, 1),
                80.0,
            ),
            (ALPHA, "am-web", 99, "Alpha Online", None, None, "DE", "online", date(2021, 1, 1), None),
            (BETA, "bs-b01", 1, "Beta Zürich", "Zürich", "ZH", "CH", "store", date(2019, 5, 1), 200.0),
        ),
    ),
    RawRows(
        "prohandel_articles",
        (
            (
                ALPHA,
                "am-a1",
                "100-1",
                "Rain jacket",
                "Jackets",
                "Rain",
                "Nordkap",
                "navy",
                "HW26",
                D("100.00"),
                D("40.00"),
            ),
            (
                ALPHA,
                "am-a2",
                "200-7",
                "Basic tee",
                "Shirts",
                "T-Shirts",
                "Alpha",
                "white",
                "NOS",
                D("30.00"),
                D("10.00"),
            ),
            (
                BETA,
                "bs-a1",
                "SKI-9",
                "Touring ski",
                "Ski",
                "Touring",
                "Piz",
                None,
                "HW26",
                D("500.00"),
                D("250.00"),
            ),
        ),
    ),
    RawRows(
        "prohandel_customers",
        (
            (ALPHA, "am-c1", "Hamburg", "gold", date(2024, 1, 10), "am-b01"),
            (ALPHA, "am-c2", "Köln", "silver", date(2026, 9, 1), None),
            (ALPHA, "am-c3", "Kiel", "bronze", date(2022, 2, 2), "am-b01"),  # never bought
            (BETA, "bs-c1", "Bern", "bronze", date(2025, 1, 1), "bs-b01"),
        ),
    ),
    RawRows(
        "prohandel_receipts",
        (
            (ALPHA, "am-r1", "am-b01", "am-c1", datetime(2026, 9, 5, 10, 15), "sale"),
            (ALPHA, "am-r2", "am-b02", None, datetime(2026, 9, 6, 11, 0), "sale"),
            (ALPHA, "am-r3", "am-web", "am-c2", datetime(2026, 9, 10, 21, 40), "sale"),
            (ALPHA, "am-r4", "am-b01", "am-c1", datetime(2026, 9, 12, 16, 5), "return"),
            (BETA, "bs-r1", "bs-b01", "bs-c1", datetime(2026, 9, 7, 14, 30), "sale"),
        ),
    ),
    # receipt_id, line_number, article, quantity, unit_price, gross, discount, net, cost
    RawRows(
        "prohandel_receipt_lines",
        (
            (ALPHA, "am-r1", 1, "am-a1", 2, D("100"), D("200"), D("20"), D("180"), D("80")),
            (ALPHA, "am-r1", 2, "am-a2", 1, D("30"), D("30"), D("0"), D("30"), D("10")),
            (ALPHA, "am-r2", 1, "am-a2", 3, D("30"), D("90"), D("9"), D("81"), D("30")),
            (ALPHA, "am-r3", 1, "am-a1", 1, D("100"), D("100"), D("0"), D("100"), D("40")),
            (ALPHA, "am-r4", 1, "am-a1", -1, D("100"), D("-100"), D("-10"), D("-90"), D("-40")),
            (BETA, "bs-r1", 1, "bs-a1", 1, D("500"), D("500"), D("50"), D("450"), D("250")),
        ),
    ),
    # the same line delivered earlier with wrong figures: the newer load must win
    RawRows(
        "prohandel_receipt_lines",
        ((ALPHA, "am-r2", 1, "am-a2", 3, D("30"), D("90"), D("0"), D("999"), D("30")),),
        loaded_at=EARLIER,
    ),
    RawRows(
        "prohandel_inventory",
        (
            (ALPHA, date(2026, 9, 6), "am-b01", "am-a1", 10, 5),
            (ALPHA, date(2026, 9, 6), "am-b01", "am-a2", 5, 0),
            (ALPHA, date(2026, 9, 13), "am-b01", "am-a1", 9, 0),
            (ALPHA, date(2026, 9, 13), "am-b01", "am-a2", 4, 2),
            (BETA, date(2026, 9, 6), "bs-b01", "bs-a1", 3, 0),
            (BETA, date(2026, 9, 13), "bs-b01", "bs-a1", 2, 1),
        ),
    ),
    RawRows(
        "ga4_sessions_report",
        (
            (ALPHA, "ga-1", date(2026, 9, 10), "google", "organic", "mobile", 100, 60, 12, 2, D("150.00")),
            (ALPHA, "ga-1", date(2026, 9, 10), "newsletter", "email", "desktop", 50, 40, 8, 3, D("210.00")),
            (BETA, "ga-9", date(2026, 9, 7), "google", "cpc", "desktop", 80, 30, 4, 1, D("450.00")),
        ),
    ),
    RawRows(
        "klaviyo_campaign",
        (
            (ALPHA, "am-k1", "Autumn drop", "sent", datetime(2026, 9, 1, 23, 30), "email"),
            (ALPHA, "am-k2", "Draft sale", "draft", None, "email"),
            (BETA, "bs-k1", "Ski season", "sent", datetime(2026, 9, 3, 8, 0), "email"),
        ),
    ),
    RawRows(
        "klaviyo_campaign_performance",
        (
            (ALPHA, "am-k1", 1000, 980, 392, 49, 3, 4, D("500.00")),
            (BETA, "bs-k1", 400, 400, 100, 20, 1, 1, D("450.00")),
        ),
    ),
)


def write_raw_dataset(path: Path) -> None:
    """Create the raw schema in a fresh DuckDB file and load RAW_ROWS into it."""
    con = duckdb.connect(str(path))
    try:
        for statement in create_raw_schema_sql():
            con.execute(statement)
        for block in RAW_ROWS:
            table = RAW_TABLES_BY_NAME[block.table]
            placeholders = ", ".join("?" for _ in table.column_names)
            con.executemany(
                f"INSERT INTO raw.{table.name} ({', '.join(table.column_names)}) VALUES ({placeholders})",
                [(*row, block.loaded_at) for row in block.rows],
            )
    finally:
        con.close()


@dataclass(frozen=True)
class BuiltWarehouse:
    """The DuckDB file dbt built on the hand-written dataset, and where dbt wrote its artifacts."""

    path: Path
    target_path: Path
    build: DbtRunResult

    @property
    def semantic_manifest(self) -> Path:
        return self.target_path / "semantic_manifest.json"


def build_hand_written_warehouse(root: Path) -> BuiltWarehouse:
    """Write the raw dataset into `root` and run `dbt build` on it (target/ kept inside `root`)."""
    path = root / "warehouse.duckdb"
    write_raw_dataset(path)
    target_path = root / "target"
    result = run_dbt(DBT_PROJECT_DIR, ["build"], duckdb_path=path, target_path=target_path)
    return BuiltWarehouse(path=path, target_path=target_path, build=result)
