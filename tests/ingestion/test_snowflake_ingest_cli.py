"""`mercurios ingest prohandel --tenant T` lands in Snowflake when MERCURIOS_WAREHOUSE=snowflake.

The command runs in-process (typer's runner) so that fakesnow stands in for the Snowflake
connector's `connect`; the ProHandel API is the simulator over loopback HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from assistant.channels.cli.main import app
from assistant.runtime.settings import get_settings
from guardrails.errors import UserError
from ingestion.lake.catalog import LakeLocation
from ingestion.lake.iceberg_lake import IcebergLake
from ingestion.prohandel.simulator_server import SimulatorServer, demo_simulator
from tests.demo import TEST_END_DATE
from tests.ingestion.prohandel_credentials import write_credentials

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result:UserWarning")

fakesnow = pytest.importorskip("fakesnow", reason="fakesnow (dev dependency) is not installed")
snowflake_connector = pytest.importorskip("snowflake.connector", reason="snowflake-connector-python missing")

TENANT, OTHER = "alpin-sport", "casa-living"


@pytest.fixture
def snowflake_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    sim = demo_simulator(end_date=TEST_END_DATE, scale=0.01, tenants=[TENANT, OTHER])
    with fakesnow.patch(), SimulatorServer(sim) as server:
        creds_file = write_credentials(tmp_path / "prohandel.json", server, (TENANT, OTHER))
        for name, value in {
            "MERCURIOS_WAREHOUSE": "snowflake",
            "MERCURIOS_SNOWFLAKE_ACCOUNT": "acct",
            "MERCURIOS_SNOWFLAKE_USER": "loader",
            "MERCURIOS_SNOWFLAKE_PASSWORD": "pw",
            "MERCURIOS_SNOWFLAKE_DATABASE": "MERCURIOS",
            "MERCURIOS_LAKE_ROOT": str(tmp_path / "lake"),
            "MERCURIOS_PROHANDEL_CREDENTIALS_FILE": str(creds_file),
            "MERCURIOS_DUCKDB_PATH": str(tmp_path / "must-not-exist.duckdb"),
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        yield {"server": server, "tmp": tmp_path}
    get_settings.cache_clear()


def _ingest(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        app,
        ["ingest", "prohandel", *args, "--no-dbt", "--json", "--page-size", "5000"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.output)
    return out


def _fetch(sql: str) -> list[tuple[Any, ...]]:
    con = snowflake_connector.connect(account="acct", user="loader", password="pw", database="MERCURIOS")
    try:
        return [tuple(r) for r in con.cursor().execute(sql).fetchall()]
    finally:
        con.close()


def test_ingest_lands_in_snowflake_bumps_the_data_version_and_archives(snowflake_env: dict[str, Any]) -> None:
    first = _ingest("--tenant", TENANT)
    assert first["rows_loaded"] > 10_000
    assert first["data_version"]["before"] is None and first["data_version"]["after"]
    assert not (snowflake_env["tmp"] / "must-not-exist.duckdb").exists()  # nothing went to DuckDB
    counts = dict(_fetch("SELECT tenant_id, count(*) FROM raw.prohandel_inventory GROUP BY 1"))
    assert counts == {TENANT: next(r["loaded"] for r in first["resources"] if r["resource"] == "inventory")}
    statuses = _fetch("SELECT DISTINCT tenant_id, status FROM ingest.load_log")
    assert statuses == [(TENANT, "success")]
    assert IcebergLake(LakeLocation(str(snowflake_env["tmp"] / "lake"))).tenants() == {TENANT}

    # an incremental re-run: nothing new, same rows, but a new data version for this tenant only
    before = _fetch(
        "SELECT count(*), sum(on_hand) FROM raw.prohandel_inventory WHERE tenant_id = 'alpin-sport'"
    )
    other = _ingest("--tenant", OTHER)
    versions_after_other = dict(_fetch("SELECT tenant_id, data_version FROM mercurios_meta.data_versions"))
    again = _ingest("--tenant", TENANT)
    assert again["data_version"]["before"] == first["data_version"]["after"]
    assert again["data_version"]["after"] != first["data_version"]["after"]
    versions = dict(_fetch("SELECT tenant_id, data_version FROM mercurios_meta.data_versions"))
    assert versions[OTHER] == versions_after_other[OTHER] == other["data_version"]["after"]
    assert versions[TENANT] == again["data_version"]["after"]
    # the re-run added no duplicates and changed nothing
    assert (
        _fetch("SELECT count(*), sum(on_hand) FROM raw.prohandel_inventory WHERE tenant_id = 'alpin-sport'")
        == before
    )
    # incremental: only the boundary records at each watermark come again
    assert (
        sum(r["received"] for r in again["resources"]) < sum(r["received"] for r in first["resources"]) / 20
    )


def test_a_duckdb_file_with_the_snowflake_warehouse_is_a_clear_error(snowflake_env: dict[str, Any]) -> None:
    with pytest.raises(UserError, match="MERCURIOS_WAREHOUSE is snowflake"):
        CliRunner().invoke(
            app,
            ["ingest", "prohandel", "--tenant", TENANT, "--warehouse", "x.duckdb", "--no-dbt"],
            catch_exceptions=False,
        )
    assert _fetch("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'RAW'") in ([(0,)], [])
